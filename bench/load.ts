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
// Three measures:
//   paced      every learner runs a sync every 5 s — the heaviest pace the real engine makes
//              (src/lib/client/sync.ts: a run 2 s after new events, a learner answering a question
//              every few seconds at most, else every 5 minutes; see docs/reliability.md « Load »),
//              here with 20 events a push. Target: p99 ≤ 500 ms with no error
//   harsh      every learner runs a sync every 2 s (500 phones, 500 requests a second offered)
//   saturated  every phone sends its next request as soon as the last one is answered: what one
//              machine can serve at most, and the latency it gives then
// autocannon paces a connection at whole requests per second, each connection's second starting
// when the connection is made: a paced connection is a phone running a sync every 2 s, and the
// paced measure uses 2/5 as many connections as learners, each taking learners in turn. The
// connections are opened in 20 groups 50 ms apart, so that phones are not all in step (with one
// group, every connection sends at the same instant of each second: a burst no class makes).
// With BENCH_LOAD_DATABASE_URL (or TEST_DATABASE_URL) set and reachable, the saturated measure
// also runs on PostgreSQL (one app server), in a schema made for the run and dropped after.
// Writes bench/results/parts/load.json for the bench report.
//
// Knobs: BENCH_LOAD_LEARNERS (500), BENCH_LOAD_BATCH events per push (20), BENCH_LOAD_SECONDS per
// measure (20), BENCH_LOAD_WARMUP (5 s at the paced rate first, not counted), BENCH_LOAD_PORT
// (4340), BENCH_LOAD_EVERY seconds between two runs of a learner
// when paced (5), BENCH_LOAD_CPU_PROF (a folder for the SQLite server's CPU profile).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { createSession } from '../src/lib/server/auth/sessions';
import { createDb, type Db } from '../src/lib/server/db';
import { studySession } from '../src/lib/server/sync/fixtures';
import { ServerProcess, sleep } from '../torture/lib/server';
import { addLearners, learnerId } from './lib/learners';

const num = (name: string, fallback: number) => {
	const value = Number(process.env[name]);
	return process.env[name] && Number.isFinite(value) ? value : fallback;
};
const LEARNERS = num('BENCH_LOAD_LEARNERS', 500);
const BATCH = num('BENCH_LOAD_BATCH', 20);
/** Seconds between two sync runs of a learner, paced (the target) and harsh. */
const EVERY_S = num('BENCH_LOAD_EVERY', 5);
const HARSH_EVERY_S = 2;
/** A paced connection sends one request a second: a sync run (push + pull) every 2 s. */
const CONNECTION_EVERY_S = 2;
/** Paced connections are opened in this many groups, spread over a second. */
const PHASES = 20;
const SECONDS = num('BENCH_LOAD_SECONDS', 20);
/** An untimed run at the paced rate first: a server that has served before (JIT, first rows). */
const WARMUP_SECONDS = num('BENCH_LOAD_WARMUP', 5);
const PORT = num('BENCH_LOAD_PORT', 4340);
const PG_URL = process.env.BENCH_LOAD_DATABASE_URL || process.env.TEST_DATABASE_URL;
const P99_TARGET_MS = 500;

/** Learners and their sessions, written with the server's own modules before it starts. */
async function seed(db: Db): Promise<string[]> {
	await addLearners(db, LEARNERS);
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

/** How a measure drives the server: paced runs every `everyS` seconds a learner, or saturated. */
type Pace = { everyS: number; inStep?: boolean } | 'saturated';

async function measure(
	name: string,
	server: ServerProcess,
	cookies: string[],
	count: (db: Db) => Promise<number>,
	db: () => Promise<Db>,
	pace: Pace,
	duration = SECONDS
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

	const launch = (connections: number) => {
		const instance = autocannon({
			url: server.url,
			connections,
			duration,
			timeout: 30,
			// a sync run is two requests: `rate` counts requests
			...(pace === 'saturated' ? {} : { connectionRate: 1 }),
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
							cursors.set(
								context.learner as number,
								(JSON.parse(body) as { cursor: string }).cursor
							);
					}
				}
			]
		});
		instance.on('response', (_client, status, _bytes, ms) => {
			latencies.push(ms);
			statuses[status] = (statuses[status] ?? 0) + 1;
		});
		return instance;
	};
	const connections =
		pace === 'saturated'
			? LEARNERS
			: Math.max(1, Math.round((LEARNERS * CONNECTION_EVERY_S) / pace.everyS));
	const groups = pace === 'saturated' || pace.inStep ? 1 : Math.min(PHASES, connections);
	const started = Date.now();
	const runs: ReturnType<typeof autocannon>[] = [];
	for (let g = 0; g < groups; g++) {
		if (g > 0) await sleep(1000 / groups);
		const share = Math.floor(connections / groups) + (g < connections % groups ? 1 : 0);
		runs.push(launch(share));
	}
	const results = await Promise.all(runs);
	const result = {
		duration: (Date.now() - started) / 1000,
		errors: results.reduce((n, r) => n + r.errors, 0),
		timeouts: results.reduce((n, r) => n + r.timeouts, 0)
	};
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

