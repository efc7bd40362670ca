import type { LearningEvent } from '../../progress/events';
import type { Progress } from '../../progress/reduce';
import type { Insertable } from 'kysely';
import { runReused, type Db, type QuestionStatsTable } from '../db';

// The rows dashboards read, derived from the learner's fold: one per lesson, quiz and question
// touched. Written by the ingest transaction, so they never disagree with the log.

/** What a batch of new events touched, by key. */
export interface Touched {
	lessons: Map<string, { courseId: string; lessonId: string }>;
	quizzes: Map<string, { courseId: string; quizId: string }>;
	questions: Map<string, { courseId: string; quizId: string; questionId: string }>;
}

const keyOf = (...parts: string[]) => JSON.stringify(parts);

export function touchedBy(events: Iterable<LearningEvent>): Touched {
	const touched: Touched = { lessons: new Map(), quizzes: new Map(), questions: new Map() };
	for (const e of events) {
		if ((e.verb === 'lesson.opened' || e.verb === 'lesson.completed') && e.lessonId !== undefined)
			touched.lessons.set(keyOf(e.courseId, e.lessonId), {
				courseId: e.courseId,
				lessonId: e.lessonId
			});
		else if (e.verb.startsWith('quiz.') && e.quizId !== undefined) {
			touched.quizzes.set(keyOf(e.courseId, e.quizId), { courseId: e.courseId, quizId: e.quizId });
			if (e.verb === 'quiz.answered' && e.questionId !== undefined)
				touched.questions.set(keyOf(e.courseId, e.quizId, e.questionId), {
					courseId: e.courseId,
					quizId: e.quizId,
					questionId: e.questionId
				});
		}
	}
	return touched;
}

const own = <T>(record: Record<string, T>, key: string): T | undefined =>
	Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;

/**
 * Upserts the aggregate rows of what `touched` names, from `progress`. `events` are the events
 * whose responses may be needed (a question's latest answer): a question whose latest answer is
 * not among them keeps the response already stored.
 */
export async function writeAggregates(
	db: Db,
	learnerId: string,
	progress: Progress,
	touched: Touched,
	events: ReadonlyMap<string, LearningEvent>
): Promise<void> {
	const lessons = [...touched.lessons.values()].flatMap(({ courseId, lessonId }) => {
		const course = own(progress.courses, courseId);
		const lesson = course && own(course.lessons, lessonId);
		return lesson
			? [
					{
						learner_id: learnerId,
						course_id: courseId,
						lesson_id: lessonId,
						status: lesson.status,
						completed_at: lesson.completedAt,
						time_ms: lesson.timeSpentMs,
						last_at: lesson.lastAt,
						first_at: lesson.firstOpenedAt
					}
				]
			: [];
	});
	if (lessons.length > 0)
		await runReused(db, 'learner_lesson', lessons, (rows) =>
			db
				.insertInto('learner_lesson')
				.values(rows as typeof lessons)
				.onConflict((oc) =>
					oc.columns(['learner_id', 'course_id', 'lesson_id']).doUpdateSet((eb) => ({
						status: eb.ref('excluded.status'),
						completed_at: eb.ref('excluded.completed_at'),
						time_ms: eb.ref('excluded.time_ms'),
						last_at: eb.ref('excluded.last_at'),
						first_at: eb.ref('excluded.first_at')
					}))
				)
		);

	const quizzes = [...touched.quizzes.values()].flatMap(({ courseId, quizId }) => {
		const course = own(progress.courses, courseId);
		const quiz = course && own(course.quizzes, quizId);
		return quiz
			? [
					{
						learner_id: learnerId,
						course_id: courseId,
						quiz_id: quizId,
						attempts: quiz.attempts,
						best_score: quiz.bestScore,
						last_score: quiz.lastScore,
						passed: quiz.passed ? 1 : 0,
						last_at: quiz.lastAt
					}
				]
			: [];
	});
	if (quizzes.length > 0)
		await runReused(db, 'learner_quiz', quizzes, (rows) =>
			db
				.insertInto('learner_quiz')
				.values(rows as typeof quizzes)
				.onConflict((oc) =>
					oc.columns(['learner_id', 'course_id', 'quiz_id']).doUpdateSet((eb) => ({
						attempts: eb.ref('excluded.attempts'),
						best_score: eb.ref('excluded.best_score'),
						last_score: eb.ref('excluded.last_score'),
						passed: eb.ref('excluded.passed'),
						last_at: eb.ref('excluded.last_at')
					}))
				)
		);

	const withResponse: Insertable<QuestionStatsTable>[] = [];
	const keepResponse: Insertable<QuestionStatsTable>[] = [];
	for (const { courseId, quizId, questionId } of touched.questions.values()) {
		const course = own(progress.courses, courseId);
		const quiz = course && own(course.quizzes, quizId);
		const question = quiz && own(quiz.questions, questionId);
		if (!question) continue;
		const latest = events.get(question.lastEventId);
		const row = {
			learner_id: learnerId,
			course_id: courseId,
			quiz_id: quizId,
			question_id: questionId,
			answers: question.answers,
			last_score: question.lastScore,
			best_score: question.bestScore,
			answered_at: question.lastAt
		};
		if (latest) {
			const response = latest.result?.response;
			withResponse.push({
				...row,
				last_response: response === undefined ? null : JSON.stringify(response)
			});
		} else keepResponse.push({ ...row, last_response: null });
	}
	for (const [rows, replaceResponse] of [
		[withResponse, true],
		[keepResponse, false]
	] as const) {
		if (rows.length === 0) continue;
		await runReused(db, `question_stats ${replaceResponse}`, rows, (rows) =>
			db
				.insertInto('question_stats')
				.values(rows as Insertable<QuestionStatsTable>[])
				.onConflict((oc) =>
					oc.columns(['learner_id', 'course_id', 'quiz_id', 'question_id']).doUpdateSet((eb) => ({
						answers: eb.ref('excluded.answers'),
						last_score: eb.ref('excluded.last_score'),
						best_score: eb.ref('excluded.best_score'),
						answered_at: eb.ref('excluded.answered_at'),
						...(replaceResponse ? { last_response: eb.ref('excluded.last_response') } : {})
					}))
				)
		);
	}
}

/** Every aggregate row of the learner rebuilt from the fold of all their events. */
export async function replaceAggregates(
	db: Db,
	learnerId: string,
	progress: Progress,
	events: readonly LearningEvent[]
): Promise<void> {
	for (const table of ['learner_lesson', 'learner_quiz', 'question_stats'] as const)
		await db.deleteFrom(table).where('learner_id', '=', learnerId).execute();
	const byId = new Map(events.map((e) => [e.id, e]));
	await writeAggregates(db, learnerId, progress, touchedBy(events), byId);
}
