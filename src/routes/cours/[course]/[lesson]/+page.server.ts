import {
	catalog,
	findCourse,
	findLesson,
	glossaryEntries,
	lessonOrder,
	localize
} from '$lib/server/catalog';
import { lessonText } from '$lib/content';
import { lessonChunk } from '$lib/server/lesson-chunks';
import { fingerprint } from '$lib/content/fingerprint';
import { pickLocale } from '$lib/content/pick-locale';
import { getLocale } from '$lib/paraglide/runtime';
import type { EntryGenerator, PageServerLoad } from './$types';

export const entries = (() =>
	catalog.courses.flatMap((c) =>
		Object.keys(c.lessons).map((lesson) => ({ course: c.id, lesson }))
	)) satisfies EntryGenerator;

export const load = (({ params }) => {
	const locale = getLocale();
	const course = findCourse(params.course);
	const lesson = findLesson(course, params.lesson);
	const { version, lang, fallback } = lessonText(lesson, locale);
	const order = lessonOrder(course);
	const at = order.findIndex((l) => l.id === lesson.id);
	const link = (l: (typeof order)[number] | undefined) =>
		l && { id: l.id, title: lessonText(l, locale).version.title };
	const uses = (name: string, attr: string) =>
		version.components.filter((c) => c.name === name).map((c) => c.attributes[attr] ?? '');
	const moduleIndex = course.modules.findIndex((mod) => mod.id === lesson.moduleId);

	return {
		course: { id: course.id, version: course.version, title: localize(course.title, locale) },
		module: { n: moduleIndex + 1, title: localize(course.modules[moduleIndex]!.title, locale) },
		lesson: {
			id: lesson.id,
			lang,
			chunk: lessonChunk(course.id, lesson.id, lang),
			/** The body places components (a check, a term…): their chunk is fetched alongside it. */
			components: version.components.length > 0,
			fallback,
			title: version.title,
			duration: version.duration,
			objectives: version.objectives,
			sources: version.sources,
			headings: version.headings.filter((h) => h.depth === 2)
		},
		previous: link(order[at - 1]),
		next: link(order[at + 1]),
		glossary: glossaryEntries(
			locale,
			new Set([...(version.glossary ?? []), ...uses('Term', 'id')])
		),
		// Only the page's language travels; the fingerprint is of the whole definition.
		quizzes: Object.fromEntries(
			uses('Check', 'quiz').map((id) => [
				id,
				{ quiz: pickLocale(course.quizzes[id]!, locale), version: fingerprint(course.quizzes[id]) }
			])
		),
		scenarios: Object.fromEntries(
			uses('Scenario', 'id').map((id) => [
				id,
				{
					scenario: pickLocale(course.scenarios[id]!, locale),
					version: fingerprint(course.scenarios[id])
				}
			])
		)
	};
}) satisfies PageServerLoad;
