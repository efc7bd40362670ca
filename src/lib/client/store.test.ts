import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { LearningEvent, LearningEventDraft } from '$lib/progress/events';
import { fold, lessonStatus, type Progress } from '$lib/progress/reduce';
import { KalanDB, type AttemptRow, type EventRow } from './db';
import {
	append,
	currentProfile,
	database,
	rebuild,
	record,
	resetProgress,
	switchProfile
} from './store';

const COURSE = { courseId: 'rss', courseVersion: '1.0.0' } as const;
const T0 = Date.UTC(2025, 0, 31, 8, 0, 0);
const iso = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

let store: KalanDB;
beforeEach(() => {
	store = new KalanDB(`test-${crypto.randomUUID()}`);
});
afterEach(async () => {
	vi.useRealTimers();
	vi.restoreAllMocks();
	await store.delete();
});

// ——— Factories ———

const lessonDraft = (
	lessonId: string,
	verb: 'lesson.opened' | 'lesson.completed' = 'lesson.opened'
): LearningEventDraft => ({ verb, ...COURSE, lessonId });

const quizDraft = (quizId: string, score: number): LearningEventDraft => ({
	verb: 'quiz.completed',
	...COURSE,
	quizId,
	result: { score, success: score >= 0.6 }
});

function event(learnerId: string, minutes: number, draft = lessonDraft('l1')): LearningEvent {
	return { ...draft, id: crypto.randomUUID(), learnerId, at: iso(minutes) };
}

async function progressOf(learnerId: string): Promise<Progress | undefined> {
	return (await store.progress.get(learnerId))?.progress as Progress | undefined;
}

const status = (progress: Progress | undefined, lessonId: string) =>
	progress ? lessonStatus(progress, COURSE.courseId, lessonId) : 'not-started';

/** The log's rows as events, without the device's sync mark. */
const eventsOf = (rows: EventRow[]): LearningEvent[] =>
	rows.map(({ syncedAt: _synced, ...event }) => event);

async function addProfile(name: string) {
	const profile = { id: crypto.randomUUID(), name, createdAt: iso(0) };
	await store.profiles.add(profile);
	return profile;
}

// ——— Tests ———

describe('the database of the tab', () => {
	test('database() opens one shared database named kalan', () => {
		const db = database();
		expect(db).toBeInstanceOf(KalanDB);
		expect(db.name).toBe('kalan');
		expect(database()).toBe(db);
	});
});

describe('the current profile', () => {
	test('a first visit gets one unnamed profile, the same one on every later call', async () => {
		const first = await currentProfile(store);
		expect(first.name).toBe('');
		expect(await currentProfile(store)).toEqual(first);
		expect(await store.profiles.count()).toBe(1);
	});

	test('switching profile changes who the current learner is', async () => {
		const first = await currentProfile(store);
		const other = await addProfile('Moussa');
		expect(await switchProfile(other.id, store)).toEqual(other);
		expect(await currentProfile(store)).toEqual(other);
		expect((await currentProfile(store)).id).not.toBe(first.id);
	});

	test('switching to a profile that does not exist changes nothing', async () => {
		const first = await currentProfile(store);
		expect(await switchProfile('nobody', store)).toBeUndefined();
		expect(await currentProfile(store)).toEqual(first);
	});
});

