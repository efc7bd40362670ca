import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { isHttpError } from '@sveltejs/kit';
import type { Db } from '$lib/server/db';
import { testDatabases, type OpenedDb } from '$lib/server/db/testing';
import * as make from '$lib/server/cohorts/fixtures';
import {
	createSession,
	readSession,
	SESSION_COOKIE,
	signIn,
	type AuthUser,
	type Pause
} from '$lib/server/auth';
import { joinCohort, signInLearner, type Cohort } from '$lib/server/cohorts';
import { lessonCompleted, lessonOpened } from '$lib/server/sync/fixtures';
import { Client, type Action } from './testing';
import * as syncEvents from './sync/events/+server';
import * as join from './auth/join/+server';
import * as learnerSignIn from './auth/learner-sign-in/+server';
import * as signOut from './auth/sign-out/+server';
import * as me from './me/+server';
import * as connexion from '../connexion/+page.server';
import * as deconnexion from '../deconnexion/+server';
import * as installation from '../installation/+page.server';
import * as compte from '../compte/+page.server';
import * as adminPage from '../admin/+page.server';
import * as formateur from '../formateur/+page.server';
import * as cohortPage from '../formateur/promotions/[id]/+page.server';
import * as sheet from '../formateur/promotions/[id]/fiche/+page.server';

// Authentication abuse (issue 10, item 7): brute force on sign-in, learner sign-in and join is
// slowed, then refused; session tokens are unguessable and die on sign-out; a learner's cookie
// reaches no staff page or action; a stolen join code reads no one's data. Through the handles
// hooks.server.ts chains, on SQLite and PostgreSQL.

const current = vi.hoisted(() => ({ db: undefined as Db | undefined }));
vi.mock('$lib/server/db', async (importOriginal) => ({
	...(await importOriginal<typeof import('$lib/server/db')>()),
	getDb: async () => current.db!
}));

/** The waits a call asked for, without spending them. */
function recorder(): Pause & { waits: number[] } {
	const waits: number[] = [];
	return Object.assign(async (ms: number) => void waits.push(ms), { waits });
}

/** The status a refused call throws, or 'ok'. */
async function statusOf(promise: Promise<unknown>): Promise<number | 'ok'> {
	try {
		await promise;
		return 'ok';
	} catch (caught) {
		if (isHttpError(caught)) return caught.status;
		throw caught;
	}
}

