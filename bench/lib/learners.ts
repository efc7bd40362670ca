import type { Db } from '../../src/lib/server/db';

// The synthetic learners of the server benches (sync, load): ids the benches can recompute, and
// their accounts inserted 200 at a time.

export const learnerId = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

/** Inserts learners 0 … count − 1. */
export async function addLearners(db: Db, count: number): Promise<void> {
	const now = new Date().toISOString();
	for (let i = 0; i < count; i += 200)
		await db
			.insertInto('users')
			.values(
				Array.from({ length: Math.min(200, count - i) }, (_, k) => ({
					id: learnerId(i + k),
					role: 'learner' as const,
					username: null,
					display_name: `Apprenant ${i + k}`,
					service_number: null,
					password_hash: null,
					pin_hash: null,
					created_at: now
				}))
			)
			.execute();
}
