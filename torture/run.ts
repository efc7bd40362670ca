// npm run torture — crash the server during sync, and sync through a hostile network.
//
// Scenarios (TORTURE_SCENARIOS, comma-separated; all three by default):
//   crash-sqlite    the built server on SQLite, killed with SIGKILL at random moments
//   crash-postgres  the same on PostgreSQL (TORTURE_DATABASE_URL, else TEST_DATABASE_URL), in a
//                   schema made for the run and dropped after it; skipped when none is reachable
//   hostile         the built server on SQLite behind a proxy that drops connections, holds
//                   answers past the client's timeout and cuts answers in the middle
// Each runs a few hundred simulated phones (the real store and sync engine on fake-indexeddb),
// then checks that every event is stored exactly once, that the aggregates equal the fold of the
// stored events, and that every phone marks all its events synced. Exit code 1 if not.
//
// Knobs: TORTURE_DEVICES (100), TORTURE_EVENTS per device (100), TORTURE_KILLS (4),
// TORTURE_TWIN_EVERY (10: every 10th learner has a second phone), TORTURE_FAULT_RATE (0.3),
// TORTURE_HOSTILE_KILLS (0), TORTURE_HOSTILE_TIMEOUT_MS (5000, the phones' timeout behind the
// proxy), TORTURE_HOSTILE_DELAY_MS (6000, how long a delayed answer is held), TORTURE_PORT (4331:
// uses the next few ports too), TORTURE_SEED.
// Needs `npm run build` first (`npm run torture` does it).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { campaign, type CampaignResult } from './lib/campaign';
import { passed, verify, type Verdict } from './lib/check';
import { mulberry32 } from '../src/lib/quiz/shuffle';
import { Device, Traffic } from './lib/device';
import { HostileProxy } from './lib/proxy';
import { seedCohort } from './lib/seed';
import { ServerProcess } from './lib/server';

const int = (name: string, fallback: number) => {
	const value = Number(process.env[name]);
	return Number.isFinite(value) && process.env[name] !== '' && process.env[name] !== undefined
		? value
		: fallback;
};
const DEVICES = int('TORTURE_DEVICES', 100);
const EVENTS = int('TORTURE_EVENTS', 100);
const KILLS = int('TORTURE_KILLS', 4);
const TWIN_EVERY = int('TORTURE_TWIN_EVERY', 10);
const FAULT_RATE = int('TORTURE_FAULT_RATE', 0.3);
const HOSTILE_KILLS = int('TORTURE_HOSTILE_KILLS', 0);
const PORT = int('TORTURE_PORT', 4331);
const SEED = int('TORTURE_SEED', 2026);
const SCENARIOS = (process.env.TORTURE_SCENARIOS ?? 'crash-sqlite,crash-postgres,hostile')
	.split(',')
	.map((s) => s.trim())
	.filter(Boolean);
const PG_URL = process.env.TORTURE_DATABASE_URL || process.env.TEST_DATABASE_URL;
const PIN = '4821';
/**
 * The client's request timeout behind the hostile proxy (the app's is 20 s), and how long the
 * proxy holds a delayed answer: longer than the timeout, so that the phone gives up on a request the
 * server has handled. 2 s and 2.5 s timed out most honest requests on a busy shared machine.
 */
const HOSTILE_TIMEOUT_MS = int('TORTURE_HOSTILE_TIMEOUT_MS', 5_000);
const HOSTILE_DELAY_MS = int('TORTURE_HOSTILE_DELAY_MS', 6_000);

interface Outcome {
	scenario: string;
	database: string;
	devices: number;
	learners: number;
	campaign: CampaignResult;
	verdict: Verdict;
	traffic: string;
	serverErrors: number;
	faults?: string;
	ok: boolean;
}

const log = (line: string) => console.log(line);

async function postgresReachable(url: string | undefined): Promise<boolean> {
	if (!url) return false;
	const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
	try {
		await client.connect();
		await client.query('select 1');
		return true;
	} catch {
		return false;
	} finally {
		await client.end().catch(() => undefined);
	}
}

