// The certificate's data, and the one way it is written down (canonical JSON), so that the bytes
// signed by the server are the bytes any verifier reads back.

/** What a certificate says. Short keys keep the QR code small; the page shows them in words. */
export interface CertificatePayload {
	/** Format version. */
	v: 1;
	/** Short unique code, e.g. `K7M2-9QXR` (see CODE_ALPHABET). */
	code: string;
	/** The learner's name, as on their account. */
	name: string;
	/** Service number (matricule), when the learner gave one. */
	sn?: string;
	/** Course id, its French title and its version. */
	course: string;
	title: string;
	version: string;
	/** The cohort's name. */
	cohort: string;
	/** Day of issue, `YYYY-MM-DD` (the server's date). */
	date: string;
	/** Final score of each module assessment, in whole percent, by module id. */
	scores: Record<string, number>;
	/** The cohort's instructor. */
	instructor: string;
}

/** Letters and digits that cannot be misread (no 0/O, 1/I/L, U/V). */
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTWXYZ';
/** Two groups of four: 29⁸ ≈ 500 billion codes. */
export const CODE_PATTERN = /^[2-9A-HJKMNP-TW-Z]{4}-[2-9A-HJKMNP-TW-Z]{4}$/;

/** What a person typed, as stored: capitals, one dash ("k7m2 9qxr" → "K7M2-9QXR"); or null. */
export function normalizeCode(typed: string): string | null {
	if (typed.length > 40) return null;
	const bare = typed.replace(/[\s-]+/g, '').toUpperCase();
	const code = `${bare.slice(0, 4)}-${bare.slice(4)}`;
	return CODE_PATTERN.test(code) ? code : null;
}

/** Limits of a readable payload (a real one is far below them). */
export const PAYLOAD_LIMITS = { text: 200, scores: 50 } as const;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** JSON with object keys sorted at every level and no spaces: one text per value. */
export function canonicalJson(value: unknown): string {
	return JSON.stringify(sortKeys(value as Json));
}

function sortKeys(value: Json): Json {
	if (Array.isArray(value)) return value.map(sortKeys);
	if (value === null || typeof value !== 'object') return value;
	const sorted: { [key: string]: Json } = {};
	for (const key of Object.keys(value).sort())
		if (value[key] !== undefined) sorted[key] = sortKeys(value[key]!);
	return sorted;
}

const isText = (x: unknown, max: number = PAYLOAD_LIMITS.text): x is string =>
	typeof x === 'string' && x.length > 0 && x.length <= max && !/\p{Cc}/u.test(x);

/** The payload if `value` has exactly its shape, else undefined. */
export function asPayload(value: unknown): CertificatePayload | undefined {
	if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
	const p = value as Record<string, unknown>;
	const keys = ['v', 'code', 'name', 'course', 'title', 'version', 'cohort', 'date', 'scores'];
	const allowed = new Set([...keys, 'sn', 'instructor']);
	if (Object.keys(p).some((k) => !allowed.has(k))) return undefined;
	if (p.v !== 1 || typeof p.code !== 'string' || !CODE_PATTERN.test(p.code)) return undefined;
	if (![p.name, p.course, p.title, p.version, p.cohort, p.instructor].every((x) => isText(x)))
		return undefined;
	if (p.sn !== undefined && !isText(p.sn, 40)) return undefined;
	if (typeof p.date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(p.date)) return undefined;
	const scores = p.scores;
	if (scores === null || typeof scores !== 'object' || Array.isArray(scores)) return undefined;
	const entries = Object.entries(scores as Record<string, unknown>);
	if (entries.length > PAYLOAD_LIMITS.scores) return undefined;
	if (
		!entries.every(
			([id, s]) =>
				isText(id, 100) && Number.isInteger(s) && (s as number) >= 0 && (s as number) <= 100
		)
	)
		return undefined;
	return p as unknown as CertificatePayload;
}

/** A score in [0, 1] as the certificate writes it: whole percent, rounded down (never flattering). */
export const percentOf = (score: number): number =>
	Math.max(0, Math.min(100, Math.floor(score * 100 + 1e-9)));
