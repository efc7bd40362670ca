import { hashes, verify } from '@noble/ed25519';
import { sha512 } from '@noble/hashes/sha2.js';
import { decodeBase64url, encodeBase64url } from './base64url';
import { asPayload, canonicalJson, normalizeCode, type CertificatePayload } from './payload';

// The token a QR code carries: `base64url(canonical JSON).base64url(Ed25519 signature)`. The
// synchronous SHA-512 of @noble/hashes is used, not WebCrypto: a school server on plain HTTP
// has no `crypto.subtle`, and verification must work there too, offline.
hashes.sha512 ??= sha512;

/** Longer input is refused before anything is decoded (a real token is under 1,000 characters). */
export const MAX_TOKEN_CHARS = 3000;

export { decodeBase64url, encodeBase64url };

/** The exact bytes a certificate's signature covers. */
export function payloadBytes(payload: CertificatePayload): Uint8Array {
	return new TextEncoder().encode(canonicalJson(payload));
}

/** The token of a payload and its signature (made by the server). */
export function encodeToken(payload: CertificatePayload, signature: Uint8Array): string {
	return `${encodeBase64url(payloadBytes(payload))}.${encodeBase64url(signature)}`;
}

/** The verification link a QR code opens: the code in the path, the token in the fragment. */
export function verificationLink(origin: string, code: string, token: string): string {
	return `${origin}/verifier/${code}#${token}`;
}

export type VerifyFailure =
	/** Nothing was given. */
	| 'empty'
	/** Longer than any certificate. */
	| 'too-long'
	/** Not a certificate's token (wrong shape, bad characters, unreadable content). */
	| 'malformed'
	/** Well formed, but the signature does not match the content under any known key. */
	| 'signature'
	/** No public key on this device yet. */
	| 'no-key';

export type Verification =
	| { ok: true; payload: CertificatePayload; publicKey: string }
	| { ok: false; reason: VerifyFailure };

/**
 * The token inside what a person pasted or a scanner read: a whole verification link (token in
 * the fragment), or the token alone. Whitespace (line breaks of a copy) is ignored.
 */
export function extractToken(input: string): string {
	const text = input.length > MAX_TOKEN_CHARS * 2 ? input : input.replace(/\s+/g, '');
	const hash = text.indexOf('#');
	return hash >= 0 ? text.slice(hash + 1) : text;
}

const TOKEN_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{86}$/;

/**
 * Checks a token against the known public keys (base64url, 32 bytes each): valid only when the
 * signature matches the exact bytes, the bytes are the canonical JSON of a payload of the right
 * shape, and a key signed them. Never throws.
 */
export function verifyToken(input: string, publicKeys: readonly string[]): Verification {
	if (input.trim() === '') return { ok: false, reason: 'empty' };
	if (input.length > MAX_TOKEN_CHARS + 2000) return { ok: false, reason: 'too-long' };
	const token = extractToken(input);
	if (token.length > MAX_TOKEN_CHARS) return { ok: false, reason: 'too-long' };
	if (!TOKEN_SHAPE.test(token)) return { ok: false, reason: 'malformed' };
	const [body, sig] = token.split('.') as [string, string];
	const bytes = decodeBase64url(body);
	const signature = decodeBase64url(sig);
	if (!bytes || !signature || signature.length !== 64) return { ok: false, reason: 'malformed' };
	let text: string;
	let payload: CertificatePayload | undefined;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
		payload = asPayload(JSON.parse(text));
	} catch {
		return { ok: false, reason: 'malformed' };
	}
	// One text per certificate: the same data written another way is not what was signed.
	if (!payload || canonicalJson(payload) !== text) return { ok: false, reason: 'malformed' };
	const keys = publicKeys.map(decodeBase64url).filter((k) => k?.length === 32) as Uint8Array[];
	if (keys.length === 0) return { ok: false, reason: 'no-key' };
	for (const [i, key] of keys.entries()) {
		try {
			if (verify(signature, bytes, key, { zip215: false }))
				return { ok: true, payload, publicKey: encodeBase64url(keys[i]!) };
		} catch {
			// a key or signature the library refuses is simply not a match
		}
	}
	return { ok: false, reason: 'signature' };
}

/** The code a verification link names in its path (`/verifier/K7M2-9QXR`), if any. */
export function codeInLink(input: string): string | null {
	const match = /\/verifier\/([A-Za-z0-9-]{1,40})(?:[?#]|$)/.exec(input.trim());
	return match ? normalizeCode(match[1]!) : null;
}
