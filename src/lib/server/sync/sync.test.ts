import fc from 'fast-check';
import { isHttpError } from '@sveltejs/kit';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { fold, PROGRESS_VERSION, type Progress } from '../../progress/reduce';
import type { LearningEvent } from '../../progress/events';
import type { AuthUser } from '../auth';
import * as make from '../cohorts/fixtures';
import type { Db } from '../db';
import { testDatabases, type OpenedDb } from '../db/testing';
import {
	lessonCompleted,
	lessonOpened,
	quizAnswered,
	quizCompleted,
	quizStarted,
	studySession
} from './fixtures';
import { ingest, pull, rebuildLearner, storedEvents, SYNC_LIMITS } from '.';

const ids = (events: { id: string }[]) => events.map((e) => e.id);

describe.each(testDatabases)('sync on $name', ({ open }) => {
	let opened: OpenedDb;
	let db: Db;
	let learner: AuthUser;
	let other: AuthUser;
	beforeEach(async () => {
		opened = await open();
		db = opened.db;
		const cohort = await make.cohort(db);
		learner = (await make.learner(db, cohort.joinCode)).user;
		other = (await make.learner(db, cohort.joinCode)).user;
	});
	afterEach(() => opened.close());

	/** The fold as the server keeps it: without the folded event ids (see `storedForm`). */
	const serverFold = (learnerId: string, events: Iterable<LearningEvent>): Progress => ({
		...fold(learnerId, events),
		eventIds: []
	});

	const storedProgress = async (learnerId = learner.id): Promise<Progress> =>
		JSON.parse(
			(
				await db
					.selectFrom('learner_progress')
					.select('progress')
					.where('learner_id', '=', learnerId)
					.executeTakeFirstOrThrow()
			).progress
		) as Progress;

	/** Everything ingest may write for the learner, to compare before and after. */
	const snapshot = async () => ({
		events: await db.selectFrom('events').selectAll().orderBy('id').execute(),
		progress: await db.selectFrom('learner_progress').selectAll().orderBy('learner_id').execute(),
		lessons: await db.selectFrom('learner_lesson').selectAll().orderBy('lesson_id').execute(),
		quizzes: await db.selectFrom('learner_quiz').selectAll().orderBy('quiz_id').execute(),
		questions: await db.selectFrom('question_stats').selectAll().orderBy('question_id').execute()
	});

	test('a batch of valid, duplicate and invalid events gives the three lists', async () => {
		const earlier = lessonOpened(learner.id, 'l1');
		await ingest(db, learner, [earlier]);
		const good = [lessonCompleted(learner.id, 'l1'), quizStarted(learner.id, 'q1')];
		const badScore = { ...quizCompleted(learner.id, 'q1', 1), result: { score: 7 } };
		const badVerb = { ...lessonOpened(learner.id, 'l2'), verb: 'lesson.skipped' };
		const noQuestion = { ...quizAnswered(learner.id, 'q1', 'x', 1), questionId: undefined };
		const result = await ingest(db, learner, [
			good[0],
			earlier,
			badScore,
			good[1],
			good[0],
			badVerb,
			noQuestion,
			'pas un événement',
			null,
			{ id: 42 }
		]);
		expect(result.accepted).toEqual(ids(good));
		expect(result.duplicate.sort()).toEqual([earlier.id, good[0]!.id].sort());
		expect(result.rejected.map((r) => r.id)).toEqual([
			badScore.id,
			badVerb.id,
			noQuestion.id,
			null,
			null,
			null
		]);
		expect(result.rejected[0]?.reason).toBe(
			'Événement refusé — result.score : un score entre 0 et 1 (reçu : 7)'
		);
		expect(result.rejected[1]?.reason).toMatch(
			/^Événement refusé — verb : l'un des verbes : lesson\.opened/
		);
		expect(result.rejected[2]?.reason).toMatch(/a besoin de : quizId, questionId/);
		for (const { reason } of result.rejected) expect(reason).toMatch(/^Événement refusé — /);
		expect(await db.selectFrom('events').select('id').execute()).toHaveLength(3);
	});

	test('the same batch pushed twice changes nothing the second time', async () => {
		const batch = studySession(learner.id, 60);
		const first = await ingest(db, learner, batch);
		expect(first.accepted).toHaveLength(60);
		expect(first.log).toEqual({ before: 0, after: 60 });
		const before = await snapshot();
		const again = await ingest(db, learner, batch, new Date(Date.now() + 60_000));
		// the log does not move: a phone whose cursor was at its end still holds all of it
		expect(again).toEqual({
			accepted: [],
			duplicate: ids(batch),
			rejected: [],
			log: { before: 60, after: 60 }
		});
		const after = await snapshot();
		expect(after.events).toEqual(before.events);
		expect(after.lessons).toEqual(before.lessons);
		expect(after.quizzes).toEqual(before.quizzes);
		expect(after.questions).toEqual(before.questions);
		expect(after.progress.map((p) => p.progress)).toEqual(before.progress.map((p) => p.progress));
	});

	test('a learner cannot push events of another learner', async () => {
		const theirs = lessonCompleted(other.id, 'l1');
		const mine = lessonCompleted(learner.id, 'l1');
		const result = await ingest(db, learner, [theirs, mine]);
		expect(result.accepted).toEqual([mine.id]);
		expect(result.rejected).toEqual([
			{ id: theirs.id, reason: expect.stringMatching(/autre apprenant/) }
		]);
		expect(await storedEvents(db, other.id)).toEqual([]);
		// nor take over an event id another learner already has
		const stolen = { ...lessonOpened(learner.id, 'l9'), id: mine.id };
		const taken = await ingest(db, other, [{ ...stolen, learnerId: other.id }]);
		expect(taken.rejected).toEqual([
			{ id: mine.id, reason: expect.stringMatching(/déjà celui d’un autre/) }
		]);
	});

	test('ids with control characters are refused before they reach the database', async () => {
		const nul = { ...lessonOpened(learner.id, 'l\u00001') };
		const result = await ingest(db, learner, [nul]);
		expect(result.rejected[0]?.reason).toMatch(
			/lessonId : un identifiant sans caractère de contrôle/
		);
	});

	test('two devices of one learner converge on the fold of the union', async () => {
		const shared = studySession(learner.id, 30);
		const phone = [...shared.slice(0, 20), ...studySession(learner.id, 25)];
		const tablet = [...shared.slice(10), ...studySession(learner.id, 15)];
		await ingest(db, learner, phone.slice(0, 30));
		await ingest(db, learner, tablet.slice(0, 12));
		await ingest(db, learner, phone.slice(30));
		await ingest(db, learner, tablet.slice(12).reverse());
		const union = new Map([...phone, ...tablet].map((e) => [e.id, e]));
		expect(await storedProgress()).toEqual(serverFold(learner.id, union.values()));
		expect((await storedEvents(db, learner.id)).length).toBe(union.size);
	});

	test('pushes of one learner at the same time all land, in order', async () => {
		const batches = Array.from({ length: 6 }, () => studySession(learner.id, 40));
		const results = await Promise.all(batches.map((b) => ingest(db, learner, b)));
		expect(results.every((r) => r.accepted.length === 40)).toBe(true);
		expect(await storedProgress()).toEqual(serverFold(learner.id, batches.flat()));
		const seqs = (
			await db.selectFrom('events').select('seq').where('learner_id', '=', learner.id).execute()
		).map((r) => r.seq);
		expect(new Set(seqs).size).toBe(240);
	});

	test('the aggregates equal the fold of every stored event', async () => {
		const events = [
			...studySession(learner.id, 80),
			quizAnswered(learner.id, 'quiz-1', 'q1', 0, ['a', 'c']),
			quizAnswered(learner.id, 'quiz-1', 'q1', 1, { x: 'y' })
		];
		for (let i = 0; i < events.length; i += 17) await ingest(db, learner, events.slice(i, i + 17));
		await ingest(db, other, studySession(other.id, 10));

		const progress = fold(learner.id, await storedEvents(db, learner.id));
		expect(await storedProgress()).toEqual({ ...progress, eventIds: [] });
		const row = await db
			.selectFrom('learner_progress')
			.selectAll()
			.where('learner_id', '=', learner.id)
			.executeTakeFirstOrThrow();
		expect(row).toMatchObject({ event_count: events.length, last_event_at: progress.lastActivity });

		const course = progress.courses.ccs!;
		const lessons = await db
			.selectFrom('learner_lesson')
			.selectAll()
			.where('learner_id', '=', learner.id)
			.orderBy('lesson_id')
			.execute();
		expect(lessons).toEqual(
			Object.entries(course.lessons).map(([lessonId, l]) => ({
				learner_id: learner.id,
				course_id: 'ccs',
				lesson_id: lessonId,
				status: l.status,
				completed_at: l.completedAt,
				time_ms: l.timeSpentMs,
				last_at: l.lastAt,
				first_at: l.firstOpenedAt
			}))
		);
		const quizzes = await db
			.selectFrom('learner_quiz')
			.selectAll()
			.where('learner_id', '=', learner.id)
			.orderBy('quiz_id')
			.execute();
		expect(quizzes).toEqual(
			Object.entries(course.quizzes).map(([quizId, q]) => ({
				learner_id: learner.id,
				course_id: 'ccs',
				quiz_id: quizId,
				attempts: q.attempts,
				best_score: q.bestScore,
				last_score: q.lastScore,
				passed: q.passed ? 1 : 0,
				last_at: q.lastAt
			}))
		);
		const byId = new Map(events.map((e) => [e.id, e]));
		const questions = await db
			.selectFrom('question_stats')
			.selectAll()
			.where('learner_id', '=', learner.id)
			.orderBy('quiz_id')
			.orderBy('question_id')
			.execute();
		expect(questions).toEqual(
			Object.entries(course.quizzes).flatMap(([quizId, q]) =>
				Object.entries(q.questions).map(([questionId, r]) => ({
					learner_id: learner.id,
					course_id: 'ccs',
					quiz_id: quizId,
					question_id: questionId,
					answers: r.answers,
					last_score: r.lastScore,
					best_score: r.bestScore,
					answered_at: r.lastAt,
					last_response: JSON.stringify(byId.get(r.lastEventId)?.result?.response)
				}))
			)
		);
		expect(
			questions.find((q) => q.quiz_id === 'quiz-1' && q.question_id === 'q1')?.last_response
		).toBe('{"x":"y"}');
	});

	test('any split of two devices’ logs into pushes gives the same aggregates', async () => {
		const pool = studySession(learner.id, 40);
		await fc.assert(
			fc.asyncProperty(
				fc.array(fc.integer({ min: 0, max: pool.length - 1 }), { minLength: 1, maxLength: 60 }),
				fc.array(fc.integer({ min: 1, max: 15 }), { minLength: 1, maxLength: 8 }),
				async (picks, sizes) => {
					await db.deleteFrom('events').execute();
					await db.deleteFrom('learner_lesson').execute();
					await db.deleteFrom('learner_quiz').execute();
					await db.deleteFrom('question_stats').execute();
					await db.deleteFrom('learner_progress').execute();
					const pushed: LearningEvent[] = picks.map((i) => pool[i]!);
					for (let i = 0, k = 0; i < pushed.length; i += sizes[k++ % sizes.length]!)
						await ingest(db, learner, pushed.slice(i, i + sizes[k % sizes.length]!));
					expect(await storedProgress()).toEqual(serverFold(learner.id, pushed));
				}
			),
			{ numRuns: 15 }
		);
	});

	test('an event dated more than a day ahead is kept and flagged', async () => {
		const now = new Date('2025-03-01T12:00:00.000Z');
		const soon = { ...lessonOpened(learner.id, 'l1'), at: '2025-03-02T11:00:00.000Z' };
		const later = { ...lessonOpened(learner.id, 'l2'), at: '2025-03-05T12:00:00.000Z' };
		expect((await ingest(db, learner, [soon, later], now)).accepted).toEqual([soon.id, later.id]);
		const flags = await db
			.selectFrom('events')
			.select(['id', 'future_flag', 'received_at'])
			.orderBy('at')
			.execute();
		expect(flags).toEqual([
			{ id: soon.id, future_flag: 0, received_at: now.toISOString() },
			{ id: later.id, future_flag: 1, received_at: now.toISOString() }
		]);
	});

	test('a stored fold of another version is folded again from the log', async () => {
		const first = studySession(learner.id, 20);
		await ingest(db, learner, first);
		await db
			.updateTable('learner_progress')
			.set({ progress: JSON.stringify({ version: PROGRESS_VERSION + 1 }) })
			.where('learner_id', '=', learner.id)
			.execute();
		await db.deleteFrom('learner_lesson').execute();
		const second = studySession(learner.id, 5);
		await ingest(db, learner, second);
		expect(await storedProgress()).toEqual(serverFold(learner.id, [...first, ...second]));
		expect(
			(await db.selectFrom('learner_lesson').select('lesson_id').execute()).length
		).toBeGreaterThan(0);
		await db.updateTable('learner_progress').set({ progress: 'not json' }).execute();
		expect(await rebuildLearner(db, learner.id)).toEqual(fold(learner.id, [...first, ...second]));
	});

	test('a pull returns the learner’s events after the cursor, page by page', async () => {
		const phone = studySession(learner.id, 30);
		await ingest(db, learner, phone);
		await ingest(db, other, studySession(other.id, 5));
		const first = await pull(db, learner, null, 20);
		expect(ids(first.events)).toEqual(ids(phone.slice(0, 20)));
		expect(first.more).toBe(true);
		const second = await pull(db, learner, first.cursor, 20);
		expect(ids(second.events)).toEqual(ids(phone.slice(20)));
		expect(second.more).toBe(false);
		const tablet = studySession(learner.id, 3);
		await ingest(db, learner, [...tablet, phone[0]!]);
		const third = await pull(db, learner, second.cursor, 20);
		expect(third.events).toEqual(tablet);
		expect((await pull(db, learner, third.cursor)).events).toEqual([]);
		expect((await pull(db, learner, third.cursor)).cursor).toBe(third.cursor);
	});

	test('a pull with a malformed cursor is refused with a 400', async () => {
		for (const bad of ['-1', 'abc', '1e3', "1' or '1'='1"]) {
			const caught: unknown = await pull(db, learner, bad).catch((e: unknown) => e);
			expect(isHttpError(caught, 400)).toBe(true);
		}
	});

	test('a push at the size limit is accepted whole', async () => {
		const events = studySession(learner.id, SYNC_LIMITS.maxEvents);
		expect((await ingest(db, learner, events)).accepted).toHaveLength(SYNC_LIMITS.maxEvents);
		expect(await storedProgress()).toEqual(serverFold(learner.id, events));
	});
});