describe('recording an event', () => {
	test('a draft gets an id, the current learner and the time, and waits to be synced', async () => {
		const profile = await currentProfile(store);
		const before = Date.now();
		const event = await record(lessonDraft('l1'), store);

		expect(event).toMatchObject({ ...lessonDraft('l1'), learnerId: profile.id });
		expect(event.id).toMatch(
			/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
		);
		expect(Date.parse(event.at)).toBeGreaterThanOrEqual(before);
		expect(Date.parse(event.at)).toBeLessThanOrEqual(Date.now());
		expect(await store.events.get(event.id)).toEqual({ ...event, syncedAt: 0 });
	});

	test('the progress row follows each recorded event', async () => {
		const profile = await currentProfile(store);
		await record(lessonDraft('l1'), store);
		expect(status(await progressOf(profile.id), 'l1')).toBe('in-progress');
		expect((await store.progress.get(profile.id))?.eventCount).toBe(1);

		await record(lessonDraft('l1', 'lesson.completed'), store);
		expect(status(await progressOf(profile.id), 'l1')).toBe('completed');
		expect((await store.progress.get(profile.id))?.eventCount).toBe(2);
	});

	test('the progress kept up event by event equals the fold of the log', async () => {
		const profile = await currentProfile(store);
		await record(lessonDraft('l1'), store);
		await record(quizDraft('verif', 0.5), store);
		await record(lessonDraft('l1', 'lesson.completed'), store);
		await record(quizDraft('verif', 1), store);
		await record(lessonDraft('l2'), store);

		const rows = await store.events.toArray();
		expect(rows).toHaveLength(5);
		expect(await progressOf(profile.id)).toEqual(fold(profile.id, eventsOf(rows)));
	});

	test('a failed progress write leaves no event behind', async () => {
		const first = event('awa', 1, lessonDraft('l1'));
		await append(first, store);
		const before = await store.progress.get('awa');
		vi.spyOn(store.progress, 'put').mockRejectedValue(new Error('disque plein'));

		await expect(append(event('awa', 2, lessonDraft('l2')), store)).rejects.toThrow('disque plein');
		expect(eventsOf(await store.events.toArray())).toEqual([first]);
		expect(await store.progress.get('awa')).toEqual(before);
	});

	test('an event appended twice is stored once and counted once', async () => {
		const learner = 'awa';
		const completed = event(learner, 1, quizDraft('verif', 1));
		await append(completed, store);
		await append(completed, store);
		await append({ ...completed }, store);

		expect(await store.events.count()).toBe(1);
		const row = await store.progress.get(learner);
		expect(row?.eventCount).toBe(1);
		const progress = row?.progress as Progress;
		expect(progress.eventIds).toEqual([completed.id]);
		expect(progress.courses.rss?.quizzes.verif?.attempts).toBe(1);
	});

	test('unsynced events are counted by the [learnerId+syncedAt] index', async () => {
		const profile = await currentProfile(store);
		const events = [];
		for (let i = 0; i < 4; i++) events.push(await record(lessonDraft(`l${i}`), store));
		await store.events.update(events[1]!.id, { syncedAt: T0 });
		await append(event('other-learner', 1), store);

		const pending = await store.events
			.where('[learnerId+syncedAt]')
			.equals([profile.id, 0])
			.count();
		const unsynced = (await store.events.toArray()).filter(
			(e) => e.learnerId === profile.id && e.syncedAt === 0
		);
		expect(pending).toBe(3);
		expect(pending).toBe(unsynced.length);
	});
});

describe('rebuilding progress from the log', () => {
	test('corrupt rows are skipped and counted, and the rest is folded', async () => {
		const learner = 'awa';
		const valid = [
			event(learner, 1, lessonDraft('l1')),
			event(learner, 2, lessonDraft('l1', 'lesson.completed')),
			event(learner, 3, quizDraft('verif', 0.8))
		];
		for (const e of valid) await append(e, store);

		const { verb: _verb, ...noVerb } = event(learner, 4, lessonDraft('l2'));
		const badScore = event(learner, 5, { ...quizDraft('verif', 1), result: { score: 7 } });
		await store.events.add({ ...noVerb, syncedAt: 0 } as unknown as EventRow);
		await store.events.add({ ...badScore, syncedAt: 0 });

		const progress = await rebuild(learner, store);
		expect(progress).toEqual(fold(learner, valid));
		expect(await store.progress.get(learner)).toEqual({
			learnerId: learner,
			progress: fold(learner, valid),
			eventCount: 5,
			unreadable: 2
		});
		expect(status(progress, 'l2')).toBe('not-started');
	});

	test('rows of other learners are not folded in', async () => {
		await append(event('awa', 1, lessonDraft('l1')), store);
		await append(event('moussa', 2, lessonDraft('l2')), store);
		const progress = await rebuild('awa', store);
		expect(progress.eventIds).toHaveLength(1);
		expect(status(progress, 'l1')).toBe('in-progress');
		expect(status(progress, 'l2')).toBe('not-started');
	});
});

