/**
 * The server's database: the only module that opens one. Kysely over better-sqlite3 (a file under
 * `DATA_DIR`, default `data/`) or over PostgreSQL when `DATABASE_URL` is set; one set of
 * migrations for both, run once on first use under Kysely's migrator lock. Server-only: imports
 * nothing from $lib/client or $lib/components.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import {
	Kysely,
	Migrator,
	PostgresDialect,
	SqliteDialect,
	SqliteDriver,
	sql,
	type DatabaseConnection,
	type Driver,
	type SqliteDialectConfig,
	type KyselyConfig,
	type SqliteDatabase
} from 'kysely';
import pg from 'pg';
import { migrationProvider } from './migrations';
import { dialects } from './reuse';
import type { Database } from './schema';

export * from './schema';
export { runReused } from './reuse';

export type Db = Kysely<Database>;
export type Dialect = 'sqlite' | 'postgres';

export interface DbOptions {
	/** A SQLite file path, or ':memory:'. */
	sqlite?: string;
	/** A PostgreSQL connection string (takes precedence over `sqlite`). */
	postgres?: string;
	/** PostgreSQL schema to work in (created when missing): lets tests share one database. */
	schema?: string;
	/** Run the migrations before returning (default true). */
	migrate?: boolean;
	/** Kysely's query log (e.g. to time queries). */
	log?: KyselyConfig['log'];
}

/** The dialect of a database made by `createDb`/`getDb`, or of a `writeTransaction`'s transaction. */
export function dialectOf(db: Db): Dialect {
	const dialect = dialects.get(db);
	if (!dialect) throw new Error('dialectOf: not a database made by createDb or writeTransaction');
	return dialect;
}

/** Opens a database, and migrates it unless told not to. */
export async function createDb(options: DbOptions): Promise<Db> {
	const db = options.postgres
		? openPostgres(options.postgres, options.schema, options.log)
		: openSqlite(options.sqlite ?? ':memory:', options.log);
	if (options.migrate !== false) {
		try {
			await migrate(db, options.schema);
		} catch (error) {
			await db.destroy();
			throw error;
		}
	}
	return db;
}

let shared: Promise<Db> | undefined;

/** The application's database, opened and migrated on first use. */
export function getDb(): Promise<Db> {
	shared ??= createDb(
		process.env.DATABASE_URL
			? { postgres: process.env.DATABASE_URL }
			: { sqlite: join(dataDir(), 'kalan.db') }
	)
		.then(async (db) => {
			await sweep(db);
			return db;
		})
		.catch((error: unknown) => {
			shared = undefined; // the next request tries again rather than failing for ever
			throw error;
		});
	return shared;
}

/** Expired sessions and stale rate-limit counters go at start-up (they are tiny, and only grow). */
export async function sweep(db: Db, now = new Date()): Promise<void> {
	await db.deleteFrom('sessions').where('expires_at', '<=', now.toISOString()).execute();
	const dayAgo = new Date(now.getTime() - 24 * 60 * 60 * 1000).toISOString();
	await db.deleteFrom('rate_limits').where('window_start', '<=', dayAgo).execute();
}

function dataDir(): string {
	const dir = process.env.DATA_DIR || 'data';
	mkdirSync(dir, { recursive: true });
	return dir;
}

