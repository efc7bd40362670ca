import Dexie from 'dexie';
import { afterEach, describe, expect, test } from 'vitest';
import { KalanDB, type AttemptRow, type CertificateRow } from './db';

const names: string[] = [];
/** A database name no other test uses, deleted after the test. */
function freshName(): string {
	const name = `test-${crypto.randomUUID()}`;
	names.push(name);
	return name;
}
afterEach(async () => {
	await Promise.all(names.splice(0).map((name) => Dexie.delete(name)));
});

/** The database as release 1 (quiz engine) declared it: attempts only. */
class KalanDBv1 extends Dexie {
	attempts!: Dexie.Table<AttemptRow, string>;
	constructor(name: string) {
		super(name);
		this.version(1).stores({ attempts: 'id, [learnerId+targetId], updatedAt' });
	}
}

const attempt = (n: number, extra: Partial<AttemptRow> = {}): AttemptRow => ({
	id: `attempt-${n}`,
	learnerId: 'anonyme',
	kind: n % 2 ? 'quiz' : 'scenario',
	targetId: `cible-${n}`,
	courseId: 'rss',
	contentVersion: `v${n}`,
	status: 'active',
	snapshot: { value: { question: 'answering' }, context: { index: n, responses: { q1: 'a' } } },
	startedAt: `2025-01-0${n}T08:00:00.000Z`,
	updatedAt: `2025-01-0${n}T09:00:00.000Z`,
	...extra
});

const NEW_TABLES = ['events', 'profiles', 'settings', 'progress'] as const;

/** The database as release 2 (offline progress) declared it. */
class KalanDBv2 extends KalanDBv1 {
	constructor(name: string) {
		super(name);
		this.version(2).stores({
			events: 'id, learnerId, [learnerId+syncedAt], [learnerId+courseId], at',
			profiles: 'id, name',
			settings: 'key',
			progress: 'learnerId'
		});
	}
}

const certificate = (code: string, learnerId = 'p1'): CertificateRow => ({
	code,
	learnerId,
	courseId: 'ccs',
	payload: { v: 1, code, name: 'Awa' },
	token: 'e30.sig',
	link: `http://kalan.test/verifier/${code}#e30.sig`,
	qrSvg: '<svg></svg>',
	issuedAt: '2026-11-29T10:00:00.000Z',
	revoked: null,
	fetchedAt: '2026-11-29T10:00:01.000Z'
});

