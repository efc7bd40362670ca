import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { parseEvent, type LearningEvent } from '$lib/progress/events';
import { lessonStatus, type Progress } from '$lib/progress/reduce';
import { KalanDB } from './db';
import { appendAll } from './store';
import {
	backoffDelay,
	statusMessage,
	SYNC_LIMITS,
	SyncEngine,
	type SyncOptions,
	type SyncStatus
} from './sync';

const L = 'learner-1';
const COURSE = { courseId: 'rss', courseVersion: '1.0.0' } as const;
const T0 = Date.UTC(2025, 0, 31, 8, 0, 0);
const iso = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
const DAY = 24 * 60 * 60_000;

let db: KalanDB;
/** The engine's clock, moved by the tests. */
let clock: number;
beforeEach(() => {
	db = new KalanDB(`test-${crypto.randomUUID()}`);
	clock = T0 + 60 * 60_000;
});
afterEach(async () => {
	vi.useRealTimers();
	vi.unstubAllGlobals();
	vi.restoreAllMocks();
	await db.delete();
});

// ——— The server, in memory, following the contract of /api/sync/events ———

interface Call {
	method: string;
	/** Ids pushed (POST). */
	ids: string[];
	/** The `after` parameter (GET). */
	after: string | null;
	credentials: RequestCredentials | undefined;
	signal: AbortSignal | null | undefined;
}

type Failure = 'cut' | 'network' | 400 | 401 | 500 | 503;

const json = (status: number, body: unknown) =>
	new Response(JSON.stringify(body), {
		status,
		headers: { 'content-type': 'application/json' }
	});

function deferred() {
	let resolve!: () => void;
	const promise = new Promise<void>((r) => (resolve = r));
	return { promise, resolve };
}

class FakeServer {
	/** The learner the session cookie names; null: not joined a cohort (401). */
	learnerId: string | null = L;
	/** The log, in arrival order (its index + 1 is the cursor); an id is stored once. */
	readonly stored: LearningEvent[] = [];
	readonly calls: Call[] = [];
	/** Ids refused with a reason (besides the schema and ownership checks). */
	readonly refuse = new Map<string, string>();
	/** What happens to the next requests, one entry each, before anything else. */
	script: Failure[] = [];
	maxEvents = 500;
	maxBytes = 512 * 1024;
	pullPage = 500;
	/** While set, requests wait for it. */
	gate: Promise<void> | undefined;
	private arrivals: { count: number; resolve: () => void }[] = [];

	posts = () => this.calls.filter((c) => c.method === 'POST');
	gets = () => this.calls.filter((c) => c.method === 'GET');

	/** Resolves once `count` requests have arrived. */
	arrived(count: number): Promise<void> {
		if (this.calls.length >= count) return Promise.resolve();
		return new Promise((resolve) => this.arrivals.push({ count, resolve }));
	}

	/** An event written by the learner's other device. */
	fromOtherDevice(event: LearningEvent) {
		this.stored.push(event);
	}

	fetch: typeof fetch = async (input, init) => {
		const url = new URL(String(input), 'http://kalan.test');
		const method = init?.method ?? 'GET';
		const text = typeof init?.body === 'string' ? init.body : '';
		const pushed =
			method === 'POST' ? ((JSON.parse(text) as { events: LearningEvent[] }).events ?? []) : [];
		this.calls.push({
			method,
			ids: pushed.map((e) => e.id),
			after: url.searchParams.get('after'),
			credentials: init?.credentials,
			signal: init?.signal
		});
		for (const a of this.arrivals.filter((a) => this.calls.length >= a.count)) a.resolve();
		await this.gate;

		const failure = this.script.shift();
		if (failure === 'network') throw new TypeError('Failed to fetch');
		if (typeof failure === 'number')
			return json(failure, { error: failure === 400 ? 'Requête invalide : essai.' : 'Panne.' });
		if (url.pathname !== '/api/sync/events') return json(404, { error: 'Introuvable.' });
		if (this.learnerId === null)
			return json(401, { error: 'Rejoignez une promotion pour synchroniser.' });
		const learnerId = this.learnerId;

		if (method === 'GET') {
			const after = url.searchParams.get('after') ?? '';
			if (!/^\d*$/.test(after)) return json(400, { error: 'Curseur invalide.' });
			const from = Number(after || 0);
			const mine = this.stored
				.map((event, i) => ({ event, seq: i + 1 }))
				.filter((r) => r.seq > from && r.event.learnerId === learnerId);
			const limit = Number(url.searchParams.get('limit') ?? this.pullPage);
			const page = mine.slice(0, Math.max(1, Math.min(this.pullPage, limit || 1)));
			return json(200, {
				events: page.map((r) => r.event),
				cursor: String(page.at(-1)?.seq ?? from),
				more: mine.length > page.length
			});
		}

		if (pushed.length > this.maxEvents || new TextEncoder().encode(text).length > this.maxBytes)
			return json(413, { error: 'Envoi trop volumineux.' });
		const answer: {
			accepted: string[];
			duplicate: string[];
			rejected: { id: string; reason: string }[];
			cursor?: string;
		} = { accepted: [], duplicate: [], rejected: [] };
		const before = this.stored.length;
		for (const raw of pushed) {
			const event = parseEvent(raw);
			const reason = !event
				? 'Événement refusé — format invalide.'
				: event.learnerId !== learnerId
					? 'Événement refusé — un autre apprenant.'
					: this.refuse.get(event.id);
			if (reason) answer.rejected.push({ id: raw.id, reason });
			else if (this.stored.some((e) => e.id === raw.id)) answer.duplicate.push(raw.id);
			else {
				this.stored.push(event!);
				answer.accepted.push(raw.id);
			}
		}
		// The phone's cursor was the end of the log: the log now ends after its own events.
		const after = url.searchParams.get('after');
		if (after !== null && Number(after || 0) === before) answer.cursor = String(this.stored.length);
		// The connection drops after the server stored the batch, before the answer arrives.
		if (failure === 'cut') throw new TypeError('Failed to fetch');
		return json(200, answer);
	};
}

