import { randomUUID } from 'node:crypto';
import { error } from '@sveltejs/kit';
import * as v from 'valibot';
import { catalog } from '../catalog';
import { isUniqueViolation, type CohortRow, type Db } from '../db';
import { isPlainId, type AuthUser } from '../auth';
import { parseInput } from '../http';
import { generateJoinCode } from './join-code';

// Cohorts seen from the instructor's side: creating one, its join code, who may see it.

export interface Cohort {
	id: string;
	name: string;
	instructorId: string;
	joinCode: string;
	joinOpen: boolean;
	courses: string[];
	startsOn: string | null;
	endsOn: string | null;
	atRiskDays: number;
	createdAt: string;
}

export interface CohortSummary extends Cohort {
	learnerCount: number;
}

export function toCohort(row: CohortRow): Cohort {
	return {
		id: row.id,
		name: row.name,
		instructorId: row.instructor_id,
		joinCode: row.join_code,
		joinOpen: row.join_open === 1,
		courses: parseCourses(row.courses),
		startsOn: row.starts_on,
		endsOn: row.ends_on,
		atRiskDays: row.at_risk_days,
		createdAt: row.created_at
	};
}

function parseCourses(text: string): string[] {
	try {
		const value: unknown = JSON.parse(text);
		return Array.isArray(value) ? value.filter((c): c is string => typeof c === 'string') : [];
	} catch {
		return [];
	}
}

const isStaff = (user: AuthUser | null): user is AuthUser =>
	user?.role === 'instructor' || user?.role === 'admin';

const day = v.pipe(
	v.string('une date (AAAA-MM-JJ)'),
	v.isoDate('une date au format AAAA-MM-JJ, ex. : 2025-09-01')
);
const optionalDay = v.optional(v.union([v.literal(''), v.null(), day]), null);

const cohortSchema = v.pipe(
	v.object(
		{
			name: v.pipe(
				v.string('le nom de la cohorte (un texte)'),
				v.transform((s) => s.replace(/\s+/g, ' ').trim()),
				v.minLength(1, 'un nom de cohorte non vide'),
				v.maxLength(100, "un nom d'au plus 100 caractères"),
				v.regex(/^[^<>\p{Cc}]*$/u, 'un nom sans < > ni caractère de contrôle')
			),
			courses: v.pipe(
				v.array(v.string('un identifiant de cours'), 'la liste des cours'),
				v.minLength(1, 'au moins un cours'),
				v.maxLength(50, 'au plus 50 cours'),
				v.transform((ids) => [...new Set(ids)]),
				v.check(
					(ids) => ids.every((id) => catalog.courses.some((c) => c.id === id)),
					'des cours du catalogue'
				)
			),
			startsOn: optionalDay,
			endsOn: optionalDay,
			atRiskDays: v.optional(
				v.pipe(
					v.number('un nombre de jours'),
					v.integer('un nombre entier de jours'),
					v.minValue(1, 'au moins 1 jour'),
					v.maxValue(365, 'au plus 365 jours')
				)
			)
		},
		'un objet { name, courses, startsOn, endsOn, atRiskDays }'
	),
	v.check(
		(c) => !c.startsOn || !c.endsOn || c.startsOn <= c.endsOn,
		'une date de fin après la date de début'
	)
);

export interface CohortInput {
	name: unknown;
	courses: unknown;
	startsOn?: unknown;
	endsOn?: unknown;
	atRiskDays?: unknown;
}

/** A new cohort, open to joining, with a fresh code. Instructors and administrators only. */
export async function createCohort(
	db: Db,
	instructor: AuthUser | null,
	input: CohortInput
): Promise<Cohort> {
	if (!isStaff(instructor)) error(403, 'Seul un formateur peut créer une cohorte.');
	const fields = parseInput(cohortSchema, input, 'Cohorte refusée');
	const id = randomUUID();
	await withFreshCode(async (code) => {
		await db
			.insertInto('cohorts')
			.values({
				id,
				name: fields.name,
				instructor_id: instructor.id,
				join_code: code,
				courses: JSON.stringify(fields.courses),
				starts_on: fields.startsOn || null,
				ends_on: fields.endsOn || null,
				...(fields.atRiskDays === undefined ? {} : { at_risk_days: fields.atRiskDays }),
				created_at: new Date().toISOString()
			})
			.execute();
	});
	return loadCohort(db, id);
}

