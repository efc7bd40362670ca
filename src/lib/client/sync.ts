import type { LearningEvent } from '$lib/progress/events';
import type { EventRow, KalanDB } from './db';
import { appendAll, rebuild } from './store';

/**
 * The browser's sync engine: pushes the learner's waiting events to the server and pulls back the
 * events their other devices sent, with named states (Kolibri's sync-state enum) and bounded,
 * jittered retries. Plain TypeScript with no Svelte and no top-level browser access, so it also
 * runs in Node (tests, scripts); a component only reads its status and calls `notify()`.
 *
 * Contract (see src/routes/api/sync/events):
 * - `POST /api/sync/events?after=<cursor>` `{ events }` → `{ accepted, duplicate, rejected:
 *   { id, reason }[], cursor? }`; `cursor` when no other device pushed since ours: the pull then
 *   skips what we just sent. 401 when the learner has not joined a cohort; other 4xx `{ error }`;
 *   5xx = retry later.
 * - `GET /api/sync/events?after=<cursor>` → `{ events, cursor, more }`.
 *
 * Guarantees: never two runs at once in a tab (and, where the browser has Web Locks, across the
 * tabs of one learner); never deletes an event; a rejected event stays unsynced, listed with the
 * server's reason.
 *
 * Rejected events are sent again at most once a day (REJECTED_RETRY_MS): events are immutable, so
 * resending on every run would only earn the same refusal, but a server rule or the learner's
 * account may change (a newer server version, a profile linked to an account), so they are not
 * given up on either. An event accepted later, or pulled back from the server, leaves the list.
 */

export const SYNC_STATES = [
	'idle',
	'syncing',
	'backing-off',
	'offline',
	'error',
	'signed-out'
] as const;
/**
 * - idle: nothing in flight; everything that could be sent was sent (see `pending`, `rejected`).
 * - syncing: a run is in flight.
 * - backing-off: the server could not be reached or failed (network, timeout, 5xx): retry at
 *   `nextAttemptAt`.
 * - offline: the browser says there is no connection: retry on `online` (or the timer).
 * - error: the server refused the request itself (4xx other than 401): `lastError` says why;
 *   retried at `nextAttemptAt` too.
 * - signed-out: 401, the learner has not joined a cohort yet; nothing to send until they do.
 */
export type SyncState = (typeof SYNC_STATES)[number];

export interface RejectedEvent {
	id: string;
	/** The server's reason, in French. */
	reason: string;
	/** When it was last refused (ISO): it is offered again a day later. */
	at: string;
}

export interface SyncStatus {
	state: SyncState;
	/** The learner's events waiting on this device (`syncedAt` 0), rejected ones included. */
	pending: number;
	/** End of the last successful run (ISO), kept in settings. */
	lastSuccessAt: string | null;
	/** Why the last run failed, in French; null after a success, offline or signed out. */
	lastError: string | null;
	/** Events the server refused, with its reason; kept in settings until they are accepted. */
	rejected: readonly RejectedEvent[];
	/** When the engine tries again by itself (ms since epoch, on the engine's clock), or null. */
	nextAttemptAt: number | null;
}

export interface SyncOptions {
	db: KalanDB;
	learnerId: string;
	fetch?: typeof fetch;
	/** Clock (ms since epoch); `Date.now` by default. */
	now?: () => number;
	/** In [0, 1); `Math.random` by default. Draws the backoff's jitter. */
	random?: () => number;
	/** Prefix of the API's URLs: '' (same origin) in the browser, the server's origin in Node. */
	baseUrl?: string;
	/** Events per push, at most SYNC_LIMITS.batchSize. */
	batchSize?: number;
	/** A request (answer included) longer than this is abandoned and retried later. */
	timeoutMs?: number;
	onChange?: (status: SyncStatus) => void;
}

export const SYNC_LIMITS = {
	/** Events per push (the server takes up to 500). */
	batchSize: 200,
	/** Events per pull page (the server's own page size). */
	pullPage: 500,
	/** Bytes per push body: the server takes 512 KB; room is left for the envelope. */
	maxBodyBytes: 500 * 1024,
	timeoutMs: 20_000,
	backoffBaseMs: 2_000,
	backoffCapMs: 5 * 60_000,
	/** A periodic run, for the events of a learner who never goes offline and online. */
	intervalMs: 5 * 60_000,
	/** `notify()` calls closer than this make one run. */
	notifyDebounceMs: 2_000,
	/** A rejected event is offered again after this long. */
	rejectedRetryMs: 24 * 60 * 60_000
} as const;

