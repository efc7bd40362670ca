import { describe, expect, test } from 'vitest';
import { createActor, initialTransition, transition, type SnapshotFrom } from 'xstate';
import * as v from 'valibot';
import type { QuizFile } from '../content/schema';
import { learningEventSchema, recordEvent, type LearningEventDraft } from '../progress';
import {
	assessmentQuiz,
	formativeQuiz,
	multiple,
	ordering,
	scope,
	shortText,
	single,
	singles,
	text
} from './fixtures';
import {
	currentQuestion,
	quizMachine,
	remainingMs,
	revealedHints,
	reviewOf,
	shownOptions,
	type QuizEvent,
	type QuizInput
} from './quiz-machine';
import { drawQuestions, pageSeed } from './shuffle';

type Snapshot = SnapshotFrom<typeof quizMachine>;
const T0 = Date.UTC(2025, 0, 31, 8, 0, 0);

const inputFor = (quiz: QuizFile, extra: Partial<QuizInput> = {}): QuizInput => ({
	quiz,
	seed: 1,
	startedAt: T0,
	...scope,
	...extra
});

const draftsOf = (actions: readonly { type: string; params?: unknown }[]): LearningEventDraft[] =>
	actions
		.filter((a) => a.type === 'xstate.emit')
		.map((a) => (a.params as { event: { event: LearningEventDraft } }).event.event);

/** The snapshot after `events`, and the drafts emitted on the way (initial transition included). */
function play(quiz: QuizFile, events: QuizEvent[], extra: Partial<QuizInput> = {}) {
	const [initial, initialActions] = initialTransition(quizMachine, inputFor(quiz, extra));
	const drafts = draftsOf(initialActions);
	let snapshot: Snapshot = initial;
	for (const event of events) {
		const [next, actions] = transition(quizMachine, snapshot, event);
		snapshot = next;
		drafts.push(...draftsOf(actions));
	}
	return { snapshot, drafts };
}
/** One more event from a snapshot: its next snapshot and drafts. */
function step(snapshot: Snapshot, event: QuizEvent) {
	const [next, actions] = transition(quizMachine, snapshot, event);
	return { snapshot: next, drafts: draftsOf(actions) };
}

const start: QuizEvent = { type: 'START' };
const answer = (
	response: QuizEvent extends infer E
		? E extends { type: 'ANSWER'; response: infer R }
			? R
			: never
		: never
): QuizEvent => ({
	type: 'ANSWER',
	response
});
const submit: QuizEvent = { type: 'SUBMIT' };
const next: QuizEvent = { type: 'NEXT' };
const previous: QuizEvent = { type: 'PREVIOUS' };
const hint: QuizEvent = { type: 'HINT' };
const retry = (seed = 2, startedAt = T0 + 3_600_000): QuizEvent => ({
	type: 'RETRY',
	seed,
	startedAt
});

describe('ready', () => {
	test('a new quiz waits for START, with its questions already drawn from the seed', () => {
		const { snapshot, drafts } = play(assessmentQuiz(singles(5), { draw: 3 }), []);
		expect(snapshot.value).toBe('ready');
		expect(snapshot.context.order).toHaveLength(3);
		expect(snapshot.context.attempt).toBe(1);
		expect(drafts).toEqual([]);
	});
	test('START opens the first question and emits quiz.started', () => {
		const { snapshot, drafts } = play(formativeQuiz(), [start]);
		expect(snapshot.value).toEqual({ question: 'answering' });
		expect(snapshot.context.index).toBe(0);
		expect(drafts).toEqual([{ verb: 'quiz.started', ...scope, quizId: 'verif' }]);
	});
	test('START may move the start time, and the deadline with it', () => {
		const quiz = assessmentQuiz(singles(2), { timeLimit: 60 });
		const { snapshot } = play(quiz, [{ type: 'START', startedAt: T0 + 5000 }]);
		expect(snapshot.context.startedAt).toBe(T0 + 5000);
		expect(snapshot.context.deadline).toBe(T0 + 65_000);
	});
	test('a learner who used every attempt cannot start another', () => {
		const quiz = assessmentQuiz(singles(2), { maxAttempts: 2 });
		expect(play(quiz, [start], { attemptsUsed: 2 }).snapshot.value).toBe('ready');
		expect(play(quiz, [start], { attemptsUsed: 1 }).snapshot.context.attempt).toBe(2);
		expect(play(quiz, [start], { attemptsUsed: 1 }).snapshot.value).toEqual({
			question: 'answering'
		});
	});
});

