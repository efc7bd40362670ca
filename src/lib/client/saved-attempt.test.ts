import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { KalanDB, type AttemptRow } from './db';
import { newAttempt } from './attempts';
import { currentProfile, switchProfile } from './store';
import { hasSavedAttempt } from './saved-attempt';

// The reader works on the database Dexie made (db.ts), with the browser's IndexedDB alone.
let name: string;
let db: KalanDB;
beforeEach(() => {
	name = `test-${crypto.randomUUID()}`;
	db = new KalanDB(name);
});
afterEach(async () => {
	await db.delete();
});

const attempt = (learnerId: string, extra: Partial<AttemptRow> = {}): AttemptRow => ({
	...newAttempt(
		{ learnerId, kind: 'quiz', targetId: 'eval-m1', courseId: 'ccs', contentVersion: 'v1' },
		{ status: 'active' }
	),
	...extra
});

const databases = async () => (await indexedDB.databases()).map((d) => d.name);

describe('hasSavedAttempt, read without Dexie', () => {
	test('no database yet (a first visit): nothing saved, and no database is created', async () => {
		const fresh = `test-${crypto.randomUUID()}`;
		expect(await hasSavedAttempt('quiz', 'eval-m1', fresh)).toBe(false);
		expect(await databases()).not.toContain(fresh);
		// Dexie then creates it as usual.
		const later = new KalanDB(fresh);
		expect((await currentProfile(later)).id).toBeTruthy();
		await later.delete();
	});

	test("the current learner's attempt is found; another target or kind is not", async () => {
		const awa = await currentProfile(db);
		await db.attempts.add(attempt(awa.id));
		expect(await hasSavedAttempt('quiz', 'eval-m1', name)).toBe(true);
		expect(await hasSavedAttempt('quiz', 'eval-m2', name)).toBe(false);
		expect(await hasSavedAttempt('scenario', 'eval-m1', name)).toBe(false);
	});

	test('a finished attempt counts (its result is shown); an abandoned one does not', async () => {
		const awa = await currentProfile(db);
		await db.attempts.add(attempt(awa.id, { status: 'finished' }));
		expect(await hasSavedAttempt('quiz', 'eval-m1', name)).toBe(true);
		await db.attempts.clear();
		await db.attempts.add(attempt(awa.id, { status: 'abandoned' }));
		expect(await hasSavedAttempt('quiz', 'eval-m1', name)).toBe(false);
	});

	test("another learner's attempt on the same phone is not the current learner's", async () => {
		const awa = await currentProfile(db);
		const moussa = { id: 'moussa', name: 'Moussa', createdAt: new Date().toISOString() };
		await db.profiles.add(moussa);
		await db.attempts.add(attempt(awa.id));
		await switchProfile(moussa.id, db);
		expect(await hasSavedAttempt('quiz', 'eval-m1', name)).toBe(false);
		await switchProfile(awa.id, db);
		expect(await hasSavedAttempt('quiz', 'eval-m1', name)).toBe(true);
	});

	test('with no current profile set, the first by name is the learner, as store.ts decides', async () => {
		await db.profiles.bulkAdd([
			{ id: 'p-b', name: 'Bintou', createdAt: '2026-11-01T00:00:00Z' },
			{ id: 'p-a', name: 'Adama', createdAt: '2026-11-02T00:00:00Z' }
		]);
		await db.attempts.add(attempt('p-a'));
		expect(await hasSavedAttempt('quiz', 'eval-m1', name)).toBe(true);
		expect((await currentProfile(db)).id).toBe('p-a');
		// A current profile that was removed: the first by name again.
		await db.settings.put({ key: 'currentProfile', value: 'gone' });
		expect(await hasSavedAttempt('quiz', 'eval-m1', name)).toBe(true);
	});

	test('no profile at all: nothing saved', async () => {
		await db.open();
		expect(await hasSavedAttempt('quiz', 'eval-m1', name)).toBe(false);
	});

	test('Dexie keeps working on the database while and after it is read', async () => {
		const awa = await currentProfile(db);
		const [found] = await Promise.all([
			hasSavedAttempt('quiz', 'eval-m1', name),
			db.attempts.add(attempt(awa.id))
		]);
		expect(typeof found).toBe('boolean');
		expect(await hasSavedAttempt('quiz', 'eval-m1', name)).toBe(true);
		expect(await db.attempts.count()).toBe(1);
	});
});
