import { error } from '@sveltejs/kit';
import type { LearningEvent } from '../../progress/events';
import type { Db } from '../db';
import { SYNC_LIMITS } from './ingest';

export interface PullResult {
	/** The learner's events after the cursor, in log order. */
	events: LearningEvent[];
	/** Where the next pull starts: pass it back as `after`. */
	cursor: string;
	/** More events wait after this page. */
	more: boolean;
}

/**
 * The cursor is the `seq` of the last event returned: a rank in the learner's own log,
 * given out under the learner's lock, so an event committed later always has a greater one.
 * '' or '0' starts from the beginning.
 */
export function parseCursor(after: string | null | undefined): number {
	const cursor = cursorValue(after);
	if (cursor === null)
		error(400, 'Curseur invalide : attendu le nombre renvoyé par la synchronisation précédente.');
	return cursor;
}

/** The cursor's value, or null when `after` is not one. */
export function cursorValue(after: string | null | undefined): number | null {
	if (after === null || after === undefined || after === '') return 0;
	return /^\d{1,15}$/.test(after) ? Number(after) : null;
}

export async function pull(
	db: Db,
	learner: { id: string },
	after: string | null | undefined,
	limit: number = SYNC_LIMITS.pullPage
): Promise<PullResult> {
	const from = parseCursor(after);
	const size = Math.max(1, Math.min(SYNC_LIMITS.pullPage, Math.floor(limit) || 1));
	const rows = await db
		.selectFrom('events')
		.select(['seq', 'body'])
		.where('learner_id', '=', learner.id)
		.where('seq', '>', from)
		.orderBy('seq')
		.limit(size + 1)
		.execute();
	const page = rows.slice(0, size);
	const last = page.at(-1);
	return {
		events: page.map((r) => JSON.parse(r.body) as LearningEvent),
		cursor: String(last ? Number(last.seq) : from),
		more: rows.length > size
	};
}
