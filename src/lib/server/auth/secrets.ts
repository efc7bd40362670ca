import { hash, verify } from '@node-rs/argon2';

// Passwords and PINs are hashed alike: argon2id (the library's default algorithm) with the
// OWASP parameters, 19 MiB, 2 passes, 1 lane. A 4–6 digit PIN stays guessable offline whatever
// the hash: what protects it is the rate limit on every sign-in.
const OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashSecret(secret: string): Promise<string> {
	return hash(secret, OPTIONS);
}

/** False for a wrong secret, and for a stored hash that is missing or unreadable. */
export async function verifySecret(stored: string | null, secret: string): Promise<boolean> {
	if (!stored) {
		await dummyVerify(secret);
		return false;
	}
	try {
		return await verify(stored, secret);
	} catch {
		return false;
	}
}

let dummy: Promise<string> | undefined;
/** Spends the time a real check takes, so that an unknown name answers as slowly as a known one. */
export async function dummyVerify(secret: string): Promise<void> {
	dummy ??= hash('kalan-timing-equaliser', OPTIONS);
	await verify(await dummy, secret).catch(() => false);
}
