import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import {
	EVENT_LIMITS,
	LEARNING_VERBS,
	SCENARIO_OUTCOMES,
	type LearningEvent,
	type LearningEventDraft
} from './events';
import {
	courseProgress,
	emptyProgress,
	fold,
	lessonStatus,
	reduce,
	reduceEvents,
	type CourseOutline,
	type Progress
} from './reduce';
import { reduceBatch } from './batch';

// ——— Fixtures ———

const LEARNER = 'apprenant-1';

/** m1: two lessons and an assessment; m2: one lesson, no assessment; f1 is a formative check. */
const course: CourseOutline = {
	id: 'c1',
	modules: [
		{ id: 'm1', lessons: ['l1', 'l2'], assessment: 'q1' },
		{ id: 'm2', lessons: ['l3'] }
	],
	quizzes: { q1: {}, f1: {} },
	scenarios: { s1: {} }
};

let counter = 0;
/** An event of the learner; `at` is minutes after 2025-01-01T08:00Z, ids count up unless given. */
function ev(
	draft: Partial<LearningEventDraft> & Pick<LearningEventDraft, 'verb'>,
	minute = 0,
	id = `e${String(++counter).padStart(4, '0')}`
): LearningEvent {
	return {
		courseId: 'c1',
		courseVersion: '1.0.0',
		...draft,
		id,
		learnerId: LEARNER,
		at: new Date(Date.UTC(2025, 0, 1, 8, minute)).toISOString()
	};
}
const opened = (lessonId: string, minute = 0, id?: string) =>
	ev({ verb: 'lesson.opened', lessonId }, minute, id);
const read = (lessonId: string, minute = 0, durationMs = 60_000, id?: string) =>
	ev({ verb: 'lesson.completed', lessonId, result: { durationMs } }, minute, id);
const attempt = (quizId: string, score: number, success: boolean, minute = 0, durationMs = 0) =>
	ev({ verb: 'quiz.completed', quizId, result: { score, success, durationMs } }, minute);
const answered = (quizId: string, questionId: string, score: number, minute = 0) =>
	ev({ verb: 'quiz.answered', quizId, questionId, result: { score } }, minute);
const played = (outcome: 'success' | 'partial' | 'failure', score: number, minute = 0) =>
	ev(
		{
			verb: 'scenario.completed',
			scenarioId: 's1',
			result: { path: ['a'], score, outcome, success: outcome === 'success' }
		},
		minute
	);

const progressOf = (...events: LearningEvent[]) => fold(LEARNER, events);
const c1 = (p: Progress) => p.courses['c1']!;

function deepFreeze<T>(value: T): T {
	if (typeof value === 'object' && value !== null) {
		for (const child of Object.values(value)) deepFreeze(child);
		Object.freeze(value);
	}
	return value;
}

// ——— Unit tests ———

describe('lessons', () => {
	test('a lesson with no event is not started, an opened one is in progress', () => {
		const p = progressOf(opened('l1', 5));
		expect(lessonStatus(p, 'c1', 'l2')).toBe('not-started');
		expect(lessonStatus(p, 'c1', 'l1')).toBe('in-progress');
		expect(c1(p).lessons['l1']).toMatchObject({
			firstOpenedAt: '2025-01-01T08:05:00.000Z',
			completedAt: null,
			timeSpentMs: 0
		});
	});

	test('a completed lesson stays completed whatever the order of its events', () => {
		const events = [opened('l1', 1), read('l1', 2), opened('l1', 3)];
		for (const order of [events, [...events].reverse(), [events[2]!, events[0]!, events[1]!]]) {
			const lesson = c1(progressOf(...order)).lessons['l1'];
			expect(lesson?.status).toBe('completed');
			expect(lesson?.firstOpenedAt).toBe('2025-01-01T08:01:00.000Z');
			expect(lesson?.completedAt).toBe('2025-01-01T08:02:00.000Z');
			expect(lesson?.lastAt).toBe('2025-01-01T08:03:00.000Z');
		}
	});

	test('a lesson completed without an opening event is completed, opened when first completed', () => {
		const lesson = c1(progressOf(read('l1', 4))).lessons['l1'];
		expect(lesson).toMatchObject({ status: 'completed', firstOpenedAt: lesson?.completedAt });
	});

	test('time spent on a lesson is the sum of the durations of its completions', () => {
		const p = progressOf(opened('l1', 0), read('l1', 5, 300_000), read('l1', 50, 120_000));
		expect(c1(p).lessons['l1']?.timeSpentMs).toBe(420_000);
	});
});