// ——— Factories and helpers ———

function event(
	minutes: number,
	lessonId = 'l1',
	extra: Partial<LearningEvent> = {}
): LearningEvent {
	return {
		verb: 'lesson.opened',
		...COURSE,
		lessonId,
		id: crypto.randomUUID(),
		learnerId: L,
		at: iso(minutes),
		...extra
	};
}

/** Events recorded on this phone, waiting to be sent. */
async function recorded(count: number, from = 0): Promise<LearningEvent[]> {
	const events = Array.from({ length: count }, (_, i) => event(from + i));
	await appendAll(events, db);
	return events;
}

/** Counts the runs that ended (syncing → any other state), and waits for the n-th. */
function tracker() {
	let syncing = false;
	let runs = 0;
	const waiters: { n: number; resolve: (s: SyncStatus) => void }[] = [];
	const onChange = (s: SyncStatus) => {
		if (s.state === 'syncing') syncing = true;
		else if (syncing) {
			syncing = false;
			runs++;
			for (const w of waiters.filter((w) => runs >= w.n)) w.resolve(s);
		}
	};
	return {
		onChange,
		get runs() {
			return runs;
		},
		/** The status the n-th run ended on, once that run has fully returned. */
		until: async (n: number) => {
			const status =
				runs >= n
					? undefined
					: await new Promise<SyncStatus>((r) => waiters.push({ n, resolve: r }));
			await new Promise((r) => setImmediate(r));
			return status;
		}
	};
}

function engine(server: FakeServer, options: Partial<SyncOptions> = {}) {
	return new SyncEngine({
		db,
		learnerId: L,
		fetch: server.fetch,
		now: () => clock,
		random: () => 0.5,
		...options
	});
}

const rowsOf = (learnerId = L) => db.events.where('learnerId').equals(learnerId).toArray();
const syncedIds = async () => (await rowsOf()).filter((r) => r.syncedAt !== 0).map((r) => r.id);

// ——— Push ———

