import { randomBytes } from 'node:crypto';
import { Migrator, sql } from 'kysely';
import pg from 'pg';
import { describe, expect, test } from 'vitest';
import { createDb, type Db } from '../index';
import { migrationProvider } from './index';

// A database made by an older release keeps every row when the newer migrations run.

const pgUrl = process.env.TEST_DATABASE_URL;
const targets: { name: string; open(): Promise<{ db: Db; close(): Promise<void> }> }[] = [
	{
		name: 'sqlite',
		async open() {
			const db = await createDb({ sqlite: ':memory:', migrate: false });
			return { db, close: () => db.destroy() };
		}
	},
	...(pgUrl
		? [
				{
					name: 'postgres',
					async open() {
						const schema = `m_${randomBytes(6).toString('hex')}`;
						const db = await createDb({ postgres: pgUrl, schema, migrate: false });
						return {
							db,
							async close() {
								await db.destroy();
								const client = new pg.Client({ connectionString: pgUrl });
								await client.connect();
								await client
									.query(`drop schema if exists ${schema} cascade`)
									.finally(() => client.end());
							}
						};
					}
				}
			]
		: [])
];

describe.each(targets)('migrations on $name', ({ name, open }) => {
	test('003 keeps learner_progress rows and dates first_at from the lesson rows', async () => {
		const { db, close } = await open();
		try {
			const migrator = new Migrator({ db, provider: migrationProvider });
			expect((await migrator.migrateTo('001-initial')).error).toBeUndefined();
			const at = '2026-03-01T08:00:00.000Z';
			await db
				.insertInto('users')
				.values({
					id: 'L1',
					role: 'learner',
					username: null,
					display_name: 'Awa',
					service_number: null,
					password_hash: null,
					pin_hash: null,
					created_at: at
				})
				.execute();
			await db
				.insertInto('learner_progress')
				.values({
					learner_id: 'L1',
					progress: '{"version":1}',
					event_count: 3,
					last_seq: 3,
					last_event_at: at,
					last_sync_at: at
				})
				.execute();
			await db
				.insertInto('learner_lesson')
				// the row as 001 knew it, before first_at
				.values({
					learner_id: 'L1',
					course_id: 'ccs',
					lesson_id: 'l1',
					status: 'in-progress',
					completed_at: null,
					time_ms: 0,
					last_at: at
				})
				.execute();

			expect((await migrator.migrateToLatest()).error).toBeUndefined();
			expect(await db.selectFrom('learner_progress').selectAll().execute()).toEqual([
				{
					learner_id: 'L1',
					progress: '{"version":1}',
					event_count: 3,
					last_seq: 3,
					last_event_at: at,
					last_sync_at: at
				}
			]);
			expect(
				await db.selectFrom('learner_lesson').select(['lesson_id', 'first_at']).execute()
			).toEqual([{ lesson_id: 'l1', first_at: at }]);
			if (name === 'sqlite') {
				const tables = await sql<{
					name: string;
					sql: string;
				}>`select name, sql from sqlite_master where type = 'table'`.execute(db);
				for (const table of ['learner_lesson', 'learner_quiz', 'question_stats', 'learner_course'])
					expect(tables.rows.find((t) => t.name === table)?.sql).toMatch(/without rowid$/i);
			}
			// 004 starts the cards empty: the dashboard builds them from the stored folds when first read.
			expect(await db.selectFrom('learner_course').selectAll().execute()).toEqual([]);
			// The rebuilt table still belongs to its learner: deleting the user deletes the row.
			await db.deleteFrom('learner_lesson').execute();
			await db.deleteFrom('users').where('id', '=', 'L1').execute();
			expect(await db.selectFrom('learner_progress').selectAll().execute()).toEqual([]);
		} finally {
			await close();
		}
	});
});
