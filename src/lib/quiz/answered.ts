import type { Question } from '../content/schema';
import type { Response } from './scoring';

// Whether a response counts as given: what a check's first question, shown by the lesson page
// before the quiz engine loads, needs of the quiz rules (the page loads this, not the engine).

export const unique = (ids: readonly unknown[]) => [
	...new Set(ids.filter((x): x is string => typeof x === 'string'))
];
export const isRecord = (x: unknown): x is Record<string, unknown> =>
	typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * Text as compared for short answers: accents, case, punctuation and extra spaces do not count.
 * Apostrophes, dashes and slashes separate words (« l’agent » reads « l agent », « sous-préfet »
 * reads « sous prefet »); other punctuation goes (« C.C.S. » reads « ccs »).
 */
export function normalizeText(text: string): string {
	return text
		.normalize('NFD')
		.replace(/\p{M}/gu, '')
		.toLowerCase()
		.replace(/œ/g, 'oe')
		.replace(/æ/g, 'ae')
		.replace(/[\p{Pd}\p{Pc}'‘’ʼ/\\]/gu, ' ')
		.replace(/\p{P}/gu, '')
		.replace(/\s+/gu, ' ')
		.trim();
}

/** Whether the learner gave something for this question (what a formative SUBMIT requires). */
export function isAnswered(question: Question, response: Response | undefined): boolean {
	if (response === undefined) return false;
	switch (question.type) {
		case 'single':
		case 'decision':
			return typeof response === 'string' && response !== '';
		case 'short-text':
			return typeof response === 'string' && normalizeText(response) !== '';
		case 'true-false':
			return typeof response === 'boolean';
		case 'multiple':
		case 'ordering':
			return Array.isArray(response) && unique(response).length > 0;
		case 'matching':
			return (
				isRecord(response) && Object.values(response).some((v) => typeof v === 'string' && v !== '')
			);
	}
}

/**
 * What « Valider » submits: the learner's response; for an ordering question the learner left as
 * shown, the order shown (an order is always an answer).
 */
export function submitted(
	question: Question,
	response: Response | undefined,
	shown: string[]
): Response | undefined {
	return question.type === 'ordering' && response === undefined ? shown : response;
}
