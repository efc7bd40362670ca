import { error } from '@sveltejs/kit';
import {
	formatReport,
	loadCourses,
	localize,
	type Catalog,
	type Course,
	type Lesson,
	type Locale
} from '$lib/content';

// courses/ is read once, at build time, as raw text: the validator (run by the build plugin)
// has already refused broken content, so a failure here is a bug, not an author's mistake.
const raw = import.meta.glob('/courses/**/*.{yaml,svx}', {
	query: '?raw',
	import: 'default',
	eager: true
}) as Record<string, string>;

function load(): Catalog {
	const files = Object.entries(raw).map(([path, text]) => ({ path: path.slice(1), text }));
	const { catalog, problems } = loadCourses(files);
	if (problems.some((p) => p.severity === 'error')) throw new Error(formatReport(problems));
	return catalog;
}

export const catalog: Catalog = load();

export function findCourse(id: string): Course {
	const course = catalog.courses.find((c) => c.id === id);
	if (!course) error(404, 'Cours introuvable');
	return course;
}

export function findLesson(course: Course, id: string): Lesson {
	const lesson = course.lessons[id];
	if (!lesson) error(404, 'Leçon introuvable');
	return lesson;
}

/** Lessons of a course in reading order, module after module. */
export function lessonOrder(course: Course): Lesson[] {
	return course.modules.flatMap((m) =>
		m.lessons.map((id) => course.lessons[id]).filter((l): l is Lesson => !!l)
	);
}

export function glossaryEntries(locale: Locale, ids?: Iterable<string>) {
	const wanted = ids ? new Set(ids) : undefined;
	return Object.entries(catalog.glossary)
		.filter(([id]) => !wanted || wanted.has(id))
		.map(([id, t]) => {
			const entry = (locale === 'en' ? t.en : undefined) ?? t.fr;
			return { id, term: entry.term, definition: entry.definition };
		});
}

export { localize };
