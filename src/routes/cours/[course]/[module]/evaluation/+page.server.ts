import { error } from '@sveltejs/kit';
import { catalog, findCourse, localize } from '$lib/server/catalog';
import { getLocale } from '$lib/paraglide/runtime';
import { m } from '$lib/paraglide/messages.js';
import { fingerprint } from '$lib/content/fingerprint';
import { pickLocale } from '$lib/content/pick-locale';
import { questionsAsked } from '$lib/quiz/shuffle';
import { earlyStartHtml } from '$lib/server/early-start';
import type { EntryGenerator, PageServerLoad } from './$types';

export const entries = (() =>
	catalog.courses.flatMap((c) =>
		c.modules.filter((m) => m.assessment).map((m) => ({ course: c.id, module: m.id }))
	)) satisfies EntryGenerator;

export const load = (({ params, locals, isDataRequest }) => {
	const locale = getLocale();
	const course = findCourse(params.course);
	const index = course.modules.findIndex((m) => m.id === params.module);
	const mod = course.modules[index];
	const quiz = mod?.assessment ? course.quizzes[mod.assessment] : undefined;
	if (!mod || quiz?.mode !== 'assessment') error(404, 'Évaluation introuvable');
	const count = questionsAsked(quiz);
	const shown = pickLocale(quiz, locale);
	// The page's HTML (not its data) lets the learner start before its JavaScript has arrived.
	if (!isDataRequest)
		locals.earlyStart = {
			quiz: quiz.id,
			html: earlyStartHtml(
				shown,
				locale,
				m.quiz_question_n({ n: 1, total: count }),
				m.quiz_loading()
			)
		};
	return {
		// What the learner is told before starting, worded here: text that never changes on the page
		// costs its JavaScript nothing (the assessment preloads the question view, docs/performance.md).
		intro: m.assessment_intro(),
		note: m.quiz_feedback_at_end(),
		rules: [
			m.assessment_questions({ count }),
			m.quiz_pass_mark({ mark: Math.round(quiz.passMark * 100) }),
			m.assessment_attempts_allowed({ max: quiz.maxAttempts }),
			...(quiz.timeLimit ? [m.quiz_time_limit({ minutes: Math.round(quiz.timeLimit / 60) })] : [])
		],
		count,
		course: { id: course.id, version: course.version, title: localize(course.title, locale) },
		module: { id: mod.id, n: index + 1, title: localize(mod.title, locale) },
		// Only the page's language travels; the fingerprint is of the whole definition.
		quiz: shown,
		version: fingerprint(quiz)
	};
}) satisfies PageServerLoad;