async function onSqlite(dir: string): Promise<[Measure, Measure, Measure, Measure]> {
	const file = join(dir, 'kalan.db');
	const seedDb = await createDb({ sqlite: file });
	const cookies = await seed(seedDb);
	await seedDb.destroy();
	// BENCH_LOAD_CPU_PROF=<dir>: the SQLite server writes its CPU profile there when it stops
	const profile = process.env.BENCH_LOAD_CPU_PROF;
	const server = new ServerProcess(
		PORT,
		{ DATA_DIR: dir },
		join(dir, 'server.log'),
		profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`, 'build'] : undefined
	);
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
		if (WARMUP_SECONDS > 0)
			await measure('warm-up', server, cookies, count, db, { everyS: EVERY_S }, WARMUP_SECONDS);
		const paced = await measure(`SQLite, paced (${EVERY_S} s)`, server, cookies, count, db, {
			everyS: EVERY_S
		});
		print(paced);
		const harsh = await measure(`SQLite, harsh (${HARSH_EVERY_S} s)`, server, cookies, count, db, {
			everyS: HARSH_EVERY_S
		});
		print(harsh);
		const inStep = await measure(`SQLite, harsh in step`, server, cookies, count, db, {
			everyS: HARSH_EVERY_S,
			inStep: true
		});
		print(inStep);
		const saturated = await measure('SQLite, saturated', server, cookies, count, db, 'saturated');
		print(saturated);
		return [paced, harsh, inStep, saturated];
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
			'saturated'
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
		`load bench: ${LEARNERS} learners syncing at once (autocannon), ${BATCH} events per push then a pull, ${SECONDS} s per measure; paced: a sync run every ${EVERY_S} s per learner (${Math.round((LEARNERS * CONNECTION_EVERY_S) / EVERY_S)} connections at 1 request/s, opened in ${PHASES} groups over a second); harsh: every ${HARSH_EVERY_S} s (${LEARNERS} connections), spread the same way, then all in step; saturated: ${LEARNERS} connections sending as soon as answered`
	);
	const [paced, harsh, inStep, saturated] = await onSqlite(dir);
	const postgres = await onPostgres(dir);
	const ok = paced.p99 <= P99_TARGET_MS && paced.errors === 0;
	console.log(
		`target (paced): p99 ≤ ${P99_TARGET_MS} ms and no error — ${ok ? 'met' : 'NOT met'}; every accepted event stored: ${[paced, harsh, inStep, saturated, postgres].every((m) => !m || m.stored >= m.accepted) ? 'yes' : 'NO'} (requests still in flight when a measure ends are stored but not counted as accepted)`
	);
	// One Node process serves on one thread (SQLite calls included): its CPU time per request
	// bounds it, whatever else the machine runs.
	const perRequest = saturated.cpuMsPerRequest;
	const syncsPerSecond = 1000 / perRequest / 2;
	console.log(
		`measured here (load average ${saturated.loadAverage.toFixed(1)}): ${saturated.requestsPerSecond.toFixed(0)} req/s; by server CPU time (${perRequest.toFixed(2)} ms a request), one app process on a free core serves ~${syncsPerSecond.toFixed(0)} sync runs/s: ~${Math.round(syncsPerSecond * 60).toLocaleString('en-US')} learners syncing once a minute`
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
			row('SQLite paced: time between two sync runs of a learner', EVERY_S, 's'),
			row('SQLite paced: throughput', paced.requestsPerSecond, 'req/s'),
			row('SQLite paced: p50', paced.p50, 'ms'),
			row('SQLite paced: p95', paced.p95, 'ms'),
			row('SQLite paced: p99', paced.p99, 'ms', {
				target: `≤ ${P99_TARGET_MS}`,
				ok: paced.p99 <= P99_TARGET_MS
			}),
			row('SQLite paced: errors', paced.errors, 'count', { target: '0', ok: paced.errors === 0 }),
			row('SQLite paced: server RSS peak', paced.rssPeakMb, 'MB'),
			row(
				`SQLite harsh (a run every ${HARSH_EVERY_S} s): throughput`,
				harsh.requestsPerSecond,
				'req/s'
			),
			row(`SQLite harsh (a run every ${HARSH_EVERY_S} s): p99`, harsh.p99, 'ms'),
			row(`SQLite harsh (a run every ${HARSH_EVERY_S} s): errors`, harsh.errors, 'count'),
			row('SQLite harsh, all phones in step: p99', inStep.p99, 'ms'),
			row('SQLite harsh, all phones in step: errors', inStep.errors, 'count'),
			row('SQLite saturated: throughput', saturated.requestsPerSecond, 'req/s'),
			row('SQLite saturated: events ingested', saturated.eventsPerSecond, 'events/s'),
			row('SQLite saturated: p50', saturated.p50, 'ms'),
			row('SQLite saturated: p95', saturated.p95, 'ms'),
			row('SQLite saturated: p99', saturated.p99, 'ms'),
			row('SQLite saturated: errors', saturated.errors, 'count', {
				target: '0',
				ok: saturated.errors === 0
			}),
			row('SQLite saturated: server RSS peak', saturated.rssPeakMb, 'MB'),
			row('SQLite saturated: server CPU per request', saturated.cpuMsPerRequest, 'ms'),
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
			`Paced: each learner runs a sync every ${EVERY_S} s (the engine's heaviest pace, docs/reliability.md); harsh: every ${HARSH_EVERY_S} s, phones spread over the second, then all in step. Saturated: each phone sends again as soon as it is answered.`,
			'Latencies are per request, measured by autocannon on the same shared 2-core machine as the server.',
			`Load average (1 min) at the end of the saturated measure: ${saturated.loadAverage.toFixed(1)} (other agents' builds and tests share the machine).`
		]
	};
	mkdirSync('bench/results/parts', { recursive: true });
	writeFileSync('bench/results/parts/load.json', JSON.stringify(part, null, '\t') + '\n');
	process.exitCode = ok ? 0 : 1;
} finally {
	rmSync(dir, { recursive: true, force: true });
}
