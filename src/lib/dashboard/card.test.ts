import { describe, expect, it } from 'vitest';
import type { CourseRecord, LessonRecord, QuizRecord } from '../progress/reduce';
import { checkScores, courseCard, decodeCard, encodeCard, type CardOutline } from './card';

const outline: CardOutline = {
	courseId: 'c',
	key: 'k1',
	modules: [
		{
			lessons: [
				{ lessonId: 'l1', checkQuizId: 'q1' },
				{ lessonId: 'l2', checkQuizId: null },
				{ lessonId: 'l3', checkQuizId: 'q3' }
			],
			assessment: 'a1'
		},
		{ lessons: [{ lessonId: 'l4', checkQuizId: null }], assessment: 'a2' }
	]
};

const lesson = (over: Partial<LessonRecord>): LessonRecord => ({
	status: 'in-progress',
	firstOpenedAt: '2026-03-01T08:00:00.000Z',
	completedAt: null,
	lastAt: '2026-03-01T08:00:00.000Z',
	lastEventId: 'e',
	timeSpentMs: 0,
	...over
});
const quiz = (over: Partial<QuizRecord>): QuizRecord => ({
	starts: 1,
	attempts: 0,
	bestScore: null,
	lastScore: null,
	lastCompleted: null,
	passed: false,
	passedAt: null,
	timeSpentMs: 0,
	lastAt: '2026-03-01T08:00:00.000Z',
	questions: {},
	...over
});

const record: CourseRecord = {
	lastActivity: '2026-03-05T08:00:00.000Z',
	lessons: {
		l1: lesson({ status: 'completed', completedAt: '2026-03-02T09:00:00.000Z' }),
		l2: lesson({ status: 'completed', completedAt: '2026-03-02T10:00:00.000Z' }),
		l4: lesson({ firstOpenedAt: '2026-03-04T08:00:00.000Z' }),
		// a lesson the outline no longer names counts for nothing
		gone: lesson({ status: 'completed', completedAt: '2026-03-03T10:00:00.000Z' })
	},
	quizzes: {
		q1: quiz({ attempts: 2, bestScore: 0.75, passed: true }),
		// a check begun in a lesson never opened: the lesson shows as begun
		q3: quiz({ attempts: 0 }),
		a1: quiz({ attempts: 2, bestScore: 0.9, passed: true }),
		a2: quiz({ attempts: 1, bestScore: 0.4 }),
		elsewhere: quiz({ attempts: 1, bestScore: 1, passed: true })
	},
	scenarios: {}
};

describe('a learner’s card of a course', () => {
	it('counts what the outline names: lessons completed, assessments passed, open lessons, days', () => {
		expect(courseCard(record, outline)).toEqual({
			itemsDone: 3, // l1, l2, a1
			statuses: 'cci' + 'i',
			checks: '0.75,,,',
			assessments: { a1: [2, 0.9, 1], a2: [1, 0.4, 0] },
			perDay: { '2026-03-02': 2 },
			oldestOpen: ['l4', '2026-03-04T08:00:00.000Z']
		});
	});

	it('is empty for a course the learner never touched', () => {
		expect(courseCard(undefined, outline)).toEqual({
			itemsDone: 0,
			statuses: '----',
			checks: '',
			assessments: {},
			perDay: {},
			oldestOpen: null
		});
	});

	it('keeps the oldest of the lessons left open', () => {
		const two = {
			...record,
			lessons: {
				l2: lesson({ firstOpenedAt: '2026-03-03T00:00:00.000Z' }),
				l4: lesson({ firstOpenedAt: '2026-02-27T00:00:00.000Z' })
			}
		};
		expect(courseCard(two, outline).oldestOpen).toEqual(['l4', '2026-02-27T00:00:00.000Z']);
	});

	it('reads back what it stores, and refuses what it cannot read', () => {
		const card = courseCard(record, outline);
		expect(decodeCard(card.itemsDone, encodeCard(card), 4)).toEqual(card);
		const empty = courseCard(undefined, outline);
		expect(decodeCard(0, encodeCard(empty), 4)).toEqual(empty);
		expect(decodeCard(3, encodeCard(card), 5)).toBeNull(); // built for another outline
		expect(decodeCard(3, '{"s":', 4)).toBeNull();
		expect(decodeCard(3, 'null', 4)).toBeNull();
		expect(decodeCard(3, '{"s":4}', 4)).toBeNull();
	});

	it('gives the checks’ best scores by lesson', () => {
		expect(checkScores(courseCard(record, outline), 4)).toEqual([0.75, null, null, null]);
		expect(checkScores(courseCard(undefined, outline), 4)).toEqual([null, null, null, null]);
	});
});
