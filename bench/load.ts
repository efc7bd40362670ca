// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- autocannon ships no types
/// <reference path="./autocannon.d.ts" />
// npx tsx bench/load.ts (after npm run build) — 500 learners syncing at once against the built
// server on SQLite, driven by autocannon: throughput, p50/p95/p99 latency, errors, server memory.
//
// Each autocannon connection is a phone; each of its cycles is one sync run as the engine makes
// it: POST /api/sync/events with a batch of fresh events of one learner, then
// GET /api/sync/events?after=<that learner's cursor>. Learners are taken in turn from 500 accounts
// (users and sessions written to the database before the server starts; joining is not measured).
//
// Two measures:
//   paced      every phone sends one request a second, i.e. a whole sync run every 2 s
//              (autocannon paces at 1 request/s per connection at the least): far busier than a
//              real class, where a phone syncs after a burst of answers. Target: p99 ≤ 500 ms
//              with no error
//   saturated  every phone sends its next request as soon as the last one is answered: what one
//              machine can serve at most, and the latency it gives then
// With BENCH_LOAD_DATABASE_URL (or TEST_DATABASE_URL) set and reachable, the saturated measure
// also runs on PostgreSQL (one app server), in a schema made for the run and dropped after.
// Writes bench/results/parts/load.json for the bench report.
//
// Knobs: BENCH_LOAD_LEARNERS (500), BENCH_LOAD_BATCH events per push (20), BENCH_LOAD_SECONDS per
// measure (20), BENCH_LOAD_PORT (4340).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { createSession } from '../src/lib/server/auth/sessions';
import { createDb, type Db } from '../src/lib/server/db';
import { studySession } from '../src/lib/server/sync/fixtures';
import { ServerProcess, sleep } from '../torture/lib/server';

const num = (name: string, fallback: number) => {
	const value = Number(process.env[name]);
	return process.env[name] && Number.isFinite(value) ? value : fallback;
};
const LEARNERS = num('BENCH_LOAD_LEARNERS', 500);
const BATCH = num('BENCH_LOAD_BATCH', 20);
/** Seconds between two sync runs of a phone when paced (two requests, one a second). */
const EVERY_S = 2;
const SECONDS = num('BENCH_LOAD_SECONDS', 20);
const PORT = num('BENCH_LOAD_PORT', 4340);
const PG_URL = process.env.BENCH_LOAD_DATABASE_URL || process.env.TEST_DATABASE_URL;
const P99_TARGET_MS = 500;

const learnerId = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

/** Learners and their sessions, written with the server's own modules before it starts. */
async function seed(db: Db): Promise<string[]> {
	const now = new Date().toISOString();
	for (let i = 0; i < LEARNERS; i += 200)
		await db
			.insertInto('users')
			.values(
				Array.from({ length: Math.min(200, LEARNERS - i) }, (_, k) => ({
					id: learnerId(i + k),
					role: 'learner' as const,
					username: null,
					display_name: `Apprenant ${i + k}`,
					service_number: null,
					password_hash: null,
					pin_hash: null,
					created_at: now
				}))
			)
			.execute();
	const cookies: string[] = [];
	for (let i = 0; i < LEARNERS; i++)
		cookies.push(
			`kalan_session=${(await createSession(db, { id: learnerId(i), role: 'learner' })).token}`
		);
	return cookies;
}

interface Measure {
	name: string;
	database: string;
	seconds: number;
	syncs: number;
	requests: number;
	requestsPerSecond: number;
	eventsPerSecond: number;
	p50: number;
	p95: number;
	p99: number;
	max: number;
	/** Connection errors, timeouts and answers other than 200. */
	errors: number;
	statuses: Record<string, number>;
	rssStartMb: number;
	rssPeakMb: number;
	rssEndMb: number;
	/** Server CPU time per request, ms: what a busy machine inflates least. */
	cpuMsPerRequest: number;
	/** Load average (1 min) of the machine at the end: others' work slows every figure. */
	loadAverage: number;
	/** Events accepted by the server, from its answers, and rows counted in the database after. */
	accepted: number;
	stored: number;
}

