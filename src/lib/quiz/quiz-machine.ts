import { and, assign, emit, enqueueActions, not, or, setup } from 'xstate';
import type { Locale } from '../content/localize';
import type { Localized, Question, QuizFile } from '../content/schema';
import type { EventScope, LearningEventDraft } from '../progress/events';
import {
	correctResponse,
	isAnswered as responseGiven,
	isFullMarks,
	meanScore,
	scoreQuestion,
	type Response
} from './scoring';
import { drawQuestions } from './shuffle';

/**
 * What a quiz actor starts from. `courseId`, `courseVersion` (and `lessonId` for a check inside a
 * lesson) are copied into every event draft the machine emits, so a draft only lacks what the
 * device adds: `id`, `learnerId`, `at`. No clock and no randomness inside: the caller gives the
 * seed (kept in the attempt, so a resumed attempt draws the same questions) and the times.
 */
export interface QuizInput extends EventScope {
	quiz: QuizFile;
	seed: number;
	/** When the attempt starts, in ms since the epoch; START may move it to when START is sent. */
	startedAt: number;
	/** Attempts of this assessment already made by the learner (from their progress). */
	attemptsUsed?: number;
	/** The language short texts are checked in (accepted answers of that language, else French). */
	locale?: Locale;
}

export interface QuizContext {
	quiz: QuizFile;
	scope: EventScope;
	locale: Locale;
	seed: number;
	/** The attempt being taken, from 1. */
	attempt: number;
	/** Question ids of this attempt, in the order asked. */
	order: string[];
	/** Per question id: its options in the order shown (see `optionOrder` in shuffle.ts). */
	choiceOrder: Record<string, string[]>;
	/** Position in `order` of the question shown (while answering, and in review). */
	index: number;
	responses: Record<string, Response>;
	/** Scores of the scored questions: formative when submitted, assessment at the end. */
	scores: Record<string, number>;
	/** Hints revealed, per question id. */
	hintsUsed: Record<string, number>;
	startedAt: number;
	/** startedAt + timeLimit for a timed assessment, else null (ms since the epoch). */
	deadline: number | null;
	/** When the attempt ended, when known (the `at` of the ending event, or the deadline). */
	finishedAt: number | null;
	endedBy: 'submit' | 'timeout' | null;
	/** Mean of the question scores, once the attempt has ended. */
	score: number | null;
}

/** Times are ms since the epoch (`Date.now()`), given by the caller; all optional. */
export type QuizEvent =
	| { type: 'START'; startedAt?: number }
	| { type: 'ANSWER'; response: Response; at?: number }
	| { type: 'SUBMIT'; at?: number }
	| { type: 'HINT' }
	| { type: 'NEXT'; at?: number }
	| { type: 'PREVIOUS' }
	| { type: 'RETRY'; seed: number; startedAt: number }
	| { type: 'TIMEOUT'; at?: number };

export type QuizEmitted = { type: 'learning'; event: LearningEventDraft };

// ——— Reading a context (also what the UI uses to render a snapshot) ———

export function questionById(quiz: QuizFile, id: string | undefined): Question | undefined {
	return quiz.questions.find((q) => q.id === id);
}
export function currentQuestionId(context: QuizContext): string | undefined {
	return context.order[context.index];
}
/** The question shown, with `shownOptions` giving its choices in their shuffled order. */
export function currentQuestion(context: QuizContext): Question | undefined {
	return questionById(context.quiz, currentQuestionId(context));
}
export function shownOptions(context: QuizContext, questionId: string): string[] {
	return context.choiceOrder[questionId] ?? [];
}
/** The hints revealed so far for a question. */
export function revealedHints(context: QuizContext, questionId: string): Localized[] {
	const hints = questionById(context.quiz, questionId)?.hints ?? [];
	return hints.slice(0, context.hintsUsed[questionId] ?? 0);
}
/** Time left before a timed attempt ends, never below 0; null without a time limit. */
export function remainingMs(context: QuizContext, now: number): number | null {
	return context.deadline === null ? null : Math.max(0, context.deadline - now);
}

export interface ReviewItem {
	question: Question;
	response: Response | undefined;
	score: number;
	correct: Response;
	hintsUsed: number;
}
/** Every question of the attempt with the learner's response, its score and the right answer. */
export function reviewOf(context: QuizContext): ReviewItem[] {
	return context.order.flatMap((id) => {
		const question = questionById(context.quiz, id);
		if (!question) return [];
		return [
			{
				question,
				response: context.responses[id],
				score: context.scores[id] ?? 0,
				correct: correctResponse(question, context.locale),
				hintsUsed: context.hintsUsed[id] ?? 0
			}
		];
	});
}

// ——— Pieces of the machine ———

function scopeOf(input: EventScope): EventScope {
	const { courseId, courseVersion, lessonId } = input;
	return lessonId === undefined
		? { courseId, courseVersion }
		: { courseId, courseVersion, lessonId };
}

function deadlineOf(quiz: QuizFile, startedAt: number): number | null {
	return quiz.mode === 'assessment' && quiz.timeLimit !== undefined
		? startedAt + quiz.timeLimit * 1000
		: null;
}