describe('two learners on one phone', () => {
	test("one profile's events never show in another profile's progress", async () => {
		const a = await currentProfile(store);
		await record(lessonDraft('l1', 'lesson.completed'), store);
		const b = await addProfile('Moussa');
		await switchProfile(b.id, store);
		expect(status(await progressOf(b.id), 'l1')).toBe('not-started');

		await record(lessonDraft('l2'), store);
		const progressB = await progressOf(b.id);
		expect(status(progressB, 'l1')).toBe('not-started');
		expect(status(progressB, 'l2')).toBe('in-progress');
		expect(status(await progressOf(a.id), 'l1')).toBe('completed');
		expect(status(await progressOf(a.id), 'l2')).toBe('not-started');
		expect(await rebuild(b.id, store)).toEqual(progressB);
	});
});

describe('starting progress afresh', () => {
	const attemptOf = (learnerId: string): AttemptRow => ({
		id: crypto.randomUUID(),
		learnerId,
		kind: 'quiz',
		targetId: 'verif',
		courseId: COURSE.courseId,
		contentVersion: 'v1',
		status: 'active',
		snapshot: {},
		startedAt: iso(0),
		updatedAt: iso(0)
	});

	test('a reset keeps every event but counts only what comes after it', async () => {
		vi.useFakeTimers({ toFake: ['Date'] });
		vi.setSystemTime(T0);
		const profile = await currentProfile(store);
		const before = await record(lessonDraft('l1', 'lesson.completed'), store);
		await record(quizDraft('verif', 1), store);

		vi.setSystemTime(T0 + 60_000);
		await resetProgress(profile.id, store);
		expect(await store.events.count()).toBe(2);
		let row = await store.progress.get(profile.id);
		expect(row?.progress).toEqual(fold(profile.id, []));
		expect(row?.eventCount).toBe(2);

		vi.setSystemTime(T0 + 120_000);
		const after = await record(lessonDraft('l2'), store);
		row = await store.progress.get(profile.id);
		const progress = row?.progress as Progress;
		expect(progress.eventIds).toEqual([after.id]);
		expect(status(progress, 'l1')).toBe('not-started');
		expect(status(progress, 'l2')).toBe('in-progress');
		expect(row?.eventCount).toBe(3);

		// A later rebuild (a mismatched count at start-up) keeps the reset.
		expect(await rebuild(profile.id, store)).toEqual(progress);
		expect((await store.events.get(before.id))?.verb).toBe('lesson.completed');
	});

	test('an event dated before the reset is kept in the log but not counted', async () => {
		vi.useFakeTimers({ toFake: ['Date'] });
		vi.setSystemTime(T0 + 60_000);
		await append(event('awa', 0, lessonDraft('l1')), store);
		await resetProgress('awa', store);

		const late = event('awa', -30, lessonDraft('l2', 'lesson.completed'));
		await append(late, store);
		expect(await store.events.get(late.id)).toEqual({ ...late, syncedAt: 0 });
		const row = await store.progress.get('awa');
		expect(row?.eventCount).toBe(2);
		expect(row?.progress).toEqual(fold('awa', []));
		expect(await rebuild('awa', store)).toEqual(row?.progress);
	});

	test("a reset closes the learner's saved attempts and no one else's", async () => {
		const mine = attemptOf('awa');
		const theirs = attemptOf('moussa');
		await store.attempts.bulkAdd([mine, theirs]);
		await resetProgress('awa', store);
		expect(await store.attempts.get(mine.id)).toEqual({ ...mine, status: 'abandoned' });
		expect(await store.attempts.get(theirs.id)).toEqual(theirs);
	});

	test("a reset leaves another learner's progress alone", async () => {
		await append(event('moussa', 1, lessonDraft('l1', 'lesson.completed')), store);
		const before = await store.progress.get('moussa');
		await resetProgress('awa', store);
		expect(await store.progress.get('moussa')).toEqual(before);
		expect(status(await progressOf('moussa'), 'l1')).toBe('completed');
	});
});