describe('upgrading the database', () => {
	test('attempts saved by release 1 survive the upgrade unchanged', async () => {
		const name = freshName();
		const rows = [attempt(1), attempt(2, { status: 'finished' }), attempt(3)];
		const old = new KalanDBv1(name);
		await old.attempts.bulkAdd(rows);
		old.close();

		const db = new KalanDB(name);
		await db.open();
		expect(db.verno).toBe(3);
		expect(await db.attempts.orderBy('id').toArray()).toEqual(rows);
		// The old compound index still answers.
		expect(
			await db.attempts.where('[learnerId+targetId]').equals(['anonyme', 'cible-2']).toArray()
		).toEqual([rows[1]]);
		db.close();
	});

	test('the tables added by release 2 exist after the upgrade, empty and writable', async () => {
		const name = freshName();
		const old = new KalanDBv1(name);
		await old.attempts.add(attempt(1));
		old.close();

		const db = new KalanDB(name);
		await db.open();
		expect(db.tables.map((t) => t.name).sort()).toEqual(
			['attempts', 'certificates', ...NEW_TABLES].sort()
		);
		for (const table of NEW_TABLES) expect(await db.table(table).count()).toBe(0);

		await db.events.add({
			id: 'e1',
			learnerId: 'anonyme',
			at: '2025-01-31T08:00:00.000Z',
			verb: 'lesson.opened',
			courseId: 'rss',
			courseVersion: '1.0.0',
			lessonId: 'l1',
			syncedAt: 0
		});
		await db.profiles.add({ id: 'anonyme', name: '', createdAt: '2025-01-31T08:00:00.000Z' });
		await db.settings.put({ key: 'currentProfile', value: 'anonyme' });
		await db.progress.put({ learnerId: 'anonyme', progress: {}, eventCount: 1 });

		expect(await db.events.where('[learnerId+syncedAt]').equals(['anonyme', 0]).count()).toBe(1);
		expect(await db.profiles.get('anonyme')).toMatchObject({ name: '' });
		expect(await db.settings.get('currentProfile')).toEqual({
			key: 'currentProfile',
			value: 'anonyme'
		});
		expect(await db.progress.get('anonyme')).toMatchObject({ eventCount: 1 });
		db.close();
	});

	test('reopening the latest version keeps every row', async () => {
		const name = freshName();
		const first = new KalanDB(name);
		const event = {
			id: 'e1',
			learnerId: 'p1',
			at: '2025-01-31T08:00:00.000Z',
			verb: 'lesson.completed' as const,
			courseId: 'rss',
			courseVersion: '1.0.0',
			lessonId: 'l1',
			syncedAt: 0
		};
		const profile = { id: 'p1', name: 'Awa', createdAt: '2025-01-31T08:00:00.000Z' };
		const progress = { learnerId: 'p1', progress: { eventIds: ['e1'] }, eventCount: 1 };
		await first.attempts.add(attempt(1, { learnerId: 'p1' }));
		await first.events.add(event);
		await first.profiles.add(profile);
		await first.settings.put({ key: 'currentProfile', value: 'p1' });
		await first.progress.put(progress);
		first.close();

		for (let reopen = 0; reopen < 2; reopen++) {
			const db = new KalanDB(name);
			await db.open();
			expect(await db.attempts.toArray()).toEqual([attempt(1, { learnerId: 'p1' })]);
			expect(await db.events.toArray()).toEqual([event]);
			expect(await db.profiles.toArray()).toEqual([profile]);
			expect(await db.settings.toArray()).toEqual([{ key: 'currentProfile', value: 'p1' }]);
			expect(await db.progress.toArray()).toEqual([progress]);
			db.close();
		}
	});

	test('release 3 adds certificates and keeps every row of release 2', async () => {
		const name = freshName();
		const old = new KalanDBv2(name);
		const event = {
			id: 'e1',
			learnerId: 'p1',
			at: '2025-01-31T08:00:00.000Z',
			verb: 'lesson.completed',
			courseId: 'rss',
			courseVersion: '1.0.0',
			lessonId: 'l1',
			syncedAt: 1
		};
		await old.attempts.add(attempt(1, { learnerId: 'p1' }));
		await old.table('events').add(event);
		await old.table('profiles').add({ id: 'p1', name: 'Awa', createdAt: event.at });
		await old.table('settings').put({ key: 'currentProfile', value: 'p1' });
		await old.table('progress').put({ learnerId: 'p1', progress: {}, eventCount: 1 });
		old.close();

		const db = new KalanDB(name);
		await db.open();
		expect(db.verno).toBe(3);
		expect(await db.attempts.toArray()).toEqual([attempt(1, { learnerId: 'p1' })]);
		expect(await db.events.toArray()).toEqual([event]);
		expect(await db.profiles.count()).toBe(1);
		expect(await db.settings.get('currentProfile')).toMatchObject({ value: 'p1' });
		expect(await db.progress.get('p1')).toMatchObject({ eventCount: 1 });
		expect(await db.certificates.count()).toBe(0);
		await db.certificates.bulkPut([certificate('K7M2-9QXR'), certificate('AAAA-BBBB', 'p2')]);
		expect(
			(await db.certificates.where('learnerId').equals('p1').toArray()).map((c) => c.code)
		).toEqual(['K7M2-9QXR']);
		db.close();
	});
});