describe('pushing the waiting events', () => {
	test('sends them oldest first in batches; accepted and duplicate are marked, rejected stay with their reason', async () => {
		const server = new FakeServer();
		const events = Array.from({ length: 7 }, (_, i) => event(10 - i)); // newest first
		await appendAll(events, db);
		const other = { ...event(0), learnerId: 'learner-2' };
		await appendAll([other], db);
		const [refused, known] = [events[2]!, events[4]!];
		server.fromOtherDevice(known);
		server.refuse.set(refused.id, 'Événement refusé — cours inconnu.');

		const status = await engine(server, { batchSize: 3 }).syncNow();

		const sent = server.posts().map((c) => c.ids);
		expect(sent.map((ids) => ids.length)).toEqual([3, 3, 1]);
		const byTime = [...events].sort((a, b) => a.at.localeCompare(b.at)).map((e) => e.id);
		expect(sent.flat()).toEqual(byTime);
		expect(server.calls.every((c) => c.credentials === 'same-origin')).toBe(true);

		const rows = await rowsOf();
		for (const row of rows) expect(row.syncedAt).toBe(row.id === refused.id ? 0 : clock);
		expect((await db.events.get(other.id))?.syncedAt).toBe(0);
		expect(server.stored.map((e) => e.id).sort()).toEqual(
			events
				.filter((e) => e !== refused)
				.map((e) => e.id)
				.sort()
		);
		expect(status).toMatchObject({ state: 'idle', pending: 1, lastError: null });
		expect(status.rejected).toEqual([
			{ id: refused.id, reason: 'Événement refusé — cours inconnu.', at: iso(60) }
		]);
		expect(statusMessage(status)).toBe(
			'Tout est envoyé. 1 activité refusée par le serveur : voir le détail.'
		);
		// The learner keeps seeing them: the list is stored.
		expect((await engine(server).refresh()).rejected).toEqual(status.rejected);
	});

	test('a rejected event is not sent again on every run, but once a day', async () => {
		const server = new FakeServer();
		const [refused, ...rest] = await recorded(3);
		server.refuse.set(refused!.id, 'Refusé.');
		const sync = engine(server);
		await sync.syncNow();
		expect(server.posts().flatMap((c) => c.ids)).toContain(refused!.id);

		const fresh = await recorded(1, 10);
		clock += DAY - 1;
		await sync.syncNow();
		expect(server.posts().at(-1)?.ids).toEqual(fresh.map((e) => e.id));

		clock += 1;
		server.refuse.delete(refused!.id); // the server's rules changed
		const status = await sync.syncNow();
		expect(server.posts().at(-1)?.ids).toEqual([refused!.id]);
		expect(status).toMatchObject({ state: 'idle', pending: 0, rejected: [] });
		expect((await syncedIds()).sort()).toEqual(
			[refused!, ...rest, ...fresh].map((e) => e.id).sort()
		);
	});

	test('a batch too large for the server is split; a single event too large is kept, refused here', async () => {
		const server = new FakeServer();
		server.maxBytes = 1500;
		const events = [
			event(0),
			event(1),
			event(2, 'l1', {
				verb: 'quiz.answered',
				lessonId: undefined,
				quizId: 'q1',
				questionId: 'q1-1',
				result: { response: 'x'.repeat(2000) }
			}),
			event(3),
			event(4)
		];
		await appendAll(events, db);

		const status = await engine(server, { batchSize: 10 }).syncNow();

		expect(server.posts().map((c) => c.ids.length)).toEqual([5, 2, 2, 1, 1, 1]);
		const big = events[2]!.id;
		expect(status.rejected).toEqual([{ id: big, reason: 'Envoi trop volumineux.', at: iso(60) }]);
		expect(status).toMatchObject({ state: 'idle', pending: 1 });
		expect((await syncedIds()).sort()).toEqual(
			events
				.filter((e) => e.id !== big)
				.map((e) => e.id)
				.sort()
		);
	});
});

// ——— Interrupted and concurrent runs ———

describe('never twice', () => {
	test('a request cut after the server stored the batch is retried, and nothing is counted twice', async () => {
		const server = new FakeServer();
		const events = await recorded(4);
		server.script = ['cut'];
		const sync = engine(server);

		const first = await sync.syncNow();
		expect(first.state).toBe('backing-off');
		expect(first.pending).toBe(4);
		expect(await syncedIds()).toEqual([]);

		const second = await sync.syncNow();
		expect(second).toMatchObject({ state: 'idle', pending: 0, rejected: [] });
		expect(server.posts().map((c) => c.ids)).toEqual([
			events.map((e) => e.id),
			events.map((e) => e.id)
		]);
		const ids = server.stored.map((e) => e.id);
		expect(new Set(ids).size).toBe(ids.length);
		expect(ids.sort()).toEqual(events.map((e) => e.id).sort());
		expect((await syncedIds()).length).toBe(4);
	});

	test('concurrent syncNow() calls share one run: each batch is sent once', async () => {
		const server = new FakeServer();
		const events = await recorded(5);
		const gate = deferred();
		server.gate = gate.promise;
		const sync = engine(server, { batchSize: 2 });

		const a = sync.syncNow();
		const b = sync.syncNow();
		await server.arrived(1);
		const c = sync.syncNow();
		expect(b).toBe(a);
		expect(c).toBe(a);
		gate.resolve();
		const [sa, sb, sc] = await Promise.all([a, b, c]);

		expect(sa).toEqual(sb);
		expect(sc).toMatchObject({ state: 'idle', pending: 0 });
		const sent = server.posts().flatMap((p) => p.ids);
		expect(sent.sort()).toEqual(events.map((e) => e.id).sort());
		expect(server.posts()).toHaveLength(3);
		// A later call is a new run, with nothing left to push.
		await sync.syncNow();
		expect(server.posts()).toHaveLength(3);
	});
});

