import type { KalanDB, ProfileRow } from './db';
import { newId } from './ids';
import { database, switchProfile } from './store';

export const PIN_PATTERN = /^\d{4,6}$/;

const hex = (bytes: ArrayBuffer | Uint8Array) =>
	[...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');

/**
 * A PIN hash for a shared phone: PBKDF2 where WebCrypto exists (HTTPS, localhost). On a plain-HTTP
 * school server it is missing; the PIN there only keeps a profile apart from a careless classmate.
 */
async function hashPin(pin: string, salt: string): Promise<string> {
	if (crypto.subtle) {
		const key = await crypto.subtle.importKey(
			'raw',
			new TextEncoder().encode(pin),
			'PBKDF2',
			false,
			['deriveBits']
		);
		const bits = await crypto.subtle.deriveBits(
			{
				name: 'PBKDF2',
				hash: 'SHA-256',
				salt: new TextEncoder().encode(salt),
				iterations: 100_000
			},
			key,
			256
		);
		return hex(bits);
	}
	let h = 0x811c9dc5;
	for (const ch of `${salt}:${pin}`.repeat(1000))
		h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
	return `fnv:${h.toString(16)}`;
}

export async function makePin(pin: string): Promise<ProfileRow['pin']> {
	const salt = hex(crypto.getRandomValues(new Uint8Array(16)));
	return { salt, hash: await hashPin(pin, salt) };
}

export async function pinMatches(profile: ProfileRow, pin: string): Promise<boolean> {
	if (!profile.pin) return true;
	return (await hashPin(pin, profile.pin.salt)) === profile.pin.hash;
}

export async function renameProfile(
	id: string,
	name: string,
	store: KalanDB = database()
): Promise<void> {
	await store.profiles.update(id, { name: name.trim() });
}

export async function setPin(
	id: string,
	pin: string | null,
	store: KalanDB = database()
): Promise<void> {
	await store.profiles.update(id, { pin: pin ? await makePin(pin) : undefined });
}

export async function addProfile(
	name: string,
	pin: string | null,
	store: KalanDB = database()
): Promise<ProfileRow> {
	const profile: ProfileRow = {
		id: newId(),
		name: name.trim(),
		createdAt: new Date().toISOString(),
		...(pin ? { pin: await makePin(pin) } : {})
	};
	await store.profiles.add(profile);
	await switchProfile(profile.id, store);
	return profile;
}

/** Opens another profile; refuses a wrong PIN. */
export async function openProfile(
	id: string,
	pin: string,
	store: KalanDB = database()
): Promise<ProfileRow | 'wrong-pin' | undefined> {
	const profile = await store.profiles.get(id);
	if (!profile) return undefined;
	if (!(await pinMatches(profile, pin))) return 'wrong-pin';
	return switchProfile(id, store);
}
