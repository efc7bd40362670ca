import { randomUUID } from 'node:crypto';
import { isHttpError } from '@sveltejs/kit';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
	closeJoin,
	cohortsOfLearner,
	createCohort,
	enrollLearner,
	findOwned,
	generateJoinCode,
	JOIN_CODE_ALPHABET,
	joinCohort,
	listForInstructor,
	normalizeJoinCode,
	openJoin,
	regenerateCode,
	resetLearnerPin,
	signInLearner,
	type Cohort
} from '.';
import { readSession, type AuthUser } from '../auth';
import type { Db } from '../db';
import { testDatabases, type OpenedDb } from '../db/testing';
import * as make from './fixtures';

async function refusal(promise: Promise<unknown>): Promise<{ status: number; message: string }> {
	try {
		await promise;
	} catch (caught) {
		if (isHttpError(caught)) return { status: caught.status, message: caught.body.message };
		throw caught;
	}
	throw new Error('expected a refusal');
}

test('a join code is 6 characters none of which can be misread', () => {
	const codes = Array.from({ length: 2000 }, generateJoinCode);
	expect(codes.every((c) => /^[A-HJKMNP-Z2-9]{6}$/.test(c))).toBe(true);
	expect(JOIN_CODE_ALPHABET).not.toMatch(/[01OIL]/);
});

test('a typed code is read without its case, spaces or dashes', () => {
	expect(normalizeJoinCode(' k7m-2qx ')).toBe('K7M2QX');
});