// ——— Failures ———

describe('when it fails', () => {
	test('the backoff grows, is jittered within [0, cap], and starts again after a success', async () => {
		const server = new FakeServer();
		await recorded(1);
		const draws = [0.999, 0, 0.5, 0.999, 0.25, 0.999, 0.999, 0.999, 0.999, 0.999, 0.999, 0.999];
		let draw = 0;
		const sync = engine(server, { random: () => draws[draw++]! });
		server.script = Array<Failure>(12).fill(503);

		const delays: number[] = [];
		for (let k = 1; k <= 12; k++) {
			const status = await sync.syncNow();
			expect(status.state).toBe('backing-off');
			expect(status.lastError).toBe('Le serveur a rencontré un problème (erreur 503).');
			const delay = status.nextAttemptAt! - clock;
			const ceiling = Math.min(SYNC_LIMITS.backoffCapMs, 2000 * 2 ** (k - 1));
			expect(delay).toBe(Math.floor(draws[k - 1]! * ceiling));
			expect(delay).toBeGreaterThanOrEqual(0);
			expect(delay).toBeLessThanOrEqual(SYNC_LIMITS.backoffCapMs);
			delays.push(delay);
		}
		expect(delays.slice(0, 4)).toEqual([1998, 0, 4000, 15984]);
		expect(delays.slice(-3)).toEqual([299700, 299700, 299700]);

		const ok = await sync.syncNow();
		expect(ok).toMatchObject({ state: 'idle', nextAttemptAt: null, lastError: null, pending: 0 });

		await recorded(1, 5);
		server.script = [503];
		draws[draw] = 0.999;
		const again = await sync.syncNow();
		expect(again.nextAttemptAt! - clock).toBe(1998);
	});

	test('any attempt and draw give a delay within [0, min(cap, base·2^(attempt-1))]', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 1, max: 10_000 }),
				fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
				(attempt, r) => {
					const delay = backoffDelay(attempt, () => r);
					const ceiling = Math.min(SYNC_LIMITS.backoffCapMs, 2000 * 2 ** Math.min(attempt - 1, 30));
					return delay >= 0 && delay <= ceiling && Number.isInteger(delay);
				}
			)
		);
		expect(backoffDelay(1, () => 0.999)).toBe(1998);
	});

	test('a 5xx, then a success: everything is sent and the success time is kept', async () => {
		const server = new FakeServer();
		await recorded(3);
		server.script = [500];
		const sync = engine(server);

		const failed = await sync.syncNow();
		expect(failed).toMatchObject({ state: 'backing-off', pending: 3, lastSuccessAt: null });
		expect(failed.nextAttemptAt).toBe(clock + 1000);
		expect(statusMessage(failed, clock)).toBe(
			"3 activités en attente d'envoi. Envoi impossible pour l'instant. Nouvel essai dans 1 s."
		);

		clock += 30_000;
		const ok = await sync.syncNow();
		expect(ok).toMatchObject({ state: 'idle', pending: 0, lastSuccessAt: iso(60.5) });
		expect((await syncedIds()).length).toBe(3);
		expect((await engine(server).refresh()).lastSuccessAt).toBe(iso(60.5));
	});

	test('a timeout abandons the request and backs off', async () => {
		vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
		await recorded(1);
		let signal: AbortSignal | undefined;
		const asked = deferred();
		const hanging: typeof fetch = (_url, init) =>
			new Promise((_resolve, reject) => {
				signal = init?.signal ?? undefined;
				signal?.addEventListener('abort', () => reject(new DOMException('Aborted', 'AbortError')));
				asked.resolve();
			});
		const sync = engine(new FakeServer(), { fetch: hanging });

		const run = sync.syncNow();
		await asked.promise;
		await vi.advanceTimersByTimeAsync(SYNC_LIMITS.timeoutMs - 1);
		expect(signal!.aborted).toBe(false);
		await vi.advanceTimersByTimeAsync(1);
		const status = await run;

		expect(signal!.aborted).toBe(true);
		expect(status).toMatchObject({
			state: 'backing-off',
			pending: 1,
			lastError: "Le serveur n'a pas répondu à temps."
		});
	});

	test('401: signed out, nothing marked, no error shown; once joined, it sends', async () => {
		const server = new FakeServer();
		server.learnerId = null;
		await recorded(2);
		const sync = engine(server);

		const status = await sync.syncNow();
		expect(status).toMatchObject({
			state: 'signed-out',
			pending: 2,
			lastError: null,
			nextAttemptAt: null
		});
		expect(await syncedIds()).toEqual([]);
		expect(server.stored).toEqual([]);
		expect(statusMessage(status)).toBe(
			'Rejoignez votre promotion pour envoyer vos progrès à votre formateur.'
		);

		server.learnerId = L;
		expect(await sync.syncNow()).toMatchObject({ state: 'idle', pending: 0 });
	});

	test('offline: no request, the offline state; a failure while the browser goes offline too', async () => {
		const net = { onLine: false };
		vi.stubGlobal('navigator', net);
		const server = new FakeServer();
		await recorded(2);

		const status = await engine(server).syncNow();
		expect(status).toMatchObject({ state: 'offline', pending: 2, nextAttemptAt: null });
		expect(server.calls).toEqual([]);
		expect(statusMessage(status)).toBe(
			'Pas de connexion. Vos réponses sont enregistrées sur ce téléphone et seront envoyées plus tard.'
		);

		net.onLine = true;
		const dropping: typeof fetch = async () => {
			net.onLine = false;
			throw new TypeError('Failed to fetch');
		};
		expect((await engine(server, { fetch: dropping }).syncNow()).state).toBe('offline');

		net.onLine = true;
		expect(await engine(server).syncNow()).toMatchObject({ state: 'idle', pending: 0 });
	});

	test("another 4xx: the error state with the server's message, and a backoff", async () => {
		const server = new FakeServer();
		await recorded(2);
		server.script = [400];

		const status = await engine(server).syncNow();
		expect(status).toMatchObject({
			state: 'error',
			pending: 2,
			lastError: 'Requête invalide : essai.',
			nextAttemptAt: clock + 1000
		});
		expect(await syncedIds()).toEqual([]);
		expect(statusMessage(status, clock)).toBe(
			'Envoi refusé : Requête invalide : essai. Nouvel essai dans 1 s.'
		);
	});
});

