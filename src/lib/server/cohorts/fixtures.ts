import { createCohort, joinCohort, type Joined } from '.';
import { createFirstAdmin, createInstructor, toAuthUser, type AuthUser } from '../auth';
import type { Db } from '../db';

// Small factories of people and cohorts for tests.

export const PASSWORD = 'correct horse battery';

let counter = 0;
const next = () => ++counter;

/** The administrator, made on first call. */
export async function admin(db: Db): Promise<AuthUser> {
	const row = await db
		.selectFrom('users')
		.selectAll()
		.where('role', '=', 'admin')
		.executeTakeFirst();
	return row ? toAuthUser(row) : createFirstAdmin(db, 'admin', PASSWORD);
}

export async function instructor(db: Db, by?: AuthUser): Promise<AuthUser> {
	const n = next();
	return createInstructor(db, by ?? (await admin(db)), {
		username: `formateur${n}`,
		displayName: `Formateur ${String.fromCharCode(64 + (n % 26) + 1)}`,
		password: PASSWORD
	});
}

export async function cohort(db: Db, owner?: AuthUser) {
	return createCohort(db, owner ?? (await instructor(db)), {
		name: `Promotion ${next()}`,
		courses: ['ccs']
	});
}

export async function learner(
	db: Db,
	code: string,
	fields: {
		displayName?: string;
		serviceNumber?: string;
		pin?: string;
		localLearnerId?: string;
	} = {}
): Promise<Joined> {
	return joinCohort(db, {
		code,
		displayName: fields.displayName ?? `Apprenant ${letters(next())}`,
		serviceNumber: fields.serviceNumber,
		pin: fields.pin ?? '4821',
		localLearnerId: fields.localLearnerId,
		address: '10.0.0.1'
	});
}

/** 1 → "A", 27 → "AA": names are letters only. */
function letters(n: number): string {
	let s = '';
	for (let x = n; x > 0; x = Math.floor((x - 1) / 26))
		s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
	return s;
}
