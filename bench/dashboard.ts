// npx tsx bench/dashboard.ts — server time of the instructor dashboard at national scale.
//
// Seeds one SQLite file with two cohorts, of 200 and 2,000 synthetic learners, following every
// course of the catalogue plus copies of them under other ids, so that a cohort follows 60 lessons
// or more. Each learner's events come from the same generator as `npm run demo` (several hundred
// thousand events in all) and go through the real ingest, which keeps the aggregates the pages
// read. Then it calls the pages' own load functions and the CSV endpoint, as SvelteKit would, and
// prints the median and spread of their server time for both cohort sizes.
//
// Budget (ARCHITECTURE.md, issue 6): cohort page ≤ 150 ms median and CSV ≤ 1 s at 2,000 learners.
// Runs the server modules through Vite (the catalogue is read with import.meta.glob), like demo.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createServer } from 'vite';
import { writePart, type Row } from './lib/report';

const SIZES = (process.env.BENCH_DASHBOARD_SIZES ?? '200,2000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS_SERVER ?? 15);
const MIN_LESSONS = 60;
const BUDGET = { pageMs: 150, csvMs: 1000 };

// BENCH_DASHBOARD_DIR: seed into (or reuse the seed already in) that directory, and keep it.
const reuseDir = process.env.BENCH_DASHBOARD_DIR;
const dir = reuseDir ?? mkdtempSync(join(tmpdir(), 'kalan-bench-dashboard-'));
if (reuseDir) mkdirSync(reuseDir, { recursive: true });
process.env.DATA_DIR = dir;
delete process.env.DATABASE_URL;

const vite = await createServer({
	server: { middlewareMode: true, hmr: false },
	appType: 'custom',
	logLevel: 'error'
});
const load = <T>(path: string) => vite.ssrLoadModule(path) as Promise<T>;

type Mod = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const { getDb } = await load<Mod>('/src/lib/server/db/index.ts');
const { catalog } = await load<Mod>('/src/lib/server/catalog.ts');
const { syntheticActivity } = await load<Mod>('/src/lib/server/dashboard/synthetic.ts');
const { mulberry32 } = await load<Mod>('/src/lib/quiz/shuffle.ts');
const { ingest } = await load<Mod>('/src/lib/server/sync/index.ts');
const auth = await load<Mod>('/src/lib/server/auth/index.ts');
const { createCohort } = await load<Mod>('/src/lib/server/cohorts/index.ts');
const routes = {
	list: await load<Mod>('/src/routes/formateur/+page.server.ts'),
	cohort: await load<Mod>('/src/routes/formateur/promotions/[id]/+page.server.ts'),
	csv: await load<Mod>('/src/routes/formateur/promotions/[id]/export.csv/+server.ts')
};

// Copies of the real courses under other ids, until a cohort has MIN_LESSONS lessons.
const originals = [...catalog.courses];
let lessons = originals.reduce((n: number, c: Mod) => n + c.lessonCount, 0);
for (let copy = 1; lessons < MIN_LESSONS; copy++)
	for (const course of originals) {
		if (lessons >= MIN_LESSONS) break;
		catalog.courses.push({ ...course, id: `${course.id}-copie-${copy}` });
		lessons += course.lessonCount;
	}
const courses = catalog.courses as Mod[];

const db = await getDb();
const existing = await db
	.selectFrom('users')
	.selectAll()
	.where('username', '=', 'formatrice')
	.executeTakeFirst();
const instructor = existing
	? auth.toAuthUser(existing)
	: await auth.createInstructor(
			db,
			await auth.createFirstAdmin(db, 'admin', 'bench-mot-de-passe'),
			{
				username: 'formatrice',
				displayName: 'Formatrice du banc d’essai',
				password: 'bench-mot-de-passe'
			}
		);

const now = Date.now();
const rand = mulberry32(60);
interface Seeded {
	size: number;
	cohortId: string;
	learnerId: string;
	events: number;
	seedMs: number;
}
const seeded: Seeded[] = [];
for (const size of SIZES) {
	const started = performance.now();
	const name = `Promotion de ${size} apprenants`;
	const kept = await db
		.selectFrom('cohorts')
		.select('id')
		.where('name', '=', name)
		.executeTakeFirst();
	if (kept) {
		const count = await db
			.selectFrom('events')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('learner_id', 'like', `bench-${size}-%`)
			.executeTakeFirstOrThrow();
		seeded.push({
			size,
			cohortId: kept.id,
			learnerId: `bench-${size}-0`,
			events: Number(count.n),
			seedMs: 0
		});
		console.log(`reused the seed of ${size} learners in ${dir}`);
		continue;
	}
	const cohort = await createCohort(db, instructor, {
		name,
		courses: courses.map((c) => c.id)
	});
	const at = new Date(now - 30 * 86_400_000).toISOString();
	let events = 0;
	let someone = '';
	for (let i = 0; i < size; i += 250) {
		const ids = Array.from({ length: Math.min(250, size - i) }, (_, k) => `bench-${size}-${i + k}`);
		someone ||= ids[0]!;
		await db
			.insertInto('users')
			.values(
				ids.map((id, k) => ({
					id,
					role: 'learner',
					username: null,
					display_name: `Apprenant ${size}-${i + k}`,
					service_number: k % 3 ? null : `MAT-${i + k}`,
					password_hash: null,
					pin_hash: null,
					created_at: at
				}))
			)
			.execute();
		await db
			.insertInto('enrollments')
			.values(ids.map((id) => ({ cohort_id: cohort.id, user_id: id, joined_at: at })))
			.execute();
		for (const id of ids) {
			const log = syntheticActivity({ learnerId: id, courses, rand, now, days: 28 });
			for (let b = 0; b < log.length; b += 500)
				await ingest(db, { id }, log.slice(b, b + 500), new Date(now));
			events += log.length;
		}
	}
	seeded.push({
		size,
		cohortId: cohort.id,
		learnerId: someone,
		events,
		seedMs: performance.now() - started
	});
	console.log(
		`seeded ${size} learners, ${events} events, in ${((performance.now() - started) / 1000).toFixed(1)} s`
	);
}

const user = auth.toAuthUser(
	await db.selectFrom('users').selectAll().where('id', '=', instructor.id).executeTakeFirstOrThrow()
);
const event = (params: Record<string, string>, search = '') =>
	({ locals: { user }, params, url: new URL(`http://127.0.0.1/x${search}`) }) as never;

async function time(run: () => Promise<unknown>) {
	for (let i = 0; i < 2; i++) await run(); // warm: caches, query plans
	const ms: number[] = [];
	for (let i = 0; i < RUNS; i++) {
		const t = performance.now();
		await run();
		ms.push(performance.now() - t);
	}
	ms.sort((a, b) => a - b);
	const q = (p: number) => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))]!;
	return { median: q(0.5), min: ms[0]!, max: ms[ms.length - 1]!, p90: q(0.9) };
}