// ——— Pull ———

describe('pulling the other devices’ events', () => {
	test('inserts them as synced, folds them into progress, and saves the cursor for next time', async () => {
		const server = new FakeServer();
		server.pullPage = 2;
		const elsewhere = [
			event(1, 'l2'),
			event(2, 'l2', { verb: 'lesson.completed' }),
			event(3, 'l3'),
			{ ...event(4, 'l9'), learnerId: 'someone-else' }
		];
		elsewhere.forEach((e) => server.fromOtherDevice(e));
		const [mine] = await recorded(1, 5);
		const sync = engine(server);

		const status = await sync.syncNow();

		expect(status).toMatchObject({ state: 'idle', pending: 0 });
		expect(server.gets().map((c) => c.after)).toEqual(['', '2']);
		const rows = await rowsOf();
		expect(rows.map((r) => r.id).sort()).toEqual(
			[...elsewhere.slice(0, 3), mine!].map((e) => e.id).sort()
		);
		expect(rows.every((r) => r.syncedAt === clock)).toBe(true);
		const progress = (await db.progress.get(L))?.progress as Progress;
		expect(lessonStatus(progress, COURSE.courseId, 'l2')).toBe('completed');
		expect(lessonStatus(progress, COURSE.courseId, 'l3')).toBe('in-progress');
		expect((await db.progress.get(L))?.eventCount).toBe(4);
		expect((await db.settings.get(`syncCursor:${L}`))?.value).toBe('5');

		const later = event(9, 'l4', { verb: 'lesson.completed' });
		server.fromOtherDevice(later);
		clock += 1000;
		await engine(server).syncNow();
		expect(server.gets().at(-1)?.after).toBe('5');
		expect((await db.events.get(later.id))?.syncedAt).toBe(clock);
		const after = (await db.progress.get(L))?.progress as Progress;
		expect(lessonStatus(after, COURSE.courseId, 'l4')).toBe('completed');
	});

	test('a phone alone does not download again the events it has just sent', async () => {
		const server = new FakeServer();
		await recorded(5);
		const sync = engine(server, { batchSize: 2 });
		expect(await sync.syncNow()).toMatchObject({ state: 'idle', pending: 0 });
		// each push carries the cursor, and each answer moves it past the batch
		expect(server.posts().map((c) => c.after)).toEqual(['', '2', '4']);
		expect(server.gets().map((c) => c.after)).toEqual(['5']);
		expect((await db.settings.get(`syncCursor:${L}`))?.value).toBe('5');
	});

	test('when another phone sent events meanwhile, the cursor stays and the pull brings them', async () => {
		const server = new FakeServer();
		const other = event(1, 'l7', { verb: 'lesson.completed' });
		server.fromOtherDevice(other);
		const [mine] = await recorded(1, 2);
		await engine(server).syncNow();
		expect(server.posts().map((c) => c.after)).toEqual(['']);
		expect(server.gets().map((c) => c.after)).toEqual(['']);
		expect((await db.events.get(other.id))?.syncedAt).toBe(clock);
		expect((await db.events.get(mine!.id))?.syncedAt).toBe(clock);
		expect((await db.settings.get(`syncCursor:${L}`))?.value).toBe('2');
	});

	test('a waiting event the server already holds is marked synced by the pull', async () => {
		const server = new FakeServer();
		const [held] = await recorded(1);
		server.fromOtherDevice(held!);
		server.refuse.set(held!.id, 'Refusé.'); // so that only the pull can mark it
		const status = await engine(server).syncNow();
		expect(status).toMatchObject({ state: 'idle', pending: 0, rejected: [] });
		expect((await db.events.get(held!.id))?.syncedAt).toBe(clock);
	});

	test('a cursor the server refuses is dropped, and the next run reads from the start', async () => {
		const server = new FakeServer();
		server.fromOtherDevice(event(1));
		await db.settings.put({ key: `syncCursor:${L}`, value: 'x' });
		const sync = engine(server);

		expect(await sync.syncNow()).toMatchObject({ state: 'error', lastError: 'Curseur invalide.' });
		expect(await db.settings.get(`syncCursor:${L}`)).toBeUndefined();

		expect(await sync.syncNow()).toMatchObject({ state: 'idle' });
		expect(server.gets().map((c) => c.after)).toEqual(['x', '']);
		expect(await rowsOf()).toHaveLength(1);
	});
});

