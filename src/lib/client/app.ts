import { liveQuery, type Subscription } from 'dexie';
import { dev } from '$app/environment';
import type { Progress } from '$lib/progress/reduce';
import type { SyncEngine } from './sync';
import type { ProfileRow } from './db';
import { device } from './state.svelte';
import { accountKey, currentProfile, database, rebuild } from './store';
import { storageProblem } from './storage-status.svelte';

let watching: Subscription | undefined;
let engine: SyncEngine | undefined;

const publicProfile = (p: ProfileRow) => ({ id: p.id, name: p.name, locked: !!p.pin });

/** Opens the device layer: database, profile, live event log, network and update status. */
export async function start(): Promise<void> {
	device.online = navigator.onLine;
	addEventListener('online', () => (device.online = true));
	addEventListener('offline', () => (device.online = false));
	watchServiceWorker();

	const db = database();
	try {
		await db.open();
		const profile = await currentProfile(db);
		await showProfile(profile);
	} catch (error) {
		storageProblem(error);
		return;
	}
	navigator.storage?.persist?.().then(
		(granted) => (device.persisted = granted),
		() => (device.persisted = false)
	);
	device.ready = true;
}

/** Shows a profile: its live progress and pending count feed the pages and the banners. */
export async function showProfile(profile: ProfileRow): Promise<void> {
	const db = database();
	device.profile = publicProfile(profile);
	device.profiles = (await db.profiles.orderBy('name').toArray()).map(publicProfile);
	const row = await db.progress.get(profile.id);
	const count = await db.events.where('learnerId').equals(profile.id).count();
	if (!row || row.eventCount !== count) await rebuild(profile.id, db);
	watching?.unsubscribe();
	watching = liveQuery(async () => ({
		row: await db.progress.get(profile.id),
		pending: await db.events.where('[learnerId+syncedAt]').equals([profile.id, 0]).count()
	})).subscribe({
		next: ({ row, pending }) => {
			device.progress = (row?.progress as Progress | undefined) ?? null;
			device.unreadable = row?.unreadable ?? 0;
			if (pending > device.pending) engine?.notify();
			device.pending = pending;
		},
		error: storageProblem
	});
	// One sync engine, for the profile shown, once it has joined a cohort: a learner who studies
	// alone never downloads the sync code.
	engine?.stop();
	engine = undefined;
	device.sync = null;
	if (!(await db.settings.get(accountKey(profile.id)))) return;
	const { SyncEngine, statusMessage, afterSync } = await import('./sync-certificates');
	const fetchCertificates = afterSync(db, profile.id);
	engine = new SyncEngine({
		db,
		learnerId: profile.id,
		onChange: (status) => {
			fetchCertificates(status);
			device.sync = {
				state: status.state,
				message: statusMessage(status),
				lastSuccessAt: status.lastSuccessAt,
				rejected: [...status.rejected]
			};
		}
	});
	engine.start();
}

/** Sends now (the « Envoyer mes progrès » button, and right after joining a cohort). */
export function syncNow(): Promise<unknown> {
	return engine?.syncNow() ?? Promise.resolve();
}

/**
 * Registers the service worker 3 s after the page has loaded, once idle (SvelteKit's own
 * registration, at `load`, is off: see svelte.config.js), then watches for an update. On a first
 * visit its install downloads the app's shell (about 330 KB), which would share a slow link with the
 * chunks the page loads once started, the quiz engine among them (docs/decisions.md « A page fetches
 * its code after its first frame »).
 */
function watchServiceWorker() {
	if (!('serviceWorker' in navigator)) return;
	const watch = (reg: ServiceWorkerRegistration) => {
		const check = () => {
			if (reg.waiting && navigator.serviceWorker.controller) device.updateReady = true;
		};
		check();
		reg.addEventListener('updatefound', () => {
			reg.installing?.addEventListener('statechange', check);
		});
		addEventListener('online', () => reg.update().catch(() => undefined));
	};
	const register = () =>
		navigator.serviceWorker
			.register('/service-worker.js', { type: dev ? 'module' : 'classic' })
			.then(watch, () => undefined);
	const idle = () =>
		'requestIdleCallback' in window ? requestIdleCallback(register, { timeout: 5000 }) : register();
	const later = () => setTimeout(idle, 3000);
	if (document.readyState === 'complete') later();
	else addEventListener('load', later, { once: true });
}

/** The learner accepted the update: the new version takes over, then the page reloads once. */
export async function applyUpdate(): Promise<void> {
	const reg = await navigator.serviceWorker.getRegistration();
	if (!reg?.waiting) return location.reload();
	navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(), {
		once: true
	});
	reg.waiting.postMessage({ type: 'SKIP_WAITING' });
}
