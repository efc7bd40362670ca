import { randomUUID } from 'node:crypto';
import { error } from '@sveltejs/kit';
import { sql } from 'kysely';
import * as v from 'valibot';
import { writeTransaction, type Db } from '../db';
import { emptyProgress } from '$lib/progress/reduce';
import {
	accountKey,
	addressKey,
	clearAttempts,
	countAttempt,
	createSession,
	dummyVerify,
	forgiveAttempt,
	hashSecret,
	isPlainId,
	nameKey,
	NO_CONTROL,
	personNameSchema,
	pinSchema,
	serviceNumberSchema,
	toAuthUser,
	verifySecret,
	type AuthUser,
	type Pause,
	type SignedIn
} from '../auth';
import { parseInput } from '../http';
import { toCohort, type Cohort } from './cohorts';
import { isJoinCode, normalizeJoinCode } from './join-code';

// Cohorts seen from the learner's side: joining with the instructor's code, signing in again on
// another phone, and the instructor resetting a forgotten PIN.

const codeSchema = v.pipe(
	v.string('le code de la cohorte (un texte)'),
	v.transform(normalizeJoinCode),
	v.check(isJoinCode, 'un code de 6 lettres ou chiffres, ex. : K7M2QX')
);

/** UUIDs as the device makes them (crypto.randomUUID or its fallback). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const blankToUndefined = (value: unknown) =>
	value === null || (typeof value === 'string' && value.trim() === '') ? undefined : value;

const joinSchema = v.object(
	{
		code: codeSchema,
		displayName: personNameSchema,
		serviceNumber: v.optional(
			v.pipe(v.unknown(), v.transform(blankToUndefined), v.optional(serviceNumberSchema))
		),
		pin: pinSchema,
		localLearnerId: v.optional(
			v.pipe(
				v.unknown(),
				v.transform(blankToUndefined),
				v.optional(
					v.pipe(
						v.string("l'identifiant local (un texte)"),
						v.regex(UUID, 'un identifiant local au format UUID')
					)
				)
			)
		)
	},
	'un objet { code, displayName, serviceNumber, pin, localLearnerId }'
);

export interface JoinInput {
	code: unknown;
	displayName: unknown;
	serviceNumber?: unknown;
	pin: unknown;
	/** The id the device used before joining: kept when free, so its events need no rewriting. */
	localLearnerId?: unknown;
	/** The caller's address, for the rate limit. */
	address: string;
}

export interface Joined extends SignedIn {
	cohort: Cohort;
	/** The account took the device's local learner id. */
	keptLocalId: boolean;
}

const unknownCode =
	'Code de cohorte inconnu. Vérifiez-le auprès de votre formateur ou de votre formatrice.';

async function cohortByCode(db: Db, code: string) {
	return db.selectFrom('cohorts').selectAll().where('join_code', '=', code).executeTakeFirst();
}

/**
 * A learner joins a cohort: a new learner account (display name, optional service number, PIN),
 * enrolled, signed in. Refused when the code is unknown (404), joining is closed (403), or the
 * name or service number is already enrolled in the cohort (409: sign in with the PIN instead).
 */
export async function joinCohort(db: Db, input: JoinInput, pause?: Pause): Promise<Joined> {
	const fields = parseInput(joinSchema, input, 'Inscription refusée');
	const keys = [addressKey('join', input.address)];
	await countAttempt(db, keys, new Date(), pause);
	const row = await cohortByCode(db, fields.code);
	if (!row) error(404, unknownCode);
	await forgiveAttempt(db, keys);
	if (!row.join_open)
		error(
			403,
			'Les inscriptions à cette cohorte sont fermées. Demandez à votre formateur de les rouvrir.'
		);
	const cohort = toCohort(row);
	const pinHash = await hashSecret(fields.pin);

	const { user, keptLocalId } = await writeTransaction(db, async (trx, dialect) => {
		if (dialect === 'postgres')
			await sql`select pg_advisory_xact_lock(hashtext(${`kalan.cohort:${cohort.id}`}))`.execute(
				trx
			);
		await refuseTaken(trx, cohort.id, fields.displayName, fields.serviceNumber);
		const local = fields.localLearnerId;
		const taken =
			local !== undefined &&
			(await trx.selectFrom('users').select('id').where('id', '=', local).executeTakeFirst()) !==
				undefined;
		const id = local !== undefined && !taken ? local : randomUUID();
		const now = new Date().toISOString();
		const newUser = {
			id,
			role: 'learner' as const,
			username: null,
			display_name: fields.displayName,
			service_number: fields.serviceNumber ?? null,
			password_hash: null,
			pin_hash: pinHash,
			created_at: now
		};
		await trx.insertInto('users').values(newUser).execute();
		await trx
			.insertInto('enrollments')
			.values({ cohort_id: cohort.id, user_id: id, joined_at: now })
			.execute();
		await trx
			.insertInto('learner_progress')
			.values({ learner_id: id, progress: JSON.stringify(emptyProgress(id)) })
			.execute();
		return { user: toAuthUser(newUser), keptLocalId: id === local };
	});
	return { user, cohort, keptLocalId, session: await createSession(db, user) };
}

