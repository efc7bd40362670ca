import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { mdsvex } from 'mdsvex';
import { lessonPreprocess, rehypeHeadingIds } from './scripts/lesson-preprocess.js';

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
		prerender: {
			entries: ['*', '/hors-ligne', '/en/hors-ligne'],
			handleHttpError: 'fail',
			handleMissingId: 'fail'
		}
	}
};
