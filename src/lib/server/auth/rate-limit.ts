import { error } from '@sveltejs/kit';
import { sql } from 'kysely';
import type { Db } from '../db';

// Fixed-window counters kept in the database, so that every app server behind a load balancer
// sees the same ones. An attempt is counted *before* the check it guards (atomically, by an
// upsert), so a burst of parallel guesses cannot slip past the limit; a success gives it back.

export interface Limit {
	max: number;
	windowMs: number;
	/** Attempts answered at full speed; each one after waits longer (see `slowdownMs`). */
	free: number;
}

/** How a wait is spent: a real timer, or a recorder in tests. */
export type Pause = (ms: number) => Promise<void>;
export const sleep: Pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Brute force is slowed before it is refused: ¼ s, ½ s, 1 s, 2 s… past the free attempts, at most 2 s. */
export function slowdownMs(count: number, limit: Limit): number {
	return count <= limit.free ? 0 : Math.min(250 * 2 ** (count - limit.free - 1), 2000);
}

const MINUTES_15 = 15 * 60 * 1000;

/** Per account: 5 failures in 15 minutes. */
export const ACCOUNT_LIMIT: Limit = { max: 5, windowMs: MINUTES_15, free: 2 };
/** Per address: a whole class may sit behind one school router, so the bar is higher. */
export const ADDRESS_LIMIT: Limit = { max: 50, windowMs: MINUTES_15, free: 10 };

export interface LimitKey {
	key: string;
	limit: Limit;
	/** What a success does: an account starts afresh, an address gets its one attempt back. */
	onSuccess: 'reset' | 'refund';
}

export const accountKey = (account: string): LimitKey => ({
	key: `account:${account}`,
	limit: ACCOUNT_LIMIT,
	onSuccess: 'reset'
});

export const addressKey = (action: string, address: string): LimitKey => ({
	key: `address:${action}:${address}`,
	limit: ADDRESS_LIMIT,
	onSuccess: 'refund'
});

/**
 * Counts one attempt on each key; refuses with 429 (and the wait, in French) past a limit, and
 * slows the answer down once a key is past its free attempts.
 */
export async function countAttempt(
	db: Db,
	keys: LimitKey[],
	now = new Date(),
	pause: Pause = sleep
): Promise<void> {
	let waitMs = 0;
	let slowMs = 0;
	for (const { key, limit } of keys) {
		const cutoff = new Date(now.getTime() - limit.windowMs).toISOString();
		const row = await db
			.insertInto('rate_limits')
			.values({ key, count: 1, window_start: now.toISOString() })
			.onConflict((oc) =>
				oc.column('key').doUpdateSet({
					count: sql<number>`case when ${sql.ref('rate_limits.window_start')} <= ${cutoff} then 1 else ${sql.ref('rate_limits.count')} + 1 end`,
					window_start: sql<string>`case when ${sql.ref('rate_limits.window_start')} <= ${cutoff} then ${sql.ref('excluded.window_start')} else ${sql.ref('rate_limits.window_start')} end`
				})
			)
			.returning(['count', 'window_start'])
			.executeTakeFirstOrThrow();
		if (row.count > limit.max)
			waitMs = Math.max(waitMs, Date.parse(row.window_start) + limit.windowMs - now.getTime());
		slowMs = Math.max(slowMs, slowdownMs(row.count, limit));
	}
	if (waitMs > 0) error(429, tooManyAttempts(waitMs));
	if (slowMs > 0) await pause(slowMs);
}

/** Gives back the attempt a success used. */
export async function forgiveAttempt(db: Db, keys: LimitKey[]): Promise<void> {
	for (const { key, onSuccess } of keys) {
		if (onSuccess === 'reset') await db.deleteFrom('rate_limits').where('key', '=', key).execute();
		else
			await db
				.updateTable('rate_limits')
				.set({ count: sql<number>`case when count > 0 then count - 1 else 0 end` })
				.where('key', '=', key)
				.execute();
	}
}

export async function clearAttempts(db: Db, keys: LimitKey[]): Promise<void> {
	if (keys.length > 0)
		await db
			.deleteFrom('rate_limits')
			.where(
				'key',
				'in',
				keys.map((k) => k.key)
			)
			.execute();
}

export function tooManyAttempts(waitMs: number): string {
	const minutes = Math.max(1, Math.ceil(waitMs / 60_000));
	return `Trop de tentatives. Réessayez dans ${minutes} minute${minutes > 1 ? 's' : ''}.`;
}
