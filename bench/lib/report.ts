/**
 * The bench report contract: how every bench lands in one report.
 *
 * - Each bench (`bench/*.ts`, whoever writes it) calls `writePart(part)` once at its end. That
 *   writes `bench/results/parts/<name>.json`, shaped as `Part` below:
 *   `{ "name": string, "title": string,
 *      "rows": [{ "metric": string, "value": number | string, "unit": string,
 *                 "spread"?: string, "target"?: string, "ok"?: boolean }],
 *      "notes"?: string[], "tables"?: [{ "title": string, "columns": string[],
 *                                        "rows": (string | number)[][] }] }`
 *   `name` is the file name (lowercase `a-z0-9-`); `value` is a median (or the one figure
 *   measured), `spread` says how much it moved (e.g. "1.21–1.35 s, 7 runs"); `target` is the budget
 *   in words ("≤ 2.5 s"), `ok` whether it was met. `tables` is optional, for figures that read
 *   better as a grid (page weight per page). `writePart` adds `at` (ISO date).
 * - `npm run bench` (`bench/run.ts`) runs every `bench:<name>` script of package.json — a new
 *   bench only needs its script there — and keeps going when one fails.
 * - `npm run bench:report` (`bench/report.ts`, the last step of `npm run bench`) merges every part
 *   file present — those of benches it does not know too — with a description of the machine into
 *   `bench/results/latest.json` and `bench/results/latest.md`.
 * - A bench writes its part even when a target is missed (`ok: false`); it exits non-zero only
 *   when it could not measure.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';

export interface Row {
	metric: string;
	value: number | string;
	unit: string;
	spread?: string;
	target?: string;
	ok?: boolean;
}
export interface Table {
	title: string;
	columns: string[];
	rows: (string | number)[][];
}
export interface Part {
	name: string;
	title: string;
	rows: Row[];
	notes?: string[];
	tables?: Table[];
	/** Set by writePart. */
	at?: string;
}
export interface Machine {
	cpu: string;
	cores: number;
	ramGiB: number;
	node: string;
	chromium: string;
	os: string;
	loadAverage: number[];
	date: string;
}
export interface Report {
	machine: Machine;
	parts: Part[];
}

export const RESULTS_DIR = 'bench/results';
export const PARTS_DIR = join(RESULTS_DIR, 'parts');

/** Writes `bench/results/parts/<name>.json`; returns its path. */
export function writePart(part: Part, dir = PARTS_DIR): string {
	if (!/^[a-z0-9-]+$/.test(part.name)) throw new Error(`part name "${part.name}": use a-z0-9-`);
	mkdirSync(dir, { recursive: true });
	const file = join(dir, `${part.name}.json`);
	writeFileSync(file, JSON.stringify({ ...part, at: new Date().toISOString() }, null, '\t') + '\n');
	return file;
}

function isPart(value: unknown): value is Part {
	const p = value as Part;
	return (
		typeof p === 'object' &&
		p !== null &&
		typeof p.name === 'string' &&
		typeof p.title === 'string' &&
		Array.isArray(p.rows) &&
		p.rows.every(
			(r) =>
				typeof r.metric === 'string' &&
				(typeof r.value === 'number' || typeof r.value === 'string') &&
				typeof r.unit === 'string'
		)
	);
}

/** Known benches first, in the order a reader wants them; any other part after, by name. */
const ORDER = ['size', 'field', 'lighthouse', 'sync', 'dashboard', 'load'];

/** Every part file in `dir`; a malformed one is reported, not silently dropped. */
export function readParts(dir = PARTS_DIR): { parts: Part[]; rejected: string[] } {
	let files: string[] = [];
	try {
		files = readdirSync(dir).filter((f) => f.endsWith('.json'));
	} catch {
		return { parts: [], rejected: [] };
	}
	const parts: Part[] = [];
	const rejected: string[] = [];
	for (const file of files) {
		try {
			const value: unknown = JSON.parse(readFileSync(join(dir, file), 'utf8'));
			if (isPart(value)) parts.push(value);
			else rejected.push(`${file}: not shaped as a part (name, title, rows[metric, value, unit])`);
		} catch (error) {
			rejected.push(`${file}: ${(error as Error).message}`);
		}
	}
	const rank = (p: Part) => (ORDER.includes(p.name) ? ORDER.indexOf(p.name) : ORDER.length);
	parts.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
	return { parts, rejected };
}

