import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { mdsvex } from 'mdsvex';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { lessonPreprocess, rehypeHeadingIds } from './scripts/lesson-preprocess.js';

// app.html's one inline script (the remembered language) is allowed by its hash; SvelteKit hashes
// its own inline scripts. It reads a cookie, not localStorage: the first localStorage read of a page
// waits on the browser and held the parser, so the first paint, about 0.1 s with the CPU slowed 4×
// (docs/performance.md). Every prerendered page carries this script: keep it short.
// An assessment page's early start (src/lib/server/early-start.ts) and every page's start after its
// first frame (src/lib/server/first-frame.ts) are allowed the same way.
const inlineScripts = [
	...[...readFileSync('src/app.html', 'utf8').matchAll(/<script>([\s\S]*?)<\/script>/g)].map(
		(m) => m[1]
	),
	readFileSync('src/lib/components/quiz/early-start.js', 'utf8'),
	readFileSync('src/lib/client/first-frame.js', 'utf8')
].map((text) => `sha256-${createHash('sha256').update(text).digest('base64')}`);

/** @type {import('@sveltejs/kit').Config} */
export default {
	extensions: ['.svelte', '.svx'],
	preprocess: [
		vitePreprocess(),
		mdsvex({ extensions: ['.svx'], rehypePlugins: [rehypeHeadingIds] }),
		lessonPreprocess()
	],
	kit: {
		adapter: adapter({ precompress: true }),
		// Every stylesheet (the largest is about 6 KB raw, 2 KB gzip) goes inline: on a 300 ms link a
		// render-blocking CSS request shares the bandwidth with the module preloads and held the first
		// paint of a lesson until about 1.7 s on 3G (docs/performance.md).
		inlineStyleThreshold: 8192,
		// Registered by the page once it is running (src/lib/client/app.ts): SvelteKit's own registration
		// waits for `load`, which may now come before its start (src/lib/server/first-frame.ts).
		serviceWorker: { register: false },
		csp: {
			mode: 'hash',
			directives: {
				'default-src': ['self'],
				'script-src': ['self', ...inlineScripts],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:'],
				'font-src': ['self'],
				'connect-src': ['self'],
				'worker-src': ['self'],
				'manifest-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self']
			}
		},
		prerender: {
			entries: ['*', '/hors-ligne', '/en/hors-ligne'],
			handleHttpError: 'fail',
			handleMissingId: 'fail'
		}
	}
};
