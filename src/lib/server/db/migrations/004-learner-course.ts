import { SqliteAdapter, sql, type Kysely } from 'kysely';

// One card per learner and course (see src/lib/dashboard/card.ts): the cohort page reads a row per
// learner and course instead of grouping every lesson and quiz row of the cohort. Written by the
// sync ingest from the learner's fold; a card whose outline_key is not the course's current one (or
// a missing card) is rebuilt from the stored fold by the dashboard, so the table starts empty.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration sees the schema of its own day, not today's
export async function up(db: Kysely<any>): Promise<void> {
	const columns = `learner_id text not null references users(id) on delete cascade,
		course_id text not null, outline_key text not null, items_done integer not null default 0,
		card text not null, primary key (learner_id, course_id)`;
	// WITHOUT ROWID on SQLite, as the other aggregates (migration 003): a cohort's cards are read in
	// key order from one B-tree.
	const withoutRowid = db.getExecutor().adapter instanceof SqliteAdapter ? ' without rowid' : '';
	await sql`${sql.raw(`create table learner_course (${columns})${withoutRowid}`)}`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('learner_course').ifExists().execute();
}
