import { describe, expect, test } from 'vitest';
import * as v from 'valibot';
import {
	learningEventSchema,
	recordEvent,
	type LearningEvent,
	type LearningEventDraft
} from './events';

const draft = (extra: Partial<LearningEventDraft> = {}): LearningEventDraft => ({
	verb: 'quiz.completed',
	courseId: 'rss-triptyque',
	courseVersion: '1.0.0',
	quizId: 'm1-evaluation',
	result: { score: 0.75, success: true, durationMs: 120_000 },
	...extra
});
const event = (
	extra: Partial<LearningEventDraft> = {},
	device: Partial<Pick<LearningEvent, 'id' | 'learnerId' | 'at'>> = {}
) =>
	recordEvent(draft(extra), {
		id: '0b6f3f8e-7d1c-4c2e-9a51-3c1f0f5d2a10',
		learnerId: 'apprenant-1',
		at: '2025-01-31T08:00:00.000Z',
		...device
	});
const issues = (input: unknown) =>
	v.safeParse(learningEventSchema, input).issues?.map((i) => i.message) ?? [];

describe('learningEventSchema', () => {
	test('accepts a complete event of every verb', () => {
		expect(issues(event())).toEqual([]);
		expect(
			issues(
				event({ verb: 'lesson.opened', quizId: undefined, lessonId: 'm1-l1', result: undefined })
			)
		).toEqual([]);
		expect(
			issues(
				event({
					verb: 'quiz.answered',
					questionId: 'e2',
					result: { score: 0.5, response: ['a', 'b'] }
				})
			)
		).toEqual([]);
		expect(
			issues(event({ verb: 'quiz.answered', questionId: 'e5', result: { response: { p1: 'p2' } } }))
		).toEqual([]);
		expect(
			issues(
				event({
					verb: 'scenario.completed',
					quizId: undefined,
					scenarioId: 'reunion',
					result: { path: ['a', 'b'], outcome: 'partial' }
				})
			)
		).toEqual([]);
	});
	test('refuses a score outside [0, 1]', () => {
		expect(issues(event({ result: { score: 1.2 } }))).not.toEqual([]);
		expect(issues(event({ result: { score: -0.1 } }))).not.toEqual([]);
	});
	test('refuses a time that is not an ISO date', () => {
		expect(issues(event({}, { at: '31/01/2025' }))).not.toEqual([]);
		expect(issues(event({}, { at: '' }))).not.toEqual([]);
	});
	test('refuses empty or oversized ids', () => {
		expect(issues(event({}, { id: '' }))).not.toEqual([]);
		expect(issues(event({}, { learnerId: 'x'.repeat(101) }))).not.toEqual([]);
		expect(issues(event({ courseId: '' }))).not.toEqual([]);
	});
	test('refuses an unknown verb, an unknown field and an oversized response', () => {
		expect(issues({ ...event(), verb: 'quiz.cheated' })).not.toEqual([]);
		expect(issues({ ...event(), extra: 1 })).not.toEqual([]);
		expect(
			issues(
				event({ verb: 'quiz.answered', questionId: 'q', result: { response: 'x'.repeat(2001) } })
			)
		).not.toEqual([]);
		expect(
			issues(
				event({
					verb: 'quiz.answered',
					questionId: 'q',
					result: { response: Array(201).fill('a') }
				})
			)
		).not.toEqual([]);
	});
	test('refuses a negative or absurd duration', () => {
		expect(issues(event({ result: { durationMs: -1 } }))).not.toEqual([]);
		expect(issues(event({ result: { durationMs: 2 * 24 * 3600 * 1000 } }))).not.toEqual([]);
	});
	test('a verb needs the ids it is about', () => {
		expect(issues(event({ quizId: undefined }))).toEqual([
			'un événement « quiz.completed » a besoin de : quizId'
		]);
		expect(issues(event({ verb: 'quiz.answered' }))).toEqual([
			'un événement « quiz.answered » a besoin de : quizId, questionId'
		]);
		expect(issues(event({ verb: 'scenario.completed' }))).not.toEqual([]);
	});
	test('the device’s id, learner and time win over anything in the draft', () => {
		const sneaky = { ...draft(), id: 'forged' } as LearningEventDraft;
		expect(
			recordEvent(sneaky, { id: 'real', learnerId: 'l', at: '2025-01-31T08:00:00.000Z' }).id
		).toBe('real');
	});
});
