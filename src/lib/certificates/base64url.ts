// RFC 4648 base64url without padding, strict: one text per byte string, so a token cannot be
// written two ways (a changed character always changes the bytes).

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const VALUE = new Map([...ALPHABET].map((c, i) => [c, i]));

export function encodeBase64url(bytes: Uint8Array): string {
	let out = '';
	for (let i = 0; i < bytes.length; i += 3) {
		const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
		const chars = i + 2 < bytes.length ? 4 : i + 1 < bytes.length ? 3 : 2;
		for (let k = 0; k < chars; k++) out += ALPHABET[(n >> (18 - 6 * k)) & 63];
	}
	return out;
}

/** The bytes, or undefined when `text` is not canonical base64url. */
export function decodeBase64url(text: string): Uint8Array | undefined {
	if (text.length % 4 === 1) return undefined;
	const out = new Uint8Array(Math.floor((text.length * 3) / 4));
	let o = 0;
	for (let i = 0; i < text.length; i += 4) {
		const group = text.slice(i, i + 4);
		let n = 0;
		for (let k = 0; k < 4; k++) {
			const v = k < group.length ? VALUE.get(group[k]!) : 0;
			if (v === undefined) return undefined;
			n = (n << 6) | v;
		}
		const bytes = group.length - 1;
		// the bits past the last byte must be zero, or two texts would give the same bytes
		if (bytes < 3 && (n & ((1 << (8 * (3 - bytes))) - 1)) !== 0) return undefined;
		for (let k = 0; k < bytes; k++) out[o++] = (n >> (16 - 8 * k)) & 255;
	}
	return out;
}
