import type { Component } from 'svelte';
import { browser } from '$app/environment';
import type { PageLoad } from './$types';

export const load = (async ({ data }) => {
	// In the browser of the built site, the body's chunk is known; the server (prerendering) and
	// development use the map of every lesson.
	const body: { default: Component } =
		browser && data.lesson.chunk
			? await import(/* @vite-ignore */ data.lesson.chunk)
			: await import('$lib/lesson-bodies').then(async ({ bodies }) => {
					const load =
						bodies[`/courses/${data.course.id}/lessons/${data.lesson.id}.${data.lesson.lang}.svx`];
					if (!load) throw new Error(`lesson body missing for ${data.course.id}/${data.lesson.id}`);
					return load();
				});
	return { ...data, body: body.default };
}) satisfies PageLoad;
