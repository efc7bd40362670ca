/**
 * Certificates of completion: the payload a certificate carries, its one canonical encoding, the
 * compact token a QR code holds (`base64url(payload).base64url(signature)`), and its Ed25519
 * verification against the server's public key. Pure TypeScript for the browser and Node alike
 * (it ships to phones, and verifies with no network and no WebCrypto): it imports only
 * @noble/ed25519 and @noble/hashes, and nothing from Svelte, the browser, $lib/client or
 * $lib/server. Signing is the server's business (src/lib/server/certificates).
 */
export * from './payload';
export * from './token';
