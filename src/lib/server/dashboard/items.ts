import { error } from '@sveltejs/kit';
import { scoreHistogram, type Bin } from '$lib/dashboard/charts';
import { itemAnalysis, type ItemFigures } from '$lib/dashboard/items';
import type { Cohort } from '../cohorts';
import type { Db } from '../db';
import { cohortStructure, type AssessmentColumn } from './structure';

// Item analysis of one assessment over a cohort, from question_stats (each learner's latest
// answer to each question) and learner_quiz (each learner's latest score on the assessment).

export interface ItemReport {
	assessment: AssessmentColumn;
	courseTitle: string;
	/** Learners who completed the assessment at least once. */
	takers: number;
	items: ItemFigures[];
	/** Best scores of the takers, in ten bands. */
	distribution: Bin[];
}

export function findAssessment(cohort: Cohort, courseId: string, quizId: string) {
	const structure = cohortStructure(cohort.courses);
	const assessment = structure.assessments.find(
		(a) => a.courseId === courseId && a.quizId === quizId
	);
	if (!assessment) error(404, 'Évaluation introuvable dans cette promotion.');
	return { structure, assessment };
}

const parse = (text: string | null): unknown => {
	if (text === null) return undefined;
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
};

export async function itemReport(
	db: Db,
	cohort: Cohort,
	courseId: string,
	quizId: string
): Promise<ItemReport> {
	const { structure, assessment } = findAssessment(cohort, courseId, quizId);
	const [responses, totals] = await Promise.all([
		db
			.selectFrom('question_stats')
			.innerJoin('enrollments', 'enrollments.user_id', 'question_stats.learner_id')
			.select([
				'question_stats.learner_id',
				'question_stats.question_id',
				'question_stats.last_score',
				'question_stats.last_response'
			])
			.where('enrollments.cohort_id', '=', cohort.id)
			.where('question_stats.course_id', '=', courseId)
			.where('question_stats.quiz_id', '=', quizId)
			.execute(),
		db
			.selectFrom('learner_quiz')
			.innerJoin('enrollments', 'enrollments.user_id', 'learner_quiz.learner_id')
			.select([
				'learner_quiz.learner_id',
				'learner_quiz.last_score',
				'learner_quiz.best_score',
				'learner_quiz.attempts'
			])
			.where('enrollments.cohort_id', '=', cohort.id)
			.where('learner_quiz.course_id', '=', courseId)
			.where('learner_quiz.quiz_id', '=', quizId)
			.execute()
	]);
	const scored = totals.filter((t) => t.attempts > 0 && t.last_score !== null);
	return {
		assessment,
		courseTitle: structure.courses.find((c) => c.id === courseId)?.title ?? courseId,
		takers: scored.length,
		items: itemAnalysis(
			assessment.questions,
			responses.map((r) => ({
				learnerId: r.learner_id,
				questionId: r.question_id,
				score: r.last_score,
				response: parse(r.last_response)
			})),
			new Map(scored.map((t) => [t.learner_id, t.last_score!]))
		),
		distribution: scoreHistogram(
			scored.flatMap((t) => (t.best_score === null ? [] : [t.best_score]))
		)
	};
}