describe('formative check', () => {
	const quiz = formativeQuiz(singles(2));

	test('SUBMIT without an answer is refused', () => {
		expect(play(quiz, [start, submit]).snapshot.value).toEqual({ question: 'answering' });
	});
	test('a wrong answer then a right one: feedback each time, the last try counts', () => {
		const wrong = play(quiz, [start, answer('b'), submit]);
		expect(wrong.snapshot.value).toEqual({ question: 'feedback' });
		expect(wrong.snapshot.context.scores).toEqual({ q1: 0 });
		expect(wrong.drafts.at(-1)).toEqual({
			verb: 'quiz.answered',
			...scope,
			quizId: 'verif',
			questionId: 'q1',
			result: { score: 0, success: false, response: 'b' }
		});

		const retried = step(wrong.snapshot, retry());
		expect(retried.snapshot.value).toEqual({ question: 'answering' });
		expect(retried.snapshot.context.index).toBe(0);
		expect(retried.snapshot.context.responses).toEqual({});
		expect(retried.snapshot.context.scores).toEqual({});

		const right = play(quiz, [start, answer('b'), submit, retry(), answer('a'), submit]);
		expect(right.snapshot.context.scores).toEqual({ q1: 1 });
		expect(
			right.drafts.filter((d) => d.verb === 'quiz.answered').map((d) => d.result?.score)
		).toEqual([0, 1]);
	});
	test('NEXT from feedback goes to the next question, then to results', () => {
		const second = play(quiz, [start, answer('a'), submit, next]);
		expect(second.snapshot.value).toEqual({ question: 'answering' });
		expect(second.snapshot.context.index).toBe(1);
		const done = play(quiz, [start, answer('a'), submit, next, answer('c'), submit, next], {
			lessonId: 'lecon-1'
		});
		expect(done.snapshot.value).toEqual({ results: 'passed' });
		expect(done.snapshot.context.score).toBe(0.5);
		expect(done.drafts.at(-1)).toEqual({
			verb: 'quiz.completed',
			...scope,
			lessonId: 'lecon-1',
			quizId: 'verif',
			result: { score: 0.5, success: true }
		});
	});
	test('results are always passed, even with every answer wrong', () => {
		const { snapshot } = play(quiz, [start, answer('b'), submit, next, answer('b'), submit, next]);
		expect(snapshot.value).toEqual({ results: 'passed' });
		expect(snapshot.context.score).toBe(0);
	});
	test('a question cannot be skipped or left before it is submitted', () => {
		const { snapshot } = play(quiz, [start, answer('a'), next, previous]);
		expect(snapshot.value).toEqual({ question: 'answering' });
		expect(snapshot.context.index).toBe(0);
	});
	test('TIMEOUT is ignored: a check has no time limit', () => {
		const { snapshot } = play(quiz, [start, { type: 'TIMEOUT', at: T0 + 10_000_000 }]);
		expect(snapshot.value).toEqual({ question: 'answering' });
	});
	test('RETRY from results starts a new attempt with the new seed', () => {
		const { snapshot, drafts } = play(quiz, [
			start,
			answer('a'),
			submit,
			next,
			answer('a'),
			submit,
			next,
			retry(77)
		]);
		expect(snapshot.value).toEqual({ question: 'answering' });
		expect(snapshot.context.attempt).toBe(2);
		expect(snapshot.context.seed).toBe(77);
		expect(snapshot.context.scores).toEqual({});
		expect(drafts.at(-1)?.verb).toBe('quiz.started');
	});
});

