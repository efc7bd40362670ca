import { sql, type Kysely } from 'kysely';

// Valid on SQLite and PostgreSQL alike: only types both understand ('text', 'integer', 'bigint',
// 'double precision'), JSON as text, times as ISO text, booleans as 0/1 integers.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration sees the schema of its own day, not today's
export async function up(db: Kysely<any>): Promise<void> {
	await db.schema
		.createTable('users')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('role', 'text', (c) =>
			c.notNull().check(sql`role in ('admin', 'instructor', 'learner')`)
		)
		.addColumn('username', 'text', (c) => c.unique())
		.addColumn('display_name', 'text', (c) => c.notNull())
		.addColumn('service_number', 'text')
		.addColumn('password_hash', 'text')
		.addColumn('pin_hash', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
		.execute();
	await db.schema.createIndex('users_role').on('users').columns(['role']).execute();

	await db.schema
		.createTable('sessions')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('expires_at', 'text', (c) => c.notNull())
		.addColumn('last_seen_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('sessions_user').on('sessions').columns(['user_id']).execute();
	await db.schema.createIndex('sessions_expiry').on('sessions').columns(['expires_at']).execute();

	await db.schema
		.createTable('cohorts')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('instructor_id', 'text', (c) => c.notNull().references('users.id'))
		.addColumn('join_code', 'text', (c) => c.notNull().unique())
		.addColumn('join_open', 'integer', (c) => c.notNull().defaultTo(1))
		.addColumn('courses', 'text', (c) => c.notNull())
		.addColumn('starts_on', 'text')
		.addColumn('ends_on', 'text')
		.addColumn('at_risk_days', 'integer', (c) => c.notNull().defaultTo(7))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('cohorts_instructor')
		.on('cohorts')
		.columns(['instructor_id'])
		.execute();

	await db.schema
		.createTable('enrollments')
		.addColumn('cohort_id', 'text', (c) => c.notNull().references('cohorts.id').onDelete('cascade'))
		.addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('joined_at', 'text', (c) => c.notNull())
		.addPrimaryKeyConstraint('enrollments_pk', ['cohort_id', 'user_id'])
		.execute();
	await db.schema.createIndex('enrollments_user').on('enrollments').columns(['user_id']).execute();

	await db.schema
		.createTable('events')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('learner_id', 'text', (c) => c.notNull().references('users.id'))
		.addColumn('seq', 'bigint', (c) => c.notNull())
		.addColumn('course_id', 'text', (c) => c.notNull())
		.addColumn('course_version', 'text', (c) => c.notNull())
		.addColumn('verb', 'text', (c) => c.notNull())
		.addColumn('lesson_id', 'text')
		.addColumn('quiz_id', 'text')
		.addColumn('question_id', 'text')
		.addColumn('scenario_id', 'text')
		.addColumn('at', 'text', (c) => c.notNull())
		.addColumn('received_at', 'text', (c) => c.notNull())
		.addColumn('future_flag', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('body', 'text', (c) => c.notNull())
		// the learner's log in order: pulls, timelines, refolds (dashboards read the aggregates)
		.addUniqueConstraint('events_learner_seq', ['learner_id', 'seq'])
		.execute();

	await db.schema
		.createTable('learner_progress')
		.addColumn('learner_id', 'text', (c) =>
			c.primaryKey().references('users.id').onDelete('cascade')
		)
		.addColumn('progress', 'text', (c) => c.notNull())
		.addColumn('event_count', 'bigint', (c) => c.notNull().defaultTo(0))
		.addColumn('last_seq', 'bigint', (c) => c.notNull().defaultTo(0))
		.addColumn('last_event_at', 'text')
		.addColumn('last_sync_at', 'text')
		.execute();

	await db.schema
		.createTable('learner_lesson')
		.addColumn('learner_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('course_id', 'text', (c) => c.notNull())
		.addColumn('lesson_id', 'text', (c) => c.notNull())
		.addColumn('status', 'text', (c) => c.notNull())
		.addColumn('completed_at', 'text')
		.addColumn('time_ms', 'bigint', (c) => c.notNull().defaultTo(0))
		.addColumn('last_at', 'text', (c) => c.notNull())
		// dashboards read a cohort's learners: the key, learner first, is the index they need
		.addPrimaryKeyConstraint('learner_lesson_pk', ['learner_id', 'course_id', 'lesson_id'])
		.execute();

	await db.schema
		.createTable('learner_quiz')
		.addColumn('learner_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('course_id', 'text', (c) => c.notNull())
		.addColumn('quiz_id', 'text', (c) => c.notNull())
		.addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('best_score', 'double precision')
		.addColumn('last_score', 'double precision')
		.addColumn('passed', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('last_at', 'text', (c) => c.notNull())
		.addPrimaryKeyConstraint('learner_quiz_pk', ['learner_id', 'course_id', 'quiz_id'])
		.execute();

	// Quiz ids are unique within a course only, so the course is part of the key.
	await db.schema
		.createTable('question_stats')
		.addColumn('learner_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('course_id', 'text', (c) => c.notNull())
		.addColumn('quiz_id', 'text', (c) => c.notNull())
		.addColumn('question_id', 'text', (c) => c.notNull())
		.addColumn('answers', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('last_response', 'text')
		.addColumn('last_score', 'double precision')
		.addColumn('best_score', 'double precision')
		.addColumn('answered_at', 'text', (c) => c.notNull())
		.addPrimaryKeyConstraint('question_stats_pk', [
			'learner_id',
			'course_id',
			'quiz_id',
			'question_id'
		])
		.execute();

	await db.schema
		.createTable('rate_limits')
		.addColumn('key', 'text', (c) => c.primaryKey())
		.addColumn('count', 'integer', (c) => c.notNull())
		.addColumn('window_start', 'text', (c) => c.notNull())
		.execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
	for (const table of [
		'rate_limits',
		'question_stats',
		'learner_quiz',
		'learner_lesson',
		'learner_progress',
		'events',
		'enrollments',
		'cohorts',
		'sessions',
		'users'
	])
		await db.schema.dropTable(table).ifExists().execute();
}
