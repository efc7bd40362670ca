import type { Handle } from '@sveltejs/kit';
import script from '$lib/client/first-frame.js?raw';
import { isAssessmentPage } from './early-start';

// A page's first frame comes before its code (docs/decisions.md « A page fetches its code after its
// first frame »). SvelteKit announces the page's modules in its <head> (`modulepreload`) and starts
// them from an inline script at the end of <body>. On a slow phone the modules arrived, and were
// compiled on the main thread, while the browser was still laying out and painting the page's first
// frame, and held it. Here the announcements leave the <head>, SvelteKit's start is kept inert with
// the list of modules, and a small script (first-frame.js, allowed by its hash in svelte.config.js)
// runs both once the first frame is painted: the same modules, fetched at once, a frame later.
// first-frame.js waits for a frame, then a task (the first frame is then painted); a page opened
// behind another tab gets no frame until it is shown, so a one-second timer starts it anyway. It puts
// the announcements into the <head>, and SvelteKit's start back in place as a live script, whose
// text (hence its hash in the page's policy) is SvelteKit's own. The service worker is registered by
// the page once started (src/lib/client/app.ts), since `load` may now come before the start.
// Comments stay here, not in first-frame.js: it is inlined into every page.

const PRELOAD = /<link href="([^"]+)" rel="modulepreload">\s*/g;
const KIT_START = /<script( nonce="[^"]*")?>(\s*\{\s*__sveltekit_\w+ = \{[^]*?)<\/script>/;

/**
 * `html` (a whole page) with its module announcements moved onto SvelteKit's start, kept inert, and
 * first-frame.js after it. A page without SvelteKit's start, or a part of a streamed page, is
 * returned as it is.
 */
export function deferStart(html: string, firstFrame = script): string {
	const start = KIT_START.exec(html);
	if (!start) return html;
	const modules = [...html.matchAll(PRELOAD)].map((m) => m[1]);
	if (!modules.length) return html;
	const nonce = start[1] ?? '';
	const inert = `<script type="kalan/start" data-preload="${modules.join(' ')}">${start[2]}</script><script${nonce}>${firstFrame}</script>`;
	return html.replace(KIT_START, () => inert).replace(PRELOAD, '');
}

/**
 * Every page SvelteKit renders (prerendered at build, or on request) gets its first frame first,
 * but an assessment: the learner starts it from its HTML at once, and its code is the quiz engine
 * that takes the answers over, which the deferral made arrive about a second later on 3G.
 */
export const firstFrameHandle: Handle = async ({ event, resolve }) => {
	if (isAssessmentPage(event)) return resolve(event);
	let deferred = false;
	const response = await resolve(event, {
		transformPageChunk: ({ html }) => {
			const out = deferStart(html);
			deferred ||= out !== html;
			return out;
		}
	});
	// SvelteKit also announces the modules in a `Link` header of a page rendered on request.
	if (deferred) response.headers.delete('link');
	return response;
};
