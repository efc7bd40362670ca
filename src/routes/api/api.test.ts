import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { Cookies, RequestEvent } from '@sveltejs/kit';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { Db } from '$lib/server/db';
import { testDatabases, type OpenedDb } from '$lib/server/db/testing';
import * as make from '$lib/server/cohorts/fixtures';
import { sessionHandle, signIn, SESSION_COOKIE } from '$lib/server/auth';
import { securityHeadersHandle } from '$lib/server/http';
import type { Cohort } from '$lib/server/cohorts';
import { lessonOpened, quizCompleted, studySession } from '$lib/server/sync/fixtures';
import * as syncEvents from './sync/events/+server';
import * as join from './auth/join/+server';
import * as learnerSignIn from './auth/learner-sign-in/+server';
import * as signOut from './auth/sign-out/+server';
import * as me from './me/+server';

// The endpoints as the server runs them: behind the handles hooks.server.ts chains (security
// headers, session), with the database the test opened in place of the application's.
const current = vi.hoisted(() => ({ db: undefined as Db | undefined }));
vi.mock('$lib/server/db', async (importOriginal) => ({
	...(await importOriginal<typeof import('$lib/server/db')>()),
	getDb: async () => current.db!
}));

type Handler = (event: never) => Response | Promise<Response>;

interface SetCookie {
	name: string;
	value: string;
	options: Record<string, unknown>;
}

class Browser {
	jar = new Map<string, string>();
	lastSet: SetCookie[] = [];

	async send(
		handler: Handler,
		method: string,
		path: string,
		body?: unknown,
		init: { raw?: string; type?: string | null; address?: string; origin?: string } = {}
	) {
		const url = new URL(path, init.origin ?? 'http://kalan.test');
		const headers = new Headers();
		const text = init.raw ?? (body === undefined ? undefined : JSON.stringify(body));
		if (text !== undefined && init.type !== null)
			headers.set('content-type', init.type ?? 'application/json');
		const request = new Request(url, { method, headers, body: text });
		this.lastSet = [];
		const jar = this.jar;
		const set = this.lastSet;
		const cookies = {
			get: (name: string) => jar.get(name),
			getAll: () => [...jar].map(([name, value]) => ({ name, value })),
			set: (name: string, value: string, options: Record<string, unknown>) => {
				jar.set(name, value);
				set.push({ name, value, options });
			},
			delete: (name: string, options: Record<string, unknown>) => {
				jar.delete(name);
				set.push({ name, value: '', options: { ...options, maxAge: 0 } });
			},
			serialize: () => ''
		} as unknown as Cookies;
		const event = {
			request,
			url,
			cookies,
			locals: {},
			params: {},
			route: { id: path },
			platform: undefined,
			isDataRequest: false,
			isSubRequest: false,
			isRemoteRequest: false,
			getClientAddress: () => init.address ?? '10.0.0.1',
			setHeaders: () => undefined,
			fetch
		} as unknown as RequestEvent;
		const response = await securityHeadersHandle({
			event,
			resolve: (outer) =>
				sessionHandle({ event: outer, resolve: async (inner) => handler(inner as never) })
		});
		const json = (await response.json().catch(() => undefined)) as Record<string, unknown> & {
			error?: string;
		};
		return { status: response.status, json, headers: response.headers, locals: event.locals };
	}
}

const ids = (events: { id: string }[]) => events.map((e) => e.id);