/** A fresh attempt: the draw of `seed`, nothing answered. */
function freshAttempt(quiz: QuizFile, seed: number, startedAt: number) {
	return {
		...drawQuestions(quiz, seed),
		seed,
		startedAt,
		deadline: deadlineOf(quiz, startedAt),
		index: 0,
		responses: {},
		scores: {},
		hintsUsed: {},
		finishedAt: null,
		endedBy: null,
		score: null
	} satisfies Partial<QuizContext>;
}

const eventTime = (event: QuizEvent): number | undefined => ('at' in event ? event.at : undefined);
const isLate = (context: QuizContext, event: QuizEvent) => {
	const at = eventTime(event);
	return context.deadline !== null && at !== undefined && at > context.deadline;
};

// The tolerance keeps 7 right out of 10 at a 0.7 pass mark despite floating-point sums.
const reachesPassMark = (context: QuizContext) =>
	context.quiz.mode === 'assessment' &&
	context.score !== null &&
	context.score >= context.quiz.passMark - 1e-9;

function draft(
	context: QuizContext,
	verb: LearningEventDraft['verb'],
	rest: Partial<LearningEventDraft> = {}
): LearningEventDraft {
	return { verb, ...context.scope, quizId: context.quiz.id, ...rest };
}

function answeredDraft(context: QuizContext, questionId: string): LearningEventDraft {
	const score = context.scores[questionId] ?? 0;
	const response = context.responses[questionId];
	return draft(context, 'quiz.answered', {
		questionId,
		result: { score, success: isFullMarks(score), ...(response === undefined ? {} : { response }) }
	});
}