/** Brings the schema up to date; safe to run again, and from several servers at once. */
export async function migrate(db: Db, schema?: string): Promise<void> {
	const migrator = new Migrator({
		db,
		provider: migrationProvider,
		...(schema ? { migrationTableSchema: schema } : {})
	});
	const { error, results } = await migrator.migrateToLatest();
	const failed = results?.find((r) => r.status === 'Error');
	if (error || failed)
		throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${String(error)}`, {
			cause: error
		});
}

function openSqlite(file: string, log?: KyselyConfig['log']): Db {
	const database = new SQLite(file);
	if (file !== ':memory:') database.pragma('journal_mode = WAL');
	// WAL with synchronous=NORMAL stays consistent after a crash; only the last commits of a
	// power cut may be lost, and the devices resend those (events are idempotent).
	database.pragma('synchronous = NORMAL');
	database.pragma('foreign_keys = ON');
	database.pragma('busy_timeout = 5000');
	const db = new Kysely<Database>({
		dialect: new QueuedSqliteDialect({ database: withStatementCache(database) }),
		log
	});
	dialects.set(db, 'sqlite');
	return db;
}

/**
 * SQLite has one connection, which Kysely's driver hands out under a mutex whose every release
 * wakes every waiter (each one checks and waits again): with a few hundred requests queued under
 * load, that is a few hundred wake-ups per query. Here waiters queue in order and the connection is
 * handed to the next one only: the same one-at-a-time access, in arrival order, at a constant cost.
 */
class QueuedSqliteDriver extends SqliteDriver {
	private readonly waiting: (() => void)[] = [];
	private busy = false;

	override async acquireConnection(): Promise<DatabaseConnection> {
		if (this.busy) await new Promise<void>((resolve) => this.waiting.push(resolve));
		this.busy = true;
		return super.acquireConnection();
	}

	override async releaseConnection(): Promise<void> {
		await super.releaseConnection();
		const next = this.waiting.shift();
		// handed over: `busy` stays true, so that no newcomer passes the one that waited
		if (next) next();
		else this.busy = false;
	}
}

class QueuedSqliteDialect extends SqliteDialect {
	constructor(private readonly options: SqliteDialectConfig) {
		super(options);
	}

	override createDriver(): Driver {
		return new QueuedSqliteDriver(this.options);
	}
}

/**
 * Kysely prepares every query again; better-sqlite3 statements can be reused, and preparing a
 * 100-row insert costs about as much as running it. The most recently used ones are kept.
 */
function withStatementCache(database: SQLite.Database, size = 256): SqliteDatabase {
	const cache = new Map<string, SQLite.Statement>();
	return {
		close: () => database.close(),
		prepare(text) {
			let statement = cache.get(text);
			if (statement) cache.delete(text);
			else {
				statement = database.prepare(text);
				if (cache.size >= size) cache.delete(cache.keys().next().value!);
			}
			cache.set(text, statement);
			return statement;
		}
	};
}

// bigint (int8) columns hold counters and sequences far below 2^53: read them as numbers, as
// SQLite does, instead of pg's default strings.
const pgTypes = {
	getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
		oid === pg.types.builtins.INT8
			? (value: string) => Number(value)
			: pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser
};

function openPostgres(connectionString: string, schema?: string, log?: KyselyConfig['log']): Db {
	if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema))
		throw new Error(`invalid schema name: ${schema}`);
	const pool = new pg.Pool({
		connectionString,
		max: Number(process.env.DATABASE_POOL_SIZE) || 10,
		types: pgTypes,
		...(schema ? { options: `-c search_path=${schema}` } : {})
	});
	const db = new Kysely<Database>({
		dialect: new PostgresDialect({
			pool: schema
				? // the schema must exist before the first connection's search_path points at it
					async () => {
						const client = await pool.connect();
						try {
							await client.query(`create schema if not exists ${schema}`);
						} finally {
							client.release();
						}
						return pool;
					}
				: pool
		}),
		log
	});
	dialects.set(db, 'postgres');
	return db;
}

/**
 * Runs `fn` in a transaction that writes. On SQLite it starts with BEGIN IMMEDIATE, so that a
 * transaction that reads then writes never fails half-way on another process's write lock
 * (better-sqlite3 has one connection, which Kysely hands to one caller at a time). On
 * PostgreSQL it is a plain transaction: rows are locked where needed (`forUpdate`).
 */
export async function writeTransaction<T>(
	db: Db,
	fn: (trx: Db, dialect: Dialect) => Promise<T>
): Promise<T> {
	const dialect = dialectOf(db);
	if (dialect === 'postgres')
		return db.transaction().execute((trx) => {
			dialects.set(trx, dialect);
			return fn(trx, dialect);
		});
	return db.connection().execute(async (conn) => {
		dialects.set(conn, dialect);
		await sql`begin immediate`.execute(conn);
		try {
			const result = await fn(conn, dialect);
			await sql`commit`.execute(conn);
			return result;
		} catch (error) {
			// SQLite may already have rolled back (e.g. a full disk): the first error is the one to report
			await sql`rollback`.execute(conn).catch(() => undefined);
			throw error;
		}
	});
}

/** True when `error` is a violated unique or primary-key constraint, on either database. */
export function isUniqueViolation(error: unknown): boolean {
	const code = (error as { code?: unknown } | null)?.code;
	return (
		code === '23505' ||
		code === 'SQLITE_CONSTRAINT_UNIQUE' ||
		code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
	);
}

/** Now, as stored: ISO text in UTC. */
export const nowIso = (now: Date = new Date()): string => now.toISOString();