describe('quizzes', () => {
	test('attempts count completions, the best score is the highest, the last the latest', () => {
		const p = progressOf(
			ev({ verb: 'quiz.started', quizId: 'q1' }, 0),
			attempt('q1', 0.4, false, 10),
			attempt('q1', 0.9, true, 20),
			attempt('q1', 0.6, false, 30)
		);
		expect(c1(p).quizzes['q1']).toMatchObject({
			starts: 1,
			attempts: 3,
			bestScore: 0.9,
			lastScore: 0.6,
			passed: true,
			passedAt: '2025-01-01T08:20:00.000Z'
		});
	});

	test('an assessment once passed stays passed after a later failed attempt, in any order', () => {
		const pass = attempt('q1', 0.8, true, 1);
		const fail = attempt('q1', 0.2, false, 2);
		expect(c1(progressOf(pass, fail)).quizzes['q1']?.passed).toBe(true);
		expect(c1(progressOf(fail, pass)).quizzes['q1']?.passed).toBe(true);
		expect(progressOf(pass, fail)).toEqual(progressOf(fail, pass));
	});

	test('a failed assessment is not passed; a finished formative check is', () => {
		const p = progressOf(attempt('q1', 0.5, false, 1), attempt('f1', 0.5, true, 2));
		expect(c1(p).quizzes['q1']?.passed).toBe(false);
		expect(c1(p).quizzes['f1']?.passed).toBe(true);
	});

	test('a passed formative check does not stand in for the module assessment', () => {
		const p = progressOf(read('l1'), read('l2'), attempt('f1', 1, true));
		const m1 = courseProgress(p, course).modules[0]!;
		expect(m1.assessment).toEqual({
			quizId: 'q1',
			attempts: 0,
			bestScore: null,
			lastScore: null,
			passed: false,
			passedAt: null
		});
		expect(m1.completed).toBe(false);
	});

	test('each question keeps its number of answers, best and latest score', () => {
		const p = progressOf(
			answered('q1', 'a', 1, 1),
			answered('q1', 'a', 0, 2),
			answered('q1', 'b', 0.5, 1)
		);
		expect(c1(p).quizzes['q1']?.questions).toEqual({
			a: expect.objectContaining({ answers: 2, bestScore: 1, lastScore: 0 }),
			b: expect.objectContaining({ answers: 1, bestScore: 0.5, lastScore: 0.5 })
		});
	});

	test('time spent on a quiz is the sum of its completions’ durations', () => {
		const p = progressOf(attempt('q1', 0.1, false, 1, 30_000), attempt('q1', 0.9, true, 9, 45_000));
		expect(c1(p).quizzes['q1']?.timeSpentMs).toBe(75_000);
	});
});

describe('scenarios', () => {
	test('plays are counted, with the best score and every outcome reached', () => {
		const p = progressOf(
			played('failure', 0.2, 1),
			played('success', 0.9, 2),
			played('failure', 0.1, 3)
		);
		expect(c1(p).scenarios['s1']).toMatchObject({
			plays: 3,
			bestScore: 0.9,
			outcomes: ['success', 'failure'],
			succeeded: true
		});
	});
});