const percentile = (sorted: number[], p: number) =>
	sorted.length === 0
		? NaN
		: sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function measure(
	name: string,
	server: ServerProcess,
	cookies: string[],
	count: (db: Db) => Promise<number>,
	db: () => Promise<Db>,
	paced: boolean
): Promise<Measure> {
	const cursors = new Map<number, string>();
	let turn = 0;
	let accepted = 0;
	const latencies: number[] = [];
	const statuses: Record<string, number> = {};
	const rss: number[] = [server.rss()];
	const sampler = setInterval(() => rss.push(server.rss()), 250);
	const before = await count(await db());
	const cpuBefore = server.cpuMs();

	const instance = autocannon({
		url: server.url,
		connections: LEARNERS,
		duration: SECONDS,
		timeout: 30,
		// a sync run is two requests: `rate` counts requests
		...(paced ? { connectionRate: 1 } : {}),
		requests: [
			{
				method: 'POST',
				path: '/api/sync/events',
				setupRequest: (req, context) => {
					const learner = turn++ % LEARNERS;
					context.learner = learner;
					return {
						...req,
						headers: { 'content-type': 'application/json', cookie: cookies[learner]! },
						body: JSON.stringify({ events: studySession(learnerId(learner), BATCH) })
					};
				},
				onResponse: (status, body) => {
					if (status === 200)
						accepted += (JSON.parse(body) as { accepted: string[] }).accepted.length;
				}
			},
			{
				method: 'GET',
				setupRequest: (req, context) => {
					const learner = context.learner as number;
					return {
						...req,
						path: `/api/sync/events?after=${cursors.get(learner) ?? ''}`,
						headers: { cookie: cookies[learner]! }
					};
				},
				onResponse: (status, body, context) => {
					if (status === 200)
						cursors.set(context.learner as number, (JSON.parse(body) as { cursor: string }).cursor);
				}
			}
		]
	});
	instance.on('response', (_client, status, _bytes, ms) => {
		latencies.push(ms);
		statuses[status] = (statuses[status] ?? 0) + 1;
	});
	const result = await instance;
	// requests still in flight when autocannon stops are served all the same: let them finish,
	// so that the server's CPU time is divided by the work it did
	let stored = (await count(await db())) - before;
	for (let i = 0; i < 40; i++) {
		await sleep(500);
		const now = (await count(await db())) - before;
		if (now === stored) break;
		stored = now;
	}
	clearInterval(sampler);
	rss.push(server.rss());
	const cpuMs = server.cpuMs() - cpuBefore;
	/** Pushes the server stored, and as many pulls: what its CPU time paid for. */
	const served = Math.max(latencies.length, (2 * stored) / BATCH);
	latencies.sort((a, b) => a - b);
	const non200 = Object.entries(statuses)
		.filter(([s]) => s !== '200')
		.reduce((n, [, c]) => n + c, 0);
	const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
	const seconds = result.duration;
	return {
		name,
		database: server.url.includes('pg') ? 'PostgreSQL' : '',
		seconds,
		syncs: statuses['200'] ? Math.floor(latencies.length / 2) : 0,
		requests: latencies.length,
		requestsPerSecond: latencies.length / seconds,
		eventsPerSecond: accepted / seconds,
		p50: percentile(latencies, 50),
		p95: percentile(latencies, 95),
		p99: percentile(latencies, 99),
		max: latencies.at(-1) ?? NaN,
		errors: result.errors + result.timeouts + non200,
		statuses,
		rssStartMb: mb(rss[0]!),
		rssPeakMb: mb(Math.max(...rss.filter(Number.isFinite))),
		rssEndMb: mb(rss.at(-1)!),
		cpuMsPerRequest: cpuMs / Math.max(1, served),
		loadAverage: loadavg()[0]!,
		accepted,
		stored
	};
}

