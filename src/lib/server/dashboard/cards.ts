import { decodeCard, type CourseCard } from '$lib/dashboard/card';
import type { Progress } from '$lib/progress/reduce';
import { writeTransaction, type Db } from '../db';
import { writeCards } from '../sync/cards';
import { readProgress, rebuildLearner } from '../sync/ingest';
import type { CohortStructure } from './structure';

// A cohort's cards (learner_course), one per learner and course of the cohort, in the order of
// `structure.courses`. The ingest keeps them; a card missing (data synced before the table
// existed, a course added to the cohort) or built from another outline of its course (content
// changed) is rebuilt here from the learner's stored fold, and written back for next time.

/** Learners of the cohort: their id, and whether the server holds a fold of theirs. */
export interface CardOwner {
	id: string;
	hasProgress: boolean;
}

export async function cohortCards(
	db: Db,
	cohortId: string,
	structure: CohortStructure,
	learners: readonly CardOwner[]
): Promise<Map<string, (CourseCard | null)[]>> {
	const out = new Map<string, (CourseCard | null)[]>();
	const courses = structure.courses;
	for (const l of learners) out.set(l.id, new Array<CourseCard | null>(courses.length).fill(null));
	if (courses.length === 0 || learners.length === 0) return out;
	const index = new Map(courses.map((c, i) => [c.id, i]));
	const lessonCounts = courses.map((c) => c.modules.reduce((n, m) => n + m.lessons.length, 0));
	const rows = await db
		.selectFrom('enrollments')
		.innerJoin('learner_course', 'learner_course.learner_id', 'enrollments.user_id')
		.select([
			'learner_course.learner_id',
			'learner_course.course_id',
			'learner_course.outline_key',
			'learner_course.items_done',
			'learner_course.card'
		])
		.where('enrollments.cohort_id', '=', cohortId)
		.where(
			'learner_course.course_id',
			'in',
			courses.map((c) => c.id)
		)
		.execute();
	const unreadable = new Set<string>(); // current key, yet the card does not decode: overwrite it
	for (const row of rows) {
		const i = index.get(row.course_id)!;
		const course = courses[i]!;
		const cards = out.get(row.learner_id);
		if (!cards || row.outline_key !== course.card.key) continue;
		cards[i] = decodeCard(Number(row.items_done), row.card, lessonCounts[i]!);
		if (cards[i] === null) unreadable.add(row.learner_id);
	}

	const stale = learners.filter((l) => l.hasProgress && out.get(l.id)!.some((c) => c === null));
	for (let i = 0; i < stale.length; i += 100) {
		const ids = stale.slice(i, i + 100).map((l) => l.id);
		const folds = await db
			.selectFrom('learner_progress')
			.select(['learner_id', 'progress'])
			.where('learner_id', 'in', ids)
			.execute();
		const rebuilt: [string, Progress][] = [];
		for (const { learner_id: id, progress: text } of folds)
			rebuilt.push([id, readProgress(text, id) ?? (await rebuildLearner(db, id))]);
		// one transaction per batch: on SQLite a commit per learner cost most of the rebuild
		await writeTransaction(db, async (trx) => {
			for (const [id, progress] of rebuilt) {
				// only cards still stale are written: an ingest may have written a newer one meanwhile
				const cards = await writeCards(
					trx,
					id,
					progress,
					courses.map((c) => c.id),
					!unreadable.has(id)
				);
				out.set(
					id,
					courses.map((c) => cards.get(c.id) ?? null)
				);
			}
		});
	}
	return out;
}
