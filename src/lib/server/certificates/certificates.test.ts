import { isHttpError } from '@sveltejs/kit';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
	encodeToken,
	payloadBytes,
	verifyToken,
	type CertificatePayload
} from '../../certificates';
import type { AuthUser } from '../auth';
import * as make from '../cohorts/fixtures';
import type { Db } from '../db';
import { testDatabases, type OpenedDb } from '../db/testing';
import { lessonCompleted, quizCompleted } from '../sync/fixtures';
import { ingest } from '../sync';
import {
	certificatesForStaff,
	certificatesOfLearner,
	certificateStatus,
	completingCourses,
	generateSigningKey,
	issueDue,
	loadSigner,
	revokeCertificate,
	SIGNING_KEY_ENV,
	SIGNING_KEY_FILE,
	signerFromText,
	type CertifiableCourse
} from '.';

/** A small course under a catalogue id (cohorts only take catalogue courses). */
const course: CertifiableCourse = {
	id: 'ccs',
	version: '2.1.0',
	title: { fr: 'Les comités consultatifs de sécurité' },
	modules: [
		{ id: 'm1', lessons: ['l1', 'l2'], assessment: 'q1' },
		{ id: 'm2', lessons: ['l3'], assessment: 'q2' }
	]
};

/** Every lesson read and every assessment passed, as a phone records them. */
const completion = (learnerId: string) => [
	...['l1', 'l2', 'l3'].map((l) => lessonCompleted(learnerId, l)),
	quizCompleted(learnerId, 'q1', 0.5), // failed first…
	quizCompleted(learnerId, 'q1', 0.857), // …then passed
	quizCompleted(learnerId, 'q2', 1)
];

const refusal = async (promise: Promise<unknown>) => {
	try {
		await promise;
	} catch (caught) {
		if (isHttpError(caught)) return { status: caught.status, message: caught.body.message };
		throw caught;
	}
	throw new Error('expected a refusal');
};

