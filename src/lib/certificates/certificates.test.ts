import { getPublicKey, sign, utils } from '@noble/ed25519';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
	canonicalJson,
	codeInLink,
	decodeBase64url,
	encodeBase64url,
	encodeToken,
	extractToken,
	MAX_TOKEN_CHARS,
	normalizeCode,
	payloadBytes,
	percentOf,
	verificationLink,
	verifyToken,
	type CertificatePayload
} from './index';

const payload = (extra: Partial<CertificatePayload> = {}): CertificatePayload => ({
	v: 1,
	code: 'K7M2-9QXR',
	name: 'Aminata Keïta',
	sn: 'PN-20451',
	course: 'rss-triptyque',
	title: 'Le triptyque Réforme – Sécurité – Justice',
	version: '1.0.0',
	cohort: 'Promotion Kalanba 2026',
	date: '2026-11-29',
	scores: { 'module-1': 85, 'module-2': 100 },
	instructor: 'Fatoumata Diarra',
	...extra
});

function keyPair() {
	const secretKey = utils.randomSecretKey();
	return { secretKey, publicKey: encodeBase64url(getPublicKey(secretKey)) };
}
const signed = (p: CertificatePayload, secretKey: Uint8Array) =>
	encodeToken(p, sign(payloadBytes(p), secretKey));

/** The token with one character changed (to another character of the same alphabet). */
function changeOne(token: string, index: number): string {
	const c = token[index]!;
	const other = c === 'A' ? 'B' : c === '.' ? '.' : 'A';
	return token.slice(0, index) + other + token.slice(index + 1);
}

describe('signing and verifying a certificate', () => {
	const issuer = keyPair();
	const token = signed(payload(), issuer.secretKey);

	test('a token signed by the server key verifies and gives back the payload', () => {
		expect(verifyToken(token, [issuer.publicKey])).toEqual({
			ok: true,
			payload: payload(),
			publicKey: issuer.publicKey
		});
	});

	test('the whole verification link verifies too, and names the code', () => {
		const link = verificationLink('https://kalan.example.ml', 'K7M2-9QXR', token);
		expect(verifyToken(link, [issuer.publicKey]).ok).toBe(true);
		expect(codeInLink(link)).toBe('K7M2-9QXR');
		expect(extractToken(`  ${link.slice(0, 40)}\n${link.slice(40)}  `)).toBe(token);
	});

	test('a payload with one changed character fails verification', () => {
		const dot = token.indexOf('.');
		for (const index of [0, 5, Math.floor(dot / 2), dot - 2, dot + 1, token.length - 3]) {
			const result = verifyToken(changeOne(token, index), [issuer.publicKey]);
			expect(result.ok, `character ${index} changed`).toBe(false);
		}
		// the name changed in the JSON itself, re-encoded: the signature no longer matches
		const forged = `${encodeBase64url(payloadBytes(payload({ name: 'Aminata Keita' })))}.${token.split('.')[1]}`;
		expect(verifyToken(forged, [issuer.publicKey])).toEqual({ ok: false, reason: 'signature' });
	});

	test('every single-character change is refused (property)', () => {
		fc.assert(
			fc.property(fc.nat({ max: token.length - 1 }), (index) => {
				const changed = changeOne(token, index);
				expect(changed === token || !verifyToken(changed, [issuer.publicKey]).ok).toBe(true);
			})
		);
	});

	test('a payload signed by another key fails', () => {
		const other = keyPair();
		expect(verifyToken(signed(payload(), other.secretKey), [issuer.publicKey])).toEqual({
			ok: false,
			reason: 'signature'
		});
		// …and verifies once that key is known (a rotated key kept beside the new one)
		expect(
			verifyToken(signed(payload(), other.secretKey), [issuer.publicKey, other.publicKey]).ok
		).toBe(true);
	});

	test('with no public key on the device, nothing is declared valid', () => {
		expect(verifyToken(token, [])).toEqual({ ok: false, reason: 'no-key' });
		expect(verifyToken(token, ['pas-une-clé'])).toEqual({ ok: false, reason: 'no-key' });
	});

	test('the same data written another way (spaces, key order) is not what was signed', () => {
		const json = JSON.stringify(payload(), null, 1);
		const bytes = new TextEncoder().encode(json);
		const sneaky = encodeToken(payload(), sign(bytes, issuer.secretKey)).replace(
			/^[^.]+/,
			encodeBase64url(bytes)
		);
		expect(verifyToken(sneaky, [issuer.publicKey])).toEqual({ ok: false, reason: 'malformed' });
	});
});

