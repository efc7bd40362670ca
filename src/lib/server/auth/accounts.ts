import { randomUUID } from 'node:crypto';
import { error } from '@sveltejs/kit';
import { sql } from 'kysely';
import * as v from 'valibot';
import { isUniqueViolation, writeTransaction, type Db } from '../db';
import { parseInput } from '../http';
import { accountKey, addressKey, countAttempt, forgiveAttempt, type Pause } from './rate-limit';
import { hashSecret, verifySecret } from './secrets';
import {
	createSession,
	endAllSessions,
	toAuthUser,
	type AuthUser,
	type SignedIn
} from './sessions';
import { NO_CONTROL, passwordSchema, personNameSchema, usernameSchema } from './validation';

// Staff accounts: the first administrator, instructors, and signing in with a password.

export async function hasAdmin(db: Db): Promise<boolean> {
	const row = await db
		.selectFrom('users')
		.select('id')
		.where('role', '=', 'admin')
		.limit(1)
		.executeTakeFirst();
	return row !== undefined;
}

const firstAdminSchema = v.object(
	{ username: usernameSchema, password: passwordSchema },
	'un objet { username, password }'
);

/**
 * The first-run page's account: refused (403) once any administrator exists, checked and created
 * in one transaction (serialised by the write lock on SQLite, an advisory lock on PostgreSQL).
 */
export async function createFirstAdmin(
	db: Db,
	username: unknown,
	password: unknown
): Promise<AuthUser> {
	const input = parseInput(firstAdminSchema, { username, password }, 'Compte refusé');
	if (await hasAdmin(db)) error(403, alreadySetUp);
	const passwordHash = await hashSecret(input.password);
	const user = await writeTransaction(db, async (trx, dialect) => {
		if (dialect === 'postgres')
			await sql`select pg_advisory_xact_lock(hashtext('kalan.first-admin'))`.execute(trx);
		if (await hasAdmin(trx)) error(403, alreadySetUp);
		return insertStaff(trx, {
			role: 'admin',
			username: input.username,
			displayName: input.username,
			passwordHash
		});
	});
	return user;
}

const alreadySetUp =
	'Un administrateur existe déjà : cette page ne sert qu’à la première installation.';

const instructorSchema = v.object(
	{
		username: usernameSchema,
		displayName: personNameSchema,
		password: passwordSchema
	},
	'un objet { username, displayName, password }'
);

/** An instructor account, made by an administrator (403 for anyone else, 409 for a name taken). */
export async function createInstructor(
	db: Db,
	admin: AuthUser | null,
	input: { username: unknown; displayName: unknown; password: unknown }
): Promise<AuthUser> {
	if (admin?.role !== 'admin') error(403, 'Seul un administrateur peut créer un compte formateur.');
	const fields = parseInput(instructorSchema, input, 'Compte refusé');
	const passwordHash = await hashSecret(fields.password);
	return insertStaff(db, { role: 'instructor', ...fields, passwordHash });
}

async function insertStaff(
	db: Db,
	fields: {
		role: 'admin' | 'instructor';
		username: string;
		displayName: string;
		passwordHash: string;
	}
): Promise<AuthUser> {
	const row = {
		id: randomUUID(),
		role: fields.role,
		username: fields.username,
		display_name: fields.displayName,
		service_number: null,
		password_hash: fields.passwordHash,
		pin_hash: null,
		created_at: new Date().toISOString()
	};
	try {
		await db.insertInto('users').values(row).execute();
	} catch (caught) {
		if (isUniqueViolation(caught))
			error(409, `Le nom d'utilisateur « ${fields.username} » est déjà pris.`);
		throw caught;
	}
	return toAuthUser(row);
}

const signInSchema = v.object(
	{
		username: v.pipe(
			v.string("le nom d'utilisateur"),
			v.maxLength(100, "un nom d'au plus 100 caractères"),
			NO_CONTROL,
			v.transform((s) => s.trim().toLowerCase())
		),
		password: v.pipe(
			v.string('le mot de passe'),
			v.maxLength(200, "un mot de passe d'au plus 200 caractères")
		)
	},
	'un objet { username, password }'
);

const wrongCredentials = "Nom d'utilisateur ou mot de passe incorrect.";

/**
 * Staff sign-in. Refused alike for an unknown name, a wrong password or a disabled account;
 * 5 failures per account, or 50 per address, in 15 minutes → 429 with the wait.
 */
export async function signIn(
	db: Db,
	input: { username: unknown; password: unknown; address: string },
	now = new Date(),
	pause?: Pause
): Promise<SignedIn> {
	const { username, password } = parseInput(signInSchema, input, 'Connexion refusée');
	const keys = [accountKey(`staff:${username}`), addressKey('sign-in', input.address)];
	await countAttempt(db, keys, now, pause);
	const row = await db
		.selectFrom('users')
		.selectAll()
		.where('username', '=', username)
		.where('role', 'in', ['admin', 'instructor'])
		.executeTakeFirst();
	const ok = await verifySecret(row?.password_hash ?? null, password);
	if (!row || !ok || row.disabled) error(401, wrongCredentials);
	await forgiveAttempt(db, keys);
	const user = toAuthUser(row);
	return { user, session: await createSession(db, user, now) };
}

const changePasswordSchema = v.object(
	{
		current: v.pipe(
			v.string('le mot de passe actuel'),
			v.maxLength(200, "un mot de passe d'au plus 200 caractères")
		),
		next: passwordSchema
	},
	'un objet { current, next }'
);

/** Checks the current password, stores the new one and ends every session: sign in afresh here. */
export async function changePassword(
	db: Db,
	user: AuthUser | null,
	input: { current: unknown; next: unknown; address: string }
): Promise<SignedIn> {
	if (!user || user.role === 'learner') error(401, 'Connectez-vous pour changer de mot de passe.');
	const fields = parseInput(changePasswordSchema, input, 'Mot de passe refusé');
	const keys = [accountKey(`staff:${user.username}`), addressKey('sign-in', input.address)];
	await countAttempt(db, keys);
	const row = await db
		.selectFrom('users')
		.select('password_hash')
		.where('id', '=', user.id)
		.executeTakeFirst();
	if (!(await verifySecret(row?.password_hash ?? null, fields.current)))
		error(401, 'Le mot de passe actuel est incorrect.');
	await forgiveAttempt(db, keys);
	const passwordHash = await hashSecret(fields.next);
	await db
		.updateTable('users')
		.set({ password_hash: passwordHash })
		.where('id', '=', user.id)
		.execute();
	await endAllSessions(db, user.id);
	return { user, session: await createSession(db, user) };
}
