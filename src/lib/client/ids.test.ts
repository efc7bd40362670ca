import { afterEach, describe, expect, test, vi } from 'vitest';
import { newId } from './ids';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const real = globalThis.crypto;

/** A `crypto` as a plain-HTTP page has it: no randomUUID; bytes from `fill` when given. */
function withoutRandomUUID(fill?: number) {
	const getRandomValues = vi.fn((array: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> => {
		if (fill === undefined) return real.getRandomValues(array);
		return array.fill(fill);
	});
	vi.stubGlobal('crypto', { getRandomValues });
	return getRandomValues;
}

afterEach(() => {
	vi.unstubAllGlobals();
});

describe('event and profile ids', () => {
	test('ids are RFC 4122 version 4 UUIDs, all different', () => {
		const ids = Array.from({ length: 200 }, newId);
		for (const id of ids) expect(id).toMatch(UUID_V4);
		expect(new Set(ids).size).toBe(ids.length);
	});

	test('without crypto.randomUUID (plain HTTP) ids are still random v4 UUIDs', () => {
		const getRandomValues = withoutRandomUUID();
		expect(crypto.randomUUID).toBeUndefined();
		const ids = Array.from({ length: 200 }, newId);
		for (const id of ids) expect(id).toMatch(UUID_V4);
		expect(new Set(ids).size).toBe(ids.length);
		expect(getRandomValues).toHaveBeenCalledTimes(200);
	});

	test('the fallback sets the version and variant bits whatever the random bytes', () => {
		withoutRandomUUID(0xff);
		expect(newId()).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff');
		withoutRandomUUID(0x00);
		expect(newId()).toBe('00000000-0000-4000-8000-000000000000');
	});

	test('the real crypto is back after a stub', () => {
		withoutRandomUUID();
		vi.unstubAllGlobals();
		expect(typeof crypto.randomUUID).toBe('function');
		expect(globalThis.crypto).toBe(real);
	});
});