export function chromiumVersion(path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'): string {
	try {
		return execFileSync(path, ['--version'], {
			encoding: 'utf8',
			timeout: 10_000,
			stdio: ['ignore', 'pipe', 'ignore']
		}).trim();
	} catch {
		return 'unknown';
	}
}

export function describeMachine(): Machine {
	let os = process.platform as string;
	try {
		os = /PRETTY_NAME="([^"]+)"/.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? os;
	} catch {
		// not Linux: the platform name will do
	}
	return {
		cpu: cpus()[0]?.model.trim() ?? 'unknown',
		cores: cpus().length,
		ramGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
		node: process.version,
		chromium: chromiumVersion(),
		os,
		loadAverage: loadavg().map((n) => Math.round(n * 100) / 100),
		date: new Date().toISOString()
	};
}

const cell = (v: unknown) => String(v ?? '').replace(/\|/g, '\\|');

export function renderMarkdown({ machine, parts }: Report, rejected: string[] = []): string {
	const out = [
		'# Kalan — bench report',
		'',
		`Generated by \`npm run bench\` on ${machine.date.slice(0, 16).replace('T', ' ')} UTC.`,
		'',
		`Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.ramGiB} GiB RAM, ${machine.os}; ` +
			`Node ${machine.node}; ${machine.chromium}. Load average when the report was written: ` +
			`${machine.loadAverage.join(' / ')} (1 / 5 / 15 min).`,
		'',
		'Values are medians; *spread* is the range over the runs (or as each bench states). ' +
			'✅ target met, ❌ missed.',
		''
	];
	if (Math.max(...machine.loadAverage) > machine.cores)
		out.push(
			`**The machine was busy** (load average above its ${machine.cores} cores): timings are ` +
				'inflated and noisy; ratios to a floor measured in the same runs hold up better. ' +
				'Re-run `npm run bench` on a quiet machine for figures of record.',
			''
		);
	for (const part of parts) {
		out.push(`## ${part.title}`, '');
		if (part.at) out.push(`*Measured ${part.at.slice(0, 16).replace('T', ' ')} UTC.*`, '');
		if (part.rows.length) {
			out.push('| metric | value | spread | target | |', '| --- | --- | --- | --- | --- |');
			for (const r of part.rows)
				out.push(
					`| ${cell(r.metric)} | ${cell(r.value)} ${cell(r.unit)} | ${cell(r.spread)} | ${cell(r.target)} | ${r.ok === undefined ? '' : r.ok ? '✅' : '❌'} |`
				);
			out.push('');
		}
		for (const table of part.tables ?? []) {
			out.push(`**${table.title}**`, '');
			out.push(`| ${table.columns.map(cell).join(' | ')} |`);
			out.push(`| ${table.columns.map(() => '---').join(' | ')} |`);
			for (const row of table.rows) out.push(`| ${row.map(cell).join(' | ')} |`);
			out.push('');
		}
		for (const note of part.notes ?? []) out.push(`- ${note}`);
		if (part.notes?.length) out.push('');
	}
	if (rejected.length) {
		out.push('## Part files not read', '');
		for (const r of rejected) out.push(`- ${r}`);
		out.push('');
	}
	return out.join('\n');
}

/** Merges every part present with the machine's description into latest.json and latest.md. */
export function writeReport(dir = RESULTS_DIR): { report: Report; rejected: string[] } {
	const { parts, rejected } = readParts(join(dir, 'parts'));
	const report: Report = { machine: describeMachine(), parts };
	mkdirSync(dir, { recursive: true });
	writeFileSync(join(dir, 'latest.json'), JSON.stringify(report, null, '\t') + '\n');
	writeFileSync(join(dir, 'latest.md'), renderMarkdown(report, rejected));
	return { report, rejected };
}