const PATH = '/api/sync/events';
const cursorKey = (learnerId: string) => `syncCursor:${learnerId}`;
const lastSuccessKey = (learnerId: string) => `syncLastSuccess:${learnerId}`;
const rejectedKey = (learnerId: string) => `syncRejected:${learnerId}`;

/**
 * Exponential backoff with full jitter: after the `attempt`-th failure in a row (1, 2, …), a delay
 * drawn uniformly in [0, min(cap, base · 2^(attempt-1))).
 */
export function backoffDelay(
	attempt: number,
	random: () => number,
	base: number = SYNC_LIMITS.backoffBaseMs,
	cap: number = SYNC_LIMITS.backoffCapMs
): number {
	const ceiling = Math.min(cap, base * 2 ** Math.min(Math.max(attempt, 1) - 1, 30));
	const r = Math.min(Math.max(random(), 0), 1);
	return Math.floor(r * ceiling);
}

/** Why a request failed, sorted by what the engine does next. */
class SyncFailure extends Error {
	constructor(
		/** transient: retry later (network, timeout, 5xx, unreadable answer); refused: 4xx. */
		readonly kind: 'transient' | 'refused' | 'signed-out',
		message: string,
		readonly status?: number,
		/** The request outlived the timeout: the link may be too slow for one that large. */
		readonly timedOut = false
	) {
		super(message);
	}
}

interface PushAnswer {
	accepted: string[];
	duplicate: string[];
	rejected: { id: string | null; reason: string }[];
	cursor?: unknown;
}

interface PullAnswer {
	events: unknown[];
	cursor: string;
	more: boolean;
}

const isStrings = (value: unknown): value is string[] =>
	Array.isArray(value) && value.every((x) => typeof x === 'string');

function pushAnswer(body: unknown): PushAnswer | undefined {
	const b = body as Partial<Record<keyof PushAnswer, unknown>> | null;
	if (!b || !isStrings(b.accepted) || !isStrings(b.duplicate) || !Array.isArray(b.rejected))
		return undefined;
	const rejected = (b.rejected as unknown[]).map((r) => {
		const x = (r ?? {}) as { id?: unknown; reason?: unknown };
		return {
			id: typeof x.id === 'string' ? x.id : null,
			reason: typeof x.reason === 'string' ? x.reason : 'Refusé par le serveur.'
		};
	});
	return { accepted: b.accepted, duplicate: b.duplicate, rejected, cursor: b.cursor };
}

function pullAnswer(body: unknown): PullAnswer | undefined {
	const b = body as Partial<Record<keyof PullAnswer, unknown>> | null;
	if (!b || !Array.isArray(b.events) || typeof b.cursor !== 'string' || typeof b.more !== 'boolean')
		return undefined;
	return { events: b.events, cursor: b.cursor, more: b.more };
}

const isOffline = () => typeof navigator !== 'undefined' && navigator.onLine === false;

/** The event as the server expects it: without the device's sync mark. */
function withoutMark(row: EventRow): LearningEvent {
	const { syncedAt: _synced, ...event } = row;
	return event;
}

const oldestFirst = (a: EventRow, b: EventRow) =>
	a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

const encoder = new TextEncoder();
const sizeOf = (value: unknown) => encoder.encode(JSON.stringify(value)).length;

export class SyncEngine {
	readonly learnerId: string;
	private readonly db: KalanDB;
	private readonly fetch: typeof fetch;
	private readonly now: () => number;
	private readonly random: () => number;
	private readonly baseUrl: string;
	private readonly batchSize: number;
	private readonly timeoutMs: number;
	private readonly onChange?: (status: SyncStatus) => void;

	private current: SyncStatus = {
		state: 'idle',
		pending: 0,
		lastSuccessAt: null,
		lastError: null,
		rejected: [],
		nextAttemptAt: null
	};
	/** Failures in a row that moved nothing; 0 after a run that sent or received something. */
	private attempt = 0;
	/** This run has stored something on either side (a batch settled, a page stored). */
	private progressed = false;
	/**
	 * Events per push and per pull page. A request that times out halves its size (a page too
	 * large for a slow link would otherwise time out on every run, forever); each request that
	 * succeeds doubles it back, up to the full size.
	 */
	private pushLimit: number;
	private pullLimit: number = SYNC_LIMITS.pullPage;
	private running: Promise<SyncStatus> | undefined;
	/** New events were announced during a run: run again once it ends. */
	private queued = false;
	private started = false;
	private interval: ReturnType<typeof setInterval> | undefined;
	private debounce: ReturnType<typeof setTimeout> | undefined;
	private retry: ReturnType<typeof setTimeout> | undefined;

