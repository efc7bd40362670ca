import type { ExpressionBuilder } from 'kysely';
import type { Database } from '../db/schema';
import type { CohortStructure } from './structure';

// Filters shared by the dashboard's queries: only what the cohort's courses name counts (events
// about a lesson or quiz the content no longer has stay in the log but not in the figures).

type LessonTables = ExpressionBuilder<Database, 'learner_lesson'>;
type QuizTables = ExpressionBuilder<Database, 'learner_quiz'>;

export function lessonOfCohort(structure: CohortStructure) {
	return (eb: LessonTables) =>
		eb.or(
			structure.courses.map((course) =>
				eb.and([
					eb('learner_lesson.course_id', '=', course.id),
					eb(
						'learner_lesson.lesson_id',
						'in',
						course.modules.flatMap((m) => m.lessons.map((l) => l.lessonId)).concat([''])
					)
				])
			)
		);
}

/** The cohort's graded assessments, and also the lessons' checks when `withChecks`. */
export function quizOfCohort(structure: CohortStructure, withChecks = false) {
	return (eb: QuizTables) =>
		eb.or(
			structure.courses.map((course) => {
				const ids = course.modules.flatMap((m) => [
					...(m.assessment ? [m.assessment.quizId] : []),
					...(withChecks ? m.lessons.flatMap((l) => (l.checkQuizId ? [l.checkQuizId] : [])) : [])
				]);
				return eb.and([
					eb('learner_quiz.course_id', '=', course.id),
					eb('learner_quiz.quiz_id', 'in', ids.concat(['']))
				]);
			})
		);
}
