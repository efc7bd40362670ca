import { describe, expect, test } from 'vitest';
import type { RequestEvent, ResolveOptions } from '@sveltejs/kit';
import script from '$lib/client/first-frame.js?raw';
import { deferStart, firstFrameHandle } from './first-frame';

// SvelteKit's page as it writes it: module announcements in the head, its start at the end of body.
const KIT_START = `
				{
					__sveltekit_abc = {
						base: new URL("../..", location).pathname.slice(0, -1)
					};

					const element = document.currentScript.parentElement;

					Promise.all([
						import("../../_app/immutable/entry/start.A.js"),
						import("../../_app/immutable/entry/app.B.js")
					]).then(([kit, app]) => {
						kit.start(app, element, { node_ids: [0, 11], data: [null,{type:"data",data:{title:"</p>"}}] });
					});
				}
			`;
const page = (nonce = '', links = true) => `<!doctype html>
<html lang="fr">
	<head>
		<meta charset="utf-8" />
		<script>/* the language */</script>
${links ? '\t\t<link href="../../_app/immutable/entry/start.A.js" rel="modulepreload">\n\t\t<link href="../../_app/immutable/chunks/C.js" rel="modulepreload">\n\t\t<link href="../../_app/immutable/entry/app.B.js" rel="modulepreload">\n' : ''}		<title>Leçon</title>
	</head>
	<body>
		<div style="display: contents"><main><h1>Leçon</h1></main>
			<script${nonce}>${KIT_START}</script>
		</div>
	</body>
</html>`;

describe('deferStart', () => {
	test("moves the module announcements onto SvelteKit's start, kept inert, with first-frame.js after it", () => {
		const html = deferStart(page());
		expect(html).not.toContain('rel="modulepreload"');
		expect(html).toContain(
			`<script type="kalan/start" data-preload="../../_app/immutable/entry/start.A.js ../../_app/immutable/chunks/C.js ../../_app/immutable/entry/app.B.js">${KIT_START}</script><script>${script}</script>`
		);
		// Nothing else moves: the head keeps its other tags, the body its text.
		expect(html).toContain('<script>/* the language */</script>\n\t\t<title>Leçon</title>');
		expect(html).toContain('<main><h1>Leçon</h1></main>');
		expect(html.match(/<script/g)).toHaveLength(3);
	});

	test("SvelteKit's start text is kept byte for byte (its hash allows it once it runs)", () => {
		const html = deferStart(page());
		const inert = /<script type="kalan\/start"[^>]*>([^]*?)<\/script>/.exec(html)![1];
		expect(inert).toBe(KIT_START);
	});

	test('a nonce goes on first-frame.js too', () => {
		const html = deferStart(page(' nonce="n0nce"'));
		expect(html).toContain(`</script><script nonce="n0nce">${script}</script>`);
	});

	test('a page without SvelteKit’s start, or without announced modules, is left as it is', () => {
		const noStart = page().replace(/<script>\s*\{\s*__sveltekit[^]*?<\/script>/, '');
		expect(noStart).toContain('modulepreload');
		expect(deferStart(noStart)).toBe(noStart);
		expect(deferStart(page('', false))).toBe(page('', false));
	});

	test('first-frame.js is plain JavaScript that waits for a frame, then a task', () => {
		expect(() => new Function(script)).not.toThrow();
		expect(script).toContain('requestAnimationFrame(() => setTimeout(start))');
	});
});

describe('firstFrameHandle', () => {
	const resolveWith =
		(html: string) =>
		async (_event: RequestEvent, opts?: ResolveOptions): Promise<Response> => {
			const body = (await opts?.transformPageChunk?.({ html, done: true })) ?? html;
			return new Response(body, {
				headers: {
					'content-type': 'text/html',
					link: '<../../_app/immutable/entry/start.A.js>; rel="modulepreload"; nopush'
				}
			});
		};
	const event = { route: { id: '/cours/[course]/[lesson]' } } as RequestEvent;

	test("a page rendered on request loses its modules' Link header with their announcements", async () => {
		const response = await firstFrameHandle({ event, resolve: resolveWith(page()) });
		expect(response.headers.get('link')).toBeNull();
		expect(await response.text()).toContain('type="kalan/start"');
	});

	test('a response left as it is keeps its Link header', async () => {
		const plain = page('', false);
		const response = await firstFrameHandle({ event, resolve: resolveWith(plain) });
		expect(response.headers.get('link')).toContain('modulepreload');
		expect(await response.text()).toBe(plain);
	});

	test('an assessment keeps its modules announced: its code is the engine that takes its answers', async () => {
		const assessment = { route: { id: '/cours/[course]/[module]/evaluation' } } as RequestEvent;
		const response = await firstFrameHandle({ event: assessment, resolve: resolveWith(page()) });
		expect(response.headers.get('link')).toContain('modulepreload');
		expect(await response.text()).toBe(page());
	});
});
