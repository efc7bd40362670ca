import { randomUUID } from 'node:crypto';
import { lessonCheck, type Course, type Question } from '$lib/content';
import type { LearningEvent } from '$lib/progress/events';

// Plausible activity of a synthetic learner, for `npm run demo` and the dashboard benchmark: some
// learners far ahead, some who stopped days ago, assessments failed then passed, lessons left
// open, answers whose wrong choices cluster as in a real class. Seeded: the same every time.

type Draft = Omit<LearningEvent, 'id' | 'learnerId' | 'at' | 'courseId' | 'courseVersion'>;

/** A response to `question`, right with probability `p`; wrong ones favour the first distractor. */
function answer(
	question: Question,
	p: number,
	rand: () => number
): { score: number; response?: unknown } {
	const right = rand() < p;
	const wrongPick = <T>(xs: readonly T[]): T =>
		xs[rand() < 0.6 ? 0 : Math.floor(rand() * xs.length)]!;
	switch (question.type) {
		case 'single': {
			const good = question.choices.find((c) => c.correct)!;
			const bad = question.choices.filter((c) => !c.correct);
			return right ? { score: 1, response: good.id } : { score: 0, response: wrongPick(bad).id };
		}
		case 'multiple': {
			const good = question.choices.filter((c) => c.correct).map((c) => c.id);
			const bad = question.choices.filter((c) => !c.correct).map((c) => c.id);
			return right || bad.length === 0
				? { score: 1, response: good }
				: { score: 0.5, response: [...good.slice(1), wrongPick(bad)] };
		}
		case 'true-false':
			return { score: right ? 1 : 0, response: right ? question.answer : !question.answer };
		case 'decision': {
			const ranked = [...question.choices].sort((a, b) => b.score - a.score);
			const pick = right ? ranked[0]! : wrongPick(ranked.slice(1));
			return { score: pick.score, response: pick.id };
		}
		case 'short-text':
			return right
				? { score: 1, response: question.accept.fr[0] }
				: { score: 0, response: 'je ne sais pas' };
		default:
			return { score: right ? 1 : rand() < 0.5 ? 0.5 : 0 };
	}
}

export interface SyntheticOptions {
	learnerId: string;
	courses: readonly Course[];
	rand: () => number;
	now: number;
	/** Days of activity before `now` (the cohort's age). */
	days?: number;
}

/** Events of one learner across `courses`, oldest first, all dated before `now`. */
export function syntheticActivity({
	learnerId,
	courses,
	rand,
	now,
	days = 21
}: SyntheticOptions): LearningEvent[] {
	const log: LearningEvent[] = [];
	const lessons = courses.flatMap((course) =>
		course.modules.flatMap((module, m) =>
			module.lessons.map((id, i) => ({
				course,
				module,
				id,
				last: i === module.lessons.length - 1,
				m
			}))
		)
	);
	// How far this learner went, and whether they stopped a while ago.
	const reach = Math.floor(rand() ** 0.7 * (lessons.length + 1));
	const stoppedDaysAgo = rand() < 0.2 ? 8 + Math.floor(rand() * 10) : Math.floor(rand() * 3);
	const ability = 0.45 + rand() * 0.45;
	let at = now - (days + Math.floor(rand() * 5)) * 86_400_000;
	const end = now - stoppedDaysAgo * 86_400_000;
	const step = reach > 0 ? Math.max(600_000, (end - at) / (reach + 2)) : 0;
	const push = (course: Course, e: Draft) => {
		at += 30_000 + Math.floor(rand() * 90_000);
		log.push({
			id: randomUUID(),
			learnerId,
			at: new Date(Math.min(at, now - 60_000)).toISOString(),
			courseId: course.id,
			courseVersion: course.version,
			...e
		} as LearningEvent);
	};
	for (const lesson of lessons.slice(0, reach)) {
		at += step * (0.5 + rand());
		const { course, module } = lesson;
		push(course, { verb: 'lesson.opened', lessonId: lesson.id });
		const quiz = lessonCheck(course, lesson.id);
		if (quiz) {
			push(course, { verb: 'quiz.started', quizId: quiz.id });
			const scores = quiz.questions.map((q) => {
				const { score, response } = answer(q, ability + 0.15, rand);
				push(course, {
					verb: 'quiz.answered',
					quizId: quiz.id,
					questionId: q.id,
					result: { score, success: score >= 1, ...(response === undefined ? {} : { response }) }
				} as Draft);
				return score;
			});
			const score = scores.reduce((a, b) => a + b, 0) / Math.max(1, scores.length);
			push(course, {
				verb: 'quiz.completed',
				quizId: quiz.id,
				result: { score, success: true, durationMs: 120_000 }
			});
		}
		push(course, {
			verb: 'lesson.completed',
			lessonId: lesson.id,
			result: { durationMs: 240_000 + Math.floor(rand() * 500_000) }
		});
		const assessment =
			lesson.last && module.assessment ? course.quizzes[module.assessment] : undefined;
		if (assessment && assessment.mode === 'assessment') {
			const tries = Math.min(
				assessment.maxAttempts,
				1 + (rand() < 0.35 ? 1 : 0) + (rand() < 0.15 ? 1 : 0)
			);
			for (let t = 0; t < tries; t++) {
				push(course, { verb: 'quiz.started', quizId: assessment.id });
				const drawn = assessment.questions.slice(0, assessment.draw ?? assessment.questions.length);
				const scores = drawn.map((q) => {
					const { score, response } = answer(q, ability + 0.1 * t, rand);
					push(course, {
						verb: 'quiz.answered',
						quizId: assessment.id,
						questionId: q.id,
						result: { score, success: score >= 1, ...(response === undefined ? {} : { response }) }
					} as Draft);
					return score;
				});
				const score = scores.reduce((a, b) => a + b, 0) / Math.max(1, scores.length);
				const passed = score >= assessment.passMark;
				push(course, {
					verb: 'quiz.completed',
					quizId: assessment.id,
					result: { score, success: passed, durationMs: 600_000 }
				});
				if (passed) break;
			}
		}
	}
	// Some learners open the next lesson and leave it there.
	const next = lessons[reach];
	if (next && rand() < 0.5) push(next.course, { verb: 'lesson.opened', lessonId: next.id });
	return log;
}
