import { createHash, randomBytes } from 'node:crypto';
import { error, type Cookies } from '@sveltejs/kit';
import type { Db, Role, UserRow } from '../db';

export const SESSION_COOKIE = 'kalan_session';

const HOUR = 60 * 60 * 1000;
/** Learners keep a phone signed in for a month; staff for a working day. Both slide with use. */
export const SESSION_TTL_MS: Record<Role, number> = {
	learner: 30 * 24 * HOUR,
	instructor: 12 * HOUR,
	admin: 12 * HOUR
};
/** A session seen again within this time is not rewritten (one write a minute, not a request). */
const RENEW_AFTER_MS = 60 * 1000;

/** Who is signed in, as the rest of the server sees them. */
export interface AuthUser {
	id: string;
	role: Role;
	username: string | null;
	displayName: string;
	serviceNumber: string | null;
}

export interface NewSession {
	/** Goes in the cookie only; the database keeps its hash. */
	token: string;
	expiresAt: Date;
}

export interface SignedIn {
	user: AuthUser;
	session: NewSession;
}

export interface ActiveSession {
	user: AuthUser;
	expiresAt: Date;
	/** The expiry moved: send the cookie again. */
	renewed: boolean;
}

export function toAuthUser(
	row: Pick<UserRow, 'id' | 'role' | 'username' | 'display_name' | 'service_number'>
): AuthUser {
	return {
		id: row.id,
		role: row.role,
		username: row.username,
		displayName: row.display_name,
		serviceNumber: row.service_number
	};
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export async function createSession(
	db: Db,
	user: Pick<AuthUser, 'id' | 'role'>,
	now = new Date()
): Promise<NewSession> {
	const token = randomBytes(32).toString('base64url');
	const expiresAt = new Date(now.getTime() + SESSION_TTL_MS[user.role]);
	await db
		.insertInto('sessions')
		.values({
			id: hashToken(token),
			user_id: user.id,
			created_at: now.toISOString(),
			expires_at: expiresAt.toISOString(),
			last_seen_at: now.toISOString()
		})
		.execute();
	// Housekeeping while we are here: this user's expired sessions go.
	await db
		.deleteFrom('sessions')
		.where('user_id', '=', user.id)
		.where('expires_at', '<=', now.toISOString())
		.execute();
	return { token, expiresAt };
}

/** The signed-in user for a cookie's token, or null (unknown, expired, disabled account). */
export async function readSession(
	db: Db,
	token: string | undefined | null,
	now = new Date()
): Promise<ActiveSession | null> {
	if (!token || !TOKEN.test(token)) return null;
	const id = hashToken(token);
	const row = await db
		.selectFrom('sessions')
		.innerJoin('users', 'users.id', 'sessions.user_id')
		.select([
			'sessions.expires_at',
			'sessions.last_seen_at',
			'users.id',
			'users.role',
			'users.username',
			'users.display_name',
			'users.service_number',
			'users.disabled'
		])
		.where('sessions.id', '=', id)
		.executeTakeFirst();
	if (!row) return null;
	if (row.expires_at <= now.toISOString()) {
		await db.deleteFrom('sessions').where('id', '=', id).execute();
		return null;
	}
	if (row.disabled) return null;
	const user = toAuthUser(row);
	if (now.getTime() - Date.parse(row.last_seen_at) < RENEW_AFTER_MS)
		return { user, expiresAt: new Date(row.expires_at), renewed: false };
	const expiresAt = new Date(now.getTime() + SESSION_TTL_MS[user.role]);
	await db
		.updateTable('sessions')
		.set({ expires_at: expiresAt.toISOString(), last_seen_at: now.toISOString() })
		.where('id', '=', id)
		.execute();
	return { user, expiresAt, renewed: true };
}

export async function endSession(db: Db, token: string | undefined | null): Promise<void> {
	if (token) await db.deleteFrom('sessions').where('id', '=', hashToken(token)).execute();
}

/** Signs a user out everywhere (a changed password, a disabled account). */
export async function endAllSessions(db: Db, userId: string): Promise<void> {
	await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

export async function purgeExpiredSessions(db: Db, now = new Date()): Promise<void> {
	await db.deleteFrom('sessions').where('expires_at', '<=', now.toISOString()).execute();
}

/** httpOnly, SameSite=Lax, Path=/, Secure when the request came over https. */
export function setSessionCookie(cookies: Cookies, url: URL, session: NewSession): void {
	cookies.set(SESSION_COOKIE, session.token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: url.protocol === 'https:',
		expires: session.expiresAt
	});
}

export function clearSessionCookie(cookies: Cookies, url: URL): void {
	cookies.delete(SESSION_COOKIE, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: url.protocol === 'https:'
	});
}

/** The user if they have one of `roles`: 401 when nobody is signed in, 403 for another role. */
export function requireRole(user: AuthUser | null | undefined, ...roles: Role[]): AuthUser {
	if (!user) error(401, 'Connectez-vous pour continuer.');
	if (!roles.includes(user.role)) error(403, "Votre compte n'a pas accès à cette action.");
	return user;
}
