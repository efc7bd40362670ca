import { describe, expect, test } from 'vitest';
import { createActor, initialTransition, transition, type SnapshotFrom } from 'xstate';
import * as v from 'valibot';
import { learningEventSchema, recordEvent, type LearningEventDraft } from '../progress';
import { meetingScenario, scenarioOf, scope } from './fixtures';
import {
	createScenarioMachine,
	currentNodeId,
	nodeById,
	type ScenarioEvent
} from './scenario-machine';

const machine = createScenarioMachine(meetingScenario());
type Snapshot = SnapshotFrom<typeof machine>;

const draftsOf = (actions: readonly { type: string; params?: unknown }[]): LearningEventDraft[] =>
	actions
		.filter((a) => a.type === 'xstate.emit')
		.map((a) => (a.params as { event: { event: LearningEventDraft } }).event.event);

function play(events: ScenarioEvent[], from?: Snapshot) {
	let snapshot: Snapshot = from ?? initialTransition(machine, { ...scope, lessonId: 'lecon-2' })[0];
	const drafts: LearningEventDraft[] = [];
	for (const event of events) {
		const [next, actions] = transition(machine, snapshot, event);
		snapshot = next;
		drafts.push(...draftsOf(actions));
	}
	return { snapshot, drafts };
}
const choose = (choiceId: string): ScenarioEvent => ({ type: 'CHOOSE', choiceId });

describe('scenario machine', () => {
	test('starts on the start node with an empty path', () => {
		const { snapshot } = play([]);
		expect(snapshot.value).toEqual({ playing: 'accueil' });
		expect(currentNodeId(snapshot.value)).toBe('accueil');
		expect(snapshot.context).toMatchObject({ path: [], score: null, outcome: null });
	});
	test('a choice leads to its next node and is recorded in the path with its score', () => {
		const { snapshot } = play([choose('ecouter')]);
		expect(currentNodeId(snapshot.value)).toBe('dialogue');
		expect(snapshot.context.path).toEqual(['ecouter']);
		expect(snapshot.context.score).toBe(1);
	});
	test('a choice of another node is ignored', () => {
		const { snapshot } = play([choose('proposer')]);
		expect(currentNodeId(snapshot.value)).toBe('accueil');
		expect(snapshot.context.path).toEqual([]);
	});
	test('the score is the mean of the scored choices taken', () => {
		const { snapshot } = play([choose('ignorer'), choose('apaiser'), choose('imposer')]);
		expect(snapshot.context.path).toEqual(['ignorer', 'apaiser', 'imposer']);
		expect(snapshot.context.score).toBeCloseTo((0 + 0.5 + 0.25) / 3);
	});
	test('an end is a final state of the play, and emits scenario.completed with the path and outcome', () => {
		const { snapshot, drafts } = play([choose('ecouter'), choose('proposer')]);
		expect(snapshot.value).toEqual({ playing: 'accord' });
		expect(nodeById(meetingScenario(), currentNodeId(snapshot.value))?.end?.outcome).toBe(
			'success'
		);
		expect(snapshot.context.outcome).toBe('success');
		expect(drafts).toEqual([
			{
				verb: 'scenario.completed',
				...scope,
				lessonId: 'lecon-2',
				scenarioId: 'scenario-test',
				result: { path: ['ecouter', 'proposer'], score: 1, outcome: 'success', success: true }
			}
		]);
		const event = recordEvent(drafts[0]!, {
			id: 'e1',
			learnerId: 'l1',
			at: '2025-01-31T08:00:00.000Z'
		});
		expect(v.safeParse(learningEventSchema, event).success).toBe(true);
	});
	test('an unscored last choice leaves the score of the others', () => {
		const { snapshot, drafts } = play([choose('ignorer'), choose('partir')]);
		expect(snapshot.context.outcome).toBe('failure');
		expect(snapshot.context.score).toBe(0);
		expect(drafts[0]?.result).toMatchObject({
			outcome: 'failure',
			success: false,
			path: ['ignorer', 'partir']
		});
	});
	test('REPLAY starts over from an end, and from the middle', () => {
		const ended = play([choose('ecouter'), choose('proposer')]).snapshot;
		for (const from of [ended, play([choose('ignorer')]).snapshot]) {
			const { snapshot, drafts } = play([{ type: 'REPLAY' }], from);
			expect(snapshot.value).toEqual({ playing: 'accueil' });
			expect(snapshot.context).toMatchObject({ path: [], score: null, outcome: null });
			expect(drafts).toEqual([]);
		}
		expect(
			play([{ type: 'REPLAY' }, choose('ecouter'), choose('proposer')], ended).drafts
		).toHaveLength(1);
	});
	test('choices after an end are ignored', () => {
		const ended = play([choose('ecouter'), choose('proposer')]).snapshot;
		expect(play([choose('ecouter')], ended).snapshot.value).toEqual({ playing: 'accord' });
	});
	test('a scenario with no scored choice keeps a null score', () => {
		const unscored = createScenarioMachine(
			scenarioOf({ a: { choices: [['go', 'b']] }, b: { end: 'partial' } })
		);
		const [s0] = initialTransition(unscored, scope);
		const [s1, actions] = transition(unscored, s0, choose('go'));
		expect(s1.context.score).toBeNull();
		expect(draftsOf(actions)[0]?.result).toEqual({
			path: ['go'],
			outcome: 'partial',
			success: false
		});
	});
	test('a snapshot saved as JSON resumes the scenario where it was', () => {
		const actor = createActor(machine, { input: scope }).start();
		actor.send(choose('ignorer'));
		const saved = JSON.parse(JSON.stringify(actor.getPersistedSnapshot()));
		const restored = createActor(machine, { snapshot: saved, input: scope }).start();
		const drafts: LearningEventDraft[] = [];
		restored.on('learning', (e) => drafts.push(e.event));
		restored.send(choose('apaiser'));
		restored.send(choose('proposer'));
		expect(restored.getSnapshot().value).toEqual({ playing: 'accord' });
		expect(drafts[0]?.result?.path).toEqual(['ignorer', 'apaiser', 'proposer']);
		actor.stop();
		restored.stop();
	});
});
