import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { inlinePartStyles, readPartStyles, type PartStyle } from './part-styles';

const parts: PartStyle = {
	file: 'lesson-parts.AbC123.css',
	css: '.check.svelte-aaa1{margin:0}.callout.svelte-bbb2{padding:0}',
	classes: ['svelte-aaa1', 'svelte-bbb2']
};
const question: PartStyle = {
	file: 'question.XyZ9.css',
	css: '.option.svelte-ccc3{min-height:48px}',
	classes: ['svelte-ccc3']
};
const page = (body: string, head = '') =>
	`<html><head><link href="../../_app/immutable/entry/start.js" rel="modulepreload">${head}</head><body>${body}</body></html>`;

describe('the styles of parts shown before their code', () => {
	test('go into a page that shows them, with the disabled link that spares a second download', () => {
		const html = inlinePartStyles(
			page(
				'<section class="check svelte-aaa1"><label class="option svelte-ccc3"></label></section>'
			),
			[parts, question]
		);
		expect(html).toContain(
			`<link href="../../_app/immutable/assets/lesson-parts.AbC123.css" rel="stylesheet" disabled media="(max-width: 0)"><style>${parts.css}</style>`
		);
		expect(html).toContain(`<style>${question.css}</style></head>`);
	});

	test('stay out of a page that does not show them, or already carries them', () => {
		const plain = page('<main class="svelte-zzz9">Cours</main>');
		expect(inlinePartStyles(plain, [parts, question])).toBe(plain);
		const carried = page(
			'<label class="option svelte-ccc3"></label>',
			'<link href="../../_app/immutable/assets/question.XyZ9.css" rel="stylesheet" disabled media="(max-width: 0)">'
		);
		expect(inlinePartStyles(carried, [parts, question])).toBe(carried);
		expect(inlinePartStyles('{"not":"a page"}', [parts])).toBe('{"not":"a page"}');
	});

	test("are read from the client build's assets, lazily loaded parts only", () => {
		const dir = mkdtempSync(join(tmpdir(), 'kalan-parts-'));
		expect(readPartStyles(dir)).toEqual([]);
		const assets = join(dir, '_app', 'immutable', 'assets');
		mkdirSync(assets, { recursive: true });
		writeFileSync(join(assets, 'lesson-parts.AbC123.css'), `${parts.css}\n`);
		writeFileSync(join(assets, 'question.XyZ9.css'), question.css);
		writeFileSync(join(assets, 'question.XyZ9.css.br'), 'compressed');
		writeFileSync(join(assets, '0.Root.css'), '.page.svelte-ddd4{}');
		expect(readPartStyles(dir)).toEqual([parts, question]);
	});
});