const rows: Row[] = [];
const results: Record<number, Record<string, number>> = {};
const assessment = courses[0]!.modules.find((m: Mod) => m.assessment);
for (const s of seeded) {
	const measures: [string, () => Promise<unknown>, number?][] = [
		[
			'cohort page (sorted by name, page 1)',
			() => routes.cohort.load(event({ id: s.cohortId })),
			BUDGET.pageMs
		],
		[
			'cohort page (sorted by progress, last page)',
			() => routes.cohort.load(event({ id: s.cohortId }, '?tri=progression&ordre=desc&page=40')),
			BUDGET.pageMs
		],
		[
			'CSV export of the grid',
			async () => (await routes.csv.GET(event({ id: s.cohortId }))).text(),
			BUDGET.csvMs
		],
		[
			'item analysis page',
			() =>
				routes.cohort.load(
					event({ id: s.cohortId }, `?evaluation=${courses[0]!.id}/${assessment.assessment}`)
				)
		],
		[
			'learner page',
			() => routes.cohort.load(event({ id: s.cohortId }, `?apprenant=${s.learnerId}`))
		],
		['cohort list (both cohorts)', () => routes.list.load(event({}))]
	];
	results[s.size] = {};
	for (const [what, run, budget] of measures) {
		const t = await time(run);
		results[s.size]![what] = t.median;
		rows.push({
			metric: `${what} — ${s.size} learners`,
			value: Math.round(t.median * 10) / 10,
			unit: 'ms',
			spread: `${t.min.toFixed(1)}–${t.max.toFixed(1)} ms (p90 ${t.p90.toFixed(1)})`,
			...(budget && s.size >= 2000 ? { target: `≤ ${budget} ms`, ok: t.median <= budget } : {})
		});
	}
}

const csvBytes = Buffer.byteLength(
	await (await routes.csv.GET(event({ id: seeded.at(-1)!.cohortId }))).text()
);
console.log(
	`\nDashboard server time, median of ${RUNS} runs (SQLite, ${lessons} lessons, ${courses.length} courses)`
);
console.log(`${'what'.padEnd(48)} ${SIZES.map((n) => `${n} learners`.padStart(16)).join('')}`);
for (const what of Object.keys(results[SIZES[0]!]!))
	console.log(
		`${what.padEnd(48)} ${SIZES.map((n) => `${results[n]![what]!.toFixed(1)} ms`.padStart(16)).join('')}`
	);
const big = SIZES.at(-1)!;
const small = SIZES[0]!;
if (SIZES.length > 1)
	console.log(
		`growth ${small} → ${big} learners: page ×${(results[big]!['cohort page (sorted by name, page 1)']! / results[small]!['cohort page (sorted by name, page 1)']!).toFixed(1)}, CSV ×${(results[big]!['CSV export of the grid']! / results[small]!['CSV export of the grid']!).toFixed(1)}`
	);
console.log(
	`events seeded: ${seeded.map((s) => `${s.events} (${s.size} learners)`).join(', ')}; CSV of ${big} learners: ${(csvBytes / 1024).toFixed(0)} KB`
);
const failed = rows.filter((r) => r.ok === false);
for (const r of failed) console.log(`OVER BUDGET: ${r.metric}: ${r.value} ms (${r.target})`);

writePart({
	name: 'dashboard',
	title: 'Instructor dashboard, server time (SQLite)',
	rows,
	notes: [
		`${lessons} lessons in ${courses.length} courses (the real catalogue plus copies under other ids), median of ${RUNS} runs after 2 warm-ups`,
		`events seeded through the real ingest: ${seeded.map((s) => `${s.events} for ${s.size} learners`).join(', ')}`,
		`CSV of ${big} learners: ${(csvBytes / 1024).toFixed(0)} KB`
	]
});
await db.destroy();
await vite.close();
if (process.env.BENCH_KEEP || reuseDir) console.log(`kept ${dir}`);
else rmSync(dir, { recursive: true, force: true });