function print(m: Measure): void {
	const ms = (n: number) => `${n.toFixed(0)} ms`;
	console.log(
		`${m.name.padEnd(22)} ${m.requestsPerSecond.toFixed(0).padStart(5)} req/s  ${m.eventsPerSecond.toFixed(0).padStart(6)} events/s  p50 ${ms(m.p50)}  p95 ${ms(m.p95)}  p99 ${ms(m.p99)}  max ${ms(m.max)}  errors ${m.errors}  server RSS ${m.rssStartMb} → peak ${m.rssPeakMb} MB  server CPU ${m.cpuMsPerRequest.toFixed(2)} ms/request  load average ${m.loadAverage.toFixed(1)}  (${m.requests} requests in ${m.seconds.toFixed(0)} s; ${m.accepted} events accepted, ${m.stored} stored)`
	);
}

async function onSqlite(dir: string): Promise<Measure[]> {
	const file = join(dir, 'kalan.db');
	const seedDb = await createDb({ sqlite: file });
	const cookies = await seed(seedDb);
	await seedDb.destroy();
	const server = new ServerProcess(PORT, { DATA_DIR: dir }, join(dir, 'server.log'));
	await server.start();
	let reader: Db | undefined;
	const db = async () => (reader ??= await createDb({ sqlite: file, migrate: false }));
	const count = async (d: Db) =>
		Number(
			(
				await d
					.selectFrom('events')
					.select((eb) => eb.fn.countAll<number>().as('n'))
					.executeTakeFirstOrThrow()
			).n
		);
	try {
		await sleep(500);
		const paced = await measure('SQLite, paced', server, cookies, count, db, true);
		print(paced);
		const saturated = await measure('SQLite, saturated', server, cookies, count, db, false);
		print(saturated);
		return [paced, saturated];
	} finally {
		await reader?.destroy();
		await server.stop();
		server.close();
	}
}

async function onPostgres(dir: string): Promise<Measure | undefined> {
	if (!PG_URL) return undefined;
	const admin = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
	try {
		await admin.connect();
	} catch {
		console.log('PostgreSQL: not reachable, skipped');
		return undefined;
	}
	const schema = `bench_load_${process.pid}`;
	await admin.query(`create schema ${schema}`);
	const url = new URL(PG_URL);
	url.searchParams.set('options', `-c search_path=${schema}`);
	const server = new ServerProcess(
		PORT + 1,
		{ DATABASE_URL: url.toString() },
		join(dir, 'server-pg.log')
	);
	let db: Db | undefined;
	try {
		// migrated here with the schema named, so that the migrator finds its tables in this schema
		// rather than in another schema of the same database
		db = await createDb({ postgres: url.toString(), schema });
		const cookies = await seed(db);
		await server.start();
		const count = async (d: Db) =>
			Number(
				(
					await d
						.selectFrom('events')
						.select((eb) => eb.fn.countAll<number>().as('n'))
						.executeTakeFirstOrThrow()
				).n
			);
		const m = await measure(
			'PostgreSQL, saturated',
			server,
			cookies,
			count,
			async () => db!,
			false
		);
		m.database = 'PostgreSQL';
		print(m);
		return m;
	} finally {
		await server.stop();
		server.close();
		await db?.destroy();
		await admin.query(`drop schema ${schema} cascade`);
		await admin.end();
	}
}