describe('module and course completion', () => {
	test('a module without assessment is completed when all its lessons are', () => {
		const m2 = courseProgress(progressOf(read('l3', 7)), course).modules[1]!;
		expect(m2).toEqual({
			moduleId: 'm2',
			lessonsCompleted: 1,
			lessonCount: 1,
			assessment: null,
			completed: true,
			completedAt: '2025-01-01T08:07:00.000Z'
		});
	});

	test('a module with an assessment needs its lessons completed and the assessment passed', () => {
		const lessonsOnly = courseProgress(progressOf(read('l1'), read('l2')), course).modules[0]!;
		expect(lessonsOnly.completed).toBe(false);
		const passedOnly = courseProgress(progressOf(read('l1'), attempt('q1', 1, true)), course);
		expect(passedOnly.modules[0]!.completed).toBe(false);
		const all = courseProgress(
			progressOf(read('l1', 1), read('l2', 9), attempt('q1', 0.8, true, 5)),
			course
		).modules[0]!;
		expect(all.completed).toBe(true);
		expect(all.completedAt).toBe('2025-01-01T08:09:00.000Z');
	});

	test('percent counts lessons and assessments as items, rounded down', () => {
		const none = courseProgress(emptyProgress(LEARNER), course);
		expect(none).toMatchObject({ itemsCompleted: 0, itemCount: 4, percent: 0, started: false });
		const some = courseProgress(progressOf(read('l1'), opened('l2'), read('l3')), course);
		expect(some).toMatchObject({ itemsCompleted: 2, percent: 50, completed: false, started: true });
		const almost = courseProgress(progressOf(read('l1'), read('l2'), read('l3')), course);
		expect(almost).toMatchObject({ itemsCompleted: 3, percent: 75, completed: false });
	});

	test('a course is completed when every module is, at the time the last item was done', () => {
		const p = courseProgress(
			progressOf(read('l1', 1), read('l2', 2), attempt('q1', 0.7, true, 3), read('l3', 30)),
			course
		);
		expect(p).toMatchObject({
			percent: 100,
			completed: true,
			completedAt: '2025-01-01T08:30:00.000Z'
		});
		expect(p.totals).toMatchObject({
			lessonsCompleted: 3,
			lessonCount: 3,
			assessmentsPassed: 1,
			assessmentCount: 1,
			bestScores: { q1: 0.7 }
		});
	});

	test('a course with no module is never completed', () => {
		const p = courseProgress(progressOf(read('l1')), { id: 'c1', modules: [] });
		expect(p).toMatchObject({ completed: false, percent: 0, itemCount: 0 });
	});

	test('course totals add the time of the course’s own lessons, quizzes and scenarios', () => {
		const p = progressOf(
			read('l1', 1, 60_000),
			attempt('f1', 1, true, 2, 5_000),
			ev({ verb: 'scenario.completed', scenarioId: 's1', result: { durationMs: 7 } }, 3),
			read('ghost', 4, 1_000_000),
			ev({ verb: 'lesson.completed', courseId: 'c2', lessonId: 'l1', result: { durationMs: 9 } })
		);
		expect(courseProgress(p, course).totals.timeSpentMs).toBe(65_007);
	});
});

describe('what does not count', () => {
	test('events of an unknown course or unknown ids are kept but do not count', () => {
		const p = progressOf(
			read('ghost-lesson', 50),
			attempt('ghost-quiz', 1, true, 51),
			ev({ verb: 'lesson.completed', courseId: 'newer', lessonId: 'l1' }, 52)
		);
		expect(c1(p).lessons['ghost-lesson']?.status).toBe('completed');
		expect(c1(p).quizzes['ghost-quiz']?.passed).toBe(true);
		expect(p.courses['newer']?.lessons['l1']?.status).toBe('completed');
		expect(p.eventIds).toHaveLength(3);
		expect(courseProgress(p, course)).toMatchObject({
			itemsCompleted: 0,
			percent: 0,
			started: false,
			resumeLessonId: null,
			lastActivity: null,
			totals: { timeSpentMs: 0, bestScores: {} }
		});
	});

	test('an event of another learner changes nothing', () => {
		const before = progressOf(read('l1'));
		const other = { ...read('l2'), learnerId: 'someone-else' };
		expect(reduce(before, other)).toBe(before);
		expect(fold(LEARNER, [read('l1', 0, 0, 'x'), other])).toEqual(
			fold(LEARNER, [read('l1', 0, 0, 'x')])
		);
	});

	test('ids such as __proto__ are plain data and pollute no prototype', () => {
		const p = progressOf(
			read('__proto__', 1),
			ev({ verb: 'quiz.completed', courseId: '__proto__', quizId: 'constructor' }, 2)
		);
		expect(Object.keys(c1(p).lessons)).toEqual(['__proto__']);
		expect(Object.keys(p.courses)).toEqual(['__proto__', 'c1']);
		expect(({} as Record<string, unknown>)['lessons']).toBeUndefined();
		expect(lessonStatus(p, 'c1', 'toString')).toBe('not-started');
		expect(JSON.parse(JSON.stringify(p))).toEqual(p);
	});
});