describe.each(testDatabases)('authentication abuse on $name', ({ open }) => {
	let opened: OpenedDb;
	let db: Db;
	let instructor: AuthUser;
	let cohort: Cohort;
	beforeEach(async () => {
		opened = await open();
		db = current.db = opened.db;
		instructor = await make.instructor(db);
		cohort = await make.cohort(db, instructor);
	});
	afterEach(() => opened.close());

	test('staff sign-in: two free tries, then slower and slower, then refused even with the password', async () => {
		const pause = recorder();
		const now = new Date('2026-03-02T08:00:00.000Z');
		const guess = (password: string) =>
			statusOf(
				signIn(db, { username: instructor.username!, password, address: '10.3.0.1' }, now, pause)
			);
		const answers = [];
		for (let i = 0; i < 5; i++) answers.push(await guess(`essai-${i}`));
		expect(answers).toEqual([401, 401, 401, 401, 401]);
		expect(pause.waits).toEqual([250, 500, 1000]);
		expect(await guess(make.PASSWORD)).toBe(429);
		expect(pause.waits).toHaveLength(3); // a refusal answers at once, and checks nothing
	});

	test('staff sign-in through the form: refused in French, then « Trop de tentatives »', async () => {
		const browser = new Client();
		const path = '/connexion';
		const form = (password: string) =>
			new URLSearchParams({ username: instructor.username!, password }).toString();
		const type = 'application/x-www-form-urlencoded';
		const act = connexion.actions.default as Action;
		// as if four guesses had failed a minute ago: the fifth is slowed, the sixth refused
		await db
			.insertInto('rate_limits')
			.values({
				key: `account:staff:${instructor.username}`,
				count: 4,
				window_start: new Date(Date.now() - 60_000).toISOString()
			})
			.execute();
		const fifth = await browser.submit(act, path, form('faux'), type);
		expect(fifth).toEqual({ status: 401, message: "Nom d'utilisateur ou mot de passe incorrect." });
		const sixth = await browser.submit(act, path, form(make.PASSWORD), type);
		expect(sixth).toEqual({
			status: 429,
			message: 'Trop de tentatives. Réessayez dans 14 minutes.'
		});
		expect(browser.jar.has(SESSION_COOKIE)).toBe(false);
	});

	test('learner sign-in: every spelling of a name or matricule shares one count of guesses', async () => {
		const victim = await make.learner(db, cohort.joinCode, {
			displayName: 'Aminata Keïta',
			serviceNumber: 'PN-5',
			pin: '2468'
		});
		const pause = recorder();
		const now = new Date('2026-03-02T08:00:00.000Z');
		const spellings = ['PN-5', 'pn-5', 'P N-5', 'Aminata Keïta', 'AMINATA  KEITA'];
		const answers = [];
		for (const [i, login] of spellings.entries())
			answers.push(
				await statusOf(
					signInLearner(
						db,
						{
							code: cohort.joinCode,
							nameOrServiceNumber: login,
							pin: '000' + i,
							address: `10.4.0.${i}`
						},
						now,
						pause
					)
				)
			);
		expect(answers).toEqual([401, 401, 401, 401, 401]);
		expect(pause.waits).toEqual([250, 500, 1000]);
		// a sixth spelling, from a sixth address, with the right PIN: still refused
		const right = await statusOf(
			signInLearner(
				db,
				{ code: cohort.joinCode, nameOrServiceNumber: 'P N - 5', pin: '2468', address: '10.4.0.9' },
				now,
				pause
			)
		);
		expect(right).toBe(429);
		// the instructor resetting the PIN lifts the lock
		const { resetLearnerPin } = await import('$lib/server/cohorts');
		await resetLearnerPin(db, instructor, victim.user.id, '1357');
		const back = await signInLearner(
			db,
			{ code: cohort.joinCode, nameOrServiceNumber: 'pn-5', pin: '1357', address: '10.4.0.9' },
			now,
			pause
		);
		expect(back.user.id).toBe(victim.user.id);
	});

	test('join: guessing codes from one address is slowed after 10 misses and refused after 50', async () => {
		const pause = recorder();
		const attempt = (code: string, address = '10.5.0.1') =>
			statusOf(joinCohort(db, { code, displayName: 'Intrus', pin: '1234', address }, pause));
		const answers = [];
		for (let i = 0; i < 50; i++)
			answers.push(await attempt(`ZZZ${String(i).padStart(3, '2').replace(/[01]/g, '9')}`));
		expect(answers.every((a) => a === 404)).toBe(true);
		expect(pause.waits.slice(0, 4)).toEqual([250, 500, 1000, 2000]);
		expect(pause.waits).toHaveLength(40);
		expect(await attempt(cohort.joinCode)).toBe(429);
		// another address (another school) is not punished
		expect(await attempt(cohort.joinCode, '10.5.0.2')).toBe('ok');
	});

	test('session tokens: 256 random bits, never stored, all different', async () => {
		const user = { id: instructor.id, role: instructor.role };
		const tokens = new Set<string>();
		for (let i = 0; i < 400; i++) tokens.add((await createSession(db, user)).token);
		expect(tokens.size).toBe(400);
		const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
		const counts = new Map<string, number>();
		for (const token of tokens) {
			expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
			// the first 42 characters carry 6 random bits each (the last one only 4)
			for (const c of token.slice(0, 42)) counts.set(c, (counts.get(c) ?? 0) + 1);
		}
		// Shannon entropy per character, over 16 800 characters: ≥ 5.97 of the 6 bits possible
		const total = [...counts.values()].reduce((a, b) => a + b, 0);
		const entropy = -[...counts.values()].reduce(
			(sum, n) => sum + (n / total) * Math.log2(n / total),
			0
		);
		expect(entropy).toBeGreaterThan(5.97);
		console.log(
			`session tokens: ${tokens.size} distinct, ${entropy.toFixed(4)} bits per character`
		);
		expect([...counts.keys()].every((c) => alphabet.includes(c))).toBe(true);
		expect(counts.size).toBe(64);
		// what the database keeps is a hash: a leaked sessions table opens no session
		const stored = await db.selectFrom('sessions').select('id').execute();
		for (const { id } of stored) {
			expect(tokens.has(id)).toBe(false);
			expect(await readSession(db, id.slice(0, 43))).toBeNull();
		}
	}, 30_000);

	test('signing out, by the API or the staff form, kills the token everywhere', async () => {
		const learner = new Client();
		const joined = await learner.call(
			join.POST,
			JSON.stringify({ code: cohort.joinCode, displayName: 'Awa Diallo', pin: '2468' })
		);
		expect(joined.status).toBe(201);
		const token = learner.jar.get(SESSION_COOKIE)!;
		expect((await learner.call(signOut.POST, '{}')).status).toBe(200);
		const thief = new Client();
		thief.jar.set(SESSION_COOKIE, token);
		expect((await thief.call(syncEvents.POST, '{"events": []}')).status).toBe(401);
		expect(thief.jar.has(SESSION_COOKIE)).toBe(false); // the dead cookie is cleared

		const staff = new Client();
		const { session } = await signIn(db, {
			username: instructor.username!,
			password: make.PASSWORD,
			address: 'x'
		});
		staff.jar.set(SESSION_COOKIE, session.token);
		const out = await staff.submit(
			deconnexion.POST as Action,
			'/deconnexion',
			'',
			'application/x-www-form-urlencoded'
		);
		expect(out.status).toBe(303);
		expect(await readSession(db, session.token)).toBeNull();
		const stolen = new Client();
		stolen.jar.set(SESSION_COOKIE, session.token);
		const create = await stolen.submit(
			formateur.actions.create as Action,
			'/formateur?/create',
			new URLSearchParams({ name: 'Volée', courses: 'ccs' }).toString(),
			'application/x-www-form-urlencoded'
		);
		expect(create.status).toBe(401);
	});

	test("a learner's cookie reaches no staff page, action or form", async () => {
		const joined = await make.learner(db, cohort.joinCode);
		const learner = new Client();
		learner.jar.set(SESSION_COOKIE, joined.session.token);
		const before = await db.selectFrom('cohorts').selectAll().execute();
		const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
		const type = 'application/x-www-form-urlencoded';
		const params = { id: cohort.id };
		const actions: [string, Action, string, Record<string, string>?][] = [
			[
				'/admin?/instructor',
				adminPage.actions.instructor,
				form({ username: 'pirate', displayName: 'Pirate', password: make.PASSWORD })
			],
			['/formateur?/create', formateur.actions.create, form({ name: 'Pirate', courses: 'ccs' })],
			[
				'/compte?/password',
				compte.actions.password,
				form({ current: '2468', next: 'nouveau-mot-de-passe' })
			],
			[
				'/installation',
				installation.actions.default,
				form({ username: 'pirate', password: make.PASSWORD })
			],
			[`/formateur/promotions/${cohort.id}?/regenerate`, cohortPage.actions.regenerate, '', params],
			[`/formateur/promotions/${cohort.id}?/close`, cohortPage.actions.close, '', params],
			[
				`/formateur/promotions/${cohort.id}?/pin`,
				cohortPage.actions.pin,
				form({ learner: joined.user.id, pin: '1111' }),
				params
			]
		];
		for (const [path, action, body, p] of actions) {
			const res = await learner.submit(action, path, body, type, p);
			expect([401, 403], path).toContain(res.status);
			expect(typeof res.message === 'string' && res.message.length > 10, path).toBe(true);
		}
		const loads: [string, (event: never) => unknown][] = [
			['/admin', adminPage.load as never],
			['/formateur', formateur.load as never],
			['/compte', compte.load as never],
			[`/formateur/promotions/${cohort.id}`, cohortPage.load as never],
			[`/formateur/promotions/${cohort.id}/fiche`, sheet.load as never]
		];
		for (const [path, load] of loads)
			expect(await learner.load(load, path, params), path).toBe(403);
		expect(await db.selectFrom('cohorts').selectAll().execute()).toEqual(before);
		expect(
			await db.selectFrom('users').select('id').where('username', '=', 'pirate').execute()
		).toEqual([]);
		// and the PIN the learner tried to set is not theirs: the old one still works
		const again = await signInLearner(db, {
			code: cohort.joinCode,
			nameOrServiceNumber: joined.user.displayName,
			pin: '4821',
			address: 'y'
		});
		expect(again.user.id).toBe(joined.user.id);
	});

	test("a stolen join code reads no one's data", async () => {
		// the victim studied and synced
		const victim = new Client();
		const victimLocalId = randomUUID();
		const joined = await victim.call(
			join.POST,
			JSON.stringify({
				code: cohort.joinCode,
				displayName: 'Oumou Sangaré',
				pin: '2468',
				localLearnerId: victimLocalId
			})
		);
		expect(joined.status).toBe(201);
		const events = [lessonOpened(victimLocalId, 'l1'), lessonCompleted(victimLocalId, 'l1')];
		expect((await victim.call(syncEvents.POST, JSON.stringify({ events }))).status).toBe(200);

		// the thief has the code, not the PIN
		const thief = new Client();
		const asVictim = await thief.call(
			join.POST,
			JSON.stringify({
				code: cohort.joinCode,
				displayName: 'Pirate',
				pin: '1111',
				localLearnerId: victimLocalId
			})
		);
		expect(asVictim.status).toBe(201);
		const who = await thief.get(me.GET, '/api/me');
		const thiefId = (who.json.user as { id: string }).id;
		expect(thiefId).not.toBe(victimLocalId); // the victim's id is taken: the thief gets another
		expect(who.json.cohorts).toEqual([expect.objectContaining({ id: cohort.id })]);
		expect(JSON.stringify(who.json)).not.toContain('Oumou');

		const pulled = await thief.get(syncEvents.GET, '/api/sync/events?after=0');
		expect(pulled.json).toEqual({ events: [], cursor: '0', more: false });
		// pushing as the victim is refused; it never lands in the victim's log
		const forged = lessonOpened(victimLocalId, 'l2');
		const pushed = await thief.call(syncEvents.POST, JSON.stringify({ events: [forged] }));
		expect(pushed.status).toBe(200);
		const stored = await db.selectFrom('events').select('id').where('id', '=', forged.id).execute();
		expect(stored).toEqual([]);
		// guessing the victim's PIN ends in « Trop de tentatives »
		const guesses = [];
		for (let i = 0; i < 6; i++)
			guesses.push(
				(
					await new Client().call(
						learnerSignIn.POST,
						JSON.stringify({
							code: cohort.joinCode,
							nameOrServiceNumber: 'Oumou Sangaré',
							pin: `99${i}0`
						}),
						`10.6.0.${i}`
					)
				).status
			);
		expect(guesses).toEqual([401, 401, 401, 401, 401, 429]);
		// and the cohort's pages stay closed to the thief
		expect(
			await thief.load(cohortPage.load as never, '/formateur/promotions/x', { id: cohort.id })
		).toBe(403);
	}, 30_000);
});
