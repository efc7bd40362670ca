// Model-based tests: @xstate/graph walks every quiz and scenario of courses/ and a few fixtures.
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { getAdjacencyMap, getShortestPaths, getSimplePaths } from '@xstate/graph';
// getAdjacencyMap's types do not follow a machine's emitted events, hence `as AnyStateMachine`.
import { initialTransition, transition, type AnyStateMachine, type SnapshotFrom } from 'xstate';
import * as v from 'valibot';
import { readCourseFiles } from '../../../scripts/read-courses';
import { loadCourses, type QuizFile, type ScenarioFile } from '../content';
import { learningEventSchema, recordEvent, type LearningEventDraft } from '../progress';
import {
	assessmentQuiz,
	decision,
	formativeQuiz,
	matching,
	meetingScenario,
	multiple,
	ordering,
	rightAndWrong,
	scenarioOf,
	scope,
	shortText,
	single,
	singles,
	text,
	trueFalse
} from './fixtures';
import { currentQuestion, quizMachine, type QuizEvent, type QuizInput } from './quiz-machine';
import { createScenarioMachine, currentNodeId, type ScenarioEvent } from './scenario-machine';
import { meanScore, scoreQuestion } from './scoring';
import { drawQuestions } from './shuffle';

const T0 = Date.UTC(2025, 0, 31, 8, 0, 0);
const { catalog } = loadCourses(
	readCourseFiles(fileURLToPath(new URL('../../../courses', import.meta.url)))
);
const fromCourses = <T>(pick: (c: (typeof catalog.courses)[number]) => Record<string, T>) =>
	catalog.courses.flatMap((course) =>
		Object.entries(pick(course)).map(([id, x]) => ({ name: `${course.id}/${id}`, value: x }))
	);

const fixtureQuizzes: { name: string; value: QuizFile }[] = [
	{
		name: 'fixture/formative-mixed',
		value: formativeQuiz([
			single('q1', { hints: [text('Indice')] }),
			trueFalse('q2'),
			ordering('q3', 3)
		])
	},
	{ name: 'fixture/formative-one', value: formativeQuiz([shortText('q1')]) },
	{
		name: 'fixture/assessment-every-type',
		value: assessmentQuiz(
			[
				single('q1'),
				multiple('q2'),
				trueFalse('q3'),
				ordering('q4'),
				matching('q5'),
				shortText('q6'),
				decision('q7')
			],
			{
				passMark: 0.7,
				maxAttempts: 3
			}
		)
	},
	{
		name: 'fixture/assessment-drawn-timed',
		value: assessmentQuiz(singles(8), { draw: 3, shuffle: true, timeLimit: 300, maxAttempts: 1 })
	},
	{ name: 'fixture/assessment-pass-mark-0', value: assessmentQuiz(singles(2), { passMark: 0 }) }
];
const fixtureScenarios: { name: string; value: ScenarioFile }[] = [
	{ name: 'fixture/meeting', value: meetingScenario() },
	{
		name: 'fixture/long-chain',
		value: scenarioOf({
			a: {
				choices: [
					['x', 'b', 0.2],
					['y', 'c', 0.9]
				]
			},
			b: {
				choices: [
					['x', 'c'],
					['y', 'fin-1', 1]
				]
			},
			c: {
				choices: [
					['x', 'a', 0],
					['y', 'fin-2', 0.5],
					['z', 'fin-3']
				]
			},
			'fin-1': { end: 'success' },
			'fin-2': { end: 'partial' },
			'fin-3': { end: 'failure' }
		})
	}
];
const quizzes = [...fromCourses((c) => c.quizzes), ...fixtureQuizzes];
const scenarios = [...fromCourses((c) => c.scenarios), ...fixtureScenarios];

const inUnitInterval = (x: number | null | undefined) =>
	x === null || x === undefined || (x >= 0 && x <= 1);

function validateDrafts(drafts: LearningEventDraft[]) {
	for (const draft of drafts) {
		const event = recordEvent(draft, { id: 'e', learnerId: 'l', at: new Date(T0).toISOString() });
		expect(v.safeParse(learningEventSchema, event).issues?.map((i) => i.message)).toBeUndefined();
	}
}
const draftsOf = (actions: readonly { type: string; params?: unknown }[]): LearningEventDraft[] =>
	actions
		.filter((a) => a.type === 'xstate.emit')
		.map((a) => (a.params as { event: { event: LearningEventDraft } }).event.event);

