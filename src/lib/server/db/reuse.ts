import { CompiledQuery, type Compilable, type Kysely, type QueryResult } from 'kysely';
import type { Database } from './schema';

/** The dialect of a database or of a transaction: 'sqlite' or 'postgres'. */
export const dialects = new WeakMap<Kysely<Database>, 'sqlite' | 'postgres'>();

// Kysely builds and compiles every query again: for a multi-row insert that is a node per value
// (1,400 for a sync push of 100 events) walked twice, about as much CPU as SQLite spends running
// it. A multi-row insert's SQL depends only on its table, its columns and its number of rows;
// its parameters are the rows' values in order. So the SQL that Kysely compiled for one shape is
// kept and run again with the next rows' values (better-sqlite3 then reuses its prepared
// statement too, see db/index.ts).

type Row = Readonly<Record<string, unknown>>;

const SIZE = 128;
/** SQL by shape; null when Kysely's parameters were not the rows' values in order (never reused). */
const compiled = new Map<string, string | null>();

/** The rows' values, row by row in `columns` order; null if one is missing (Kysely's DEFAULT). */
function valuesOf(rows: readonly Row[], columns: readonly string[]): unknown[] | null {
	const values: unknown[] = [];
	for (const row of rows) {
		for (const column of columns) {
			const value = row[column];
			if (value === undefined) return null;
			values.push(value);
		}
	}
	return values;
}

/**
 * Runs `build(rows)` — a multi-row insert or upsert of `rows`, whose SQL must not depend on their
 * values — compiling it only for a shape not seen before. `name` tells apart two statements on
 * one table (another conflict clause); `dialect` keeps PostgreSQL's and SQLite's SQL apart. The
 * first compile of each shape checks that Kysely's parameters are the rows' values in order;
 * otherwise that shape is always compiled afresh, and so is any query on a database whose dialect
 * is unknown (not made by `createDb` nor a `writeTransaction`).
 */
export async function runReused<R>(
	db: Kysely<Database>,
	name: string,
	rows: readonly Row[],
	build: (rows: readonly Row[]) => Compilable<R>
): Promise<QueryResult<R>> {
	const dialect = dialects.get(db);
	const columns = Object.keys(rows[0] ?? {});
	const values =
		dialect !== undefined && rows.every((row) => Object.keys(row).length === columns.length)
			? valuesOf(rows, columns)
			: null;
	const key = `${dialect}\u0000${name}\u0000${rows.length}\u0000${columns.join(',')}`;
	const sql = values && compiled.get(key);
	if (values && sql) return db.executeQuery(CompiledQuery.raw(sql, values) as CompiledQuery<R>);

	const query = build(rows).compile();
	if (values && !compiled.has(key)) {
		const same =
			query.parameters.length === values.length &&
			query.parameters.every((value, i) => value === values[i]);
		if (compiled.size >= SIZE) compiled.delete(compiled.keys().next().value!);
		compiled.set(key, same ? query.sql : null);
	}
	return db.executeQuery(query);
}

/** Shapes kept (for tests). */
export const reusedShapes = (): number => [...compiled.values()].filter(Boolean).length;