describe('last place', () => {
	test('the last place is the lesson of the latest lesson event, quiz events aside', () => {
		const p = progressOf(
			read('l1', 10),
			opened('l2', 30),
			opened('l3', 20),
			attempt('q1', 1, true, 40)
		);
		expect(p.lastPlace).toMatchObject({ courseId: 'c1', lessonId: 'l2' });
		expect(p.lastActivity).toBe('2025-01-01T08:40:00.000Z');
		expect(courseProgress(p, course).resumeLessonId).toBe('l2');
	});

	test('two lesson events at the same time are ordered by event id', () => {
		const a = opened('l1', 5, 'id-b');
		const b = opened('l3', 5, 'id-a');
		expect(progressOf(a, b).lastPlace?.lessonId).toBe('l1');
		expect(progressOf(b, a).lastPlace?.lessonId).toBe('l1');
	});

	test('the course’s resume lesson skips lessons the course does not have', () => {
		const p = progressOf(opened('l2', 1), opened('ghost', 2));
		expect(p.lastPlace?.lessonId).toBe('ghost');
		expect(courseProgress(p, course).resumeLessonId).toBe('l2');
	});

	test('one instant written two ways is ordered, the same in any order', () => {
		const utc = { ...opened('l1', 0, 'a'), at: '2025-03-01T10:00:00Z' };
		const offset = { ...opened('l2', 0, 'b'), at: '2025-03-01T11:00:00+01:00' };
		expect(progressOf(utc, offset)).toEqual(progressOf(offset, utc));
		expect(progressOf(utc, offset).lastActivity).toBe('2025-03-01T11:00:00+01:00');
	});
});

describe('idempotence and purity', () => {
	test('the same event applied twice counts once, and the second time returns the input', () => {
		const e = attempt('q1', 0.5, false, 1, 1_000);
		const once = reduce(emptyProgress(LEARNER), e);
		expect(reduce(once, e)).toBe(once);
		expect(progressOf(e, e, { ...e })).toEqual(once);
		expect(c1(once).quizzes['q1']).toMatchObject({ attempts: 1, timeSpentMs: 1_000 });
	});

	test('reduce does not mutate the progress or the event it is given', () => {
		const before = deepFreeze(progressOf(opened('l1', 1), attempt('q1', 0.3, false, 2)));
		const snapshot = structuredClone(before);
		const e = deepFreeze(read('l1', 3));
		const after = reduce(before, e);
		expect(before).toEqual(snapshot);
		expect(after).not.toBe(before);
		expect(lessonStatus(after, 'c1', 'l1')).toBe('completed');
		expect(reduceEvents(before, [attempt('q1', 1, true, 4), e])).not.toBe(before);
		expect(before).toEqual(snapshot);
	});

	test('reduce event by event and fold agree, and the event ids are kept sorted', () => {
		const events = [read('l2', 1, 1, 'z'), opened('l1', 2, 'a'), attempt('q1', 1, true, 3)];
		const stepwise = events.reduce(reduce, emptyProgress(LEARNER));
		expect(stepwise).toEqual(progressOf(...events));
		expect(stepwise.eventIds).toEqual([...stepwise.eventIds].sort());
	});

	test('an empty progress is plain JSON', () => {
		const p = emptyProgress(LEARNER);
		expect(JSON.parse(JSON.stringify(p))).toEqual(p);
		expect(p).toMatchObject({ learnerId: LEARNER, eventIds: [], courses: {}, lastPlace: null });
	});
});

