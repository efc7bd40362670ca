import { assign, emit, setup } from 'xstate';
import type { ScenarioFile, ScenarioNode } from '../content/schema';
import type { EventScope, LearningEventDraft, ScenarioOutcome } from '../progress/events';
import { meanScore } from './scoring';

/** Where the scenario is played: copied into the `scenario.completed` draft. */
export type ScenarioInput = EventScope;

export interface ScenarioContext {
	scenarioId: string;
	scope: EventScope;
	/** The choice ids taken, in order (a choice id is unique within its node). */
	path: string[];
	/** The scores of the chosen choices that carry one. */
	choiceScores: number[];
	/** Mean of `choiceScores`, in [0, 1]; null while no scored choice has been made. */
	score: number | null;
	/** Set when an end is reached. */
	outcome: ScenarioOutcome | null;
}

/** One event type for every choice: a node's transitions tell them apart by `choiceId`. */
export type ScenarioEvent = { type: 'CHOOSE'; choiceId: string } | { type: 'REPLAY' };
export type ScenarioEmitted = { type: 'learning'; event: LearningEventDraft };

const emptyRun = () =>
	({ path: [], choiceScores: [], score: null, outcome: null }) satisfies Partial<ScenarioContext>;

/** The node the snapshot is on: its state value is `{ playing: nodeId }`. */
export function currentNodeId(value: unknown): string | undefined {
	if (typeof value === 'object' && value !== null && 'playing' in value) {
		const id = (value as { playing: unknown }).playing;
		return typeof id === 'string' ? id : undefined;
	}
	return undefined;
}
export function nodeById(scenario: ScenarioFile, id: string | undefined): ScenarioNode | undefined {
	return scenario.nodes.find((n) => n.id === id);
}

/**
 * A branching scenario as a machine: `playing` holds one state per node; a choice is
 * `CHOOSE { choiceId }` and leads to its `next` node; an end node is a final state of `playing`
 * (so the machine stays there, and `REPLAY` starts over from any node, ends included). Reaching
 * an end emits a `scenario.completed` draft with the path, the score and the outcome.
 */
export function createScenarioMachine(scenario: ScenarioFile) {
	const base = setup({
		types: {
			input: {} as ScenarioInput,
			context: {} as ScenarioContext,
			events: {} as ScenarioEvent,
			emitted: {} as ScenarioEmitted
		},
		guards: {
			isChoice: ({ event }, params: { choiceId: string }) =>
				event.type === 'CHOOSE' && event.choiceId === params.choiceId
		},
		actions: {
			recordChoice: assign(({ context }, params: { choiceId: string; score: number | null }) => {
				const choiceScores =
					params.score === null ? context.choiceScores : [...context.choiceScores, params.score];
				return {
					path: [...context.path, params.choiceId],
					choiceScores,
					score: choiceScores.length === 0 ? null : meanScore(choiceScores)
				};
			}),
			reachEnd: assign((_, params: { outcome: ScenarioOutcome }) => ({ outcome: params.outcome })),
			emitCompleted: emit(({ context }) => ({
				type: 'learning' as const,
				event: {
					verb: 'scenario.completed' as const,
					...context.scope,
					scenarioId: context.scenarioId,
					result: {
						path: context.path,
						...(context.score === null ? {} : { score: context.score }),
						// success: the scenario ended on an outcome marked `success` by its author.
						...(context.outcome === null
							? {}
							: { outcome: context.outcome, success: context.outcome === 'success' })
					}
				}
			})),
			restart: assign(() => emptyRun())
		}
	});

	type StatesConfig = NonNullable<Parameters<typeof base.createMachine>[0]['states']>;
	const nodeStates: StatesConfig = {};
	for (const node of scenario.nodes) {
		nodeStates[node.id] = node.end
			? {
					type: 'final',
					entry: [
						{ type: 'reachEnd', params: { outcome: node.end.outcome } },
						{ type: 'emitCompleted' }
					]
				}
			: {
					on: {
						CHOOSE: (node.choices ?? []).map((choice) => ({
							guard: { type: 'isChoice', params: { choiceId: choice.id } },
							target: choice.next,
							actions: {
								type: 'recordChoice',
								params: { choiceId: choice.id, score: choice.score ?? null }
							}
						}))
					}
				};
	}

	return base.createMachine({
		id: 'scenario',
		context: ({ input }) => ({
			scenarioId: scenario.id,
			scope:
				input.lessonId === undefined
					? { courseId: input.courseId, courseVersion: input.courseVersion }
					: {
							courseId: input.courseId,
							courseVersion: input.courseVersion,
							lessonId: input.lessonId
						},
			...emptyRun()
		}),
		initial: 'playing',
		states: {
			playing: {
				initial: scenario.start,
				on: { REPLAY: { target: `.${scenario.start}`, reenter: true, actions: 'restart' } },
				states: nodeStates
			}
		}
	});
}

export type ScenarioMachine = ReturnType<typeof createScenarioMachine>;
