import type { Component } from 'svelte';
import { browser } from '$app/environment';
import type { PageLoad } from './$types';

export const load = (async ({ data }) => {
	// A check's or a scenario's engine needs the local database's code (Dexie, loaded on every page
	// after first paint anyway) as soon as the learner answers or starts: it starts downloading
	// now, alongside the lesson body, rather than after hydration. (Whether an attempt is saved is
	// read without it: $lib/client/saved-attempt.)
	if (browser && (Object.keys(data.quizzes).length > 0 || Object.keys(data.scenarios).length > 0))
		import('$lib/client/store').catch(() => undefined);
	// In the browser of the built site, the body's chunk is known; the server (prerendering) and
	// development use the map of every lesson.
	// The body's chunk imports the lesson components' chunk: asking for both at once saves the
	// round trip the browser would take to discover the second (300 ms on 3G, before hydration).
	const body: { default: Component } =
		browser && data.lesson.chunk
			? (
					await Promise.all([
						import(/* @vite-ignore */ data.lesson.chunk),
						data.lesson.components ? import('$lib/components/lesson') : undefined
					])
				)[0]
			: await import('$lib/lesson-bodies').then(async ({ bodies }) => {
					const load =
						bodies[`/courses/${data.course.id}/lessons/${data.lesson.id}.${data.lesson.lang}.svx`];
					if (!load) throw new Error(`lesson body missing for ${data.course.id}/${data.lesson.id}`);
					return load();
				});
	return { ...data, body: body.default };
}) satisfies PageLoad;
