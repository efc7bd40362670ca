import type { Db } from './db';

/** Staff accounts, for the administrator. */
export async function listStaff(db: Db) {
	return db
		.selectFrom('users')
		.select(['id', 'username', 'display_name', 'role', 'created_at'])
		.where('role', 'in', ['admin', 'instructor'])
		.orderBy('display_name')
		.execute();
}
