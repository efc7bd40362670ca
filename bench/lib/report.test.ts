import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { readParts, renderMarkdown, writePart, writeReport } from './report';
import { median, spread } from './stats';

const dirs: string[] = [];
const temp = () => {
	const dir = mkdtempSync(join(tmpdir(), 'kalan-report-'));
	dirs.push(dir);
	return dir;
};
afterEach(() => {
	for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('bench report', () => {
	test('merges every part present, those of unknown benches too, known benches first', () => {
		const dir = temp();
		const parts = join(dir, 'parts');
		writePart(
			{ name: 'zeta', title: 'Unknown bench', rows: [{ metric: 'x', value: 1, unit: 'ms' }] },
			parts
		);
		writePart(
			{
				name: 'field',
				title: 'Field',
				rows: [
					{
						metric: 'cold LCP',
						value: 1.2,
						unit: 's',
						spread: '1.1–1.4 s, 5 runs',
						target: '≤ 2.5 s',
						ok: true
					}
				]
			},
			parts
		);
		writeFileSync(
			join(parts, 'load.json'),
			JSON.stringify({
				name: 'load',
				title: 'Load',
				rows: [{ metric: 'p99', value: 120, unit: 'ms', ok: false }]
			})
		);
		const { report } = writeReport(dir);
		expect(report.parts.map((p) => p.name)).toEqual(['field', 'load', 'zeta']);
		const md = readFileSync(join(dir, 'latest.md'), 'utf8');
		expect(md).toContain('| cold LCP | 1.2 s | 1.1–1.4 s, 5 runs | ≤ 2.5 s | ✅ |');
		expect(md).toContain('| p99 | 120 ms |');
		expect(md).toContain('❌');
		expect(md).toContain('Unknown bench');
		expect(
			JSON.parse(readFileSync(join(dir, 'latest.json'), 'utf8')).machine.cores
		).toBeGreaterThan(0);
	});

	test('a malformed part file is listed, not merged', () => {
		const dir = temp();
		writeFileSync(join(dir, 'broken.json'), '{ not json');
		writeFileSync(join(dir, 'shapeless.json'), JSON.stringify({ name: 'shapeless', rows: 3 }));
		const { parts, rejected } = readParts(dir);
		expect(parts).toEqual([]);
		expect(rejected).toHaveLength(2);
		const md = renderMarkdown(
			{
				machine: {
					cpu: 'c',
					cores: 2,
					ramGiB: 4,
					node: 'v20',
					chromium: 'Chromium 1',
					os: 'Debian',
					loadAverage: [1, 1, 1],
					date: new Date().toISOString()
				},
				parts
			},
			rejected
		);
		expect(md).toContain('Part files not read');
	});

	test('a part name that is not a plain file name is refused', () => {
		expect(() => writePart({ name: '../x', title: 't', rows: [] }, temp())).toThrow(/a-z0-9-/);
	});

	test('median and spread', () => {
		expect(median([3, 1, 2])).toBe(2);
		expect(median([4, 1, 2, 3])).toBe(2.5);
		expect(spread([1.234, 2.5, 1.9], 's', 2)).toBe('1.23–2.50 s, 3 runs');
	});
});
