/**
 * A short, stable fingerprint of a content object (FNV-1a over its JSON): an attempt taken on a
 * quiz records it, and a different fingerprint later means the quiz changed under the attempt.
 */
export function fingerprint(value: unknown): string {
	const text = JSON.stringify(value);
	let hash = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		hash ^= text.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193) >>> 0;
	}
	return hash.toString(36);
}