async function withSchema<T>(
	url: string,
	fn: (urlInSchema: string, schema: string) => Promise<T>
): Promise<T> {
	const schema = `torture_${process.pid}_${Date.now().toString(36)}`;
	const admin = new pg.Client({ connectionString: url });
	await admin.connect();
	await admin.query(`create schema ${schema}`);
	try {
		const u = new URL(url);
		u.searchParams.set('options', `-c search_path=${schema}`);
		return await fn(u.toString(), schema);
	} finally {
		await admin.query(`drop schema ${schema} cascade`);
		await admin.end();
	}
}

async function scenario(name: string, portBase: number): Promise<Outcome | undefined> {
	const hostile = name === 'hostile';
	const onPostgres = name === 'crash-postgres';
	if (onPostgres && !(await postgresReachable(PG_URL))) {
		log(
			`${name}: skipped — no PostgreSQL reachable (set TORTURE_DATABASE_URL or TEST_DATABASE_URL)`
		);
		return undefined;
	}
	const dir = mkdtempSync(join(tmpdir(), `kalan-torture-${name}-`));
	try {
		const run = async (database: { sqlite?: string; postgres?: string; schema?: string }) => {
			log(
				`\n${name}: ${DEVICES} devices × ${EVENTS} events, ${hostile ? HOSTILE_KILLS : KILLS} kills${hostile ? `, ${FAULT_RATE * 100} % of requests faulted` : ''}`
			);
			const cohort = await seedCohort(database);
			const env: Record<string, string> = database.postgres
				? { DATABASE_URL: database.postgres }
				: { DATA_DIR: dir };
			const server = new ServerProcess(portBase, env, join(dir, 'server.log'));
			await server.start();
			const random = mulberry32(SEED + portBase);
			const traffic = new Traffic();
			let proxy: HostileProxy | undefined;
			let syncUrl = server.url;
			if (hostile) {
				proxy = new HostileProxy({
					target: portBase,
					faultRate: FAULT_RATE,
					delayMs: HOSTILE_DELAY_MS,
					random: mulberry32(SEED + 1)
				});
				await proxy.listen(portBase + 1);
				syncUrl = `http://127.0.0.1:${portBase + 1}`;
			}
			const devices: Device[] = [];
			const twins: [Device, Device][] = [];
			for (let i = 0; i < DEVICES; i++)
				devices.push(
					new Device({
						index: i,
						syncUrl,
						course: cohort.course,
						traffic,
						timeoutMs: hostile ? HOSTILE_TIMEOUT_MS : undefined,
						dbName: `torture-${name}-${i}`
					})
				);
			// a recruit studies offline for a while before joining: those events go up too
			const t0 = Date.now();
			await Promise.all(devices.map((d) => d.record(Math.floor(EVENTS * 0.3))));
			const firstPhones = devices.filter((_, i) => TWIN_EVERY <= 0 || i % TWIN_EVERY !== 1);
			await inBatches(firstPhones, 4, (d) => d.join(server.url, cohort.code, PIN));
			// every TWIN_EVERY-th learner also studies on a second phone (signed in, not joined)
			for (let i = 1; TWIN_EVERY > 0 && i < devices.length; i += TWIN_EVERY) {
				const first = devices[i - 1]!;
				const second = devices[i]!;
				await second.signIn(server.url, cohort.code, first.name, PIN);
				await second.db.events.clear(); // its offline events were made under another id
				await second.db.progress.clear();
				second.generated.length = 0;
				await second.record(Math.floor(EVENTS * 0.3));
				twins.push([first, second]);
			}
			log(
				`  ${devices.length} devices ready (${twins.length} learners on two phones) in ${((Date.now() - t0) / 1000).toFixed(1)} s`
			);
			const result = await campaign({
				devices,
				traffic,
				eventsPerDevice: EVENTS,
				server,
				kills: hostile ? HOSTILE_KILLS : KILLS,
				killGapMs: [2_000, 7_000],
				downMs: [0, 1_500],
				burst: [5, 30],
				pauseMs: [300, 2_500],
				deadlineMs: 10 * 60_000,
				random,
				log
			});
			await server.stop();
			server.close();
			await proxy?.close();
			const verdict = await verify(database, devices);
			for (const d of devices) await d.db.delete();
			const outcome: Outcome = {
				scenario: name,
				database: database.postgres ? 'PostgreSQL' : 'SQLite',
				devices: devices.length,
				learners: verdict.learners,
				campaign: result,
				verdict,
				traffic: traffic.summary(),
				serverErrors: traffic.serverErrors(),
				faults: proxy?.summary(),
				ok: passed(verdict) && result.finished && traffic.serverErrors() === 0
			};
			report(outcome);
			return outcome;
		};
		return onPostgres
			? // the schema is named when the seed migrates, so that the migrator finds its tables in
				// this schema rather than in another schema of the same database
				await withSchema(PG_URL!, (url, schema) => run({ postgres: url, schema }))
			: await run({ sqlite: join(dir, 'kalan.db') });
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

async function inBatches<T>(items: T[], size: number, fn: (item: T) => Promise<void>) {
	let next = 0;
	await Promise.all(
		Array.from({ length: size }, async () => {
			while (next < items.length) await fn(items[next++]!);
		})
	);
}

function report(o: Outcome): void {
	const v = o.verdict;
	const c = o.campaign;
	log(
		`  ${o.scenario} on ${o.database}: ${o.ok ? 'PASSED' : 'FAILED'} in ${c.seconds.toFixed(1)} s`
	);
	log(
		`  kills survived        ${c.kills} (requests in flight at each: ${c.inFlightAtKill.join(', ') || '—'})`
	);
	if (o.faults) log(`  proxy                 ${o.faults}`);
	log(`  requests              ${o.traffic}; 5xx from the server: ${o.serverErrors}`);
	log(`  events generated      ${v.generated} by ${v.devices} devices of ${v.learners} learners`);
	log(
		`  events stored         ${v.stored} (missing ${v.missing}, duplicated ${v.duplicated}, unexpected ${v.unexpected}, altered ${v.altered})`
	);
	log(
		`  aggregates            ${v.learners} folds and ${v.aggregateRows} aggregate rows checked, ${v.foldMismatches} learners differ`
	);
	log(
		`  devices               ${v.devices - v.devicesUnsynced} of ${v.devices} with every event synced; ${v.devicesIncomplete} missing a twin's events; ${v.devicesDisagreeing} disagree with the server`
	);
	for (const line of [...c.stuck.slice(0, 10), ...v.problems]) log(`    ! ${line}`);
}

const outcomes: Outcome[] = [];
for (const [i, name] of SCENARIOS.entries()) {
	const outcome = await scenario(name, PORT + i * 3);
	if (outcome) outcomes.push(outcome);
}
mkdirSync('bench/results/tmp', { recursive: true });
writeFileSync(
	'bench/results/tmp/torture-latest.json',
	JSON.stringify(
		{
			at: new Date().toISOString(),
			knobs: { DEVICES, EVENTS, KILLS, TWIN_EVERY, FAULT_RATE, HOSTILE_KILLS, SEED },
			outcomes: outcomes.map(({ verdict: { problems, ...verdict }, ...o }) => ({
				...o,
				verdict,
				problems
			}))
		},
		null,
		'\t'
	) + '\n'
);
const failed = outcomes.filter((o) => !o.ok);
log(
	`\ntorture: ${outcomes.length - failed.length} of ${outcomes.length} scenarios passed${failed.length ? ` — FAILED: ${failed.map((o) => o.scenario).join(', ')}` : ''}`
);
process.exit(failed.length > 0 || outcomes.length === 0 ? 1 : 0);
