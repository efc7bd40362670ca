import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { KalanDB } from './db';
import { addProfile, makePin, openProfile, pinMatches, renameProfile, setPin } from './profiles';
import { currentProfile } from './store';

let store: KalanDB;
beforeEach(() => {
	store = new KalanDB(`test-${crypto.randomUUID()}`);
});
afterEach(async () => {
	await store.delete();
});

describe('profiles on a shared phone', () => {
	test('a new profile with a PIN becomes the current one, its PIN stored hashed', async () => {
		await currentProfile(store);
		const profile = await addProfile('  Awa  ', '1234', store);
		expect(profile.name).toBe('Awa');
		expect((await currentProfile(store)).id).toBe(profile.id);
		const stored = await store.profiles.get(profile.id);
		expect(stored?.pin?.hash).toMatch(/^[0-9a-f]{64}$/);
		expect(JSON.stringify(stored)).not.toContain('1234');
	});

	test('a wrong PIN does not open the profile', async () => {
		const locked = await addProfile('Awa', '1234', store);
		const other = await addProfile('Moussa', null, store);
		expect(await openProfile(locked.id, '4321', store)).toBe('wrong-pin');
		expect(await openProfile(locked.id, '', store)).toBe('wrong-pin');
		expect((await currentProfile(store)).id).toBe(other.id);
	});

	test('the right PIN opens the profile', async () => {
		const locked = await addProfile('Awa', '1234', store);
		await addProfile('Moussa', null, store);
		expect(await openProfile(locked.id, '1234', store)).toEqual(locked);
		expect((await currentProfile(store)).id).toBe(locked.id);
	});

	test('a profile without a PIN opens with whatever is typed', async () => {
		const open = await addProfile('Moussa', null, store);
		for (const typed of ['', '0000', 'n’importe quoi']) {
			await addProfile('Awa', null, store);
			expect(await openProfile(open.id, typed, store)).toEqual(open);
			expect((await currentProfile(store)).id).toBe(open.id);
		}
	});

	test('an unknown profile opens nothing', async () => {
		const current = await addProfile('Awa', null, store);
		expect(await openProfile('nobody', '1234', store)).toBeUndefined();
		expect((await currentProfile(store)).id).toBe(current.id);
	});

	test('two profiles with the same PIN store different hashes', async () => {
		const a = await addProfile('Awa', '1234', store);
		const b = await addProfile('Moussa', '1234', store);
		expect(a.pin!.salt).not.toBe(b.pin!.salt);
		expect(a.pin!.hash).not.toBe(b.pin!.hash);
		expect(await pinMatches(a, '1234')).toBe(true);
		expect(await pinMatches(b, '1234')).toBe(true);
	});

	test('the same PIN hashed twice never gives the same hash', async () => {
		const [x, y] = [await makePin('123456'), await makePin('123456')];
		expect(x!.hash).not.toBe(y!.hash);
		expect(await pinMatches({ id: 'p', name: '', createdAt: '', pin: x }, '123456')).toBe(true);
		expect(await pinMatches({ id: 'p', name: '', createdAt: '', pin: x }, '12345')).toBe(false);
	});

	test('a PIN can be set, changed and removed', async () => {
		const profile = await addProfile('Awa', null, store);
		await setPin(profile.id, '1111', store);
		expect(await openProfile(profile.id, '2222', store)).toBe('wrong-pin');
		await setPin(profile.id, '2222', store);
		expect(await openProfile(profile.id, '1111', store)).toBe('wrong-pin');
		expect(await openProfile(profile.id, '2222', store)).toMatchObject({ id: profile.id });
		await setPin(profile.id, null, store);
		expect((await store.profiles.get(profile.id))?.pin).toBeUndefined();
		expect(await openProfile(profile.id, '', store)).toMatchObject({ id: profile.id });
	});

	test('a renamed profile keeps its id and PIN, with the name trimmed', async () => {
		const profile = await addProfile('Awa', '1234', store);
		await renameProfile(profile.id, '  Awa Traoré ', store);
		expect(await store.profiles.get(profile.id)).toEqual({ ...profile, name: 'Awa Traoré' });
	});
});
