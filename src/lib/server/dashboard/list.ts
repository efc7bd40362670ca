import { DAY_MS } from '$lib/dashboard/at-risk';
import type { CohortSummary } from '../cohorts';
import type { Db } from '../db';
import { lessonOfCohort, quizOfCohort } from './queries';
import { cohortStructure } from './structure';

// The cohort list's figures: learners active in the last 7 days, mean completion, and how fresh
// the data is (the oldest last sync among active learners: what the instructor sees is at least
// that recent). Grouped queries over the aggregates, one per figure, whatever the number of cohorts.

export interface CohortListRow extends CohortSummary {
	activeLast7Days: number;
	/** Mean share of items done (lessons and passed assessments) over learners and courses, 0–100. */
	meanCompletion: number;
	/** Oldest last sync among the learners active in the last 7 days; null when none is active. */
	oldestActiveSync: string | null;
}

export async function cohortListStats(
	db: Db,
	cohorts: readonly CohortSummary[],
	now = Date.now()
): Promise<CohortListRow[]> {
	if (cohorts.length === 0) return [];
	const ids = cohorts.map((c) => c.id);
	const weekAgo = new Date(now - 7 * DAY_MS).toISOString();
	const active = await db
		.selectFrom('enrollments')
		.innerJoin('learner_progress', 'learner_progress.learner_id', 'enrollments.user_id')
		.select((eb) => [
			'enrollments.cohort_id',
			eb.fn.countAll<number>().as('n'),
			eb.fn.min('learner_progress.last_sync_at').as('oldest')
		])
		.where('enrollments.cohort_id', 'in', ids)
		.where('learner_progress.last_event_at', '>=', weekAgo)
		.groupBy('enrollments.cohort_id')
		.execute();
	const activeOf = new Map(active.map((r) => [r.cohort_id, r]));

	const rows: CohortListRow[] = [];
	for (const cohort of cohorts) {
		const structure = cohortStructure(cohort.courses);
		const items = structure.courses.reduce((n, c) => n + c.itemCount, 0);
		let done = 0;
		if (cohort.learnerCount > 0 && items > 0) {
			const [lessons, passed] = await Promise.all([
				db
					.selectFrom('learner_lesson')
					.innerJoin('enrollments', 'enrollments.user_id', 'learner_lesson.learner_id')
					.select((eb) => eb.fn.countAll<number>().as('n'))
					.where('enrollments.cohort_id', '=', cohort.id)
					.where('learner_lesson.status', '=', 'completed')
					.where(lessonOfCohort(structure))
					.executeTakeFirst(),
				db
					.selectFrom('learner_quiz')
					.innerJoin('enrollments', 'enrollments.user_id', 'learner_quiz.learner_id')
					.select((eb) => eb.fn.countAll<number>().as('n'))
					.where('enrollments.cohort_id', '=', cohort.id)
					.where('learner_quiz.passed', '=', 1)
					.where(quizOfCohort(structure))
					.executeTakeFirst()
			]);
			done = Number(lessons?.n ?? 0) + Number(passed?.n ?? 0);
		}
		const a = activeOf.get(cohort.id);
		rows.push({
			...cohort,
			activeLast7Days: Number(a?.n ?? 0),
			meanCompletion:
				cohort.learnerCount > 0 && items > 0
					? Math.round((100 * done) / (cohort.learnerCount * items))
					: 0,
			oldestActiveSync: (a?.oldest as string | null | undefined) ?? null
		});
	}
	return rows;
}