/** Tries codes until one is free (31⁶ ≈ 887 million codes: a second try is already rare). */
async function withFreshCode(write: (code: string) => Promise<void>): Promise<void> {
	for (let attempt = 0; ; attempt++) {
		try {
			return await write(generateJoinCode());
		} catch (caught) {
			if (!isUniqueViolation(caught) || attempt >= 9) throw caught;
		}
	}
}

async function loadCohort(db: Db, id: string): Promise<Cohort> {
	const row = await db.selectFrom('cohorts').selectAll().where('id', '=', id).executeTakeFirst();
	if (!row) error(404, 'Cohorte introuvable.');
	return toCohort(row);
}

/** The cohort if `user` owns it or is an administrator; 404 otherwise (never says it exists). */
export async function findOwned(db: Db, user: AuthUser | null, cohortId: string): Promise<Cohort> {
	const row =
		isStaff(user) && isPlainId(cohortId)
			? await db.selectFrom('cohorts').selectAll().where('id', '=', cohortId).executeTakeFirst()
			: undefined;
	if (!row || (user?.role !== 'admin' && row.instructor_id !== user?.id))
		error(404, 'Cohorte introuvable.');
	return toCohort(row);
}

/** An instructor's cohorts (every cohort for an administrator), newest first, with head counts. */
export async function listForInstructor(db: Db, user: AuthUser | null): Promise<CohortSummary[]> {
	if (!isStaff(user)) error(403, 'Réservé aux formateurs.');
	const rows = await db
		.selectFrom('cohorts')
		.selectAll('cohorts')
		.select((eb) =>
			eb
				.selectFrom('enrollments')
				.whereRef('enrollments.cohort_id', '=', 'cohorts.id')
				.select((e) => e.fn.countAll<number>().as('n'))
				.as('learner_count')
		)
		.$if(user.role !== 'admin', (qb) => qb.where('instructor_id', '=', user.id))
		.orderBy('created_at', 'desc')
		.orderBy('id')
		.execute();
	return rows.map((row) => ({ ...toCohort(row), learnerCount: Number(row.learner_count ?? 0) }));
}

/** A new join code (the old one stops working at once). */
export async function regenerateCode(
	db: Db,
	user: AuthUser | null,
	cohortId: string
): Promise<Cohort> {
	const cohort = await findOwned(db, user, cohortId);
	await withFreshCode(async (code) => {
		await db.updateTable('cohorts').set({ join_code: code }).where('id', '=', cohort.id).execute();
	});
	return loadCohort(db, cohort.id);
}

export async function closeJoin(db: Db, user: AuthUser | null, cohortId: string): Promise<Cohort> {
	return setJoinOpen(db, user, cohortId, false);
}

export async function openJoin(db: Db, user: AuthUser | null, cohortId: string): Promise<Cohort> {
	return setJoinOpen(db, user, cohortId, true);
}

async function setJoinOpen(
	db: Db,
	user: AuthUser | null,
	cohortId: string,
	open: boolean
): Promise<Cohort> {
	const cohort = await findOwned(db, user, cohortId);
	await db
		.updateTable('cohorts')
		.set({ join_open: open ? 1 : 0 })
		.where('id', '=', cohort.id)
		.execute();
	return { ...cohort, joinOpen: open };
}

const settingsSchema = v.object(
	{
		atRiskDays: v.pipe(
			v.string('un nombre de jours'),
			v.trim(),
			v.regex(/^\d{1,3}$/, 'un nombre entier de jours, par exemple 7'),
			v.transform(Number),
			v.minValue(1, 'au moins 1 jour'),
			v.maxValue(365, 'au plus 365 jours')
		)
	},
	'les réglages { atRiskDays }'
);

/** Changes the cohort's settings (for now: after how many idle days a learner is at risk). */
export async function updateCohortSettings(
	db: Db,
	user: AuthUser | null,
	cohortId: string,
	input: { atRiskDays: unknown }
): Promise<Cohort> {
	const cohort = await findOwned(db, user, cohortId);
	const fields = parseInput(settingsSchema, input, 'Réglages refusés');
	await db
		.updateTable('cohorts')
		.set({ at_risk_days: fields.atRiskDays })
		.where('id', '=', cohort.id)
		.execute();
	return { ...cohort, atRiskDays: fields.atRiskDays };
}
