import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Handle } from '@sveltejs/kit';
import { dev } from '$app/environment';

// A lesson's text places components (a check and its first question, a callout, a term) whose code
// loads after the first paint: their stylesheets came with it, so the first question was painted
// without its styles (tiny radio buttons in a run of text) and jumped when they arrived, under the
// learner's finger. SvelteKit inlines only the stylesheets of what a page imports statically. This
// hook inlines the stylesheets of those lazily loaded chunks into the pages whose HTML uses them,
// with SvelteKit's own disabled <link> beside each, so that the browser does not fetch it again
// when the chunk loads (docs/performance.md).

/** The chunks whose components a page's HTML may show before their code has loaded. */
const LAZY = /^(lesson-parts|question)\.[\w-]+\.css$/;

export interface PartStyle {
	file: string;
	css: string;
	/** The scoped classes its rules style: a page using one of them needs the stylesheet. */
	classes: string[];
}

/** The stylesheets of the client build's lazily loaded parts, read once (none before a build). */
export function readPartStyles(clientDir: string): PartStyle[] {
	const dir = join(clientDir, '_app', 'immutable', 'assets');
	if (!existsSync(dir)) return [];
	return readdirSync(dir)
		.filter((file) => LAZY.test(file))
		.sort()
		.map((file) => {
			const css = readFileSync(join(dir, file), 'utf8').trim();
			return { file, css, classes: [...new Set(css.match(/\bsvelte-[a-z0-9]+\b/g) ?? [])] };
		});
}

/** Adds to `html` (a whole page) the stylesheets its components use and it does not carry yet. */
export function inlinePartStyles(html: string, styles: PartStyle[]): string {
	const prefix = /href="([^"]*)_app\/immutable\//.exec(html)?.[1];
	if (prefix === undefined || !html.includes('</head>')) return html;
	const needed = styles.filter(
		(s) =>
			!html.includes(`_app/immutable/assets/${s.file}"`) && s.classes.some((c) => html.includes(c))
	);
	if (!needed.length) return html;
	const tags = needed
		.map(
			(s) =>
				`<link href="${prefix}_app/immutable/assets/${s.file}" rel="stylesheet" disabled media="(max-width: 0)"><style>${s.css}</style>`
		)
		.join('');
	return html.replace('</head>', `${tags}</head>`);
}

let cached: PartStyle[] | undefined;
/**
 * Where the client build is: `.svelte-kit/output/client` while prerendering, `build/client` after.
 * Read at the first page, once: a server started where neither is found serves pages without
 * these styles (they then come with the parts' code) and does not look again on every response.
 */
function partStyles(): PartStyle[] {
	cached ??=
		['.svelte-kit/output/client', 'build/client']
			.map(readPartStyles)
			.find((found) => found.length) ?? [];
	return cached;
}

export const partStylesHandle: Handle = ({ event, resolve }) =>
	// In development Vite serves every component's styles itself.
	dev
		? resolve(event)
		: resolve(event, {
				transformPageChunk: ({ html }) => inlinePartStyles(html, partStyles())
			});