// ——— A slow link ———

describe('a link too slow to carry a large request before the timeout', () => {
	/**
	 * A link that carries at most `max` events in a request or an answer before the engine's
	 * timeout: a larger exchange hangs until the engine gives up on it (as the torture's
	 * phones found behind a slow proxy: the same large page timed out on every run, forever).
	 */
	function slowLink(server: FakeServer, max: number): typeof fetch {
		const hang = (signal: AbortSignal | null | undefined) =>
			new Promise<Response>((_resolve, reject) =>
				signal?.addEventListener('abort', () => reject(new DOMException('Aborted', 'AbortError')))
			);
		return async (input, init) => {
			const text = typeof init?.body === 'string' ? init.body : '';
			if (text && (JSON.parse(text) as { events: unknown[] }).events.length > max)
				return hang(init?.signal);
			const answer = await server.fetch(input, init);
			const body = (await answer.clone().json()) as { events?: unknown[] };
			return (body.events?.length ?? 0) > max ? hang(init?.signal) : answer;
		};
	}

	test('pushes in smaller batches after a timeout, until everything is sent', async () => {
		const server = new FakeServer();
		const mine = await recorded(40);
		const sync = engine(server, { fetch: slowLink(server, 8), timeoutMs: 20 });
		const states: string[] = [];
		// (the pull that follows carries the 40 events back: it has to shrink too)
		for (let run = 0; run < 40 && states.at(-1) !== 'idle'; run++) {
			clock += 60_000;
			states.push((await sync.syncNow()).state);
		}
		expect(states.at(-1)).toBe('idle');
		expect(states.slice(0, -1).every((s) => s === 'backing-off')).toBe(true);
		expect(new Set(server.stored.map((e) => e.id))).toEqual(new Set(mine.map((e) => e.id)));
		expect(await syncedIds()).toHaveLength(40);
	});

	test('a run that sent something before the link failed does not lengthen the backoff', async () => {
		const server = new FakeServer();
		await recorded(2);
		server.script = [503, 503, 503];
		const failing = engine(server);
		for (let i = 0; i < 3; i++) await failing.syncNow();
		expect(failing.status.nextAttemptAt! - clock).toBe(4000); // 3rd failure in a row: ceiling 8 s

		// the push goes through, the pull is cut: the batch is stored, the next try comes soon
		const pullCut: typeof fetch = (input, init) =>
			init?.method === 'GET'
				? Promise.reject(new TypeError('Failed to fetch'))
				: server.fetch(input, init);
		const sync = engine(server, { fetch: pullCut });
		for (let i = 0; i < 3; i++) await sync.syncNow();
		await recorded(1, 10);
		const status = await sync.syncNow();
		expect(status).toMatchObject({ state: 'backing-off', pending: 0 });
		expect(status.nextAttemptAt! - clock).toBe(1000); // not 8000: this run moved something
	});

	test('pulls in smaller pages after a timeout, until every event of the other phone is here', async () => {
		const server = new FakeServer();
		const elsewhere = Array.from({ length: 40 }, (_, i) => event(i, `l${i}`));
		elsewhere.forEach((e) => server.fromOtherDevice(e));
		const sync = engine(server, { fetch: slowLink(server, 8), timeoutMs: 20 });
		const states: string[] = [];
		for (let run = 0; run < 40 && states.at(-1) !== 'idle'; run++) {
			clock += 60_000;
			states.push((await sync.syncNow()).state);
		}
		expect((await rowsOf()).map((r) => r.id).sort()).toEqual(elsewhere.map((e) => e.id).sort());
		expect(states.at(-1)).toBe('idle');
		expect((await db.progress.get(L))?.eventCount).toBe(40);
	});
});

