import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import {
	assessmentQuiz,
	decision,
	formativeQuiz,
	matching,
	ordering,
	singles,
	shortText,
	trueFalse
} from './fixtures';
import {
	drawQuestions,
	firstQuestion,
	mulberry32,
	optionOrder,
	questionsAsked,
	shuffle
} from './shuffle';

const letters = 'abcdefghijklmnop'.split('');

describe('mulberry32', () => {
	test('the same seed gives the same numbers, within [0, 1)', () => {
		const a = mulberry32(42);
		const b = mulberry32(42);
		const first = Array.from({ length: 5 }, () => a());
		expect(Array.from({ length: 5 }, () => b())).toEqual(first);
		for (const x of first) expect(x >= 0 && x < 1).toBe(true);
		expect(mulberry32(43)()).not.toBe(first[0]);
	});
});

describe('shuffle', () => {
	test('the same seed always gives the same order', () => {
		expect(shuffle(letters, 7)).toEqual(shuffle(letters, 7));
	});
	test('different seeds give different orders', () => {
		const orders = new Set([1, 2, 3, 4, 5].map((seed) => shuffle(letters, seed).join('')));
		expect(orders.size).toBe(5);
	});
	test('keeps every item exactly once and leaves the input alone', () => {
		const input = [...letters];
		fc.assert(
			fc.property(fc.integer(), (seed) => {
				expect([...shuffle(input, seed)].sort()).toEqual(letters);
			})
		);
		expect(input).toEqual(letters);
	});
});

describe('optionOrder', () => {
	test('shuffles choices, matching right sides (with distractors) and ordering items', () => {
		expect([...optionOrder(decision('d'), 3)].sort()).toEqual(['bad', 'best', 'fair']);
		expect([...optionOrder(matching('m', 3), 3)].sort()).toEqual(['leurre', 'p1', 'p2', 'p3']);
		expect([...optionOrder(ordering('o', 5), 3)].sort()).toEqual(['i1', 'i2', 'i3', 'i4', 'i5']);
	});
	test('an ordering question never starts in its right order', () => {
		fc.assert(
			fc.property(fc.integer({ min: 2, max: 6 }), fc.integer(), (count, seed) => {
				expect(optionOrder(ordering('o', count), seed)).not.toEqual(
					ordering('o', count).items.map((i) => i.id)
				);
			})
		);
	});
	test('true-false and short-text questions have no options to order', () => {
		expect(optionOrder(trueFalse('t'), 1)).toEqual([]);
		expect(optionOrder(shortText('s'), 1)).toEqual([]);
	});
});

describe('drawQuestions', () => {
	test('a formative check asks every question in the file’s order', () => {
		const { order, choiceOrder } = drawQuestions(formativeQuiz(singles(4)), 99);
		expect(order).toEqual(['q1', 'q2', 'q3', 'q4']);
		expect(Object.keys(choiceOrder)).toEqual(order);
	});
	test('an assessment draws `draw` questions from its pool, each once', () => {
		const quiz = assessmentQuiz(singles(10), { draw: 4 });
		for (const seed of [1, 2, 3, 4, 5]) {
			const { order, choiceOrder } = drawQuestions(quiz, seed);
			expect(order).toHaveLength(4);
			expect(new Set(order).size).toBe(4);
			expect(Object.keys(choiceOrder).sort()).toEqual([...order].sort());
		}
	});
	test('different seeds draw different questions', () => {
		const quiz = assessmentQuiz(singles(10), { draw: 4 });
		const draws = new Set(
			[1, 2, 3, 4, 5, 6].map((seed) => [...drawQuestions(quiz, seed).order].sort().join())
		);
		expect(draws.size).toBeGreaterThan(1);
	});
	test('drawn questions keep the file’s order unless shuffle is on', () => {
		const kept = drawQuestions(assessmentQuiz(singles(10), { draw: 5 }), 11).order;
		expect(kept).toEqual([...kept].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1))));
		const mixed = [1, 2, 3, 4].map(
			(seed) => drawQuestions(assessmentQuiz(singles(10), { shuffle: true }), seed).order
		);
		expect(
			mixed.some(
				(o) =>
					o.join() !==
					singles(10)
						.map((q) => q.id)
						.join()
			)
		).toBe(true);
	});
	test('the same seed gives the same draw and the same option orders', () => {
		const quiz = assessmentQuiz(singles(8), { draw: 3, shuffle: true });
		expect(drawQuestions(quiz, 5)).toEqual(drawQuestions(quiz, 5));
	});
	test('a draw larger than the pool asks the whole pool', () => {
		expect(drawQuestions(assessmentQuiz(singles(3), { draw: 5 }), 1).order).toHaveLength(3);
	});
});

describe('questionsAsked', () => {
	test('an assessment asks its draw (at most the pool), a check every question', () => {
		expect(questionsAsked(assessmentQuiz(singles(10), { draw: 4 }))).toBe(4);
		expect(questionsAsked(assessmentQuiz(singles(3), { draw: 5 }))).toBe(3);
		expect(questionsAsked(assessmentQuiz(singles(6)))).toBe(6);
		expect(questionsAsked(formativeQuiz(singles(3)))).toBe(3);
		const quiz = assessmentQuiz(singles(9), { draw: 5 });
		expect(drawQuestions(quiz, 7).order).toHaveLength(questionsAsked(quiz));
	});
});

describe('firstQuestion', () => {
	test("is the draw's first question with its options in the order shown", () => {
		const quiz = assessmentQuiz(singles(6), { draw: 3, shuffle: true });
		for (const seed of [1, 2, 3]) {
			const draw = drawQuestions(quiz, seed);
			const first = firstQuestion(quiz, seed)!;
			expect(first.question.id).toBe(draw.order[0]);
			expect(first.options).toEqual(draw.choiceOrder[draw.order[0]!]);
		}
	});
});