// ——— Properties ———

const RUNS = { numRuns: 300 };

/** Some instants on purpose written several ways, and shared by several events. */
const SHARED_TIMES = [
	'2025-03-01T10:00:00.000Z',
	'2025-03-01T10:00:00Z',
	'2025-03-01T11:00:00+01:00',
	'2025-03-02T09:30:00.000Z'
];
const timeArb = fc.oneof(
	fc.constantFrom(...SHARED_TIMES),
	fc
		.date({ min: new Date('2024-01-01'), max: new Date('2026-12-31'), noInvalidDate: true })
		.map((d) => d.toISOString())
);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const eventIdArb = fc.oneof(fc.uuid(), fc.string({ minLength: 1, maxLength: 3 }));

const bodyArb = fc
	.record({
		verb: fc.constantFrom(...LEARNING_VERBS),
		courseId: fc.constantFrom('c1', 'c1', 'c1', 'old-course'),
		lessonId: fc.constantFrom('l1', 'l2', 'l3', 'ghost-lesson', '__proto__'),
		quizId: fc.constantFrom('q1', 'f1', 'ghost-quiz', 'constructor'),
		questionId: fc.constantFrom('a', 'b', 'c'),
		scenarioId: fc.constantFrom('s1', 'ghost-scenario'),
		at: timeArb,
		score: maybe(fc.double({ min: 0, max: 1, noNaN: true })),
		success: maybe(fc.boolean()),
		durationMs: maybe(fc.integer({ min: 0, max: EVENT_LIMITS.durationMs })),
		outcome: maybe(fc.constantFrom(...SCENARIO_OUTCOMES))
	})
	.map(({ verb, lessonId, quizId, questionId, scenarioId, ...r }) => {
		const target = verb.startsWith('lesson.')
			? { lessonId }
			: verb === 'scenario.completed'
				? { scenarioId }
				: verb === 'quiz.answered'
					? { quizId, questionId }
					: { quizId };
		const result = Object.fromEntries(
			(['score', 'success', 'durationMs', 'outcome'] as const)
				.filter((k) => r[k] !== undefined)
				.map((k) => [k, r[k]])
		);
		return { verb, courseId: r.courseId, at: r.at, target, result };
	});

/** Distinct events of one learner (an id names one event). */
const eventsArb = fc
	.uniqueArray(fc.record({ id: eventIdArb, body: bodyArb }), {
		selector: (e) => e.id,
		maxLength: 40
	})
	.map((items) =>
		items.map(({ id, body }): LearningEvent => ({
			id,
			learnerId: LEARNER,
			at: body.at,
			verb: body.verb,
			courseId: body.courseId,
			courseVersion: '1.0.0',
			...body.target,
			...(Object.keys(body.result).length > 0 ? { result: body.result } : {})
		}))
	);

/** The distinct events, and a log where some of them come again (as copies). */
const logArb = eventsArb.chain((events) =>
	(events.length === 0
		? fc.constant<LearningEvent[]>([])
		: fc
				.array(fc.nat(events.length - 1), { maxLength: 20 })
				.map((picks) => picks.map((i) => structuredClone(events[i]!)))
	).chain((copies) =>
		fc
			.shuffledSubarray([...events, ...copies], {
				minLength: events.length + copies.length,
				maxLength: events.length + copies.length
			})
			.map((log) => ({ events, log }))
	)
);

const permutationOf = <T>(items: T[]) =>
	fc.shuffledSubarray(items, { minLength: items.length, maxLength: items.length });

/** Equal as values and as JSON text: the progress is canonical by construction. */
function expectSame(a: Progress, b: Progress) {
	expect(a).toEqual(b);
	expect(JSON.stringify(a)).toBe(JSON.stringify(b));
}

