// npm run bench:lighthouse — Lighthouse 12 (its CLI, mobile configuration: simulated slow 4G and a
// CPU slowed 4×) on the catalogue, a lesson and an assessment, against Debian's Chromium.
// Prints the Performance, Accessibility, Best Practices and SEO scores; BENCH_LH_RUNS runs per
// page (default 1; the median is kept). Needs `npm run build` first.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CHROMIUM, CHROMIUM_FLAGS } from './lib/browser';
import { writePart, type Row } from './lib/report';
import { median, spread } from './lib/stats';
import { startServer } from './server';
import { firstAssessment, lessonWithCheck } from '../tests/e2e/content';

const RUNS = Math.max(1, Number(process.env.BENCH_LH_RUNS ?? 1));
const CATEGORIES = [
	{ id: 'performance', label: 'Performance', target: 95 },
	{ id: 'accessibility', label: 'Accessibility', target: 100 },
	{ id: 'best-practices', label: 'Best Practices', target: 100 },
	{ id: 'seo', label: 'SEO', target: 95 }
] as const;

const lesson = lessonWithCheck();
const pages = [
	{ name: 'catalogue', path: '/' },
	{ name: 'lesson', path: `/cours/${lesson.course.id}/${lesson.lesson.id}` },
	{ name: 'assessment', path: firstAssessment().path }
];

interface Lhr {
	categories: Record<string, { score: number | null }>;
	audits: Record<string, { score: number | null; numericValue?: number; title: string }>;
	lighthouseVersion: string;
}

function lighthouse(url: string, out: string): Promise<Lhr> {
	const bin = resolve('node_modules/.bin/lighthouse');
	const args = [
		url,
		'--quiet',
		'--output=json',
		`--output-path=${out}`,
		`--only-categories=${CATEGORIES.map((c) => c.id).join(',')}`,
		`--chrome-flags=${CHROMIUM_FLAGS.join(' ')}`
	];
	return new Promise((done, fail) => {
		const child = spawn(bin, args, {
			env: { ...process.env, CHROME_PATH: CHROMIUM },
			stdio: ['ignore', 'inherit', 'inherit']
		});
		child.on('exit', (code) => {
			if (code !== 0) return fail(new Error(`lighthouse exited with ${code} on ${url}`));
			done(JSON.parse(readFileSync(out, 'utf8')) as Lhr);
		});
	});
}

const server = await startServer(4324);
const dir = mkdtempSync(join(tmpdir(), 'kalan-lighthouse-'));
const scores: Record<string, Record<string, number[]>> = {};
const failing: Record<string, Set<string>> = {};
const vitals: Record<string, { fcp: number[]; lcp: number[]; tbt: number[] }> = {};
let version = '';
try {
	for (let run = 0; run < RUNS; run++)
		for (const p of pages) {
			const lhr = await lighthouse(server.url + p.path, join(dir, `${p.name}-${run}.json`));
			version = lhr.lighthouseVersion;
			for (const c of CATEGORIES)
				((scores[p.name] ??= {})[c.id] ??= []).push(
					Math.round((lhr.categories[c.id]?.score ?? 0) * 100)
				);
			for (const [id, audit] of Object.entries(lhr.audits))
				if (
					audit.score !== null &&
					audit.score < 0.9 &&
					!id.startsWith('largest-contentful-paint-element')
				)
					(failing[p.name] ??= new Set()).add(`${audit.title} (${Math.round(audit.score * 100)})`);
			const v = (vitals[p.name] ??= { fcp: [], lcp: [], tbt: [] });
			v.fcp.push(lhr.audits['first-contentful-paint']?.numericValue ?? NaN);
			v.lcp.push(lhr.audits['largest-contentful-paint']?.numericValue ?? NaN);
			v.tbt.push(lhr.audits['total-blocking-time']?.numericValue ?? NaN);
			console.log(
				`${p.name}: ${CATEGORIES.map((c) => `${c.label} ${scores[p.name]![c.id]!.at(-1)}`).join(', ')}`
			);
		}
} finally {
	server.stop();
	rmSync(dir, { recursive: true, force: true });
}

const rows: Row[] = [];
for (const p of pages) {
	for (const c of CATEGORIES) {
		const values = scores[p.name]?.[c.id] ?? [];
		const value = median(values);
		rows.push({
			metric: `${p.name}: ${c.label}`,
			value,
			unit: '/ 100',
			...(RUNS > 1 ? { spread: spread(values, '', 0) } : {}),
			target: c.target === 100 ? '100' : `≥ ${c.target}`,
			ok: value >= c.target
		});
	}
	const v = vitals[p.name]!;
	rows.push({
		metric: `${p.name}: simulated FCP / LCP / total blocking time`,
		value: `${(median(v.fcp) / 1000).toFixed(2)} / ${(median(v.lcp) / 1000).toFixed(2)} / ${(median(v.tbt) / 1000).toFixed(2)}`,
		unit: 's'
	});
}
for (const r of rows.filter((r) => r.ok !== undefined))
	console.log(`${r.ok ? 'ok  ' : 'MISS'} ${r.metric}: ${r.value} (target ${r.target})`);

writePart({
	name: 'lighthouse',
	title: `Lighthouse ${version} (mobile configuration)`,
	rows,
	notes: [
		`Lighthouse ${version} CLI, its default mobile configuration (simulated slow 4G, CPU slowed 4×), Debian's Chromium headless; ${RUNS} run(s) per page.`,
		...Object.entries(failing).map(
			([page, audits]) => `${page}: audits under 90 — ${[...audits].join('; ')}`
		)
	]
});
