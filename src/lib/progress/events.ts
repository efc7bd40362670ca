import * as v from 'valibot';

import { EVENT_LIMITS, LEARNING_VERBS, SCENARIO_OUTCOMES, type LearningVerb } from './model';

export { EVENT_LIMITS, LEARNING_VERBS, SCENARIO_OUTCOMES, recordEvent } from './model';
export type { LearningVerb, ScenarioOutcome, OutcomesMatchContent } from './model';

const id = (what: string) =>
	v.pipe(
		v.string(`${what} (un texte)`),
		v.minLength(1, `${what} non vide`),
		v.maxLength(EVENT_LIMITS.id, `${what} d'au plus ${EVENT_LIMITS.id} caractères`)
	);
const shortText = v.pipe(
	v.string('un texte'),
	v.maxLength(EVENT_LIMITS.text, `un texte d'au plus ${EVENT_LIMITS.text} caractères`)
);

/**
 * A learner's answer as the quiz engine records it (see `Response` in $lib/quiz/scoring):
 * a choice id or a typed text, true/false, a list of ids, or a map of ids.
 */
export const responseSchema = v.union(
	[
		shortText,
		v.boolean(),
		v.pipe(
			v.array(shortText),
			v.maxLength(EVENT_LIMITS.listItems, `au plus ${EVENT_LIMITS.listItems} éléments`)
		),
		v.pipe(
			v.record(id('un identifiant'), shortText),
			v.maxEntries(EVENT_LIMITS.entries, `au plus ${EVENT_LIMITS.entries} associations`)
		)
	],
	'une réponse : un texte, true/false, une liste ou des associations'
);

export const learningResultSchema = v.strictObject(
	{
		score: v.optional(
			v.pipe(
				v.number('un score (un nombre entre 0 et 1)'),
				v.minValue(0, 'un score entre 0 et 1'),
				v.maxValue(1, 'un score entre 0 et 1')
			)
		),
		success: v.optional(v.boolean('true ou false')),
		response: v.optional(responseSchema),
		durationMs: v.optional(
			v.pipe(
				v.number('une durée en millisecondes'),
				v.integer('une durée en millisecondes entières'),
				v.minValue(0, 'une durée positive'),
				v.maxValue(EVENT_LIMITS.durationMs, "une durée d'au plus 24 heures")
			)
		),
		/** The choice ids a scenario took, in order. */
		path: v.optional(
			v.pipe(
				v.array(id('un identifiant de choix')),
				v.maxLength(EVENT_LIMITS.listItems, `au plus ${EVENT_LIMITS.listItems} choix`)
			)
		),
		outcome: v.optional(
			v.picklist(SCENARIO_OUTCOMES, `l'une des issues : ${SCENARIO_OUTCOMES.join(', ')}`)
		)
	},
	'un résultat { score, success, response, durationMs, path, outcome }'
);
export type LearningResult = v.InferOutput<typeof learningResultSchema>;

/** Which target id each verb needs: a quiz event without its quiz cannot be folded. */
const NEEDS: Record<
	LearningVerb,
	readonly ('lessonId' | 'quizId' | 'questionId' | 'scenarioId')[]
> = {
	'lesson.opened': ['lessonId'],
	'lesson.completed': ['lessonId'],
	'quiz.started': ['quizId'],
	'quiz.answered': ['quizId', 'questionId'],
	'quiz.completed': ['quizId'],
	'scenario.completed': ['scenarioId']
};

/**
 * One immutable learning event, xAPI in spirit. Unknown fields are refused rather than dropped:
 * a rejected event stays visible on the device, a silently trimmed one would lose data.
 */
export const learningEventSchema = v.pipe(
	v.strictObject(
		{
			/** Made on the device (a UUID): the idempotency key end to end. */
			id: id("l'identifiant de l'événement"),
			learnerId: id("l'identifiant de l'apprenant"),
			/** ISO time on the device, e.g. `new Date().toISOString()`. */
			at: v.pipe(
				v.string('une date ISO (texte)'),
				v.isoTimestamp('une date ISO, ex. : 2025-01-31T08:00:00.000Z')
			),
			verb: v.picklist(LEARNING_VERBS, `l'un des verbes : ${LEARNING_VERBS.join(', ')}`),
			courseId: id("l'identifiant du cours"),
			courseVersion: id('la version du cours'),
			lessonId: v.optional(id("l'identifiant de la leçon")),
			quizId: v.optional(id("l'identifiant du quiz")),
			questionId: v.optional(id("l'identifiant de la question")),
			scenarioId: v.optional(id("l'identifiant du scénario")),
			result: v.optional(learningResultSchema)
		},
		'un événement { id, learnerId, at, verb, courseId, courseVersion, … }'
	),
	v.check(
		(event) => NEEDS[event.verb].every((key) => event[key] !== undefined),
		(issue) => {
			const verb = (issue.input as { verb: LearningVerb }).verb;
			return `un événement « ${verb} » a besoin de : ${NEEDS[verb].join(', ')}`;
		}
	)
);
export type LearningEvent = v.InferOutput<typeof learningEventSchema>;

/** What the engine emits: the browser adds `id`, `learnerId` and `at` when it records it. */
export type LearningEventDraft = Omit<LearningEvent, 'id' | 'learnerId' | 'at'>;

/** Where an engine's drafts belong: the course (and lesson, for a check inside a lesson). */
export interface EventScope {
	courseId: string;
	courseVersion: string;
	lessonId?: string;
}

/** The event if `value` is a valid one, else undefined (for reading rows that may be corrupt). */
export function parseEvent(value: unknown): LearningEvent | undefined {
	const parsed = v.safeParse(learningEventSchema, value);
	return parsed.success ? parsed.output : undefined;
}