export const quizMachine = setup({
	types: {
		input: {} as QuizInput,
		context: {} as QuizContext,
		events: {} as QuizEvent,
		emitted: {} as QuizEmitted
	},
	guards: {
		isFormative: ({ context }) => context.quiz.mode === 'formative',
		isAnswered: ({ context }) => {
			const question = currentQuestion(context);
			return question !== undefined && responseGiven(question, context.responses[question.id]);
		},
		hasNextQuestion: ({ context }) => context.index < context.order.length - 1,
		hasPreviousQuestion: ({ context }) => context.index > 0,
		hasHintsLeft: ({ context }) => {
			const question = currentQuestion(context);
			return (
				question !== undefined &&
				(context.hintsUsed[question.id] ?? 0) < (question.hints?.length ?? 0)
			);
		},
		/** Another attempt may follow this one: always for a formative check. */
		hasAttemptsLeft: ({ context }) =>
			context.quiz.mode === 'formative' || context.attempt < context.quiz.maxAttempts,
		/** The attempt about to start is within the allowed attempts (input `attemptsUsed`). */
		isAttemptAllowed: ({ context }) =>
			context.quiz.mode === 'formative' || context.attempt <= context.quiz.maxAttempts,
		isPassing: ({ context }) => reachesPassMark(context),
		hasTimeLimit: ({ context }) => context.deadline !== null,
		/** The event carries a time after the deadline: the attempt is over, whatever it says. */
		isPastDeadline: ({ context, event }) => isLate(context, event)
	},
	actions: {
		startAttempt: assign(({ context, event }) => {
			const startedAt =
				event.type === 'START' && event.startedAt !== undefined
					? event.startedAt
					: context.startedAt;
			return { startedAt, deadline: deadlineOf(context.quiz, startedAt) };
		}),
		newAttempt: assign(({ context, event }) => {
			if (event.type !== 'RETRY') return {};
			return {
				...freshAttempt(context.quiz, event.seed >>> 0, event.startedAt),
				attempt: context.attempt + 1
			};
		}),
		recordResponse: assign({
			responses: ({ context, event }) => {
				const id = currentQuestionId(context);
				if (event.type !== 'ANSWER' || id === undefined) return context.responses;
				return { ...context.responses, [id]: event.response };
			}
		}),
		revealHint: assign({
			hintsUsed: ({ context }) => {
				const id = currentQuestionId(context);
				if (id === undefined) return context.hintsUsed;
				return { ...context.hintsUsed, [id]: (context.hintsUsed[id] ?? 0) + 1 };
			}
		}),
		goNext: assign({
			index: ({ context }) => Math.min(context.index + 1, context.order.length - 1)
		}),
		goPrevious: assign({ index: ({ context }) => Math.max(context.index - 1, 0) }),
		goFirst: assign({ index: 0 }),
		scoreCurrent: assign({
			scores: ({ context }) => {
				const question = currentQuestion(context);
				if (!question) return context.scores;
				const score = scoreQuestion(question, context.responses[question.id], context.locale);
				return { ...context.scores, [question.id]: score };
			}
		}),
		/** A formative retry of one question: its previous try no longer counts. */
		clearCurrent: assign(({ context }) => {
			const id = currentQuestionId(context);
			if (id === undefined) return {};
			const responses = { ...context.responses };
			const scores = { ...context.scores };
			delete responses[id];
			delete scores[id];
			return { responses, scores };
		}),
		/** Scores every question asked (unanswered = 0) and records how and when the attempt ended. */
		finishAttempt: assign(({ context, event }) => {
			const scores = { ...context.scores };
			if (context.quiz.mode === 'assessment')
				for (const id of context.order) {
					const question = questionById(context.quiz, id);
					scores[id] = question
						? scoreQuestion(question, context.responses[id], context.locale)
						: 0;
				}
			const { deadline } = context;
			const at = eventTime(event);
			// Time is up at the deadline, however late the event that says so arrives.
			const timedOut = deadline !== null && (event.type === 'TIMEOUT' || isLate(context, event));
			return {
				scores,
				score: meanScore(context.order.map((id) => scores[id] ?? 0)),
				endedBy: timedOut ? ('timeout' as const) : ('submit' as const),
				finishedAt: timedOut ? Math.min(at ?? deadline, deadline) : (at ?? null)
			};
		}),
		emitStarted: emit(({ context }) => ({
			type: 'learning' as const,
			event: draft(context, 'quiz.started')
		})),
		emitAnswered: emit(({ context }) => ({
			type: 'learning' as const,
			event: answeredDraft(context, currentQuestionId(context) ?? '')
		})),
		/** Assessment: one `quiz.answered` per question now that they are scored; then `quiz.completed`. */
		emitAttemptEnd: enqueueActions(({ context, enqueue }) => {
			if (context.quiz.mode === 'assessment')
				for (const id of context.order)
					enqueue.emit({ type: 'learning', event: answeredDraft(context, id) });
			// A formative check is not graded: finishing it is its success.
			const success = context.quiz.mode === 'formative' || reachesPassMark(context);
			const durationMs =
				context.finishedAt === null
					? undefined
					: Math.max(0, Math.round(context.finishedAt - context.startedAt));
			enqueue.emit({
				type: 'learning',
				event: draft(context, 'quiz.completed', {
					result: {
						score: context.score ?? 0,
						success,
						...(durationMs === undefined ? {} : { durationMs })
					}
				})
			});
		})
	}
}).createMachine({
	id: 'quiz',
	context: ({ input }) => ({
		...freshAttempt(input.quiz, input.seed >>> 0, input.startedAt),
		quiz: input.quiz,
		scope: scopeOf(input),
		locale: input.locale ?? 'fr',
		attempt: (input.attemptsUsed ?? 0) + 1
	}),
	initial: 'ready',
	states: {
		ready: {
			on: {
				START: {
					guard: 'isAttemptAllowed',
					target: 'question',
					actions: ['startAttempt', 'emitStarted']
				}
			}
		},
		question: {
			initial: 'answering',
			on: {
				TIMEOUT: {
					guard: 'hasTimeLimit',
					target: 'results',
					actions: ['finishAttempt', 'emitAttemptEnd']
				}
			},
			states: {
				answering: {
					on: {
						ANSWER: [
							{
								guard: 'isPastDeadline',
								target: '#quiz.results',
								actions: ['finishAttempt', 'emitAttemptEnd']
							},
							{ actions: 'recordResponse' }
						],
						HINT: { guard: 'hasHintsLeft', actions: 'revealHint' },
						SUBMIT: [
							{
								guard: and(['isFormative', 'isAnswered']),
								target: 'feedback',
								actions: ['scoreCurrent', 'emitAnswered']
							},
							{
								guard: not('isFormative'),
								target: '#quiz.results',
								actions: ['finishAttempt', 'emitAttemptEnd']
							}
						],
						NEXT: { guard: and([not('isFormative'), 'hasNextQuestion']), actions: 'goNext' },
						PREVIOUS: {
							guard: and([not('isFormative'), 'hasPreviousQuestion']),
							actions: 'goPrevious'
						}
					}
				},
				// Formative only: the question's score and feedback are shown.
				feedback: {
					on: {
						RETRY: { target: 'answering', actions: 'clearCurrent' },
						NEXT: [
							{ guard: 'hasNextQuestion', target: 'answering', actions: 'goNext' },
							{ target: '#quiz.results', actions: ['finishAttempt', 'emitAttemptEnd'] }
						]
					}
				}
			}
		},
		results: {
			initial: 'grading',
			states: {
				// Transient: never seen in a snapshot.
				grading: {
					always: [
						{ guard: or(['isFormative', 'isPassing']), target: 'passed' },
						{ target: 'failed' }
					]
				},
				passed: {},
				failed: {}
			},
			on: {
				NEXT: { target: 'review', actions: 'goFirst' },
				RETRY: {
					guard: 'hasAttemptsLeft',
					target: 'question',
					actions: ['newAttempt', 'emitStarted']
				}
			}
		},
		review: {
			on: {
				NEXT: [{ guard: 'hasNextQuestion', actions: 'goNext' }, { target: 'results' }],
				PREVIOUS: { guard: 'hasPreviousQuestion', actions: 'goPrevious' },
				RETRY: {
					guard: 'hasAttemptsLeft',
					target: 'question',
					actions: ['newAttempt', 'emitStarted']
				}
			}
		}
	}
});

export type QuizMachine = typeof quizMachine;
