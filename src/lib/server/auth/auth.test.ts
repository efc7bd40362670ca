import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { isHttpError } from '@sveltejs/kit';
import {
	changePassword,
	createFirstAdmin,
	createInstructor,
	createSession,
	endSession,
	hasAdmin,
	readSession,
	SESSION_TTL_MS,
	signIn,
	type AuthUser
} from '.';
import type { Db } from '../db';
import { testDatabases, type OpenedDb } from '../db/testing';
import { PASSWORD } from '../cohorts/fixtures';

/** The status and message a refused call throws. */
async function refusal(promise: Promise<unknown>): Promise<{ status: number; message: string }> {
	try {
		await promise;
	} catch (caught) {
		if (isHttpError(caught)) return { status: caught.status, message: caught.body.message };
		throw caught;
	}
	throw new Error('expected a refusal');
}

const minutes = (n: number) => n * 60 * 1000;
/** The slowdown of repeated failures is measured in src/routes/api/auth-abuse.test.ts: not spent here. */
const noWait = async () => undefined;

describe.each(testDatabases)('accounts on $name', ({ open }) => {
	let opened: OpenedDb;
	let db: Db;
	beforeEach(async () => {
		opened = await open();
		db = opened.db;
	});
	afterEach(() => opened.close());

	test('the first administrator is created once, then refused', async () => {
		expect(await hasAdmin(db)).toBe(false);
		const admin = await createFirstAdmin(db, '  Chef ', PASSWORD);
		expect(admin).toMatchObject({ role: 'admin', username: 'chef' });
		expect(await hasAdmin(db)).toBe(true);
		const second = await refusal(createFirstAdmin(db, 'autre', PASSWORD));
		expect(second.status).toBe(403);
		expect(second.message).toMatch(/administrateur existe déjà/);
		const hash = await db.selectFrom('users').select('password_hash').executeTakeFirstOrThrow();
		expect(hash.password_hash).toMatch(/^\$argon2id\$/);
	});

	test('two first-run requests at once make one administrator', async () => {
		const results = await Promise.allSettled([
			createFirstAdmin(db, 'premier', PASSWORD),
			createFirstAdmin(db, 'second', PASSWORD)
		]);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		const admins = await db.selectFrom('users').select('id').where('role', '=', 'admin').execute();
		expect(admins).toHaveLength(1);
	});

	test('a weak password or a bad user name is refused in French', async () => {
		const short = await refusal(createFirstAdmin(db, 'chef', 'court'));
		expect(short).toMatchObject({ status: 400 });
		expect(short.message).toMatch(/au moins 10 caractères/);
		const name = await refusal(createFirstAdmin(db, "chef'; drop table users;--", PASSWORD));
		expect(name.status).toBe(400);
		expect(name.message).toMatch(/nom d'utilisateur/);
	});

	test('only an administrator creates instructors, and a name is taken once', async () => {
		const admin = await createFirstAdmin(db, 'chef', PASSWORD);
		const fields = { username: 'awa', displayName: 'Awa Diallo', password: PASSWORD };
		const instructor = await createInstructor(db, admin, fields);
		expect(instructor.role).toBe('instructor');
		expect(
			(await refusal(createInstructor(db, instructor, { ...fields, username: 'b' + 'cd' }))).status
		).toBe(403);
		expect((await refusal(createInstructor(db, null, fields))).status).toBe(403);
		const taken = await refusal(createInstructor(db, admin, { ...fields, username: 'AWA' }));
		expect(taken.status).toBe(409);
		expect(taken.message).toMatch(/déjà pris/);
	});

	describe('signing in', () => {
		let admin: AuthUser;
		beforeEach(async () => {
			admin = await createFirstAdmin(db, 'chef', PASSWORD);
		});

		test('the right password signs in and opens a staff session of 12 hours', async () => {
			const now = new Date('2025-05-01T08:00:00.000Z');
			const { user, session } = await signIn(
				db,
				{ username: 'Chef', password: PASSWORD, address: 'a' },
				now
			);
			expect(user.id).toBe(admin.id);
			expect(session.expiresAt.getTime() - now.getTime()).toBe(SESSION_TTL_MS.admin);
			expect((await readSession(db, session.token, now))?.user.id).toBe(admin.id);
		});

		test('a wrong password or an unknown name is refused alike', async () => {
			const wrong = await refusal(
				signIn(db, { username: 'chef', password: 'pas le bon', address: 'a' })
			);
			const unknown = await refusal(
				signIn(db, { username: 'personne', password: PASSWORD, address: 'a' })
			);
			expect(wrong).toEqual({
				status: 401,
				message: "Nom d'utilisateur ou mot de passe incorrect."
			});
			expect(unknown).toEqual(wrong);
		});

		test('five failures lock the account for 15 minutes, even with the right password', async () => {
			const now = new Date('2025-05-01T08:00:00.000Z');
			for (let i = 0; i < 5; i++)
				expect(
					(
						await refusal(
							signIn(db, { username: 'chef', password: 'faux', address: `ip${i}` }, now, noWait)
						)
					).status
				).toBe(401);
			const locked = await refusal(
				signIn(db, { username: 'chef', password: PASSWORD, address: 'x' }, now, noWait)
			);
			expect(locked).toEqual({
				status: 429,
				message: 'Trop de tentatives. Réessayez dans 15 minutes.'
			});
			const later = new Date(now.getTime() + minutes(16));
			expect(
				(await signIn(db, { username: 'chef', password: PASSWORD, address: 'x' }, later)).user.id
			).toBe(admin.id);
		});

		test('a success starts the account afresh', async () => {
			for (let i = 0; i < 4; i++)
				await refusal(
					signIn(db, { username: 'chef', password: 'faux', address: 'a' }, undefined, noWait)
				);
			await signIn(db, { username: 'chef', password: PASSWORD, address: 'a' });
			for (let i = 0; i < 4; i++)
				await refusal(
					signIn(db, { username: 'chef', password: 'faux', address: 'a' }, undefined, noWait)
				);
			expect(
				(await signIn(db, { username: 'chef', password: PASSWORD, address: 'a' })).user.id
			).toBe(admin.id);
		});

		test('parallel guesses cannot slip past the limit', async () => {
			const results = await Promise.all(
				Array.from({ length: 8 }, () =>
					refusal(
						signIn(db, { username: 'chef', password: 'faux', address: 'a' }, undefined, noWait)
					)
				)
			);
			expect(results.filter((r) => r.status === 429)).toHaveLength(3);
		});

		test('fifty failures from one address lock that address for every account', async () => {
			const now = new Date('2025-05-01T08:00:00.000Z');
			// as if fifty sign-ins had failed from this address just now
			await db
				.insertInto('rate_limits')
				.values({ key: 'address:sign-in:10.1.1.1', count: 50, window_start: now.toISOString() })
				.execute();
			const refused = await refusal(
				signIn(db, { username: 'chef', password: PASSWORD, address: '10.1.1.1' }, now)
			);
			expect(refused.status).toBe(429);
			expect(
				(await signIn(db, { username: 'chef', password: PASSWORD, address: '10.1.1.2' }, now)).user
					.id
			).toBe(admin.id);
		});

		test('a disabled account cannot sign in and its sessions stop working', async () => {
			const { session } = await signIn(db, { username: 'chef', password: PASSWORD, address: 'a' });
			await db.updateTable('users').set({ disabled: 1 }).where('id', '=', admin.id).execute();
			expect(await readSession(db, session.token)).toBeNull();
			expect(
				(await refusal(signIn(db, { username: 'chef', password: PASSWORD, address: 'a' }))).status
			).toBe(401);
		});

		test('changing the password needs the current one and signs out everywhere', async () => {
			const old = await signIn(db, { username: 'chef', password: PASSWORD, address: 'a' });
			const wrong = await refusal(
				changePassword(db, admin, { current: 'faux', next: 'un tout nouveau', address: 'a' })
			);
			expect(wrong.status).toBe(401);
			const fresh = await changePassword(db, admin, {
				current: PASSWORD,
				next: 'un tout nouveau',
				address: 'a'
			});
			expect(await readSession(db, old.session.token)).toBeNull();
			expect((await readSession(db, fresh.session.token))?.user.id).toBe(admin.id);
			expect(
				(await refusal(signIn(db, { username: 'chef', password: PASSWORD, address: 'a' }))).status
			).toBe(401);
			expect(
				(await signIn(db, { username: 'chef', password: 'un tout nouveau', address: 'a' })).user.id
			).toBe(admin.id);
		});
	});

	describe('sessions', () => {
		let learner: AuthUser;
		beforeEach(async () => {
			learner = {
				id: 'l-1',
				role: 'learner',
				username: null,
				displayName: 'Awa',
				serviceNumber: null
			};
			await db
				.insertInto('users')
				.values({
					id: learner.id,
					role: 'learner',
					username: null,
					display_name: 'Awa',
					service_number: null,
					password_hash: null,
					pin_hash: null,
					created_at: new Date().toISOString()
				})
				.execute();
		});

		test('only the hash of the token is stored', async () => {
			const { token } = await createSession(db, learner);
			expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
			const rows = await db.selectFrom('sessions').select('id').execute();
			expect(rows).toHaveLength(1);
			expect(rows[0]?.id).not.toContain(token);
			expect(rows[0]?.id).toMatch(/^[0-9a-f]{64}$/);
		});

		test('a session expires after its time, and slides with use', async () => {
			const start = new Date('2025-05-01T08:00:00.000Z');
			const { token, expiresAt } = await createSession(db, learner, start);
			expect(expiresAt.getTime() - start.getTime()).toBe(SESSION_TTL_MS.learner);
			const day29 = new Date(start.getTime() + 29 * 24 * 3600 * 1000);
			const used = await readSession(db, token, day29);
			expect(used?.renewed).toBe(true);
			expect(used?.expiresAt.getTime()).toBe(day29.getTime() + SESSION_TTL_MS.learner);
			const day31 = new Date(start.getTime() + 31 * 24 * 3600 * 1000);
			expect((await readSession(db, token, day31))?.user.id).toBe(learner.id);
			const long = new Date(day31.getTime() + SESSION_TTL_MS.learner + 1);
			expect(await readSession(db, token, long)).toBeNull();
			expect(await db.selectFrom('sessions').selectAll().execute()).toEqual([]);
		});

		test('a session read again within a minute is not rewritten', async () => {
			const start = new Date('2025-05-01T08:00:00.000Z');
			const { token } = await createSession(db, learner, start);
			expect((await readSession(db, token, new Date(start.getTime() + 30_000)))?.renewed).toBe(
				false
			);
		});

		test('signing out revokes the token', async () => {
			const { token } = await createSession(db, learner);
			const other = await createSession(db, learner);
			await endSession(db, token);
			expect(await readSession(db, token)).toBeNull();
			expect((await readSession(db, other.token))?.user.id).toBe(learner.id);
		});

		test('a made-up or malformed token reads as nobody', async () => {
			expect(await readSession(db, undefined)).toBeNull();
			expect(await readSession(db, "' or 1=1 --")).toBeNull();
			expect(await readSession(db, 'A'.repeat(43))).toBeNull();
		});
	});
});
