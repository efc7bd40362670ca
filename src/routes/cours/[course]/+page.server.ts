import { catalog, findCourse, localize } from '$lib/server/catalog';
import { getLocale } from '$lib/paraglide/runtime';
import { questionsAsked } from '$lib/quiz/shuffle';
import type { EntryGenerator, PageServerLoad } from './$types';

export const entries = (() =>
	catalog.courses.map((c) => ({ course: c.id }))) satisfies EntryGenerator;

export const load = (({ params }) => {
	const locale = getLocale();
	const course = findCourse(params.course);
	return {
		course: {
			id: course.id,
			title: localize(course.title, locale),
			summary: localize(course.summary, locale),
			audience: course.audience,
			duration: course.duration,
			lessonCount: course.lessonCount,
			modules: course.modules.map((mod) => {
				const quiz = mod.assessment ? course.quizzes[mod.assessment] : undefined;
				return {
					id: mod.id,
					title: localize(mod.title, locale),
					summary: mod.summary && localize(mod.summary, locale),
					lessons: mod.lessons.flatMap((id) => {
						const lesson = course.lessons[id];
						if (!lesson) return [];
						const version = (locale === 'en' ? lesson.en : undefined) ?? lesson.fr;
						return [
							{
								id,
								title: version.title,
								duration: version.duration,
								objectives: version.objectives
							}
						];
					}),
					assessment:
						quiz?.mode === 'assessment'
							? {
									id: quiz.id,
									title: localize(quiz.title, locale),
									count: questionsAsked(quiz),
									passMark: quiz.passMark
								}
							: undefined
				};
			})
		}
	};
}) satisfies PageServerLoad;
