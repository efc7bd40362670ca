import Dexie from 'dexie';
import { afterEach, describe, expect, test } from 'vitest';
import {
	certificatesOf,
	fetchPublicKey,
	refreshCertificates,
	rememberKey,
	storedKeys
} from './certificates';
import { KalanDB } from './db';

const KEY = 'A'.repeat(43);
const opened: KalanDB[] = [];
function freshDb(): KalanDB {
	const db = new KalanDB(`test-${crypto.randomUUID()}`);
	opened.push(db);
	return db;
}
afterEach(async () => {
	for (const db of opened.splice(0)) {
		db.close();
		await Dexie.delete(db.name);
	}
	localStorage.clear();
});

/** A Storage in memory (Node has no localStorage). */
class MemoryStorage {
	map = new Map<string, string>();
	getItem = (k: string) => this.map.get(k) ?? null;
	setItem = (k: string, v: string) => void this.map.set(k, v);
	clear = () => this.map.clear();
}
const localStorage = new MemoryStorage();
(globalThis as { localStorage?: unknown }).localStorage = localStorage;

const served = (learnerId: string, codes: string[], revoked: string[] = []) => ({
	learnerId,
	publicKey: KEY,
	certificates: codes.map((code, i) => ({
		code,
		courseId: 'ccs',
		payload: { v: 1, code },
		token: 'e30.sig',
		link: `http://kalan.test/verifier/${code}#e30.sig`,
		qrSvg: '<svg></svg>',
		issuedAt: `2026-11-2${i}T10:00:00.000Z`,
		revoked: revoked.includes(code) ? { at: '2026-11-29T12:00:00.000Z', reason: 'Erreur' } : null
	}))
});
const answering =
	(status: number, body: unknown): typeof fetch =>
	async () =>
		new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const offline: typeof fetch = async () => {
	throw new TypeError('Failed to fetch');
};

describe('certificates on the device', () => {
	test('fetched after a sync, kept, updated when revoked, and never deleted', async () => {
		const db = freshDb();
		expect(
			await refreshCertificates(db, 'p1', answering(200, served('p1', ['K7M2-9QXR', 'AAAA-BBBB'])))
		).toBe('ok');
		expect((await certificatesOf(db, 'p1')).map((c) => c.code)).toEqual(['AAAA-BBBB', 'K7M2-9QXR']);
		expect(storedKeys()).toEqual([KEY]);

		await refreshCertificates(db, 'p1', answering(200, served('p1', ['K7M2-9QXR'], ['K7M2-9QXR'])));
		const rows = await certificatesOf(db, 'p1');
		expect(rows.map((c) => [c.code, c.revoked?.reason ?? null])).toEqual([
			['AAAA-BBBB', null],
			['K7M2-9QXR', 'Erreur']
		]);
	});

	test('offline, signed out, another profile’s session or a broken answer change nothing', async () => {
		const db = freshDb();
		expect(await refreshCertificates(db, 'p1', offline)).toBe('offline');
		expect(await refreshCertificates(db, 'p1', answering(401, { error: 'Connectez-vous' }))).toBe(
			'signed-out'
		);
		expect(await refreshCertificates(db, 'p1', answering(200, served('p2', ['K7M2-9QXR'])))).toBe(
			'other-learner'
		);
		expect(await refreshCertificates(db, 'p1', answering(200, { nothing: true }))).toBe('error');
		expect(await refreshCertificates(db, 'p1', answering(500, { error: 'x' }))).toBe('error');
		expect(await db.certificates.count()).toBe(0);
	});

	test('the public key is kept on the device, and served from there offline', async () => {
		expect(await fetchPublicKey(offline)).toEqual([]);
		expect(await fetchPublicKey(answering(200, { publicKey: KEY }))).toEqual([KEY]);
		expect(await fetchPublicKey(offline)).toEqual([KEY]);
		expect(await fetchPublicKey(answering(200, { publicKey: 'trop-court' }))).toEqual([KEY]);
		const newer = 'B'.repeat(43);
		expect(rememberKey(newer)).toEqual([newer, KEY]);
	});
});