/** The keys of the states from which no goal state can be reached (walking the edges backwards). */
function trapped(
	adjacency: Record<string, { transitions: Record<string, { state: unknown }> }>,
	key: (s: never) => string,
	isGoal: (k: string) => boolean
) {
	const reverse = new Map<string, string[]>();
	for (const [from, { transitions }] of Object.entries(adjacency))
		for (const { state } of Object.values(transitions)) {
			const to = key(state as never);
			reverse.set(to, [...(reverse.get(to) ?? []), from]);
		}
	const canEnd = new Set(Object.keys(adjacency).filter(isGoal));
	const queue = [...canEnd];
	while (queue.length)
		for (const from of reverse.get(queue.pop()!) ?? [])
			if (!canEnd.has(from)) {
				canEnd.add(from);
				queue.push(from);
			}
	return Object.keys(adjacency).filter((k) => !canEnd.has(k));
}

// ——— Quizzes ———

type QuizSnapshot = SnapshotFrom<typeof quizMachine>;
/** Questions per walked window: the graph of a window grows like 3^size (no answer, right, wrong). */
const WINDOW = 4;

/** A quiz split in windows of at most WINDOW questions, each walked whole (same mode and rules). */
function windows(quiz: QuizFile): QuizFile[] {
	const out: QuizFile[] = [];
	for (let i = 0; i < quiz.questions.length; i += WINDOW) {
		const questions = quiz.questions.slice(i, i + WINDOW);
		out.push(
			quiz.mode === 'assessment' && quiz.draw !== undefined
				? { ...quiz, questions, draw: Math.min(quiz.draw, questions.length) }
				: { ...quiz, questions }
		);
	}
	return out;
}

/** A finite event set: for the question shown, one right and one wrong response. */
function quizEvents(snapshot: QuizSnapshot): QuizEvent[] {
	const question = currentQuestion(snapshot.context);
	const answers: QuizEvent[] = [];
	if (question) {
		const { right, wrong } = rightAndWrong(question);
		answers.push({ type: 'ANSWER', response: right }, { type: 'ANSWER', response: wrong });
		if (snapshot.context.deadline !== null)
			answers.push({ type: 'ANSWER', response: right, at: snapshot.context.deadline + 1 });
	}
	return [
		{ type: 'START' },
		...answers,
		{ type: 'SUBMIT' },
		{ type: 'HINT' },
		{ type: 'NEXT' },
		{ type: 'PREVIOUS' },
		{ type: 'RETRY', seed: 2, startedAt: T0 + 1000 },
		{ type: 'TIMEOUT' }
	];
}
/**
 * What tells two quiz states apart for the walk. Left out: hint counts (they change nothing else,
 * so HINT is still walked without multiplying states), the position while on results (unused
 * there), and the attempt number of a formative check (unlimited, it would never end).
 */
const quizKey = (s: QuizSnapshot) => {
	const { quiz, index, attempt, order, responses, scores, score, endedBy } = s.context;
	const onResults = typeof s.value === 'object' && 'results' in s.value;
	return JSON.stringify([
		s.value,
		onResults ? null : index,
		quiz.mode === 'assessment' ? attempt : null,
		order.map((id) => [responses[id] ?? null, scores[id] ?? null]),
		score,
		endedBy
	]);
};
const resultOf = (s: QuizSnapshot) =>
	typeof s.value === 'object' && 'results' in s.value ? (s.value.results as string) : undefined;

function walkQuiz(quiz: QuizFile) {
	const input: QuizInput = { quiz, seed: 1, startedAt: T0, ...scope };
	const options = { input, events: quizEvents, serializeState: quizKey };
	return {
		paths: getShortestPaths(quizMachine, options),
		adjacency: getAdjacencyMap(quizMachine as AnyStateMachine, options) as unknown as Record<
			string,
			{ state: QuizSnapshot; transitions: Record<string, { state: unknown }> }
		>
	};
}

/** The results an attempt can reach: passed by all right; failed when all wrong is below the pass mark. */
function expectedResults(quiz: QuizFile, order: string[]): string[] {
	if (quiz.mode === 'formative') return ['passed'];
	const allWrong = meanScore(
		order.map((id) => {
			const q = quiz.questions.find((x) => x.id === id)!;
			return scoreQuestion(q, rightAndWrong(q).wrong, 'fr');
		})
	);
	return allWrong < quiz.passMark - 1e-9 ? ['failed', 'passed'] : ['passed'];
}