describe('properties: the fold depends only on the set of events', () => {
	test('the fold of any permutation of the events equals the fold of the events', () => {
		fc.assert(
			fc.property(
				eventsArb.chain((events) =>
					permutationOf(events).map((shuffled) => ({ events, shuffled }))
				),
				({ events, shuffled }) => expectSame(fold(LEARNER, shuffled), fold(LEARNER, events))
			),
			RUNS
		);
	});

	test('duplicated events change nothing', () => {
		fc.assert(
			fc.property(logArb, ({ events, log }) =>
				expectSame(fold(LEARNER, log), fold(LEARNER, events))
			),
			RUNS
		);
	});

	test('two devices merge by union: folding A then reducing B, in any order, is the fold of A ∪ B', () => {
		const devicesArb = eventsArb.chain((events) =>
			fc
				.array(fc.constantFrom('A', 'B', 'both'), {
					minLength: events.length,
					maxLength: events.length
				})
				.chain((where) => {
					const a = events.filter((_, i) => where[i] !== 'B');
					const b = events.filter((_, i) => where[i] !== 'A');
					return fc.record({
						events: fc.constant(events),
						a: permutationOf(a),
						b: permutationOf(b)
					});
				})
		);
		fc.assert(
			fc.property(devicesArb, ({ events, a, b }) => {
				const union = fold(LEARNER, events);
				expectSame(b.reduce(reduce, fold(LEARNER, a)), union);
				expectSame(reduceEvents(fold(LEARNER, b), a), union);
				expectSame(reduceEvents(fold(LEARNER, [...a, ...b]), []), union);
			}),
			RUNS
		);
	});

	test('a stored progress (JSON) folds on as the original would', () => {
		fc.assert(
			fc.property(eventsArb, eventsArb, (first, more) => {
				const stored = JSON.parse(JSON.stringify(fold(LEARNER, first))) as Progress;
				expectSame(reduceEvents(stored, more), fold(LEARNER, [...first, ...more]));
			}),
			RUNS
		);
	});
});

describe('properties: course progress stays in bounds', () => {
	test('percent is an integer in [0, 100], 100 exactly when completed, every score in [0, 1]', () => {
		const inUnit = (s: number | null) => s === null || (s >= 0 && s <= 1);
		fc.assert(
			fc.property(logArb, ({ log }) => {
				const p = fold(LEARNER, log);
				const summary = courseProgress(p, course);
				expect(Number.isInteger(summary.percent)).toBe(true);
				expect(summary.percent).toBeGreaterThanOrEqual(0);
				expect(summary.percent).toBeLessThanOrEqual(100);
				expect(summary.percent === 100).toBe(summary.completed);
				expect(summary.itemsCompleted).toBeLessThanOrEqual(summary.itemCount);
				const scores = [
					...summary.modules.flatMap((m) => [m.assessment?.bestScore ?? null]),
					...Object.values(summary.totals.bestScores),
					...Object.values(summary.totals.scenarioBestScores),
					...Object.values(p.courses).flatMap((c) => [
						...Object.values(c.quizzes).flatMap((q) => [
							q.bestScore,
							q.lastScore,
							...Object.values(q.questions).map((x) => x.bestScore)
						]),
						...Object.values(c.scenarios).map((s) => s.bestScore)
					])
				];
				expect(scores.every(inUnit)).toBe(true);
			}),
			RUNS
		);
	});
});

describe('properties: the server’s batch fold (batch.ts) is reduceEvents', () => {
	test('the same value on any log (duplicates included), from nothing and from a stored fold', () => {
		fc.assert(
			fc.property(logArb, eventsArb, ({ log }, earlier) => {
				const empty = emptyProgress(LEARNER);
				expectSame(reduceBatch(empty, log), reduceEvents(empty, log));
				const stored = JSON.parse(JSON.stringify(fold(LEARNER, earlier))) as Progress;
				expectSame(reduceBatch(stored, log), reduceEvents(stored, log));
			}),
			RUNS
		);
	});

	test('events already folded, or of another learner, return the progress itself', () => {
		fc.assert(
			fc.property(eventsArb, (events) => {
				const p = fold(LEARNER, events);
				expect(reduceBatch(p, events)).toBe(p);
				expect(
					reduceBatch(
						p,
						events.map((e) => ({ ...e, learnerId: 'quelqu-un-d-autre' }))
					)
				).toBe(p);
			}),
			RUNS
		);
	});
});
