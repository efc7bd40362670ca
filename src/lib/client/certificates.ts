import { liveQuery } from 'dexie';
import type { CertificateRow, KalanDB } from './db';
import { database } from './store';

// The learner's certificates on this device, and the public key that verifies any certificate
// with no network. Plain TypeScript: no Svelte, no top-level browser access.

const KEYS = 'kalan-certificate-keys';

/** Public keys this device has seen (base64url), newest first. */
export function storedKeys(
	storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage
): string[] {
	try {
		const value: unknown = JSON.parse(storage?.getItem(KEYS) ?? '[]');
		return Array.isArray(value) ? value.filter((k): k is string => typeof k === 'string') : [];
	} catch {
		return [];
	}
}

/** Keeps a public key (a key seen before stays: certificates outlive a key change). */
export function rememberKey(
	key: string,
	storage: Pick<Storage, 'getItem' | 'setItem'> | undefined = globalThis.localStorage
): string[] {
	const keys = [key, ...storedKeys(storage).filter((k) => k !== key)].slice(0, 5);
	try {
		storage?.setItem(KEYS, JSON.stringify(keys));
	} catch {
		// blocked storage: the key still serves this page
	}
	return keys;
}

/** Asks the server for its public key (the service worker answers offline) and keeps it. */
export async function fetchPublicKey(fetcher: typeof fetch = fetch): Promise<string[]> {
	try {
		const response = await fetcher('/api/certificates/public-key');
		const body = (await response.json()) as { publicKey?: unknown };
		if (
			response.ok &&
			typeof body.publicKey === 'string' &&
			/^[A-Za-z0-9_-]{43}$/.test(body.publicKey)
		)
			return rememberKey(body.publicKey);
	} catch {
		// offline and never cached: the keys already kept are all there is
	}
	return storedKeys();
}

export type RefreshResult = 'ok' | 'offline' | 'signed-out' | 'other-learner' | 'error';

/**
 * Fetches the learner's certificates (the server issues any now due) and keeps them on the
 * device. Rows are only added or updated, never deleted: a certificate stays printable offline.
 */
export async function refreshCertificates(
	db: KalanDB,
	learnerId: string,
	fetcher: typeof fetch = fetch,
	now: Date = new Date()
): Promise<RefreshResult> {
	let response: Response;
	try {
		response = await fetcher('/api/certificates', { credentials: 'same-origin' });
	} catch {
		return 'offline';
	}
	if (response.status === 401 || response.status === 403) return 'signed-out';
	if (!response.ok) return 'error';
	const body = (await response.json().catch(() => null)) as {
		learnerId?: string;
		publicKey?: string;
		certificates?: Omit<CertificateRow, 'learnerId' | 'fetchedAt'>[];
	} | null;
	if (!body || !Array.isArray(body.certificates)) return 'error';
	// On a shared phone the session may be another profile's: never file their certificates here.
	if (body.learnerId !== learnerId) return 'other-learner';
	if (typeof body.publicKey === 'string') rememberKey(body.publicKey);
	const fetchedAt = now.toISOString();
	await db.certificates.bulkPut(
		body.certificates.map((c) => ({
			code: c.code,
			learnerId,
			courseId: c.courseId,
			payload: c.payload,
			token: c.token,
			link: c.link,
			qrSvg: c.qrSvg,
			issuedAt: c.issuedAt,
			revoked: c.revoked ?? null,
			fetchedAt
		}))
	);
	return 'ok';
}

/** The learner's certificates on this device, newest first. */
export async function certificatesOf(db: KalanDB, learnerId: string): Promise<CertificateRow[]> {
	const rows = await db.certificates.where('learnerId').equals(learnerId).toArray();
	return rows.sort((a, b) => b.issuedAt.localeCompare(a.issuedAt) || a.code.localeCompare(b.code));
}

/** The learner's certificates, live (a new one shows as soon as it is stored); returns the stop. */
export function watchCertificates(
	learnerId: string,
	onRows: (rows: CertificateRow[]) => void,
	db: KalanDB = database()
): () => void {
	const subscription = liveQuery(() => certificatesOf(db, learnerId)).subscribe({
		next: onRows,
		error: () => onRows([])
	});
	return () => subscription.unsubscribe();
}

/** `refreshCertificates` on this tab's database. */
export const refreshMine = (learnerId: string) => refreshCertificates(database(), learnerId);