describe('assessment', () => {
	// q1..q3 right answer 'a'; pass mark 0.6; two attempts.
	const quiz = assessmentQuiz(singles(3));

	test('ANSWER records the response of the question shown, without feedback', () => {
		const { snapshot, drafts } = play(quiz, [start, answer('b'), answer('a')]);
		expect(snapshot.value).toEqual({ question: 'answering' });
		expect(snapshot.context.responses).toEqual({ q1: 'a' });
		expect(snapshot.context.scores).toEqual({});
		expect(drafts.map((d) => d.verb)).toEqual(['quiz.started']);
	});
	test('NEXT and PREVIOUS move between questions, within the first and the last', () => {
		const moves = (events: QuizEvent[]) => play(quiz, [start, ...events]).snapshot.context.index;
		expect(moves([previous])).toBe(0);
		expect(moves([next])).toBe(1);
		expect(moves([next, next, next, next])).toBe(2);
		expect(moves([next, next, previous])).toBe(1);
	});
	test('answers stay with their question while moving around', () => {
		const { snapshot } = play(quiz, [start, answer('a'), next, answer('b'), previous]);
		expect(snapshot.context.responses).toEqual({ q1: 'a', q2: 'b' });
		expect(currentQuestion(snapshot.context)?.id).toBe('q1');
	});
	test('SUBMIT on any question ends the attempt; unanswered questions score 0', () => {
		const { snapshot, drafts } = play(quiz, [
			start,
			answer('a'),
			next,
			{ type: 'SUBMIT', at: T0 + 90_000 }
		]);
		expect(snapshot.value).toEqual({ results: 'failed' });
		expect(snapshot.context.scores).toEqual({ q1: 1, q2: 0, q3: 0 });
		expect(snapshot.context.score).toBeCloseTo(1 / 3);
		expect(snapshot.context.endedBy).toBe('submit');
		expect(drafts.map((d) => d.verb)).toEqual([
			'quiz.started',
			'quiz.answered',
			'quiz.answered',
			'quiz.answered',
			'quiz.completed'
		]);
		expect(drafts[2]).toEqual({
			verb: 'quiz.answered',
			...scope,
			quizId: 'evaluation',
			questionId: 'q2',
			result: { score: 0, success: false }
		});
		expect(drafts.at(-1)?.result).toEqual({ score: 1 / 3, success: false, durationMs: 90_000 });
	});
	test('a score equal to the pass mark passes', () => {
		const five = assessmentQuiz(singles(5), { passMark: 0.6 });
		const { snapshot } = play(five, [
			start,
			answer('a'),
			next,
			answer('a'),
			next,
			answer('a'),
			submit
		]);
		expect(snapshot.context.score).toBeCloseTo(0.6);
		expect(snapshot.value).toEqual({ results: 'passed' });
	});
	test('failed, then passed on a retry with a new draw', () => {
		const pool = assessmentQuiz(singles(6), { draw: 3, shuffle: true });
		const failed = play(pool, [start, submit]);
		expect(failed.snapshot.value).toEqual({ results: 'failed' });

		const second = step(failed.snapshot, retry(1234, T0 + 7_200_000));
		expect(second.snapshot.value).toEqual({ question: 'answering' });
		expect(second.snapshot.context).toMatchObject({
			attempt: 2,
			seed: 1234,
			startedAt: T0 + 7_200_000,
			index: 0,
			responses: {},
			scores: {},
			score: null
		});
		expect(second.drafts).toEqual([{ verb: 'quiz.started', ...scope, quizId: 'evaluation' }]);

		let snapshot = second.snapshot;
		for (const e of [answer('a'), next, answer('a'), next, answer('a'), submit])
			snapshot = step(snapshot, e).snapshot;
		expect(snapshot.value).toEqual({ results: 'passed' });
		expect(snapshot.context.score).toBe(1);
	});
	test('when the attempts are used up, RETRY is refused from results and from review', () => {
		const used = play(quiz, [start, submit, retry(), submit]);
		expect(used.snapshot.context.attempt).toBe(2);
		expect(step(used.snapshot, retry()).snapshot.value).toEqual({ results: 'failed' });
		const inReview = step(used.snapshot, next).snapshot;
		expect(inReview.value).toBe('review');
		expect(step(inReview, retry()).snapshot.value).toBe('review');
	});
	test('attempts used before count: the second attempt of two is the last', () => {
		const { snapshot } = play(quiz, [start, submit, retry()], { attemptsUsed: 1 });
		expect(snapshot.value).toEqual({ results: 'failed' });
	});
});

