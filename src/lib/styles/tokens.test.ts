import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';

// DESIGN.md: body text at least 7:1 (AAA), everything else at least 4.5:1, in both schemes.
const css = readFileSync(join(import.meta.dirname, 'tokens.css'), 'utf8');
const [light, dark] = css.split('@media (prefers-color-scheme: dark)');

function tokens(block: string): Record<string, string> {
	return Object.fromEntries(
		[...block.matchAll(/--([a-z0-9-]+):\s*(#[0-9a-f]{6})/gi)].map((m) => [m[1]!, m[2]!])
	);
}
function luminance(hex: string): number {
	const [r, g, b] = [1, 3, 5]
		.map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
		.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
	return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}
export function contrast(a: string, b: string): number {
	const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
	return (hi! + 0.05) / (lo! + 0.05);
}

const pairs: [fg: string, bg: string, min: number][] = [
	['text', 'surface', 7],
	['text', 'surface-2', 7],
	['text', 'accent-surface', 7],
	['text', 'info-surface', 7],
	['text', 'danger-surface', 7],
	['text-muted', 'surface', 4.5],
	['text-muted', 'surface-2', 4.5],
	['primary', 'surface', 4.5],
	['primary', 'surface-2', 4.5],
	['on-primary', 'primary', 4.5],
	['danger', 'surface', 4.5],
	['info', 'surface', 4.5],
	['accent', 'surface', 4.5],
	['focus', 'surface', 3]
];

describe.each([
	['light', tokens(light!)],
	['dark', { ...tokens(light!), ...tokens(dark!) }]
])('%s scheme', (_name, t) => {
	test.each(pairs)('%s on %s reaches %d:1', (fg, bg, min) => {
		expect(t[fg], `--${fg} is defined`).toBeDefined();
		expect(contrast(t[fg]!, t[bg]!)).toBeGreaterThanOrEqual(min);
	});
});