// ——— Nothing is ever lost ———

test('no run, whatever its outcome, deletes an event', async () => {
	const server = new FakeServer();
	const mine = await recorded(6);
	const theirs = { ...event(0), learnerId: 'learner-2' };
	await appendAll([theirs], db);
	server.refuse.set(mine[1]!.id, 'Refusé.');
	server.fromOtherDevice(event(20, 'l5'));
	server.fromOtherDevice(event(21, 'l5'));
	const sync = engine(server, { batchSize: 2 });
	const ids = [...mine, theirs].map((e) => e.id);

	let count = await db.events.count();
	const outcomes: string[] = [];
	for (const failure of ['cut', 503, 400, 401, 'network', undefined] as const) {
		server.script = failure ? [failure] : [];
		outcomes.push((await sync.syncNow()).state);
		const now = await db.events.count();
		expect(now).toBeGreaterThanOrEqual(count);
		count = now;
		expect((await db.events.bulkGet(ids)).every((row) => row !== undefined)).toBe(true);
	}
	expect(outcomes).toEqual([
		'backing-off',
		'backing-off',
		'error',
		'signed-out',
		'backing-off',
		'idle'
	]);
	expect(count).toBe(9);
	expect((await db.events.get(mine[1]!.id))?.syncedAt).toBe(0);
});

// ——— Running by itself ———

describe('start() and stop()', () => {
	beforeEach(() => {
		vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
		vi.stubGlobal('window', new EventTarget());
	});
	/** Moves the engine's clock and the timers together. */
	async function advance(ms: number) {
		clock += ms;
		await vi.advanceTimersByTimeAsync(ms);
	}

	test('syncs at once, then once per burst of notify() after 2 s', async () => {
		const server = new FakeServer();
		await recorded(1);
		const runs = tracker();
		const sync = engine(server, { onChange: runs.onChange });
		const calls = vi.spyOn(sync, 'syncNow');

		sync.start();
		expect(calls).toHaveBeenCalledTimes(1);
		await runs.until(1);
		expect(server.stored).toHaveLength(1);

		const fresh = await recorded(2, 10);
		sync.notify();
		await advance(1000);
		sync.notify();
		await advance(1999);
		expect(calls).toHaveBeenCalledTimes(1);
		await advance(1);
		expect(calls).toHaveBeenCalledTimes(2);
		await runs.until(2);
		expect(server.posts().at(-1)?.ids).toEqual(fresh.map((e) => e.id));
		sync.stop();
	});

	test('syncs on `online` and every 5 minutes; after stop(), on nothing', async () => {
		const server = new FakeServer();
		const runs = tracker();
		const sync = engine(server, { onChange: runs.onChange });
		const calls = vi.spyOn(sync, 'syncNow');
		const added = vi.spyOn(window, 'addEventListener');
		const removed = vi.spyOn(window, 'removeEventListener');
		sync.start();
		await runs.until(1);

		window.dispatchEvent(new Event('online'));
		expect(calls).toHaveBeenCalledTimes(2);
		await runs.until(2);

		await advance(SYNC_LIMITS.intervalMs - 1);
		expect(calls).toHaveBeenCalledTimes(2);
		await advance(1);
		expect(calls).toHaveBeenCalledTimes(3);
		await runs.until(3);

		window.dispatchEvent(new Event('offline'));
		expect(sync.status.state).toBe('offline');

		sync.stop();
		window.dispatchEvent(new Event('online'));
		sync.notify();
		await advance(SYNC_LIMITS.intervalMs);
		expect(calls).toHaveBeenCalledTimes(3);
		expect(vi.getTimerCount()).toBe(0);
		expect(added.mock.calls.map((c) => c[0]).sort()).toEqual(['offline', 'online']);
		expect(removed.mock.calls).toEqual(added.mock.calls);
	});

	test('signed out: notify() waits for the learner to join, the 5-minute timer still asks', async () => {
		const server = new FakeServer();
		server.learnerId = null;
		await recorded(1);
		const runs = tracker();
		const sync = engine(server, { onChange: runs.onChange });
		const calls = vi.spyOn(sync, 'syncNow');
		sync.start();
		expect(await runs.until(1)).toMatchObject({ state: 'signed-out' });

		sync.notify();
		await advance(SYNC_LIMITS.notifyDebounceMs);
		expect(calls).toHaveBeenCalledTimes(1);

		server.learnerId = L; // joined on another tab
		await advance(SYNC_LIMITS.intervalMs - SYNC_LIMITS.notifyDebounceMs);
		expect(calls).toHaveBeenCalledTimes(2);
		expect(await runs.until(2)).toMatchObject({ state: 'idle', pending: 0 });
		sync.stop();
	});

	test('after a failure, retries when the backoff ends; notify() and the timer wait for it', async () => {
		const server = new FakeServer();
		await recorded(1);
		const runs = tracker();
		const sync = engine(server, { onChange: runs.onChange, random: () => 0.999 });
		server.script = [503, 503, 503];
		await sync.syncNow();
		await sync.syncNow();
		const calls = vi.spyOn(sync, 'syncNow');

		sync.start();
		const failed = await runs.until(3);
		expect(failed).toMatchObject({ state: 'backing-off', nextAttemptAt: clock + 7992 });

		sync.notify();
		await advance(7991);
		expect(calls).toHaveBeenCalledTimes(1);
		await advance(1);
		expect(calls).toHaveBeenCalledTimes(2);
		expect(await runs.until(4)).toMatchObject({ state: 'idle', pending: 0 });
		sync.stop();
	});

	test('events announced during a run are sent by a second run right after', async () => {
		const server = new FakeServer();
		const [first] = await recorded(1);
		const gate = deferred();
		server.gate = gate.promise;
		const runs = tracker();
		const sync = engine(server, { onChange: runs.onChange });

		sync.start();
		await server.arrived(1);
		const [late] = await recorded(1, 10);
		sync.notify();
		await advance(2000);
		expect(runs.runs).toBe(0);
		gate.resolve();

		await runs.until(2);
		expect(server.posts().map((c) => c.ids)).toEqual([[first!.id], [late!.id]]);
		sync.stop();
	});
});

