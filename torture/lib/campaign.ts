// Drives joined devices to the end of their study while a chaos loop kills the server:
// devices record events in bursts and announce them (`notify()`, as the app does after each
// event), their sync engines run on their own timers and backoff, and the server is killed
// with SIGKILL at random moments when requests are in flight, then restarted.
import type { Device, Traffic } from './device';
import { sleep, type ServerProcess } from './server';

export interface CampaignOptions {
	devices: Device[];
	traffic: Traffic;
	/** Events each device records in all (those recorded before the campaign included). */
	eventsPerDevice: number;
	server: ServerProcess;
	kills: number;
	/** Time between kills, ms: drawn in [min, max). */
	killGapMs: readonly [number, number];
	/** Time the server stays down, ms. */
	downMs: readonly [number, number];
	/** Events per burst, and pause between bursts (ms). */
	burst: readonly [number, number];
	pauseMs: readonly [number, number];
	/** Give up waiting for the devices after this long (ms). */
	deadlineMs: number;
	random: () => number;
	log: (line: string) => void;
}

export interface CampaignResult {
	kills: number;
	/** Requests in flight at each kill. */
	inFlightAtKill: number[];
	/** Seconds from the first event sent to the last device done. */
	seconds: number;
	/** Every device ended with all its events sent, before the deadline. */
	finished: boolean;
	/** Devices not done at the deadline, with their state. */
	stuck: string[];
}

export async function campaign(o: CampaignOptions): Promise<CampaignResult> {
	const between = ([min, max]: readonly [number, number]) =>
		min + Math.floor(o.random() * Math.max(0, max - min));
	const start = Date.now();
	let recording = o.devices.length;
	for (const device of o.devices) device.startSync();

	const recorders = o.devices.map(async (device) => {
		while (device.generated.length < o.eventsPerDevice) {
			await sleep(between(o.pauseMs));
			await device.record(Math.min(between(o.burst), o.eventsPerDevice - device.generated.length));
			device.engine!.notify();
		}
		recording--;
	});

	const done = async () => {
		if (recording > 0) return false;
		for (const device of o.devices) {
			const state = device.engine!.status.state;
			if (state !== 'idle' || (await device.pending()) > 0) return false;
		}
		return true;
	};

	let chaosDone = false;
	const inFlightAtKill: number[] = [];
	const chaos = (async () => {
		for (let k = 0; k < o.kills; k++) {
			await sleep(between(o.killGapMs));
			// a kill lands while requests are being served (if any come within 5 s)
			for (let i = 0; i < 500 && o.traffic.inFlight === 0; i++) await sleep(10);
			const inFlight = o.traffic.inFlight;
			await o.server.kill();
			inFlightAtKill.push(inFlight);
			const down = between(o.downMs);
			o.log(
				`  kill ${k + 1} at ${((Date.now() - start) / 1000).toFixed(1)} s, ${inFlight} requests in flight; down ${down} ms`
			);
			await sleep(down);
			await o.server.start();
		}
		chaosDone = true;
	})();

	await Promise.all(recorders);
	const at = () => `${((Date.now() - start) / 1000).toFixed(1)} s`;
	o.log(`  every event recorded at ${at()}`);
	const deadline = start + o.deadlineMs;
	let shown = Date.now();
	// every kill is dealt, and every device is done
	while (!(chaosDone && (await done())) && Date.now() < deadline) {
		await sleep(250);
		if (Date.now() - shown > 15_000) {
			shown = Date.now();
			const waiting: string[] = [];
			for (const d of o.devices) {
				const s = d.engine!.status;
				const pending = await d.pending();
				if (s.state !== 'idle' || pending > 0)
					waiting.push(
						`${d.name} ${s.state} ${pending} pending${s.nextAttemptAt ? `, retry in ${Math.round((s.nextAttemptAt - Date.now()) / 1000)} s` : ''}`
					);
			}
			o.log(
				`  ${((Date.now() - start) / 1000).toFixed(0)} s: ${waiting.length} devices not done${waiting.length ? ` (${waiting.slice(0, 4).join('; ')}${waiting.length > 4 ? '; …' : ''})` : ''}`
			);
		}
	}
	await chaos;
	// a last run everywhere, as the 5-minute timer would: each phone pulls what its learner's
	// other phone sent after it had finished
	o.log(`  every device done at ${at()}`);
	if (o.server.pid === undefined) await o.server.start();
	// (through the same network: a run that meets a fault is tried again, as the backoff would)
	// Two rounds: a phone still sending in the first may have finished after its learner's
	// other phone pulled, and the second round brings those events to it.
	for (let round = 0; round < 2; round++)
		await Promise.all(
			o.devices.map(async (d) => {
				for (let i = 0; i < 100 && (await d.engine!.syncNow()).state !== 'idle'; i++)
					await sleep(500);
			})
		);
	o.log(`  last round done at ${at()}`);
	const seconds = (Date.now() - start) / 1000;
	const stuck: string[] = [];
	for (const device of o.devices) {
		const status = device.engine!.status;
		const pending = await device.pending();
		if (status.state !== 'idle' || pending > 0)
			stuck.push(`${device.name}: ${status.state}, ${pending} pending, ${status.lastError ?? ''}`);
		device.engine!.stop();
	}
	return {
		kills: inFlightAtKill.length,
		inFlightAtKill,
		seconds,
		finished: stuck.length === 0 && Date.now() < deadline,
		stuck
	};
}