describe.each(testDatabases)('cohorts on $name', ({ open }) => {
	let opened: OpenedDb;
	let db: Db;
	let instructor: AuthUser;
	let cohort: Cohort;
	beforeEach(async () => {
		opened = await open();
		db = opened.db;
		instructor = await make.instructor(db);
		cohort = await make.cohort(db, instructor);
	});
	afterEach(() => opened.close());

	test('a new cohort is open, with a fresh code and its courses', async () => {
		expect(cohort).toMatchObject({ joinOpen: true, courses: ['ccs'], atRiskDays: 7 });
		expect(cohort.joinCode).toMatch(/^[A-HJKMNP-Z2-9]{6}$/);
		const others = await Promise.all(Array.from({ length: 20 }, () => make.cohort(db, instructor)));
		const codes = new Set([cohort, ...others].map((c) => c.joinCode));
		expect(codes.size).toBe(21);
	});

	test('a cohort with an unknown course, bad dates or a bad name is refused in French', async () => {
		const course = await refusal(createCohort(db, instructor, { name: 'A', courses: ['inconnu'] }));
		expect(course).toMatchObject({ status: 400 });
		expect(course.message).toMatch(/cours du catalogue/);
		const dates = await refusal(
			createCohort(db, instructor, {
				name: 'A',
				courses: ['ccs'],
				startsOn: '2025-09-01',
				endsOn: '2025-08-01'
			})
		);
		expect(dates.message).toMatch(/date de fin/);
		const script = await refusal(
			createCohort(db, instructor, { name: '<script>', courses: ['ccs'] })
		);
		expect(script.status).toBe(400);
		expect((await refusal(createCohort(db, null, { name: 'A', courses: ['ccs'] }))).status).toBe(
			403
		);
	});

	test('only its instructor and administrators see a cohort', async () => {
		const other = await make.instructor(db);
		expect((await findOwned(db, instructor, cohort.id)).id).toBe(cohort.id);
		expect((await findOwned(db, await make.admin(db), cohort.id)).id).toBe(cohort.id);
		expect(await refusal(findOwned(db, other, cohort.id))).toEqual({
			status: 404,
			message: 'Cohorte introuvable.'
		});
		expect((await refusal(findOwned(db, null, cohort.id))).status).toBe(404);
		expect((await refusal(regenerateCode(db, other, cohort.id))).status).toBe(404);
		expect((await refusal(closeJoin(db, other, cohort.id))).status).toBe(404);
		const { user: learner } = await make.learner(db, cohort.joinCode);
		expect((await refusal(findOwned(db, learner, cohort.id))).status).toBe(404);
	});

	test('an instructor lists their own cohorts with head counts; an administrator, all', async () => {
		const other = await make.instructor(db);
		await make.cohort(db, other);
		await make.learner(db, cohort.joinCode);
		await make.learner(db, cohort.joinCode);
		const mine = await listForInstructor(db, instructor);
		expect(mine.map((c) => [c.id, c.learnerCount])).toEqual([[cohort.id, 2]]);
		expect(await listForInstructor(db, await make.admin(db))).toHaveLength(2);
	});

	test('a learner joins with the code and is signed in', async () => {
		const joined = await joinCohort(db, {
			code: cohort.joinCode.toLowerCase(),
			displayName: '  Aïssata   Traoré ',
			serviceNumber: 'pn 2024-117',
			pin: '0427',
			address: 'a'
		});
		expect(joined.user).toMatchObject({
			role: 'learner',
			displayName: 'Aïssata Traoré',
			serviceNumber: 'PN2024-117'
		});
		expect((await readSession(db, joined.session.token))?.user.id).toBe(joined.user.id);
		expect(await cohortsOfLearner(db, joined.user.id)).toEqual([
			{ id: cohort.id, name: cohort.name, courses: ['ccs'], startsOn: null, endsOn: null }
		]);
	});

	test('joining with the device’s local id keeps that id; a taken id gets a new one', async () => {
		const local = randomUUID();
		const kept = await make.learner(db, cohort.joinCode, { localLearnerId: local });
		expect(kept.user.id).toBe(local);
		expect(kept.keptLocalId).toBe(true);
		const again = await make.learner(db, cohort.joinCode, { localLearnerId: local });
		expect(again.keptLocalId).toBe(false);
		expect(again.user.id).not.toBe(local);
		const staffId = await make.learner(db, cohort.joinCode, { localLearnerId: instructor.id });
		expect(staffId.user.id).not.toBe(instructor.id);
		expect((await readSession(db, staffId.session.token))?.user.role).toBe('learner');
	});

	test('a closed cohort refuses to join until it opens again', async () => {
		await closeJoin(db, instructor, cohort.id);
		const closed = await refusal(make.learner(db, cohort.joinCode));
		expect(closed.status).toBe(403);
		expect(closed.message).toMatch(/fermées/);
		await openJoin(db, instructor, cohort.id);
		expect((await make.learner(db, cohort.joinCode)).cohort.id).toBe(cohort.id);
	});

	test('a new code replaces the old one at once', async () => {
		const renewed = await regenerateCode(db, instructor, cohort.id);
		expect(renewed.joinCode).not.toBe(cohort.joinCode);
		expect((await refusal(make.learner(db, cohort.joinCode))).status).toBe(404);
		expect((await make.learner(db, renewed.joinCode)).cohort.id).toBe(cohort.id);
	});

	test('an unknown code, a bad PIN or a bad name is refused with a French message', async () => {
		const unknown = await refusal(
			make.learner(db, cohort.joinCode === 'ZZZZZZ' ? 'YYYYYY' : 'ZZZZZZ')
		);
		expect(unknown.status).toBe(404);
		expect(unknown.message).toMatch(/Code de cohorte inconnu/);
		expect((await refusal(make.learner(db, 'ABC'))).message).toMatch(/6 lettres ou chiffres/);
		expect((await refusal(make.learner(db, cohort.joinCode, { pin: '12' }))).message).toMatch(
			/PIN de 4 à 6 chiffres/
		);
		for (const name of [
			"Robert'); DROP TABLE users;--",
			'<script>alert(1)</script>',
			"' OR '1'='1",
			''
		]) {
			const refused = await refusal(make.learner(db, cohort.joinCode, { displayName: name }));
			expect(refused.status).toBe(400);
			expect(refused.message).toMatch(/^Inscription refusée — /);
		}
		const apostrophe = await make.learner(db, cohort.joinCode, { displayName: "N'Golo Kanté" });
		expect(apostrophe.user.displayName).toBe("N'Golo Kanté");
	});

	test('a name or service number already in the cohort is refused', async () => {
		await make.learner(db, cohort.joinCode, { displayName: 'Awa Diallo', serviceNumber: 'PN-1' });
		expect(
			(await refusal(make.learner(db, cohort.joinCode, { displayName: 'awa  DIALLO' }))).status
		).toBe(409);
		expect(
			(await refusal(make.learner(db, cohort.joinCode, { serviceNumber: 'pn-1' }))).status
		).toBe(409);
		const elsewhere = await make.cohort(db, instructor);
		expect(
			(await make.learner(db, elsewhere.joinCode, { displayName: 'Awa Diallo' })).user.role
		).toBe('learner');
	});

	test('a signed-in learner joins a second cohort with the same account', async () => {
		const { user } = await make.learner(db, cohort.joinCode);
		const second = await make.cohort(db, instructor);
		await enrollLearner(db, user, { code: second.joinCode, address: 'a' });
		await enrollLearner(db, user, { code: second.joinCode, address: 'a' });
		expect((await cohortsOfLearner(db, user.id)).map((c) => c.id).sort()).toEqual(
			[cohort.id, second.id].sort()
		);
	});

	describe('signing in on a new phone', () => {
		let learner: AuthUser;
		beforeEach(async () => {
			({ user: learner } = await make.learner(db, cohort.joinCode, {
				displayName: 'Moussa Koné',
				serviceNumber: 'PN-77',
				pin: '9031'
			}));
		});
		const signIn = (nameOrServiceNumber: string, pin: string, now?: Date, code = cohort.joinCode) =>
			signInLearner(
				db,
				{ code, nameOrServiceNumber, pin, address: 'b' },
				now,
				async () => undefined
			);

		test('works with the code, the name (any case or accent) or the service number, and the PIN', async () => {
			expect((await signIn('moussa kone', '9031')).user.id).toBe(learner.id);
			expect((await signIn(' pn-77 ', '9031')).user.id).toBe(learner.id);
			const { session } = await signIn('Moussa Koné', '9031');
			expect((await readSession(db, session.token))?.user.id).toBe(learner.id);
		});

		test('a wrong PIN, name or code is refused alike', async () => {
			const wrong = await refusal(signIn('Moussa Koné', '0000'));
			expect(wrong).toEqual({ status: 401, message: 'Code, nom ou PIN incorrect.' });
			expect(await refusal(signIn('Personne', '9031'))).toEqual(wrong);
			expect(await refusal(signIn('Moussa Koné', '9031', undefined, 'ZZZZZ9'))).toEqual(wrong);
		});

		test('five wrong PINs lock the name for 15 minutes; a PIN reset lifts the lock', async () => {
			const now = new Date('2025-05-01T08:00:00.000Z');
			for (let i = 0; i < 5; i++)
				expect((await refusal(signIn('Moussa Koné', '1111', now))).status).toBe(401);
			const locked = await refusal(signIn('Moussa Koné', '9031', now));
			expect(locked).toEqual({
				status: 429,
				message: 'Trop de tentatives. Réessayez dans 15 minutes.'
			});
			await resetLearnerPin(db, instructor, learner.id, '5555');
			expect((await signIn('Moussa Koné', '5555', now)).user.id).toBe(learner.id);
			expect((await refusal(signIn('moussa kone', '9031', now))).status).toBe(401);
		});

		test('only the learner’s instructor or an administrator resets the PIN', async () => {
			const other = await make.instructor(db);
			expect(await refusal(resetLearnerPin(db, other, learner.id, '1234'))).toEqual({
				status: 404,
				message: 'Apprenant introuvable.'
			});
			expect((await refusal(resetLearnerPin(db, learner, learner.id, '1234'))).status).toBe(404);
			expect((await refusal(resetLearnerPin(db, instructor, learner.id, 'abcd'))).status).toBe(400);
			await resetLearnerPin(db, await make.admin(db), learner.id, '246810');
			expect((await signIn('PN-77', '246810')).user.id).toBe(learner.id);
		});
	});
});