// ——— Words ———

test('each state has its French message', () => {
	const base: SyncStatus = {
		state: 'idle',
		pending: 0,
		lastSuccessAt: null,
		lastError: null,
		rejected: [],
		nextAttemptAt: null
	};
	const now = T0;
	expect(statusMessage(base, now)).toBe('Tout est envoyé.');
	expect(statusMessage({ ...base, pending: 12 }, now)).toBe("12 activités en attente d'envoi.");
	expect(statusMessage({ ...base, pending: 1 }, now)).toBe("1 activité en attente d'envoi.");
	expect(statusMessage({ ...base, state: 'syncing', pending: 3 }, now)).toBe(
		'Envoi de 3 activités…'
	);
	expect(statusMessage({ ...base, state: 'syncing' }, now)).toBe('Synchronisation en cours…');
	expect(statusMessage({ ...base, state: 'offline', pending: 4 }, now)).toBe(
		'Pas de connexion. Vos réponses sont enregistrées sur ce téléphone et seront envoyées plus tard.'
	);
	expect(statusMessage({ ...base, state: 'backing-off', nextAttemptAt: now + 30_000 }, now)).toBe(
		"Envoi impossible pour l'instant. Nouvel essai dans 30 s."
	);
	expect(statusMessage({ ...base, state: 'backing-off', nextAttemptAt: now + 150_000 }, now)).toBe(
		"Envoi impossible pour l'instant. Nouvel essai dans 3 min."
	);
	expect(
		statusMessage(
			{ ...base, state: 'error', lastError: 'Requête invalide.', nextAttemptAt: now },
			now
		)
	).toBe('Envoi refusé : Requête invalide. Nouvel essai dans un instant.');
	expect(statusMessage({ ...base, state: 'signed-out', pending: 5 }, now)).toBe(
		'Rejoignez votre promotion pour envoyer vos progrès à votre formateur.'
	);
	expect(
		statusMessage(
			{
				...base,
				pending: 3,
				rejected: [
					{ id: 'a', reason: 'x', at: iso(0) },
					{ id: 'b', reason: 'y', at: iso(0) }
				]
			},
			now
		)
	).toBe("1 activité en attente d'envoi. 2 activités refusées par le serveur : voir le détail.");
});
