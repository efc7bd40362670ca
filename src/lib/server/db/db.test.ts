import { mkdtempSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import {
	createDb,
	isUniqueViolation,
	migrate,
	runReused,
	sweep,
	writeTransaction,
	type Db
} from '.';
import { reusedShapes } from './reuse';
import { migrations } from './migrations';
import { testDatabases, type OpenedDb } from './testing';

const TABLES = [
	'users',
	'sessions',
	'cohorts',
	'enrollments',
	'events',
	'learner_progress',
	'learner_lesson',
	'learner_quiz',
	'question_stats',
	'rate_limits'
];

describe.each(testDatabases)('database on $name', ({ open }) => {
	let opened: OpenedDb;
	let db: Db;
	beforeEach(async () => {
		opened = await open();
		db = opened.db;
	});
	afterEach(() => opened.close());

	test('the migrations create every table', async () => {
		const tables = (await db.introspection.getTables()).map((t) => t.name);
		expect(tables).toEqual(expect.arrayContaining(TABLES));
	});

	test('running the migrations again changes nothing and fails nothing', async () => {
		await db
			.insertInto('rate_limits')
			.values({ key: 'k', count: 1, window_start: '2025-01-01T00:00:00.000Z' })
			.execute();
		const schema = (await db.introspection.getTables()).find((t) => t.name === 'events')?.schema;
		await migrate(db, schema === 'public' || schema === 'main' ? undefined : schema);
		await migrate(db, schema === 'public' || schema === 'main' ? undefined : schema);
		const rows = await db.selectFrom('rate_limits').selectAll().execute();
		expect(rows).toHaveLength(1);
		const applied = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
		expect(applied.rows.map((r) => r.name)).toEqual(Object.keys(migrations));
	});

	test('a unique violation is recognised on this database', async () => {
		const row = { key: 'same', count: 1, window_start: '2025-01-01T00:00:00.000Z' };
		await db.insertInto('rate_limits').values(row).execute();
		const caught = await db
			.insertInto('rate_limits')
			.values(row)
			.execute()
			.catch((e: unknown) => e);
		expect(isUniqueViolation(caught)).toBe(true);
		expect(isUniqueViolation(new Error('other'))).toBe(false);
	});

	test('a write transaction that throws leaves nothing behind', async () => {
		await expect(
			writeTransaction(db, async (trx) => {
				await trx
					.insertInto('rate_limits')
					.values({ key: 'gone', count: 1, window_start: '2025-01-01T00:00:00.000Z' })
					.execute();
				throw new Error('stop');
			})
		).rejects.toThrow('stop');
		expect(await db.selectFrom('rate_limits').selectAll().execute()).toEqual([]);
	});

	test('a multi-row upsert compiled once is run again with the next rows’ own values', async () => {
		const name = `test upsert ${Math.random()}`;
		const at = (day: number) => `2025-01-0${day}T00:00:00.000Z`;
		type Limit = { key: string; count: number; window_start: string };
		const upsert = (trx: Db, rows: Limit[]) =>
			runReused(trx, name, rows, (rows) =>
				trx
					.insertInto('rate_limits')
					.values(rows as Limit[])
					.onConflict((oc) =>
						oc.column('key').doUpdateSet((eb) => ({ count: eb.ref('excluded.count') }))
					)
					.returning(['key', 'count'])
			).then((result) => result.rows);
		const shapes = reusedShapes();
		const first = await writeTransaction(db, (trx) =>
			upsert(trx, [
				{ key: 'a', count: 1, window_start: at(1) },
				{ key: 'b', count: 2, window_start: at(2) }
			])
		);
		expect(reusedShapes()).toBe(shapes + 1);
		const second = await writeTransaction(db, (trx) =>
			upsert(trx, [
				{ key: 'b', count: 20, window_start: at(3) },
				{ key: 'c', count: 30, window_start: at(4) }
			])
		);
		// a third shape (one row) is compiled on its own
		await writeTransaction(db, (trx) => upsert(trx, [{ key: 'd', count: 4, window_start: at(5) }]));
		expect(first).toEqual([
			{ key: 'a', count: 1 },
			{ key: 'b', count: 2 }
		]);
		expect(second).toEqual([
			{ key: 'b', count: 20 },
			{ key: 'c', count: 30 }
		]);
		expect(await db.selectFrom('rate_limits').selectAll().orderBy('key').execute()).toEqual([
			{ key: 'a', count: 1, window_start: at(1) },
			{ key: 'b', count: 20, window_start: at(2) },
			{ key: 'c', count: 30, window_start: at(4) },
			{ key: 'd', count: 4, window_start: at(5) }
		]);
	});

	test('the sweep removes expired sessions and stale counters only', async () => {
		const now = new Date('2025-05-01T12:00:00.000Z');
		await db
			.insertInto('users')
			.values({
				id: 'u1',
				role: 'learner',
				username: null,
				display_name: 'A',
				service_number: null,
				password_hash: null,
				pin_hash: null,
				created_at: now.toISOString()
			})
			.execute();
		const session = (id: string, expires: string) => ({
			id,
			user_id: 'u1',
			created_at: '2025-04-01T00:00:00.000Z',
			expires_at: expires,
			last_seen_at: '2025-04-01T00:00:00.000Z'
		});
		await db
			.insertInto('sessions')
			.values([
				session('old', '2025-05-01T11:59:59.000Z'),
				session('live', '2025-05-01T12:00:01.000Z')
			])
			.execute();
		await db
			.insertInto('rate_limits')
			.values([
				{ key: 'stale', count: 9, window_start: '2025-04-29T00:00:00.000Z' },
				{ key: 'recent', count: 9, window_start: '2025-05-01T11:00:00.000Z' }
			])
			.execute();
		await sweep(db, now);
		expect((await db.selectFrom('sessions').select('id').execute()).map((r) => r.id)).toEqual([
			'live'
		]);
		expect((await db.selectFrom('rate_limits').select('key').execute()).map((r) => r.key)).toEqual([
			'recent'
		]);
	});

	test('bigint counters read back as numbers', async () => {
		await db
			.insertInto('users')
			.values({
				id: 'u1',
				role: 'learner',
				username: null,
				display_name: 'A',
				service_number: null,
				password_hash: null,
				pin_hash: null,
				created_at: new Date().toISOString()
			})
			.execute();
		await db.insertInto('learner_progress').values({ learner_id: 'u1', progress: '{}' }).execute();
		const row = await db.selectFrom('learner_progress').selectAll().executeTakeFirstOrThrow();
		expect(row.event_count).toBe(0);
		expect(row.last_seq).toBe(0);
	});
});

describe('the SQLite file', () => {
	let dir: string;
	beforeEach(() => {
		dir = mkdtempSync(join(tmpdir(), 'kalan-db-'));
	});
	afterEach(() => {
		vi.unstubAllEnvs();
		rmSync(dir, { recursive: true, force: true });
	});

	test('is opened in WAL mode with foreign keys on, and migrated twice safely', async () => {
		const file = join(dir, 'kalan.db');
		const first = await createDb({ sqlite: file });
		await first.destroy();
		const db = await createDb({ sqlite: file });
		const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db);
		const keys = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db);
		expect(mode.rows[0]?.journal_mode).toBe('wal');
		expect(keys.rows[0]?.foreign_keys).toBe(1);
		await expect(
			db
				.insertInto('sessions')
				.values({ id: 's', user_id: 'nobody', created_at: '', expires_at: '', last_seen_at: '' })
				.execute()
		).rejects.toThrow(/FOREIGN KEY/);
		await db.destroy();
	});

	test('transactions and queries queued for the one connection run one at a time, in arrival order', async () => {
		const db = await createDb({ sqlite: join(dir, 'kalan.db') });
		const order: number[] = [];
		// each transaction reads the counter, yields, then writes it: run together, they would lose updates
		const bump = (i: number) =>
			writeTransaction(db, async (trx) => {
				order.push(i);
				const row = await trx
					.selectFrom('rate_limits')
					.select('count')
					.where('key', '=', 'n')
					.executeTakeFirst();
				await new Promise((resolve) => setTimeout(resolve, 1));
				await trx
					.insertInto('rate_limits')
					.values({ key: 'n', count: (row?.count ?? 0) + 1, window_start: '' })
					.onConflict((oc) => oc.column('key').doUpdateSet({ count: (row?.count ?? 0) + 1 }))
					.execute();
			});
		const reads = Array.from({ length: 30 }, (_, i) =>
			i % 3 === 0
				? bump(i)
				: db
						.selectFrom('rate_limits')
						.select('count')
						.execute()
						.then(() => undefined)
		);
		await Promise.all(reads);
		expect(order).toEqual(Array.from({ length: 10 }, (_, k) => k * 3));
		const { count } = await db
			.selectFrom('rate_limits')
			.select('count')
			.where('key', '=', 'n')
			.executeTakeFirstOrThrow();
		expect(count).toBe(10);
		await db.destroy();
	});

	test('getDb makes DATA_DIR and kalan.db in it, once', async () => {
		vi.stubEnv('DATABASE_URL', '');
		vi.stubEnv('DATA_DIR', join(dir, 'data'));
		vi.resetModules();
		const { getDb } = await import('.');
		const [a, b] = await Promise.all([getDb(), getDb()]);
		expect(a).toBe(b);
		expect(existsSync(join(dir, 'data', 'kalan.db'))).toBe(true);
		await a.destroy();
	});
});
