import { courseCard, encodeCard, type CardOutline, type CourseCard } from '../../dashboard/card';
import type { Progress } from '../../progress/reduce';
import { courseCardOutline } from '../dashboard/structure';
import { runReused, type Db } from '../db';

// The learner_course cards (src/lib/dashboard/card.ts): written by the ingest, in its transaction,
// for every course a push touched; rebuilt by the dashboard from the stored fold when one is
// missing or was built from another outline of the course (content changed since).

const own = <T>(record: Record<string, T>, key: string): T | undefined =>
	Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;

function cardRow(learnerId: string, card: CourseCard, outline: CardOutline) {
	return {
		learner_id: learnerId,
		course_id: outline.courseId,
		outline_key: outline.key,
		items_done: card.itemsDone,
		card: encodeCard(card)
	};
}

/**
 * Writes the cards of `courseIds` (those of the catalogue) from the learner's fold, and returns
 * them by course id. `onlyStale`:
 * leave a card already built from the current outline as it is (the dashboard's rebuild must not
 * overwrite what a concurrent ingest just wrote from a newer fold).
 */
export async function writeCards(
	db: Db,
	learnerId: string,
	progress: Progress,
	courseIds: Iterable<string>,
	onlyStale = false
): Promise<Map<string, CourseCard>> {
	const built = new Map<string, CourseCard>();
	const cards: ReturnType<typeof cardRow>[] = [];
	for (const courseId of new Set(courseIds)) {
		const outline = courseCardOutline(courseId);
		if (!outline) continue;
		const card = courseCard(own(progress.courses, courseId), outline);
		built.set(courseId, card);
		cards.push(cardRow(learnerId, card, outline));
	}
	if (cards.length === 0) return built;
	// compiled once per shape, like the other aggregates (db/reuse.ts)
	await runReused(db, onlyStale ? 'learner_course:stale' : 'learner_course', cards, (rows) =>
		db
			.insertInto('learner_course')
			.values(rows as typeof cards)
			.onConflict((oc) => {
				const update = oc.columns(['learner_id', 'course_id']).doUpdateSet((eb) => ({
					outline_key: eb.ref('excluded.outline_key'),
					items_done: eb.ref('excluded.items_done'),
					card: eb.ref('excluded.card')
				}));
				return onlyStale
					? update.where((eb) =>
							eb('learner_course.outline_key', '<>', eb.ref('excluded.outline_key'))
						)
					: update;
			})
	);
	return built;
}

/** The learner's cards rewritten from scratch (after their whole log was folded again). */
export async function replaceCards(db: Db, learnerId: string, progress: Progress): Promise<void> {
	await db.deleteFrom('learner_course').where('learner_id', '=', learnerId).execute();
	await writeCards(db, learnerId, progress, Object.keys(progress.courses));
}