describe('the signing key', () => {
	let dir: string;
	beforeEach(() => {
		dir = mkdtempSync(join(tmpdir(), 'kalan-key-'));
	});
	afterEach(() => rmSync(dir, { recursive: true, force: true }));

	test('is generated on first start, kept in the data directory, and the same next time', () => {
		const first = loadSigner({}, join(dir, 'data'));
		const file = join(dir, 'data', SIGNING_KEY_FILE);
		expect(readFileSync(file, 'utf8')).toContain('BEGIN PRIVATE KEY');
		expect(statSync(file).mode & 0o077).toBe(0);
		expect(loadSigner({}, join(dir, 'data')).publicKey).toBe(first.publicKey);
		expect(first.publicKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
	});

	test('can be given by the environment, as PEM or as a base64 seed, and wins over the file', () => {
		const pem = generateSigningKey();
		const fromEnv = loadSigner({ [SIGNING_KEY_ENV]: pem.replace(/\n/g, '\\n') }, dir);
		expect(fromEnv.publicKey).toBe(signerFromText(pem).publicKey);
		const seed = Buffer.alloc(32, 7).toString('base64');
		expect(loadSigner({ [SIGNING_KEY_ENV]: seed }, dir).publicKey).toBe(
			signerFromText(Buffer.alloc(32, 7).toString('base64url')).publicKey
		);
		expect(() => loadSigner({ [SIGNING_KEY_ENV]: 'pas une clé' }, dir)).toThrow(
			/KALAN_SIGNING_KEY illisible/
		);
	});

	test('Node signs, and the pure verifier (the one phones run) accepts it under that key only', () => {
		const signer = signerFromText(generateSigningKey());
		const other = signerFromText(generateSigningKey());
		const payload: CertificatePayload = {
			v: 1,
			code: 'K7M2-9QXR',
			name: 'Awa',
			course: 'ccs',
			title: 'CCS',
			version: '1.0.0',
			cohort: 'P1',
			date: '2026-11-29',
			scores: {},
			instructor: 'F'
		};
		const token = encodeToken(payload, signer.sign(payloadBytes(payload)));
		expect(verifyToken(token, [signer.publicKey]).ok).toBe(true);
		expect(verifyToken(token, [other.publicKey])).toEqual({ ok: false, reason: 'signature' });
	});
});

describe.each(testDatabases)('certificates on $name', ({ open }) => {
	let opened: OpenedDb;
	let db: Db;
	let instructor: AuthUser;
	let learner: AuthUser;
	let cohortId: string;
	const signer = signerFromText(generateSigningKey());
	beforeEach(async () => {
		opened = await open();
		db = opened.db;
		instructor = await make.instructor(db);
		const cohort = await make.cohort(db, instructor);
		cohortId = cohort.id;
		learner = (
			await make.learner(db, cohort.joinCode, {
				displayName: 'Aminata Keïta',
				serviceNumber: 'PN-20451'
			})
		).user;
	});
	afterEach(() => opened.close());

	test('nothing is issued before the course is complete', async () => {
		await ingest(db, learner, completion(learner.id).slice(0, 4));
		expect(await issueDue(db, learner.id, [course], signer)).toEqual([]);
		expect(await certificatesOfLearner(db, learner.id)).toEqual([]);
	});

	test('a completed course gets one signed certificate, with the learner, course, cohort and scores', async () => {
		await ingest(db, learner, completion(learner.id));
		const now = new Date('2026-11-29T10:00:00Z');
		const issued = await issueDue(db, learner.id, [course], signer, now);
		expect(issued).toEqual([
			{ code: expect.stringMatching(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/), courseId: 'ccs', cohortId }
		]);
		// a second sync issues nothing more
		expect(await issueDue(db, learner.id, [course], signer, now)).toEqual([]);

		const [certificate] = await certificatesOfLearner(db, learner.id);
		expect(certificate!.payload).toEqual({
			v: 1,
			code: issued[0]!.code,
			name: 'Aminata Keïta',
			sn: 'PN-20451',
			course: 'ccs',
			title: 'Les comités consultatifs de sécurité',
			version: '2.1.0',
			cohort: expect.stringMatching(/^Promotion \d+$/),
			date: '2026-11-29',
			scores: { m1: 85, m2: 100 },
			instructor: instructor.displayName
		});
		expect(verifyToken(certificate!.token, [signer.publicKey])).toEqual({
			ok: true,
			payload: certificate!.payload,
			publicKey: signer.publicKey
		});
		expect(certificate!.publicKey).toBe(signer.publicKey);
	});

	test('verification by code: valid, unknown, malformed, then revoked with its reason', async () => {
		await ingest(db, learner, completion(learner.id));
		const { code } = (await issueDue(db, learner.id, [course], signer))[0]!;

		expect(await certificateStatus(db, code.toLowerCase().replace('-', ' '))).toMatchObject({
			status: 'valid',
			certificate: { code, revoked: null }
		});
		expect(await certificateStatus(db, 'ZZZZ-ZZZZ')).toEqual({
			status: 'unknown',
			code: 'ZZZZ-ZZZZ'
		});
		for (const bad of ['', 'K0M2-9QXR', '<script>', 'x'.repeat(100_000)])
			expect(await refusal(certificateStatus(db, bad))).toMatchObject({
				status: 400,
				message: expect.stringContaining('mal formé')
			});

		const revoked = await revokeCertificate(db, instructor, {
			code,
			reason: '  Fraude constatée   à l’évaluation '
		});
		expect(revoked.revoked).toEqual({
			at: expect.any(String),
			reason: 'Fraude constatée à l’évaluation'
		});
		expect(await certificateStatus(db, code)).toMatchObject({
			status: 'revoked',
			certificate: { revoked: { reason: 'Fraude constatée à l’évaluation' } }
		});
		// the signature still verifies offline: revocation is what the online check adds
		const [stored] = await certificatesOfLearner(db, learner.id);
		expect(verifyToken(stored!.token, [signer.publicKey]).ok).toBe(true);
		expect(
			await refusal(revokeCertificate(db, instructor, { code, reason: 'encore' }))
		).toMatchObject({
			status: 409
		});
		// a revoked certificate is not issued again by the next sync
		expect(await issueDue(db, learner.id, [course], signer)).toEqual([]);
	});

	test('only the cohort’s instructor or an administrator may revoke, with a reason', async () => {
		await ingest(db, learner, completion(learner.id));
		const { code } = (await issueDue(db, learner.id, [course], signer))[0]!;
		const stranger = await make.instructor(db);

		expect(
			await refusal(revokeCertificate(db, stranger, { code, reason: 'Erreur' }))
		).toMatchObject({
			status: 404
		});
		expect(await refusal(revokeCertificate(db, learner, { code, reason: 'Erreur' }))).toMatchObject(
			{
				status: 403
			}
		);
		expect(await refusal(revokeCertificate(db, instructor, { code, reason: ' ' }))).toMatchObject({
			status: 400,
			message: expect.stringContaining('motif')
		});
		expect(
			await refusal(revokeCertificate(db, instructor, { code: 'nimporte', reason: 'Erreur' }))
		).toMatchObject({
			status: 400
		});
		expect(await certificatesForStaff(db, stranger)).toEqual([]);
		expect((await certificatesForStaff(db, instructor)).map((c) => c.code)).toEqual([code]);

		const admin = await make.admin(db);
		expect((await certificatesForStaff(db, admin)).map((c) => c.code)).toEqual([code]);
		await revokeCertificate(db, admin, { code, reason: 'Doublon' });
		expect(await certificateStatus(db, code)).toMatchObject({ status: 'revoked' });
	});

	test('a learner outside every cohort gets no server certificate', async () => {
		await db.deleteFrom('enrollments').where('user_id', '=', learner.id).execute();
		await ingest(db, learner, completion(learner.id));
		expect(await issueDue(db, learner.id, [course], signer)).toEqual([]);
	});

	test('only completions of a cohort course make a sync look for a certificate', async () => {
		const events = completion(learner.id);
		const opened = { ...events[0]!, id: 'x', verb: 'lesson.opened' };
		expect([...completingCourses([opened, ...events], ['x'])]).toEqual([]);
		expect([...completingCourses([opened, ...events, null, 'junk'], [events[0]!.id])]).toEqual([
			'ccs'
		]);
		await ingest(db, learner, events);
		expect(
			await issueDue(db, learner.id, [course], signer, new Date(), new Set(['autre']))
		).toEqual([]);
		expect(
			await issueDue(db, learner.id, [course], signer, new Date(), new Set(['ccs']))
		).toHaveLength(1);
	});

	test('two syncs issuing at once give one certificate', async () => {
		await ingest(db, learner, completion(learner.id));
		const results = await Promise.all([
			issueDue(db, learner.id, [course], signer),
			issueDue(db, learner.id, [course], signer)
		]);
		expect(results.flat()).toHaveLength(1);
		expect(await certificatesOfLearner(db, learner.id)).toHaveLength(1);
	});
});
