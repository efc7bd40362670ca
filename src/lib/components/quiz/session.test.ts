import type { DBCore } from 'dexie';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { assessmentQuiz, scope } from '$lib/quiz/fixtures';
import { database } from '$lib/client/store';
import { device } from '$lib/client/state.svelte';
import { QuizSession } from './quiz-session.svelte';

// A full disk in the middle of an assessment (issue 10, item 6): the learner is told, what was
// stored stays, and the steps taken while the disk was full are stored once space is freed —
// none lost, none twice. (tests/e2e/quota.e2e.ts does the same with Chromium's real quota.)

/** A disk that fills up on demand: every write fails as the browser fails it. */
const disk = { full: false };
database().use({
	stack: 'dbcore',
	name: 'full-disk',
	create: (down: DBCore): DBCore => ({
		...down,
		table: (name) => {
			const table = down.table(name);
			return {
				...table,
				mutate: (request) =>
					disk.full
						? Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'))
						: table.mutate(request)
			};
		}
	})
});

const quiz = assessmentQuiz();
const verbs = async () =>
	(await database().events.toArray())
		.filter((e) => e.quizId === quiz.id)
		.map((e) => e.verb)
		.sort();

describe('a full disk during an assessment', () => {
	beforeEach(async () => {
		disk.full = false;
		await database().delete();
		await database().open();
		device.storage = { problem: null, detail: '' };
	});
	afterEach(() => {
		disk.full = false;
	});

	test('the learner is told, and the steps taken meanwhile are stored once space is freed', async () => {
		const session = await QuizSession.open(quiz, 'v1', scope, 'fr');
		session.send({ type: 'START' });
		await session.flushed();
		expect(await verbs()).toEqual(['quiz.started']);

		disk.full = true;
		for (const [i] of quiz.questions.entries()) {
			session.send({ type: 'ANSWER', response: 'a' });
			if (i < quiz.questions.length - 1) session.send({ type: 'NEXT' });
		}
		session.send({ type: 'SUBMIT' }); // the attempt ends: 3 answers and the completion
		await session.flushed();
		expect(device.storage.problem).toBe('full');
		expect(await verbs()).toEqual(['quiz.started']); // what was stored before is intact

		disk.full = false;
		session.send({ type: 'NEXT' }); // the learner goes on: the next step stores everything
		await session.flushed();
		expect(device.storage.problem).toBeNull();
		expect(await verbs()).toEqual([
			'quiz.answered',
			'quiz.answered',
			'quiz.answered',
			'quiz.completed',
			'quiz.started'
		]);
		const [attempt] = await database().attempts.toArray();
		expect((attempt?.snapshot as { value?: unknown }).value).toBe('review');
		session.stop();
	});
});