const dir = mkdtempSync(join(tmpdir(), 'kalan-bench-load-'));
try {
	console.log(
		`load bench: ${LEARNERS} learners syncing at once (autocannon, ${LEARNERS} connections), ${BATCH} events per push then a pull, ${SECONDS} s per measure; paced: a sync every ${EVERY_S} s per learner`
	);
	const [paced, saturated] = await onSqlite(dir);
	const postgres = await onPostgres(dir);
	const ok = paced!.p99 <= P99_TARGET_MS && paced!.errors === 0;
	console.log(
		`target (paced): p99 ≤ ${P99_TARGET_MS} ms and no error — ${ok ? 'met' : 'NOT met'}; every accepted event stored: ${[paced!, saturated!, postgres].every((m) => !m || m.stored >= m.accepted) ? 'yes' : 'NO'} (requests still in flight when a measure ends are stored but not counted as accepted)`
	);
	// One Node process serves on one thread (SQLite calls included): its CPU time per request
	// bounds it, whatever else the machine runs.
	const perRequest = saturated!.cpuMsPerRequest;
	const syncsPerSecond = 1000 / perRequest / 2;
	console.log(
		`measured here (load average ${saturated!.loadAverage.toFixed(1)}): ${saturated!.requestsPerSecond.toFixed(0)} req/s; by server CPU time (${perRequest.toFixed(2)} ms a request), one app process on a free core serves ~${syncsPerSecond.toFixed(0)} sync runs/s: ~${Math.round(syncsPerSecond * 60).toLocaleString('en-US')} learners syncing once a minute`
	);
	const row = (metric: string, value: number, unit: string, extra: object = {}) => ({
		metric,
		value: Math.round(value * 10) / 10,
		unit,
		...extra
	});
	const part = {
		name: 'load',
		title: `Load: ${LEARNERS} learners syncing at once (autocannon), built server`,
		rows: [
			row('SQLite paced: time between two sync runs of a phone', EVERY_S, 's'),
			row('SQLite paced: throughput', paced!.requestsPerSecond, 'req/s'),
			row('SQLite paced: p50', paced!.p50, 'ms'),
			row('SQLite paced: p95', paced!.p95, 'ms'),
			row('SQLite paced: p99', paced!.p99, 'ms', {
				target: `≤ ${P99_TARGET_MS}`,
				ok: paced!.p99 <= P99_TARGET_MS
			}),
			row('SQLite paced: errors', paced!.errors, 'count', { target: '0', ok: paced!.errors === 0 }),
			row('SQLite paced: server RSS peak', paced!.rssPeakMb, 'MB'),
			row('SQLite saturated: throughput', saturated!.requestsPerSecond, 'req/s'),
			row('SQLite saturated: events ingested', saturated!.eventsPerSecond, 'events/s'),
			row('SQLite saturated: p50', saturated!.p50, 'ms'),
			row('SQLite saturated: p95', saturated!.p95, 'ms'),
			row('SQLite saturated: p99', saturated!.p99, 'ms'),
			row('SQLite saturated: errors', saturated!.errors, 'count', {
				target: '0',
				ok: saturated!.errors === 0
			}),
			row('SQLite saturated: server RSS peak', saturated!.rssPeakMb, 'MB'),
			row('SQLite saturated: server CPU per request', saturated!.cpuMsPerRequest, 'ms'),
			row('SQLite: sync runs/s one app process can serve (by CPU)', syncsPerSecond, 'runs/s'),
			...(postgres
				? [
						row('PostgreSQL saturated: throughput', postgres.requestsPerSecond, 'req/s'),
						row('PostgreSQL saturated: p99', postgres.p99, 'ms'),
						row('PostgreSQL saturated: app server CPU per request', postgres.cpuMsPerRequest, 'ms'),
						row('PostgreSQL saturated: errors', postgres.errors, 'count', {
							target: '0',
							ok: postgres.errors === 0
						})
					]
				: [])
		],
		notes: [
			`${LEARNERS} autocannon connections, each a phone; a sync run = a push of ${BATCH} fresh events then a pull after the learner's cursor.`,
			`Paced: each phone runs a sync every ${EVERY_S} s. Saturated: each phone sends again as soon as it is answered.`,
			'Latencies are per request, measured by autocannon on the same shared 2-core machine as the server.',
			`Load average (1 min) at the end of the saturated measure: ${saturated!.loadAverage.toFixed(1)} (other agents' builds and tests share the machine).`
		]
	};
	mkdirSync('bench/results/parts', { recursive: true });
	writeFileSync('bench/results/parts/load.json', JSON.stringify(part, null, '\t') + '\n');
	process.exitCode = ok ? 0 : 1;
} finally {
	rmSync(dir, { recursive: true, force: true });
}