describe('review', () => {
	const quiz = assessmentQuiz([single('q1'), multiple('q2'), shortText('q3')], { maxAttempts: 3 });
	const reviewed = () =>
		play(quiz, [start, answer('b'), next, answer(['a']), submit, next]).snapshot;

	test('NEXT from results opens the review at the first question', () => {
		const snapshot = reviewed();
		expect(snapshot.value).toBe('review');
		expect(snapshot.context.index).toBe(0);
	});
	test('each question comes with the response, its score, the right answer and the explanation', () => {
		const items = reviewOf(reviewed().context);
		expect(items.map((i) => [i.question.id, i.response, i.score, i.correct])).toEqual([
			['q1', 'b', 0, 'a'],
			['q2', ['a'], 0.5, ['a', 'b']],
			['q3', undefined, 0, 'Comité consultatif de sécurité']
		]);
		expect(items[0]?.question.explanation).toEqual(text('Explication de q1.'));
	});
	test('NEXT and PREVIOUS move through the questions; NEXT after the last goes back to results', () => {
		let snapshot = reviewed();
		snapshot = step(snapshot, previous).snapshot;
		expect(snapshot.context.index).toBe(0);
		snapshot = step(step(snapshot, next).snapshot, next).snapshot;
		expect(snapshot.context.index).toBe(2);
		snapshot = step(snapshot, previous).snapshot;
		expect(snapshot.context.index).toBe(1);
		const back = step(step(snapshot, next).snapshot, next);
		expect(back.snapshot.value).toEqual({ results: 'failed' });
		expect(back.drafts).toEqual([]);
	});
	test('RETRY from the review starts a new attempt', () => {
		const { snapshot, drafts } = step(reviewed(), retry(5));
		expect(snapshot.value).toEqual({ question: 'answering' });
		expect(snapshot.context.attempt).toBe(2);
		expect(drafts.map((d) => d.verb)).toEqual(['quiz.started']);
	});
});

describe('hints', () => {
	const withHints = single('q1', {
		hints: [text('Pensez à la loi.'), text('Relisez la leçon 2.')]
	});
	const quiz = formativeQuiz([withHints, single('q2')]);

	test('each HINT reveals the next hint, up to the last one', () => {
		const counts = [1, 2, 3].map(
			(n) => play(quiz, [start, ...Array<QuizEvent>(n).fill(hint)]).snapshot.context.hintsUsed
		);
		expect(counts).toEqual([{ q1: 1 }, { q1: 2 }, { q1: 2 }]);
		const snapshot = play(quiz, [start, hint]).snapshot;
		expect(revealedHints(snapshot.context, 'q1')).toEqual([text('Pensez à la loi.')]);
	});
	test('a question without hints ignores HINT', () => {
		const { snapshot } = play(quiz, [start, answer('a'), submit, next, hint]);
		expect(snapshot.context.hintsUsed).toEqual({});
	});
	test('hints are counted per question and do not lower the score', () => {
		const { snapshot } = play(quiz, [start, hint, answer('a'), submit]);
		expect(snapshot.context.scores.q1).toBe(1);
		expect(reviewOf(snapshot.context)[0]?.hintsUsed).toBe(1);
	});
});