	constructor(options: SyncOptions) {
		this.db = options.db;
		this.learnerId = options.learnerId;
		this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
		this.now = options.now ?? Date.now;
		this.random = options.random ?? Math.random;
		this.baseUrl = (options.baseUrl ?? '').replace(/\/+$/, '');
		this.batchSize = Math.max(
			1,
			Math.min(SYNC_LIMITS.batchSize, Math.floor(options.batchSize ?? SYNC_LIMITS.batchSize))
		);
		this.timeoutMs = options.timeoutMs ?? SYNC_LIMITS.timeoutMs;
		this.onChange = options.onChange;
		this.pushLimit = this.batchSize;
	}

	get status(): SyncStatus {
		return this.current;
	}

	/** Reads the stored part of the status (pending count, last success, rejected list). */
	async refresh(): Promise<SyncStatus> {
		const [pending, last, rejected] = await Promise.all([
			this.countPending(),
			this.db.settings.get(lastSuccessKey(this.learnerId)),
			this.db.settings.get(rejectedKey(this.learnerId))
		]);
		return this.set({
			pending,
			lastSuccessAt: typeof last?.value === 'string' ? last.value : null,
			rejected: Array.isArray(rejected?.value) ? (rejected.value as RejectedEvent[]) : []
		});
	}

	/**
	 * Pushes the waiting events, then pulls the other devices' ones. While a run is in flight, a
	 * call returns that same run. Never rejects: the outcome is the status it resolves to.
	 */
	syncNow(): Promise<SyncStatus> {
		this.running ??= this.exclusive(() => this.run()).finally(() => {
			this.running = undefined;
			this.afterRun();
		});
		return this.running;
	}

	/** Syncs now, then on `online`, every 5 minutes and after `notify()`; until `stop()`. */
	start(): void {
		if (this.started) return;
		this.started = true;
		if (typeof window !== 'undefined') {
			window.addEventListener('online', this.onOnline);
			window.addEventListener('offline', this.onOffline);
		}
		this.interval = setInterval(() => this.trigger('timer'), SYNC_LIMITS.intervalMs);
		void this.syncNow();
	}

	stop(): void {
		this.started = false;
		this.queued = false;
		if (typeof window !== 'undefined') {
			window.removeEventListener('online', this.onOnline);
			window.removeEventListener('offline', this.onOffline);
		}
		clearInterval(this.interval);
		clearTimeout(this.debounce);
		clearTimeout(this.retry);
		this.interval = this.debounce = this.retry = undefined;
	}

	/**
	 * New events were recorded: sync within 2 s (calls in a burst make one run). Ignored before
	 * `start()`, while signed out, and while a backoff delay runs (the retry will carry them).
	 */
	notify(): void {
		if (!this.started) return;
		clearTimeout(this.debounce);
		this.debounce = setTimeout(() => {
			this.debounce = undefined;
			this.trigger('notify');
		}, SYNC_LIMITS.notifyDebounceMs);
	}

	private readonly onOnline = () => this.trigger('online');
	private readonly onOffline = () => {
		if (this.running) return;
		clearTimeout(this.retry);
		this.set({ state: 'offline', nextAttemptAt: null });
	};

	/** An automatic reason to sync; an explicit `syncNow()` bypasses these rules. */
	private trigger(reason: 'online' | 'timer' | 'notify' | 'retry') {
		if (!this.started) return;
		const { state, nextAttemptAt } = this.current;
		if (reason === 'notify' && state === 'signed-out') return;
		// A backoff delay is honoured, except when the connection comes back.
		const waiting = nextAttemptAt !== null && nextAttemptAt > this.now();
		if (waiting && (reason === 'timer' || reason === 'notify')) return;
		if (this.running) {
			if (reason === 'notify') this.queued = true;
			return;
		}
		void this.syncNow();
	}

	private afterRun() {
		if (!this.started) return;
		const { state, nextAttemptAt } = this.current;
		if (nextAttemptAt !== null && (state === 'backing-off' || state === 'error')) {
			clearTimeout(this.retry);
			this.retry = setTimeout(
				() => {
					this.retry = undefined;
					this.trigger('retry');
				},
				Math.max(0, nextAttemptAt - this.now())
			);
		} else if (this.queued && state === 'idle') {
			this.queued = false;
			void this.syncNow();
		}
	}

