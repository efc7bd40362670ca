import type { Kysely } from 'kysely';

// Certificates of completion issued by the server (see src/lib/server/certificates). Same rules
// as 001: types both databases understand, times as ISO text.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration sees the schema of its own day, not today's
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('certificates')
		.addColumn('code', 'text', (c) => c.primaryKey())
		.addColumn('learner_id', 'text', (c) => c.notNull().references('users.id'))
		.addColumn('cohort_id', 'text', (c) => c.notNull().references('cohorts.id'))
		.addColumn('course_id', 'text', (c) => c.notNull())
		.addColumn('course_version', 'text', (c) => c.notNull())
		.addColumn('payload', 'text', (c) => c.notNull())
		.addColumn('signature', 'text', (c) => c.notNull())
		.addColumn('public_key', 'text', (c) => c.notNull())
		.addColumn('issued_at', 'text', (c) => c.notNull())
		.addColumn('revoked_at', 'text')
		.addColumn('revoked_by', 'text', (c) => c.references('users.id'))
		.addColumn('revoked_reason', 'text')
		// one certificate per learner, course and cohort: a second sync never issues another
		.addUniqueConstraint('certificates_learner_course', ['learner_id', 'cohort_id', 'course_id'])
		.execute();
	await db.schema
		.createIndex('certificates_cohort')
		.on('certificates')
		.columns(['cohort_id', 'issued_at'])
		.execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
	await db.schema.dropTable('certificates').ifExists().execute();
}