describe('time limit', () => {
	const timed = assessmentQuiz(singles(3), { timeLimit: 600 });

	test('the deadline is the start plus the time limit', () => {
		const { snapshot } = play(timed, [start]);
		expect(snapshot.context.deadline).toBe(T0 + 600_000);
		expect(remainingMs(snapshot.context, T0 + 60_000)).toBe(540_000);
		expect(remainingMs(snapshot.context, T0 + 700_000)).toBe(0);
	});
	test('TIMEOUT ends a timed attempt with what was answered', () => {
		const { snapshot, drafts } = play(timed, [
			start,
			answer('a'),
			next,
			answer('a'),
			{ type: 'TIMEOUT' }
		]);
		expect(snapshot.value).toEqual({ results: 'passed' });
		expect(snapshot.context).toMatchObject({ endedBy: 'timeout', finishedAt: T0 + 600_000 });
		expect(drafts.at(-1)?.result).toEqual({ score: 2 / 3, success: true, durationMs: 600_000 });
	});
	test('an answer given after the deadline is not recorded and ends the attempt', () => {
		const { snapshot } = play(timed, [
			start,
			answer('a'),
			next,
			{ type: 'ANSWER', response: 'a', at: T0 + 600_001 }
		]);
		expect(snapshot.value).toEqual({ results: 'failed' });
		expect(snapshot.context.responses).toEqual({ q1: 'a' });
		expect(snapshot.context.endedBy).toBe('timeout');
	});
	test('a SUBMIT sent late counts as the deadline', () => {
		const { snapshot } = play(timed, [start, { type: 'SUBMIT', at: T0 + 900_000 }]);
		expect(snapshot.context).toMatchObject({ endedBy: 'timeout', finishedAt: T0 + 600_000 });
	});
	test('TIMEOUT is ignored without a time limit', () => {
		const { snapshot } = play(assessmentQuiz(singles(3)), [start, { type: 'TIMEOUT' }]);
		expect(snapshot.value).toEqual({ question: 'answering' });
		expect(snapshot.context.deadline).toBeNull();
	});
	test('TIMEOUT before START is ignored', () => {
		expect(play(timed, [{ type: 'TIMEOUT' }]).snapshot.value).toBe('ready');
	});
});

describe('what the UI reads from a snapshot', () => {
	test('the current question and its options in their shuffled order', () => {
		const quiz = assessmentQuiz([
			single('q1', {
				choices: [...'abcdef'].map((id) => ({
					id,
					text: text(id),
					...(id === 'a' ? { correct: true } : {})
				}))
			}),
			ordering('q2')
		]);
		const { snapshot } = play(quiz, [start], { seed: 3 });
		const question = currentQuestion(snapshot.context);
		expect(question?.id).toBe('q1');
		const shown = shownOptions(snapshot.context, 'q1');
		expect([...shown].sort()).toEqual([...'abcdef']);
		expect(shown).toEqual(play(quiz, [start], { seed: 3 }).snapshot.context.choiceOrder.q1);
		expect(shownOptions(snapshot.context, 'q2')).not.toEqual(['i1', 'i2', 'i3', 'i4']);
	});
});

describe('events emitted', () => {
	test('every draft becomes a valid learning event once the device adds id, learner and time', () => {
		const quiz = assessmentQuiz([single('q1'), multiple('q2'), ordering('q3'), shortText('q4')], {
			timeLimit: 60
		});
		const { drafts } = play(
			quiz,
			[
				start,
				answer('a'),
				next,
				answer(['a', 'c']),
				next,
				answer(['i2', 'i1', 'i3', 'i4']),
				{ type: 'TIMEOUT' }
			],
			{
				lessonId: 'lecon-1'
			}
		);
		expect(drafts).toHaveLength(6);
		drafts.forEach((draft, i) => {
			const event = recordEvent(draft, {
				id: `e${i}`,
				learnerId: 'apprenant-1',
				at: new Date(T0).toISOString()
			});
			const result = v.safeParse(learningEventSchema, event);
			expect(
				result.issues?.map((issue) => issue.message),
				draft.verb
			).toBeUndefined();
		});
	});
});

