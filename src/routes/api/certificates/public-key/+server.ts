import { getSigner } from '$lib/server/certificates';
import { answer, api } from '$lib/server/http';
import type { RequestHandler } from './$types';

export const prerender = false;

/**
 * The key that verifies Kalan's certificates, at a stable address: Ed25519, the raw 32 bytes in
 * base64url. Devices keep a copy, so that they verify with no network.
 */
export const GET: RequestHandler = api(async () =>
	answer({ algorithm: 'Ed25519', encoding: 'base64url', publicKey: getSigner().publicKey }, 200, {
		'cache-control': 'public, max-age=3600'
	})
);
