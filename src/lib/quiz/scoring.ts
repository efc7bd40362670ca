import type { Locale } from '../content/localize';
import type { Question, QuestionType } from '../content/schema';
import { isAnswered, normalizeText, unique } from './answered';

export { isAnswered, normalizeText, submitted } from './answered';

/**
 * What a learner gives, per question type:
 * - `single`, `decision`: the chosen choice id;
 * - `multiple`: the ticked choice ids;
 * - `true-false`: the boolean chosen;
 * - `ordering`: every item id, in the learner's order;
 * - `matching`: pair id (left side) → id of the right-hand option picked, where a right-hand
 *   option is named by the id of the pair it belongs to, or by a distractor's id;
 * - `short-text`: the text typed.
 */
export interface ResponseByType {
	single: string;
	multiple: string[];
	'true-false': boolean;
	ordering: string[];
	matching: Record<string, string>;
	'short-text': string;
	decision: string;
}
export type ResponseOf<T extends QuestionType> = ResponseByType[T];
/** Any question's response. Also exported as `QuestionResponse`, to avoid the DOM's `Response`. */
export type Response = ResponseByType[QuestionType];
export type QuestionResponse = Response;

/** The accepted answers in the learner's language, or the French ones when it has none. */
function acceptedAnswers(
	question: Extract<Question, { type: 'short-text' }>,
	locale: Locale
): string[] {
	const list = (locale === 'en' ? question.accept.en : undefined) ?? question.accept.fr;
	return list.map(normalizeText);
}

/**
 * The share of the question earned, in [0, 1]. No response (or one of the wrong shape) earns 0.
 * Hints used do not lower the score: a formative check is for learning, and an assessment
 * author who wants no help simply writes no hints.
 */
export function scoreQuestion(
	question: Question,
	response: Response | undefined,
	locale: Locale
): number {
	if (!isAnswered(question, response)) return 0;
	switch (question.type) {
		case 'single':
			return question.choices.some((c) => c.id === response && c.correct === true) ? 1 : 0;
		case 'decision':
			return question.choices.find((c) => c.id === response)?.score ?? 0;
		case 'true-false':
			return response === question.answer ? 1 : 0;
		case 'multiple': {
			// score = max(0, right ticked / right choices − wrong ticked / wrong choices): each share
			// of the wrong choices ticked takes away the same share of the marks, so ticking
			// everything always earns 0 (when there is a wrong choice at all). An id ticked twice
			// counts once; an id that is no choice counts for nothing.
			const ticked = new Set(unique(response as string[]));
			const correct = question.choices.filter((c) => c.correct === true);
			const wrong = question.choices.filter((c) => c.correct !== true);
			if (correct.length === 0) return 0;
			const right = correct.filter((c) => ticked.has(c.id)).length;
			const mistaken = wrong.filter((c) => ticked.has(c.id)).length;
			const penalty = wrong.length === 0 ? 0 : mistaken / wrong.length;
			return Math.max(0, right / correct.length - penalty);
		}
		case 'ordering': {
			// The share of items in their right position; all-or-nothing gives 1 only when all are.
			const order = response as unknown[];
			const placed = question.items.filter((item, i) => order[i] === item.id).length;
			const share = placed / question.items.length;
			return question.scoring === 'all-or-nothing' ? (share === 1 ? 1 : 0) : share;
		}
		case 'matching': {
			// The share of pairs whose left side was matched with its own right side.
			const given = response as Record<string, unknown>;
			const matched = question.pairs.filter((p) => given[p.id] === p.id).length;
			return matched / question.pairs.length;
		}
		case 'short-text': {
			const typed = normalizeText(response as string);
			return acceptedAnswers(question, locale).includes(typed) ? 1 : 0;
		}
	}
}

/** The response that earns full marks, for the review screen. */
export function correctResponse(question: Question, locale: Locale = 'fr'): Response {
	switch (question.type) {
		case 'single':
			return question.choices.find((c) => c.correct === true)?.id ?? '';
		case 'decision':
			return [...question.choices].sort((a, b) => b.score - a.score)[0]?.id ?? '';
		case 'multiple':
			return question.choices.filter((c) => c.correct === true).map((c) => c.id);
		case 'true-false':
			return question.answer;
		case 'ordering':
			return question.items.map((item) => item.id);
		case 'matching':
			return Object.fromEntries(question.pairs.map((p) => [p.id, p.id]));
		case 'short-text':
			return ((locale === 'en' ? question.accept.en : undefined) ?? question.accept.fr)[0] ?? '';
	}
}

/** A score counted as full marks, with room for floating-point sums. */
export const isFullMarks = (score: number) => score >= 1 - 1e-9;

/** The mean of some scores, 0 for none, clamped to [0, 1]. */
export function meanScore(scores: readonly number[]): number {
	if (scores.length === 0) return 0;
	const mean = scores.reduce((sum, s) => sum + s, 0) / scores.length;
	return Math.min(1, Math.max(0, mean));
}
