import {
	createPrivateKey,
	createPublicKey,
	generateKeyPairSync,
	sign as edSign,
	type KeyObject
} from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// The server's Ed25519 signing key. Given by KALAN_SIGNING_KEY (every app server behind a load
// balancer shares it), or generated on first start and kept in the data directory.

export const SIGNING_KEY_ENV = 'KALAN_SIGNING_KEY';
export const SIGNING_KEY_FILE = 'certificate-signing-key.pem';

export interface Signer {
	/** Raw 32-byte public key, base64url: what verifiers hold. */
	publicKey: string;
	sign(bytes: Uint8Array): Uint8Array;
}

// PKCS#8 DER of an Ed25519 key is this fixed header followed by the 32-byte seed (RFC 8410).
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

function signerOf(privateKey: KeyObject): Signer {
	if (privateKey.asymmetricKeyType !== 'ed25519')
		throw new Error('la clé de signature doit être une clé Ed25519');
	const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
	if (typeof jwk.x !== 'string') throw new Error('clé publique illisible');
	return {
		publicKey: jwk.x,
		sign: (bytes) => new Uint8Array(edSign(null, bytes, privateKey))
	};
}

/**
 * A signer from a key as text: a PKCS#8 PEM (line breaks may be written `\n`), or the 32-byte
 * seed in base64 or base64url. Throws a message an administrator can act on.
 */
export function signerFromText(text: string): Signer {
	const value = text.trim().replace(/\\n/g, '\n');
	try {
		if (value.includes('-----BEGIN')) return signerOf(createPrivateKey(value));
		const seed = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
		if (seed.length !== 32) throw new Error(`${seed.length} octets au lieu de 32`);
		return signerOf(
			createPrivateKey({
				key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
				format: 'der',
				type: 'pkcs8'
			})
		);
	} catch (caught) {
		throw new Error(
			`${SIGNING_KEY_ENV} illisible (${(caught as Error).message}) : donnez une clé privée Ed25519 ` +
				'au format PEM PKCS#8, ou ses 32 octets en base64.',
			{ cause: caught }
		);
	}
}

/** A fresh key pair, as PEM (for the data directory, and for tests). */
export function generateSigningKey(): string {
	const { privateKey } = generateKeyPairSync('ed25519');
	return privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

/**
 * The key from the environment, else the one in `dataDir`, made on first start. Two servers
 * starting at once on one data directory agree: the file is created exclusively, and the loser
 * reads the winner's key.
 */
export function loadSigner(env: Record<string, string | undefined>, dataDir: string): Signer {
	const given = env[SIGNING_KEY_ENV];
	if (given && given.trim() !== '') return signerFromText(given);
	const file = join(dataDir, SIGNING_KEY_FILE);
	try {
		return signerFromText(readFileSync(file, 'utf8'));
	} catch (caught) {
		if ((caught as NodeJS.ErrnoException).code !== 'ENOENT') throw caught;
	}
	mkdirSync(dataDir, { recursive: true });
	try {
		writeFileSync(file, generateSigningKey(), { flag: 'wx', mode: 0o600 });
	} catch (caught) {
		if ((caught as NodeJS.ErrnoException).code !== 'EEXIST') throw caught;
	}
	return signerFromText(readFileSync(file, 'utf8'));
}

let shared: Signer | undefined;

/** The application's signer (DATA_DIR as the database uses it, default `data/`). */
export function getSigner(): Signer {
	shared ??= loadSigner(process.env, process.env.DATA_DIR || 'data');
	return shared;
}
