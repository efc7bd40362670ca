import type { Component } from 'svelte';
import type { PageLoad } from './$types';

// One chunk per lesson, fetched only for the lesson being read.
const bodies = import.meta.glob<{ default: Component }>('/courses/*/lessons/*.svx');

export const load = (async ({ data }) => {
	const body =
		bodies[`/courses/${data.course.id}/lessons/${data.lesson.id}.${data.lesson.lang}.svx`];
	if (!body) throw new Error(`lesson body missing for ${data.course.id}/${data.lesson.id}`);
	return { ...data, body: (await body()).default };
}) satisfies PageLoad;