	/** One run at a time across this learner's tabs, where the browser can say so. */
	private exclusive(work: () => Promise<SyncStatus>): Promise<SyncStatus> {
		const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
		return locks ? locks.request(`kalan-sync:${this.learnerId}`, work) : work();
	}

	private async run(): Promise<SyncStatus> {
		clearTimeout(this.retry);
		this.retry = undefined;
		this.progressed = false;
		try {
			await this.refresh();
			if (isOffline()) return this.set({ state: 'offline', nextAttemptAt: null });
			this.set({ state: 'syncing' });
			await this.push();
			await this.pull();
			this.attempt = 0;
			const at = new Date(this.now()).toISOString();
			await this.db.settings.put({ key: lastSuccessKey(this.learnerId), value: at });
			return this.set({
				state: 'idle',
				pending: await this.countPending(),
				lastSuccessAt: at,
				lastError: null,
				nextAttemptAt: null
			});
		} catch (error) {
			return this.fail(error);
		}
	}

	private async fail(error: unknown): Promise<SyncStatus> {
		const pending = await this.countPending().catch(() => this.current.pending);
		if (error instanceof SyncFailure && error.kind === 'signed-out') {
			this.attempt = 0;
			return this.set({ state: 'signed-out', pending, lastError: null, nextAttemptAt: null });
		}
		if (error instanceof SyncFailure && error.kind === 'transient' && isOffline())
			return this.set({ state: 'offline', pending, lastError: null, nextAttemptAt: null });
		// A run that moved something before failing was not a failure in a row: on a flaky link
		// the next one comes soon, rather than after a delay that grows with every cut.
		if (this.progressed) this.attempt = 0;
		this.attempt++;
		const nextAttemptAt = this.now() + backoffDelay(this.attempt, this.random);
		if (error instanceof SyncFailure)
			return this.set({
				state: error.kind === 'transient' ? 'backing-off' : 'error',
				pending,
				lastError: error.message,
				nextAttemptAt
			});
		// Not the network: the local database (full, blocked) or a bug. Said, never swallowed.
		const detail = error instanceof Error ? error.message : String(error);
		return this.set({
			state: 'error',
			pending,
			lastError: `Problème sur ce téléphone pendant l'envoi : ${detail}`,
			nextAttemptAt
		});
	}

	private set(patch: Partial<SyncStatus>): SyncStatus {
		this.current = { ...this.current, ...patch };
		this.onChange?.(this.current);
		return this.current;
	}

	private countPending(): Promise<number> {
		return this.db.events.where('[learnerId+syncedAt]').equals([this.learnerId, 0]).count();
	}

	// ——— Push ———

	private async push(): Promise<void> {
		const retryBefore = this.now() - SYNC_LIMITS.rejectedRetryMs;
		const refused = new Map(this.current.rejected.map((r) => [r.id, Date.parse(r.at)]));
		const rows = (
			await this.db.events.where('[learnerId+syncedAt]').equals([this.learnerId, 0]).toArray()
		)
			.filter((row) => !((refused.get(row.id) ?? -Infinity) > retryBefore))
			.sort(oldestFirst);
		let limit: number = this.batchSize;
		for (let i = 0; i < rows.length;) {
			const batch = this.batch(rows, i, Math.min(limit, this.pushLimit));
			let answer: PushAnswer;
			const cursor = await this.cursor();
			try {
				answer = await this.post(batch, cursor);
				this.pushLimit = Math.min(this.batchSize, this.pushLimit * 2);
			} catch (error) {
				if (error instanceof SyncFailure && error.timedOut)
					this.pushLimit = Math.max(1, Math.floor(batch.length / 2));
				if (!(error instanceof SyncFailure && error.status === 413)) throw error;
				// Too large for the server: smaller batches; a single event that big is refused here.
				if (batch.length > 1) {
					limit = Math.max(1, Math.floor(batch.length / 2));
					continue;
				}
				answer = {
					accepted: [],
					duplicate: [],
					rejected: [{ id: batch[0]!.id, reason: error.message }]
				};
			}
			await this.settle(batch, answer, cursor);
			this.progressed = true;
			i += batch.length;
		}
	}

	/** Up to `limit` events from `start`, within the body size the server takes (at least one). */
	private batch(rows: EventRow[], start: number, limit: number): LearningEvent[] {
		const batch: LearningEvent[] = [];
		let bytes = sizeOf({ events: [] });
		for (let i = start; i < rows.length && batch.length < limit; i++) {
			const event = withoutMark(rows[i]!);
			const size = sizeOf(event) + 1;
			if (batch.length > 0 && bytes + size > SYNC_LIMITS.maxBodyBytes) break;
			batch.push(event);
			bytes += size;
		}
		return batch;
	}

