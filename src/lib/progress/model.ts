import type { ScenarioNode } from '../content/schema';
import type { LearningEvent, LearningEventDraft } from './events';

// The event model's constants, free of valibot: the browser's hot path (progress, recording)
// imports this file; the schemas in events.ts load only where events are validated.

/** What a learner did. New verbs are added at the end; a verb is never renamed. */
export const LEARNING_VERBS = [
	'lesson.opened',
	'lesson.completed',
	'quiz.started',
	'quiz.answered',
	'quiz.completed',
	'scenario.completed'
] as const;
export type LearningVerb = (typeof LEARNING_VERBS)[number];

// Repeated from the content schema so that the browser's progress code does not load it; the
// type below fails to compile when they drift apart.
export const SCENARIO_OUTCOMES = ['success', 'partial', 'failure'] as const;
export type ScenarioOutcome = (typeof SCENARIO_OUTCOMES)[number];
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type AssertTrue<T extends true> = T;
export type OutcomesMatchContent = AssertTrue<
	Same<NonNullable<ScenarioNode['end']>['outcome'], ScenarioOutcome>
>;

/** Bounds that keep one event small: a sync batch holds a few hundred of them. */
export const EVENT_LIMITS = {
	id: 100,
	text: 2000,
	listItems: 200,
	entries: 200,
	/** A day: longer is a clock that jumped, not a learner. */
	durationMs: 24 * 60 * 60 * 1000
} as const;

/** A draft completed by the device: the only place id, learner and time enter an event. */
export function recordEvent(
	draft: LearningEventDraft,
	device: { id: string; learnerId: string; at: string }
): LearningEvent {
	return { ...draft, id: device.id, learnerId: device.learnerId, at: device.at };
}
