import type { AttemptRow, KalanDB } from './db';
import { newId } from './ids';

type Target = Pick<AttemptRow, 'learnerId' | 'kind' | 'targetId' | 'courseId' | 'contentVersion'>;

/**
 * The attempt to resume for this learner and target, if any. An active attempt taken on another
 * version of the content is marked abandoned (kept, never deleted) and reported as `changed`.
 */
export async function findResumable(
	db: KalanDB,
	target: Target
): Promise<{ attempt?: AttemptRow; changed: boolean }> {
	return db.transaction('rw', db.attempts, async () => {
		const rows = await db.attempts
			.where('[learnerId+targetId]')
			.equals([target.learnerId, target.targetId])
			.toArray();
		const live = rows
			.filter((r) => r.kind === target.kind && r.status !== 'abandoned')
			.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
		let changed = false;
		for (const row of live.filter((r) => r.contentVersion !== target.contentVersion)) {
			await db.attempts.update(row.id, {
				status: 'abandoned',
				updatedAt: new Date().toISOString()
			});
			changed ||= row.status === 'active';
		}
		return { attempt: live.find((r) => r.contentVersion === target.contentVersion), changed };
	});
}

/** A new attempt row (not yet written). */
export function newAttempt(target: Target, snapshot: unknown): AttemptRow {
	const now = new Date().toISOString();
	return { ...target, id: newId(), status: 'active', snapshot, startedAt: now, updatedAt: now };
}

/** Writes the attempt's latest snapshot. Writes to one store run in the order they were made. */
export async function saveAttempt(
	db: KalanDB,
	row: AttemptRow,
	snapshot: unknown,
	status: AttemptRow['status']
): Promise<void> {
	await db.attempts.put({ ...row, snapshot, status, updatedAt: new Date().toISOString() });
}
