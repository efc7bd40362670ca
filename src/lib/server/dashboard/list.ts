import { DAY_MS } from '$lib/dashboard/at-risk';
import type { CohortSummary } from '../cohorts';
import type { ExpressionBuilder } from 'kysely';
import type { Db } from '../db';
import type { Database } from '../db/schema';
import { cohortCards } from './cards';
import { cohortStructure, type CohortStructure } from './structure';

// The cohort list's figures: learners active in the last 7 days, mean completion, and how fresh
// the data is (the oldest last sync among active learners: what the instructor sees is at least
// that recent). Grouped queries over the aggregates: learners' rows and their cards (learner_course).

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
		const done =
			cohort.learnerCount > 0 && items > 0 ? await itemsDone(db, cohort.id, structure) : 0;
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

/** Items done (lessons completed, assessments passed) summed over the cohort's learners. */
async function itemsDone(db: Db, cohortId: string, structure: CohortStructure): Promise<number> {
	const current = (cards: ExpressionBuilder<Database, 'learner_course'>) =>
		cards.or(
			structure.courses.map((c) =>
				cards.and([
					cards('learner_course.course_id', '=', c.id),
					cards('learner_course.outline_key', '=', c.card.key)
				])
			)
		);
	const [sum, owners] = await Promise.all([
		db
			.selectFrom('enrollments')
			.innerJoin('learner_course', 'learner_course.learner_id', 'enrollments.user_id')
			.select((eb) => [
				eb.fn.countAll<number>().as('cards'),
				eb.fn.sum<number>('learner_course.items_done').as('done')
			])
			.where('enrollments.cohort_id', '=', cohortId)
			.where(current)
			.executeTakeFirst(),
		db
			.selectFrom('enrollments')
			.innerJoin('learner_progress', 'learner_progress.learner_id', 'enrollments.user_id')
			.select('enrollments.user_id as id')
			.where('enrollments.cohort_id', '=', cohortId)
			.execute()
	]);
	// Every learner with a fold has a current card for each course once the cards are up to date.
	if (Number(sum?.cards ?? 0) >= owners.length * structure.courses.length)
		return Number(sum?.done ?? 0);
	const cards = await cohortCards(
		db,
		cohortId,
		structure,
		owners.map((o) => ({ id: o.id, hasProgress: true }))
	);
	let done = 0;
	for (const own of cards.values()) for (const card of own) done += card?.itemsDone ?? 0;
	return done;
}