describe.each(testDatabases)('the API on $name', ({ open }) => {
	let opened: OpenedDb;
	let db: Db;
	let cohort: Cohort;
	let browser: Browser;
	beforeEach(async () => {
		opened = await open();
		db = current.db = opened.db;
		cohort = await make.cohort(db);
		browser = new Browser();
	});
	afterEach(() => opened.close());

	const joinAs = (fields: Record<string, unknown> = {}, b = browser) =>
		b.send(join.POST, 'POST', '/api/auth/join', {
			code: cohort.joinCode,
			displayName: 'Fatoumata Coulibaly',
			pin: '2468',
			...fields
		});

	test('joining signs the device in with a safe cookie and keeps its local id', async () => {
		const local = randomUUID();
		const res = await joinAs({ serviceNumber: 'PN-9', localLearnerId: local });
		expect(res.status).toBe(201);
		expect(res.json).toMatchObject({
			user: {
				id: local,
				role: 'learner',
				displayName: 'Fatoumata Coulibaly',
				serviceNumber: 'PN-9'
			},
			cohort: { id: cohort.id, name: cohort.name, courses: ['ccs'] },
			keptLocalId: true
		});
		const [cookie] = browser.lastSet;
		expect(cookie).toMatchObject({
			name: SESSION_COOKIE,
			options: { path: '/', httpOnly: true, sameSite: 'lax', secure: false }
		});
		expect((cookie?.options.expires as Date).getTime()).toBeGreaterThan(
			Date.now() + 29 * 24 * 3600 * 1000
		);
		const who = await browser.send(me.GET, 'GET', '/api/me');
		expect(who.json).toMatchObject({ user: { id: local }, cohorts: [{ id: cohort.id }] });
	});

	test('over https the cookie is Secure', async () => {
		await browser.send(
			join.POST,
			'POST',
			'/api/auth/join',
			{ code: cohort.joinCode, displayName: 'Awa', pin: '2468' },
			{ origin: 'https://kalan.test' }
		);
		expect(browser.lastSet[0]?.options.secure).toBe(true);
	});

	test('every answer carries the security headers', async () => {
		const res = await browser.send(me.GET, 'GET', '/api/me');
		expect(res.json).toEqual({ user: null });
		expect(
			Object.fromEntries(
				['x-content-type-options', 'referrer-policy', 'x-frame-options', 'permissions-policy'].map(
					(h) => [h, res.headers.get(h)]
				)
			)
		).toEqual({
			'x-content-type-options': 'nosniff',
			'referrer-policy': 'strict-origin-when-cross-origin',
			'x-frame-options': 'DENY',
			'permissions-policy': expect.stringContaining('camera=()')
		});
		expect(res.headers.get('cache-control')).toBe('no-store');
	});

	test('a push needs a learner session: 401 without one, 403 for staff', async () => {
		const anonymous = await browser.send(syncEvents.POST, 'POST', '/api/sync/events', {
			events: []
		});
		expect(anonymous).toMatchObject({
			status: 401,
			json: { error: 'Connectez-vous pour continuer.' }
		});
		const staff = await signIn(db, { username: 'admin', password: make.PASSWORD, address: 'x' });
		browser.jar.set(SESSION_COOKIE, staff.session.token);
		const refused = await browser.send(syncEvents.POST, 'POST', '/api/sync/events', { events: [] });
		expect(refused.status).toBe(403);
		expect((await browser.send(syncEvents.GET, 'GET', '/api/sync/events')).status).toBe(403);
	});

	test('a learner pushes events and pulls them back on another phone', async () => {
		const joined = await joinAs({ serviceNumber: 'PN-5' });
		const id = (joined.json.user as { id: string }).id;
		const events = studySession(id, 25);
		const pushed = await browser.send(syncEvents.POST, 'POST', '/api/sync/events', { events });
		expect(pushed.status).toBe(200);
		expect(pushed.json).toEqual({ accepted: events.map((e) => e.id), duplicate: [], rejected: [] });

		const phone = new Browser();
		const signedIn = await phone.send(learnerSignIn.POST, 'POST', '/api/auth/learner-sign-in', {
			code: cohort.joinCode,
			nameOrServiceNumber: 'pn-5',
			pin: '2468'
		});
		expect(signedIn.status).toBe(200);
		expect(signedIn.json).toMatchObject({ user: { id }, cohorts: [{ id: cohort.id }] });
		const pulled = await phone.send(syncEvents.GET, 'GET', '/api/sync/events?after=0');
		expect(pulled.json).toEqual({ events, cursor: '25', more: false });
		const none = await phone.send(syncEvents.GET, 'GET', '/api/sync/events?after=25');
		expect(none.json).toEqual({ events: [], cursor: '25', more: false });
		const bad = await phone.send(syncEvents.GET, 'GET', '/api/sync/events?after=abc');
		expect(bad.status).toBe(400);
		expect(bad.json.error).toMatch(/Curseur invalide/);
	});

	test('a push with the phone’s cursor moves it past its own events, unless another phone pushed', async () => {
		const joined = await joinAs({ serviceNumber: 'PN-6' });
		const id = (joined.json.user as { id: string }).id;
		const [first, second, third] = [studySession(id, 4), studySession(id, 3), studySession(id, 2)];
		const push = (events: unknown[], after: string) =>
			browser.send(syncEvents.POST, 'POST', `/api/sync/events?after=${after}`, { events });
		// alone: the answer gives the cursor after the pushed events, nothing to pull back
		expect((await push(first, '')).json).toMatchObject({ cursor: '4' });
		expect((await push(second, '4')).json).toMatchObject({ cursor: '7' });
		const none = await browser.send(syncEvents.GET, 'GET', '/api/sync/events?after=7');
		expect(none.json).toEqual({ events: [], cursor: '7', more: false });
		// the same batch again: nothing stored, the cursor stays where it is
		expect((await push(second, '7')).json).toMatchObject({ duplicate: ids(second), cursor: '7' });
		// a phone still at 4 missed events: no cursor, it pulls them (and its own) as before
		const behind = await push(third, '4');
		expect(behind.json.accepted).toEqual(ids(third));
		expect(behind.json).not.toHaveProperty('cursor');
		// a cursor that is not a number is no cursor: the push still lands
		const odd = await push(studySession(id, 1), 'abc');
		expect(odd.status).toBe(200);
		expect(odd.json).not.toHaveProperty('cursor');
	});

	test('bad events are listed as rejected with French reasons; the good ones land', async () => {
		const id = ((await joinAs()).json.user as { id: string }).id;
		const good = lessonOpened(id, 'l1');
		const res = await browser.send(syncEvents.POST, 'POST', '/api/sync/events', {
			events: [
				{ ...lessonOpened(id, 'l2'), verb: 'lesson.hacked' },
				{ ...quizCompleted(id, 'q1', 1), result: { score: 7 } },
				{ ...lessonOpened(id, 'l3'), lessonId: "'; DROP TABLE events; --", extra: 1 },
				good
			]
		});
		expect(res.status).toBe(200);
		expect(res.json.accepted).toEqual([good.id]);
		const reasons = (res.json.rejected as { reason: string }[]).map((r) => r.reason);
		expect(reasons).toEqual([
			expect.stringMatching(/^Événement refusé — verb : l'un des verbes/),
			'Événement refusé — result.score : un score entre 0 et 1 (reçu : 7)',
			'Événement refusé — champ inconnu : extra'
		]);
	});

	describe('bad requests get a 4xx and a French message, never a 5xx', () => {
		beforeEach(async () => {
			await joinAs();
		});
		const push = (raw: string, type?: string | null) =>
			browser.send(syncEvents.POST, 'POST', '/api/sync/events', undefined, { raw, type });

		test.each([
			['malformed JSON', '{"events": [', 400, /pas du JSON valide/],
			['an empty body', '', 400, /vide/],
			['a bare array', '[]', 400, /Envoi refusé — .*events/],
			['events that are not a list', '{"events": "tout"}', 400, /events : une liste/],
			['null', 'null', 400, /Envoi refusé/],
			['a number', '42', 400, /Envoi refusé/]
		])('%s', async (_what, raw, status, message) => {
			const res = await push(raw);
			expect(res.status).toBe(status);
			expect(res.json.error).toMatch(message);
		});

		test('a body that is not declared as JSON', async () => {
			const res = await push('{"events": []}', 'text/plain');
			expect(res.status).toBe(415);
			expect(res.json.error).toMatch(/doit être du JSON/);
		});

		test('a body over 512 KB', async () => {
			const res = await push(JSON.stringify({ events: [], padding: 'x'.repeat(600 * 1024) }));
			expect(res).toMatchObject({
				status: 413,
				json: { error: 'Requête trop volumineuse : 512 Ko au plus.' }
			});
		});

		test('501 events', async () => {
			const events = Array.from({ length: 501 }, (_, i) => ({ id: `e${i}` }));
			const res = await push(JSON.stringify({ events }));
			expect(res.status).toBe(413);
			expect(res.json.error).toMatch(/500 au plus/);
		});

		test('joining with wrong types, an injection in the name or a huge body', async () => {
			const cases: [unknown, RegExp][] = [
				[{ code: 123456, displayName: 'Awa', pin: '1234' }, /code : le code de la cohorte/],
				[{ code: cohort.joinCode, displayName: ['Awa'], pin: '1234' }, /displayName/],
				[{ code: cohort.joinCode, displayName: 'Awa', pin: 1234 }, /pin : le PIN/],
				[
					{ code: cohort.joinCode, displayName: "Robert'); DROP TABLE users;--", pin: '1234' },
					/nom fait de lettres/
				],
				[
					{ code: cohort.joinCode, displayName: '<img src=x onerror=alert(1)>', pin: '1234' },
					/nom fait de lettres/
				],
				[
					{ code: cohort.joinCode, displayName: 'Awa', pin: '1234', localLearnerId: '../../etc' },
					/UUID/
				],
				[{ code: cohort.joinCode, pin: '1234' }, /displayName : champ manquant/]
			];
			const before = await db.selectFrom('users').select('id').execute();
			for (const [body, message] of cases) {
				const res = await new Browser().send(join.POST, 'POST', '/api/auth/join', body);
				expect(res.status).toBe(400);
				expect(res.json.error).toMatch(message);
			}
			const huge = await new Browser().send(join.POST, 'POST', '/api/auth/join', {
				code: cohort.joinCode,
				displayName: 'A'.repeat(20_000),
				pin: '1234'
			});
			expect(huge.status).toBe(413);
			expect(await db.selectFrom('users').select('id').execute()).toEqual(before);
		});

		test('any JSON at all, on any endpoint', async () => {
			await fc.assert(
				fc.asyncProperty(fc.jsonValue(), async (value) => {
					const raw = JSON.stringify(value) ?? 'null';
					for (const handler of [syncEvents.POST, join.POST, learnerSignIn.POST] as Handler[]) {
						const res = await browser.send(handler, 'POST', '/api/x', undefined, {
							raw,
							address: '10.9.9.9'
						});
						expect(res.status).toBeGreaterThanOrEqual(200);
						expect(res.status).toBeLessThan(500);
						if (res.status >= 400) expect(res.json.error).toMatch(/[a-zé]/);
					}
				}),
				{ numRuns: 20 }
			);
		});
	});

	test('learner sign-in: wrong PIN refused, then rate-limited', async () => {
		await joinAs();
		const phone = new Browser();
		const attempt = (pin: string) =>
			phone.send(learnerSignIn.POST, 'POST', '/api/auth/learner-sign-in', {
				code: cohort.joinCode,
				nameOrServiceNumber: 'Fatoumata Coulibaly',
				pin
			});
		for (let i = 0; i < 5; i++)
			expect(await attempt('0000')).toMatchObject({
				status: 401,
				json: { error: 'Code, nom ou PIN incorrect.' }
			});
		const locked = await attempt('2468');
		expect(locked.status).toBe(429);
		expect(locked.json.error).toMatch(/^Trop de tentatives\. Réessayez dans 1[45] minutes\.$/);
		expect(phone.jar.has(SESSION_COOKIE)).toBe(false);
	});

	test('signing out revokes the session and clears the cookie', async () => {
		await joinAs();
		const token = browser.jar.get(SESSION_COOKIE)!;
		const out = await browser.send(signOut.POST, 'POST', '/api/auth/sign-out');
		expect(out).toMatchObject({ status: 200, json: { ok: true } });
		expect(browser.lastSet).toEqual([expect.objectContaining({ name: SESSION_COOKIE, value: '' })]);
		const stolen = new Browser();
		stolen.jar.set(SESSION_COOKIE, token);
		const res = await stolen.send(me.GET, 'GET', '/api/me');
		expect(res.json).toEqual({ user: null });
		expect(stolen.jar.has(SESSION_COOKIE)).toBe(false);
		expect(
			(await stolen.send(syncEvents.POST, 'POST', '/api/sync/events', { events: [] })).status
		).toBe(401);
	});
});