describe.each(quizzes)('quiz $name', ({ value: quiz }) => {
	test.each(windows(quiz).map((w, i) => ({ window: i + 1, quiz: w })))(
		'window $window: every result is reachable, none is a trap, scores stay in [0, 1]',
		({ quiz: part }) => {
			const { paths, adjacency } = walkQuiz(part);
			const reached = new Set(
				paths.map((p) => p.state.value).map((value) => JSON.stringify(value))
			);
			expect(reached).toContain(JSON.stringify('review'));

			const results = [
				...new Set(paths.map((p) => resultOf(p.state)).filter((r) => r !== undefined))
			].sort();
			const order = drawQuestions(part, 1).order;
			expect(results).toEqual(expectedResults(part, order));

			for (const p of paths) {
				expect(inUnitInterval(p.state.context.score)).toBe(true);
				for (const s of Object.values(p.state.context.scores)) expect(inUnitInterval(s)).toBe(true);
			}
			// No dead end: from every state reached, some result can still be reached.
			expect(
				trapped(adjacency, quizKey, (k) => resultOf(adjacency[k]!.state) !== undefined)
			).toEqual([]);
		},
		30_000
	);

	test('the whole quiz: all right passes, all wrong scores as the rules say, every draft is a valid event', () => {
		for (const pick of ['right', 'wrong'] as const) {
			let [snapshot, actions] = initialTransition(quizMachine, {
				quiz,
				seed: 5,
				startedAt: T0,
				...scope
			});
			const drafts = draftsOf(actions);
			const send = (event: QuizEvent) => {
				[snapshot, actions] = transition(quizMachine, snapshot, event);
				drafts.push(...draftsOf(actions));
			};
			send({ type: 'START' });
			for (let i = 0; i < snapshot.context.order.length; i++) {
				send({ type: 'ANSWER', response: rightAndWrong(currentQuestion(snapshot.context)!)[pick] });
				if (quiz.mode === 'formative') send({ type: 'SUBMIT' });
				send({ type: 'NEXT', at: T0 + 60_000 });
			}
			if (quiz.mode === 'assessment') send({ type: 'SUBMIT', at: T0 + 60_000 });
			const result = resultOf(snapshot);
			if (pick === 'right') {
				expect(result).toBe('passed');
				expect(snapshot.context.score).toBe(1);
			} else {
				expect(expectedResults(quiz, snapshot.context.order)).toContain(result);
				expect(inUnitInterval(snapshot.context.score)).toBe(true);
			}
			expect(drafts.map((d) => d.verb).filter((verb) => verb === 'quiz.completed')).toHaveLength(1);
			validateDrafts(drafts);
		}
	});
});

// ——— Scenarios ———

type ScenarioSnapshot = SnapshotFrom<ReturnType<typeof createScenarioMachine>>;
/** The node is the state: the path taken to reach it is history, not a different place. */
const nodeKey = (s: ScenarioSnapshot) => JSON.stringify(s.value);

function scenarioEvents(scenario: ScenarioFile): ScenarioEvent[] {
	const ids = new Set(scenario.nodes.flatMap((n) => (n.choices ?? []).map((c) => c.id)));
	return [
		...[...ids].map((choiceId) => ({ type: 'CHOOSE' as const, choiceId })),
		{ type: 'REPLAY' }
	];
}

describe.each(scenarios)('scenario $name', ({ value: scenario }) => {
	const machine = createScenarioMachine(scenario);
	const options = { input: scope, events: scenarioEvents(scenario), serializeState: nodeKey };
	const isEnd = (id: string | undefined) =>
		scenario.nodes.some((n) => n.id === id && n.end !== undefined);

	test('every node and every end is reachable', () => {
		const reached = new Set(
			getShortestPaths(machine, options).map((p) => currentNodeId(p.state.value))
		);
		expect([...reached].sort()).toEqual(scenario.nodes.map((n) => n.id).sort());
		expect(scenario.nodes.filter((n) => n.end).every((n) => reached.has(n.id))).toBe(true);
	});

	test('no node is a dead end: an end can be reached from every node', () => {
		const adjacency = getAdjacencyMap(machine as AnyStateMachine, options) as unknown as Record<
			string,
			{ state: ScenarioSnapshot; transitions: Record<string, { state: unknown }> }
		>;
		expect(
			trapped(adjacency, nodeKey, (k) => isEnd(currentNodeId(adjacency[k]!.state.value)))
		).toEqual([]);
		for (const { state } of Object.values(adjacency))
			if (!isEnd(currentNodeId(state.value))) expect(state.status).toBe('active');
	});

	test('along every simple path, the score stays in [0, 1] and each end emits one valid event', () => {
		const paths = getSimplePaths(machine, options);
		expect(paths.length).toBeGreaterThan(0);
		for (const path of paths) {
			let [snapshot] = initialTransition(machine, scope);
			const drafts: LearningEventDraft[] = [];
			for (const { event } of path.steps) {
				const [next, actions] = transition(machine, snapshot, event);
				snapshot = next;
				drafts.push(...draftsOf(actions));
				expect(inUnitInterval(snapshot.context.score)).toBe(true);
			}
			const ended = isEnd(currentNodeId(snapshot.value));
			const completed = drafts.filter((d) => d.verb === 'scenario.completed');
			if (ended && path.steps.at(-1)?.event.type === 'CHOOSE') {
				expect(completed.at(-1)?.result?.outcome).toBe(snapshot.context.outcome);
				expect(completed.at(-1)?.result?.path).toEqual(snapshot.context.path);
			}
			validateDrafts(drafts);
		}
	});
});
