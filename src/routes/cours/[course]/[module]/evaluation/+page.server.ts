import { error } from '@sveltejs/kit';
import { catalog, findCourse, localize } from '$lib/server/catalog';
import { getLocale } from '$lib/paraglide/runtime';
import { fingerprint } from '$lib/content/fingerprint';
import { pickLocale } from '$lib/content/pick-locale';
import type { EntryGenerator, PageServerLoad } from './$types';

export const entries = (() =>
	catalog.courses.flatMap((c) =>
		c.modules.filter((m) => m.assessment).map((m) => ({ course: c.id, module: m.id }))
	)) satisfies EntryGenerator;

export const load = (({ params }) => {
	const locale = getLocale();
	const course = findCourse(params.course);
	const index = course.modules.findIndex((m) => m.id === params.module);
	const mod = course.modules[index];
	const quiz = mod?.assessment ? course.quizzes[mod.assessment] : undefined;
	if (!mod || quiz?.mode !== 'assessment') error(404, 'Évaluation introuvable');
	return {
		course: { id: course.id, version: course.version, title: localize(course.title, locale) },
		module: { id: mod.id, n: index + 1, title: localize(mod.title, locale) },
		// Only the page's language travels; the fingerprint is of the whole definition.
		quiz: pickLocale(quiz, locale),
		version: fingerprint(quiz)
	};
}) satisfies PageServerLoad;