describe('bad input gets a reason, never an exception', () => {
	const issuer = keyPair();
	test.each([
		['nothing', '', 'empty'],
		['spaces', '   ', 'empty'],
		['a word', 'bonjour', 'malformed'],
		['two short parts', 'abc.def', 'malformed'],
		['a link without token', 'https://kalan.example.ml/verifier/K7M2-9QXR', 'malformed'],
		[
			'a signed-looking incomplete payload',
			`${encodeBase64url(new TextEncoder().encode('{"v":1}'))}.${'A'.repeat(86)}`,
			'malformed'
		],
		[
			'bytes that are not UTF-8',
			`${encodeBase64url(new Uint8Array([0xff, 0xfe]))}.${'A'.repeat(86)}`,
			'malformed'
		],
		['just over the limit', 'x'.repeat(MAX_TOKEN_CHARS + 1), 'too-long'],
		['five million characters', 'x'.repeat(5_000_000), 'too-long']
	])('%s → %s', (_label, input, reason) => {
		expect(verifyToken(input, [issuer.publicKey])).toEqual({ ok: false, reason });
	});

	test('random text never verifies and never throws (property)', () => {
		fc.assert(
			fc.property(fc.string({ maxLength: 400 }), (text) => {
				expect(verifyToken(text, [issuer.publicKey]).ok).toBe(false);
			})
		);
	});

	test('a payload with an unknown field or a wrong type is malformed even if signed', () => {
		for (const bad of [
			{ ...payload(), extra: 1 },
			{ ...payload(), scores: { m1: 101 } },
			{ ...payload(), scores: { m1: 0.5 } },
			{ ...payload(), code: 'K0M2-9QXR' },
			{ ...payload(), date: '29/11/2026' },
			{ ...payload(), name: '' }
		]) {
			const token = signed(bad as CertificatePayload, issuer.secretKey);
			expect(verifyToken(token, [issuer.publicKey])).toEqual({ ok: false, reason: 'malformed' });
		}
	});
});

describe('encodings', () => {
	test('canonical JSON sorts keys at every level and drops undefined', () => {
		expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: undefined } })).toBe(
			'{"a":{"d":[2,{"y":2,"z":1}]},"b":1}'
		);
	});

	test('base64url round-trips any bytes and refuses non-canonical text', () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
				const text = encodeBase64url(bytes);
				expect(text).toMatch(/^[A-Za-z0-9_-]*$/);
				expect(decodeBase64url(text)).toEqual(bytes);
			})
		);
		expect(encodeBase64url(new TextEncoder().encode('Kalan'))).toBe('S2FsYW4');
		expect(decodeBase64url('S2FsYW5')).toBeUndefined(); // trailing bits set
		expect(decodeBase64url('S2F+YW4')).toBeUndefined();
		expect(decodeBase64url('S')).toBeUndefined();
	});

	test('codes are read as people type them', () => {
		expect(normalizeCode('k7m2 9qxr')).toBe('K7M2-9QXR');
		expect(normalizeCode('K7M2-9QXR')).toBe('K7M2-9QXR');
		expect(normalizeCode('K7M2-9QX0')).toBeNull();
		expect(normalizeCode('K7M2')).toBeNull();
		expect(normalizeCode('x'.repeat(100))).toBeNull();
	});

	test('scores are whole percent, rounded down', () => {
		expect([0, 0.7, 0.8499, 0.85, 1, 1.2, -1].map(percentOf)).toEqual([0, 70, 84, 85, 100, 100, 0]);
	});
});