describe('resuming', () => {
	const quiz = assessmentQuiz(singles(6), { draw: 4, shuffle: true, timeLimit: 900 });
	const rest: QuizEvent[] = [
		answer('a'),
		next,
		answer('b'),
		hint,
		previous,
		next,
		next,
		answer('a'),
		submit,
		next,
		next,
		retry(9, T0 + 10)
	];

	test('a snapshot saved as JSON resumes the attempt exactly where it was', () => {
		const original = createActor(quizMachine, { input: inputFor(quiz, { seed: 42 }) });
		const emittedOriginal: LearningEventDraft[] = [];
		original.on('learning', (e) => emittedOriginal.push(e.event));
		original.start();
		for (const e of [start, answer('b'), next]) original.send(e);

		const saved = JSON.parse(JSON.stringify(original.getPersistedSnapshot()));
		// A different input proves the context comes from the snapshot, not from the input.
		const restored = createActor(quizMachine, {
			snapshot: saved,
			input: inputFor(quiz, { seed: 7 })
		});
		const emittedRestored: LearningEventDraft[] = [];
		restored.on('learning', (e) => emittedRestored.push(e.event));
		restored.start();

		expect(restored.getSnapshot().value).toEqual(original.getSnapshot().value);
		expect(restored.getSnapshot().context).toEqual(original.getSnapshot().context);
		const before = emittedOriginal.length;
		for (const e of rest) {
			original.send(e);
			restored.send(e);
			expect(restored.getSnapshot().value).toEqual(original.getSnapshot().value);
			expect(restored.getSnapshot().context).toEqual(original.getSnapshot().context);
		}
		expect(emittedRestored).toEqual(emittedOriginal.slice(before));
		expect(emittedRestored.length).toBeGreaterThan(0);
		original.stop();
		restored.stop();
	});
	test('a snapshot saved in results resumes in results', () => {
		const actor = createActor(quizMachine, { input: inputFor(formativeQuiz(singles(1))) }).start();
		for (const e of [start, answer('a'), submit, next]) actor.send(e);
		const saved = JSON.parse(JSON.stringify(actor.getPersistedSnapshot()));
		const restored = createActor(quizMachine, {
			snapshot: saved,
			input: inputFor(formativeQuiz(singles(1)))
		}).start();
		expect(restored.getSnapshot().value).toEqual({ results: 'passed' });
		restored.send(next);
		expect(restored.getSnapshot().value).toBe('review');
		actor.stop();
		restored.stop();
	});
});

describe('a check opened from its page (the first question shown before the engine loads)', () => {
	test('the engine draws exactly what the page showed: same first question, same option order', () => {
		const quiz = formativeQuiz([...singles(3), multiple('m1')]);
		const page = drawQuestions(quiz, pageSeed(quiz.id));
		const { snapshot } = play(quiz, [start], { seed: pageSeed(quiz.id) });
		const first = currentQuestion(snapshot.context)!;
		expect(first.id).toBe(page.order[0]);
		expect(shownOptions(snapshot.context, first.id)).toEqual(page.choiceOrder[first.id]);
	});
	test("an answer given on the page, applied after START, is the attempt's answer to its first question", () => {
		const quiz = formativeQuiz(singles(2));
		const page = drawQuestions(quiz, pageSeed(quiz.id));
		const chosen = page.choiceOrder[page.order[0]!]![1]!;
		const { snapshot } = play(quiz, [start, answer(chosen)], { seed: pageSeed(quiz.id) });
		expect(snapshot.matches('question')).toBe(true);
		expect(snapshot.context.responses[page.order[0]!]).toBe(chosen);
	});
	test('the page seed is fixed per quiz and differs between quizzes', () => {
		expect(pageSeed('q-a')).toBe(pageSeed('q-a'));
		expect(pageSeed('q-a')).not.toBe(pageSeed('q-b'));
	});
});