async function refuseTaken(
	db: Db,
	cohortId: string,
	displayName: string,
	serviceNumber: string | undefined
): Promise<void> {
	const members = await enrolledLearners(db, cohortId);
	if (serviceNumber !== undefined && members.some((m) => m.service_number === serviceNumber))
		error(409, 'Ce matricule est déjà inscrit dans cette cohorte : connectez-vous avec votre PIN.');
	const key = nameKey(displayName);
	if (members.some((m) => nameKey(m.display_name) === key))
		error(
			409,
			'Ce nom est déjà inscrit dans cette cohorte : connectez-vous avec votre PIN, ou ajoutez une initiale pour vous distinguer.'
		);
}

function enrolledLearners(db: Db, cohortId: string) {
	return db
		.selectFrom('enrollments')
		.innerJoin('users', 'users.id', 'enrollments.user_id')
		.selectAll('users')
		.where('enrollments.cohort_id', '=', cohortId)
		.where('users.role', '=', 'learner')
		.execute();
}

/** A signed-in learner joins one more cohort with its code (same account, same events). */
export async function enrollLearner(
	db: Db,
	learner: AuthUser | null,
	input: { code: unknown; address: string }
): Promise<Cohort> {
	if (learner?.role !== 'learner') error(401, 'Connectez-vous en tant qu’apprenant.');
	const { code } = parseInput(
		v.object({ code: codeSchema }, 'un objet { code }'),
		input,
		'Inscription refusée'
	);
	const keys = [addressKey('join', input.address)];
	await countAttempt(db, keys);
	const row = await cohortByCode(db, code);
	if (!row) error(404, unknownCode);
	await forgiveAttempt(db, keys);
	const cohort = toCohort(row);
	const already = await db
		.selectFrom('enrollments')
		.select('user_id')
		.where('cohort_id', '=', cohort.id)
		.where('user_id', '=', learner.id)
		.executeTakeFirst();
	if (already) return cohort;
	if (!cohort.joinOpen)
		error(
			403,
			'Les inscriptions à cette cohorte sont fermées. Demandez à votre formateur de les rouvrir.'
		);
	await writeTransaction(db, async (trx, dialect) => {
		if (dialect === 'postgres')
			await sql`select pg_advisory_xact_lock(hashtext(${`kalan.cohort:${cohort.id}`}))`.execute(
				trx
			);
		await refuseTaken(trx, cohort.id, learner.displayName, learner.serviceNumber ?? undefined);
		await trx
			.insertInto('enrollments')
			.values({ cohort_id: cohort.id, user_id: learner.id, joined_at: new Date().toISOString() })
			.execute();
	});
	return cohort;
}

const signInSchema = v.object(
	{
		code: codeSchema,
		nameOrServiceNumber: v.pipe(
			v.string('votre nom ou votre matricule (un texte)'),
			NO_CONTROL,
			v.transform((s) => s.trim()),
			v.minLength(1, 'votre nom ou votre matricule'),
			v.maxLength(80, 'au plus 80 caractères')
		),
		pin: v.pipe(
			v.string('le PIN (un texte de chiffres)'),
			v.maxLength(20, 'un PIN de 4 à 6 chiffres')
		)
	},
	'un objet { code, nameOrServiceNumber, pin }'
);

