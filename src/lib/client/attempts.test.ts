import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createActor, type SnapshotFrom } from 'xstate';
import type { Question, QuizFile } from '$lib/content/schema';
import { currentQuestionId, quizMachine, type QuizInput } from '$lib/quiz';
import { KalanDB, type AttemptRow } from './db';
import { findResumable, newAttempt, saveAttempt } from './attempts';

let db: KalanDB;
beforeEach(() => {
	db = new KalanDB(`test-${crypto.randomUUID()}`);
});
afterEach(async () => {
	await db.delete();
});

// ——— Factories ———

type Target = Parameters<typeof findResumable>[1];
const targetOf = (extra: Partial<Target> = {}): Target => ({
	learnerId: 'awa',
	kind: 'quiz',
	targetId: 'verif',
	courseId: 'rss',
	contentVersion: 'v1',
	...extra
});

const singleChoice = (id: string): Question => ({
	type: 'single',
	id,
	prompt: { fr: `Question ${id} ?` },
	explanation: { fr: `Explication de ${id}.` },
	choices: [
		{ id: 'a', text: { fr: 'Choix a' }, correct: true },
		{ id: 'b', text: { fr: 'Choix b' } },
		{ id: 'c', text: { fr: 'Choix c' } }
	]
});

const quiz: QuizFile = {
	mode: 'formative',
	id: 'verif',
	title: { fr: 'Vérification' },
	questions: [singleChoice('q1'), singleChoice('q2')]
};

const input: QuizInput = {
	quiz,
	seed: 42,
	startedAt: Date.UTC(2025, 0, 31, 8, 0, 0),
	courseId: 'rss',
	courseVersion: '1.0.0'
};

type QuizSnapshot = SnapshotFrom<typeof quizMachine>;

// ——— Tests ———

describe('resuming an attempt', () => {
	test('a saved attempt is found again for the same learner, target and content', async () => {
		const row = newAttempt(targetOf(), undefined);
		await saveAttempt(db, row, { step: 3 }, 'active');

		const found = await findResumable(db, targetOf());
		expect(found.changed).toBe(false);
		expect(found.attempt).toMatchObject({ ...targetOf(), id: row.id, status: 'active' });
		expect(found.attempt?.snapshot).toEqual({ step: 3 });
	});

	test('another learner, quiz or kind finds nothing to resume', async () => {
		await saveAttempt(db, newAttempt(targetOf(), undefined), {}, 'active');
		for (const other of [
			targetOf({ learnerId: 'moussa' }),
			targetOf({ targetId: 'evaluation' }),
			targetOf({ kind: 'scenario' })
		])
			expect(await findResumable(db, other)).toEqual({ attempt: undefined, changed: false });
	});

	test('the latest save of an attempt is the one resumed', async () => {
		const row = newAttempt(targetOf(), undefined);
		await saveAttempt(db, row, { step: 1 }, 'active');
		await saveAttempt(db, row, { step: 2 }, 'active');
		expect(await db.attempts.count()).toBe(1);
		expect((await findResumable(db, targetOf())).attempt?.snapshot).toEqual({ step: 2 });
	});

	test('an attempt on a changed quiz is abandoned, kept, and reported', async () => {
		const row = newAttempt(targetOf({ contentVersion: 'v1' }), undefined);
		await saveAttempt(db, row, { step: 1 }, 'active');

		const found = await findResumable(db, targetOf({ contentVersion: 'v2' }));
		expect(found).toEqual({ attempt: undefined, changed: true });
		expect(await db.attempts.get(row.id)).toMatchObject({
			status: 'abandoned',
			snapshot: { step: 1 }
		});
		// Once abandoned, it is not reported again.
		expect(await findResumable(db, targetOf({ contentVersion: 'v2' }))).toEqual({
			attempt: undefined,
			changed: false
		});
	});

	test('a finished attempt on a changed quiz is closed without a warning', async () => {
		const row = newAttempt(targetOf(), undefined);
		await saveAttempt(db, row, {}, 'finished');
		const found = await findResumable(db, targetOf({ contentVersion: 'v2' }));
		expect(found.changed).toBe(false);
		expect((await db.attempts.get(row.id))?.status).toBe('abandoned');
	});
});

describe('a quiz snapshot on disk', () => {
	test('a restored quiz continues at the same question with the same responses', async () => {
		const actor = createActor(quizMachine, { input }).start();
		actor.send({ type: 'START' });
		const first = currentQuestionId(actor.getSnapshot().context)!;
		actor.send({ type: 'ANSWER', response: 'a' });
		actor.send({ type: 'SUBMIT' });
		actor.send({ type: 'NEXT' });
		const second = currentQuestionId(actor.getSnapshot().context)!;
		actor.send({ type: 'ANSWER', response: 'b' });
		const before = actor.getSnapshot();
		expect(before.matches({ question: 'answering' })).toBe(true);

		const row: AttemptRow = newAttempt(targetOf(), undefined);
		await saveAttempt(db, row, actor.getPersistedSnapshot(), 'active');
		actor.stop();

		const { attempt } = await findResumable(db, targetOf());
		const restored = createActor(quizMachine, {
			snapshot: attempt!.snapshot as QuizSnapshot,
			input
		}).start();
		const after = restored.getSnapshot();
		expect(after.value).toEqual(before.value);
		expect(currentQuestionId(after.context)).toBe(second);
		expect(after.context.index).toBe(1);
		expect(after.context.order).toEqual(before.context.order);
		expect(after.context.responses).toEqual({ [first]: 'a', [second]: 'b' });
		expect(after.context.scores).toEqual({ [first]: 1 });

		// And it goes on from there.
		restored.send({ type: 'SUBMIT' });
		restored.send({ type: 'NEXT' });
		const done = restored.getSnapshot();
		expect(done.matches('results')).toBe(true);
		expect(done.context.scores).toEqual({ [first]: 1, [second]: 0 });
		expect(done.context.score).toBe(0.5);
		restored.stop();
	});
});