	private async cursor(): Promise<string> {
		const stored = (await this.db.settings.get(cursorKey(this.learnerId)))?.value;
		return typeof stored === 'string' ? stored : '';
	}

	private async post(batch: LearningEvent[], cursor: string): Promise<PushAnswer> {
		const body = await this.request(`${this.baseUrl}${PATH}?after=${encodeURIComponent(cursor)}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ events: batch })
		});
		const answer = pushAnswer(body);
		if (!answer)
			throw new SyncFailure('transient', "Réponse du serveur illisible pendant l'envoi.");
		return answer;
	}

	/**
	 * Marks what the server holds as synced and records what it refused, in one transaction; moves
	 * the pull cursor past our own events when the server says nothing else came in between.
	 */
	private async settle(batch: LearningEvent[], answer: PushAnswer, cursor: string): Promise<void> {
		const sent = new Set(batch.map((e) => e.id));
		const held = [...answer.accepted, ...answer.duplicate].filter((id) => sent.has(id));
		const at = this.now();
		const refusedAt = new Date(at).toISOString();
		const rejected = await this.db.transaction('rw', this.db.events, this.db.settings, async () => {
			await this.markSynced(held, at);
			if (typeof answer.cursor === 'string' && (await this.cursor()) === cursor)
				await this.db.settings.put({ key: cursorKey(this.learnerId), value: answer.cursor });
			const list = new Map((await this.storedRejected()).map((r) => [r.id, r]));
			for (const id of held) list.delete(id);
			for (const { id, reason } of answer.rejected)
				if (id !== null && sent.has(id) && !held.includes(id))
					list.set(id, { id, reason, at: refusedAt });
			return this.storeRejected([...list.values()]);
		});
		this.set({ rejected, pending: await this.countPending() });
	}

	// ——— Pull ———

	private async pull(): Promise<void> {
		const key = cursorKey(this.learnerId);
		let cursor = await this.cursor();
		for (;;) {
			let body: unknown;
			try {
				const limit = this.pullLimit < SYNC_LIMITS.pullPage ? `&limit=${this.pullLimit}` : '';
				body = await this.request(
					`${this.baseUrl}${PATH}?after=${encodeURIComponent(cursor)}${limit}`,
					{ method: 'GET' }
				);
			} catch (error) {
				if (error instanceof SyncFailure && error.timedOut)
					this.pullLimit = Math.max(1, Math.floor(this.pullLimit / 2));
				// A cursor the server no longer understands: the next run reads from the start
				// (events already here are skipped), rather than failing the same way forever.
				if (error instanceof SyncFailure && error.status === 400 && cursor !== '')
					await this.db.settings.delete(key);
				throw error;
			}
			const page = pullAnswer(body);
			if (!page)
				throw new SyncFailure('transient', 'Réponse du serveur illisible pendant la réception.');
			this.pullLimit = Math.min(SYNC_LIMITS.pullPage, this.pullLimit * 2);
			const events = await this.readable(page.events);
			const ids = events.map((e) => e.id);
			const at = this.now();
			const tables = [this.db.events, this.db.progress, this.db.settings];
			const { stale, rejected } = await this.db.transaction('rw', tables, async () => {
				// appendAll folds the new ones into progress; the server holds them all: synced.
				const stale = await appendAll(events, this.db);
				await this.markSynced(ids, at);
				await this.db.settings.put({ key, value: page.cursor });
				const before = await this.storedRejected();
				const pulled = new Set(ids);
				const rejected = before.some((r) => pulled.has(r.id))
					? await this.storeRejected(before.filter((r) => !pulled.has(r.id)))
					: before;
				return { stale, rejected };
			});
			for (const learnerId of stale) await rebuild(learnerId, this.db);
			this.progressed = true;
			this.set({ rejected, pending: await this.countPending() });
			// A server that says `more` without moving the cursor would loop forever: stop there.
			if (!page.more || page.cursor === cursor) return;
			cursor = page.cursor;
		}
	}

	/** The pulled values that are events; the rest cannot be stored nor folded. */
	private async readable(values: unknown[]): Promise<LearningEvent[]> {
		if (values.length === 0) return [];
		// The schema (valibot) loads only when there is something to read.
		const { parseEvent } = await import('$lib/progress/events');
		return values.map(parseEvent).filter((e): e is LearningEvent => e !== undefined);
	}

	// ——— Storage ———

	private async markSynced(ids: string[], at: number): Promise<void> {
		if (ids.length === 0) return;
		await this.db.events
			.where('id')
			.anyOf(ids)
			.modify((row) => {
				if (row.syncedAt === 0) row.syncedAt = at;
			});
	}

	private async storedRejected(): Promise<RejectedEvent[]> {
		const value = (await this.db.settings.get(rejectedKey(this.learnerId)))?.value;
		return Array.isArray(value) ? (value as RejectedEvent[]) : [];
	}

	private async storeRejected(list: RejectedEvent[]): Promise<RejectedEvent[]> {
		await this.db.settings.put({ key: rejectedKey(this.learnerId), value: list });
		return list;
	}

	// ——— Network ———

	/** One request with a timeout; the answer's JSON, or a SyncFailure saying what to do next. */
	private async request(url: string, init: RequestInit): Promise<unknown> {
		const controller = new AbortController();
		const timer = setTimeout(() => controller.abort(), this.timeoutMs);
		try {
			let response: Response;
			let body: unknown;
			try {
				response = await this.fetch(url, {
					...init,
					credentials: 'same-origin',
					signal: controller.signal
				});
				body = await response.json().catch(() => undefined);
				// an answer still arriving at the timeout is a timeout, not an unreadable answer
				if (controller.signal.aborted) throw controller.signal.reason;
			} catch {
				const timedOut = controller.signal.aborted;
				throw new SyncFailure(
					'transient',
					timedOut ? "Le serveur n'a pas répondu à temps." : 'Le serveur est injoignable.',
					undefined,
					timedOut
				);
			}
			if (response.ok) return body;
			const said = (body as { error?: unknown } | undefined)?.error;
			const message = typeof said === 'string' && said ? said : undefined;
			if (response.status === 401)
				throw new SyncFailure('signed-out', message ?? 'Non connecté.', 401);
			if (response.status >= 500 || response.status === 408 || response.status === 429)
				throw new SyncFailure(
					'transient',
					`Le serveur a rencontré un problème (erreur ${response.status}).`,
					response.status
				);
			throw new SyncFailure(
				'refused',
				message ?? `Le serveur a refusé la demande (erreur ${response.status}).`,
				response.status
			);
		} finally {
			clearTimeout(timer);
		}
	}
}

// ——— Words for the learner ———

const count = (n: number, one: string, many: string) =>
	`${n.toLocaleString('fr-FR')} ${n > 1 ? many : one}`;

function inAWhile(nextAttemptAt: number | null, now: number): string {
	if (nextAttemptAt === null) return '';
	const seconds = Math.ceil((nextAttemptAt - now) / 1000);
	if (seconds <= 0) return ' Nouvel essai dans un instant.';
	if (seconds < 60) return ` Nouvel essai dans ${seconds} s.`;
	return ` Nouvel essai dans ${Math.ceil(seconds / 60)} min.`;
}

/** What the interface says about the sync, in French, for each state. */
export function statusMessage(status: SyncStatus, now: number = Date.now()): string {
	const refused = status.rejected.length;
	const waiting = Math.max(0, status.pending - refused);
	const waitingText = count(
		waiting,
		"activité en attente d'envoi.",
		"activités en attente d'envoi."
	);
	const refusedText =
		refused > 0
			? ` ${count(refused, 'activité refusée', 'activités refusées')} par le serveur : voir le détail.`
			: '';
	switch (status.state) {
		case 'idle':
			return (waiting === 0 ? 'Tout est envoyé.' : waitingText) + refusedText;
		case 'syncing':
			return waiting > 0
				? `Envoi de ${count(waiting, 'activité', 'activités')}…`
				: 'Synchronisation en cours…';
		case 'offline':
			return 'Pas de connexion. Vos réponses sont enregistrées sur ce téléphone et seront envoyées plus tard.';
		case 'backing-off':
			return (
				(waiting > 0 ? `${waitingText} ` : '') +
				"Envoi impossible pour l'instant." +
				inAWhile(status.nextAttemptAt, now)
			);
		case 'error':
			return (
				`Envoi refusé : ${status.lastError ?? 'le serveur a refusé la demande.'}` +
				inAWhile(status.nextAttemptAt, now)
			);
		case 'signed-out':
			return 'Rejoignez votre promotion pour envoyer vos progrès à votre formateur.';
	}
}