const wrongLearner = 'Code, nom ou PIN incorrect.';

/**
 * A learner signs in on another phone: cohort code, display name or service number, PIN. 5
 * failures per name in 15 minutes (50 per address) → 429 with the wait.
 */
export async function signInLearner(
	db: Db,
	input: { code: unknown; nameOrServiceNumber: unknown; pin: unknown; address: string },
	now = new Date(),
	pause?: Pause
): Promise<SignedIn> {
	const fields = parseInput(signInSchema, input, 'Connexion refusée');
	const login = nameKey(fields.nameOrServiceNumber);
	const row = await cohortByCode(db, fields.code);
	const members = row ? await enrolledLearners(db, row.id) : [];
	const serviceNumber = fields.nameOrServiceNumber.replace(/\s+/g, '').toUpperCase();
	const candidates = members.filter(
		(m) => m.service_number === serviceNumber || nameKey(m.display_name) === login
	);
	// Counted per account, whatever names it (its name in any spelling, or its matricule): typing
	// "P N-5" instead of "PN-5" must not open a fresh set of guesses at the same PIN.
	const keys = [
		...(candidates.length > 0
			? candidates.map((m) => learnerAccountKey(m.id))
			: [accountKey(`learner:${fields.code}:${login}`)]),
		addressKey('learner-sign-in', input.address)
	];
	await countAttempt(db, keys, now, pause);
	let found: AuthUser | undefined;
	for (const member of candidates)
		if (!member.disabled && (await verifySecret(member.pin_hash, fields.pin)))
			found = toAuthUser(member);
	if (candidates.length === 0) await dummyVerify(fields.pin);
	if (!found) error(401, wrongLearner);
	await forgiveAttempt(db, keys);
	return { user: found, session: await createSession(db, found, now) };
}

const learnerAccountKey = (learnerId: string) => accountKey(`learner:${learnerId}`);

/**
 * An instructor sets a new PIN for a learner of one of their cohorts (404 otherwise) and lifts
 * the learner's sign-in lock. The learner's signed-in phones stay signed in.
 */
export async function resetLearnerPin(
	db: Db,
	instructor: AuthUser | null,
	learnerId: string,
	newPin: unknown
): Promise<void> {
	const { pin } = parseInput(
		v.object({ pin: pinSchema }, 'un objet { pin }'),
		{ pin: newPin },
		'PIN refusé'
	);
	if ((instructor?.role !== 'instructor' && instructor?.role !== 'admin') || !isPlainId(learnerId))
		error(404, 'Apprenant introuvable.');
	const rows = await db
		.selectFrom('enrollments')
		.innerJoin('cohorts', 'cohorts.id', 'enrollments.cohort_id')
		.innerJoin('users', 'users.id', 'enrollments.user_id')
		.select([
			'cohorts.join_code',
			'cohorts.instructor_id',
			'users.display_name',
			'users.service_number'
		])
		.where('enrollments.user_id', '=', learnerId)
		.where('users.role', '=', 'learner')
		.execute();
	const owned = rows.filter(
		(r) => instructor.role === 'admin' || r.instructor_id === instructor.id
	);
	if (owned.length === 0) error(404, 'Apprenant introuvable.');
	await db
		.updateTable('users')
		.set({ pin_hash: await hashSecret(pin) })
		.where('id', '=', learnerId)
		.execute();
	await clearAttempts(db, [learnerAccountKey(learnerId)]);
}

/** The cohorts a learner is enrolled in (what `/api/me` shows the device). */
export async function cohortsOfLearner(
	db: Db,
	learnerId: string
): Promise<Pick<Cohort, 'id' | 'name' | 'courses' | 'startsOn' | 'endsOn'>[]> {
	const rows = await db
		.selectFrom('enrollments')
		.innerJoin('cohorts', 'cohorts.id', 'enrollments.cohort_id')
		.selectAll('cohorts')
		.where('enrollments.user_id', '=', learnerId)
		.orderBy('cohorts.created_at')
		.execute();
	return rows.map((row) => {
		const { id, name, courses, startsOn, endsOn } = toCohort(row);
		return { id, name, courses, startsOn, endsOn };
	});
}
