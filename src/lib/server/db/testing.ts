import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDb, type Db } from './index';

// For tests only: the databases every data-layer test runs against. SQLite always (in memory);
// PostgreSQL too when TEST_DATABASE_URL names one, each test in a schema of its own.

export interface OpenedDb {
	db: Db;
	close(): Promise<void>;
}

export interface TestDatabase {
	name: 'sqlite' | 'postgres';
	open(): Promise<OpenedDb>;
}

const pgUrl = process.env.TEST_DATABASE_URL;

export const testDatabases: TestDatabase[] = [
	{
		name: 'sqlite',
		async open() {
			const db = await createDb({ sqlite: ':memory:' });
			return { db, close: () => db.destroy() };
		}
	},
	...(pgUrl
		? [
				{
					name: 'postgres' as const,
					async open(): Promise<OpenedDb> {
						const schema = `t_${randomBytes(6).toString('hex')}`;
						const db = await createDb({ postgres: pgUrl, schema });
						return {
							db,
							async close() {
								await db.destroy();
								const client = new pg.Client({ connectionString: pgUrl });
								await client.connect();
								try {
									await client.query(`drop schema if exists ${schema} cascade`);
								} finally {
									await client.end();
								}
							}
						};
					}
				}
			]
		: [])
];
