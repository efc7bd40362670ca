import type { Kysely } from 'kysely';

// The instructor dashboard's "stuck on a lesson" rule needs when a lesson was first opened. Rows
// written before this migration take their latest time: the rule then waits N days from it.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration sees the schema of its own day, not today's
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('learner_lesson').addColumn('first_at', 'text').execute();
	await db.updateTable('learner_lesson').set((eb) => ({ first_at: eb.ref('last_at') })).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.alterTable('learner_lesson').dropColumn('first_at').execute();
}
