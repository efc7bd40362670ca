import type { Question } from '../content/schema';

// Item analysis of one graded assessment over a cohort: for each question, how many learners
// answered it, the share who got it fully right, a discrimination index, and the wrong answer
// that attracts the most learners. Pure; the server feeds it the aggregate rows.
//
// Each learner counts once per question, with their latest answer (question_stats keeps it).
// Discrimination is the upper–lower index (Kelley's 27 % groups): among the learners who answered
// the question, ranked by their latest score on the whole assessment, the mean score on the
// question of the top 27 % minus that of the bottom 27 % (each group at least one learner). It
// runs from −1 to 1: near 0 or below, the question does not separate those who master the module
// from the others (ambiguous wording, or a wrong key).

/** Fewer responses than this and the figures are provisional. */
export const PROVISIONAL_BELOW = 10;
export const GROUP_SHARE = 0.27;

export interface ItemResponse {
	learnerId: string;
	questionId: string;
	/** Score of the latest answer, 0–1. */
	score: number | null;
	/** The latest answer as the quiz engine recorded it (JSON-decoded), if any. */
	response: unknown;
}

export interface Distractor {
	/** The choice id, `true`/`false`, or the typed text (short answers). */
	key: string;
	/** What the learners saw (French), or what they typed. */
	text: string;
	/** Learners whose latest answer chose it. */
	count: number;
	/** count / responses. */
	share: number;
}

export interface ItemFigures {
	questionId: string;
	type: Question['type'];
	prompt: string;
	responses: number;
	/** Share of responses with a full score, 0–1; null without responses. */
	shareCorrect: number | null;
	/** Mean score of the responses, 0–1. */
	meanScore: number | null;
	/** Upper–lower index, −1 to 1; null with fewer than two responses. */
	discrimination: number | null;
	topDistractor: Distractor | null;
	provisional: boolean;
}

const round = (x: number) => Math.round(x * 1000) / 1000;
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** The upper–lower index of a question from (total, score) pairs of the learners who answered. */
export function discriminationIndex(
	pairs: readonly { total: number; score: number }[]
): number | null {
	if (pairs.length < 2) return null;
	const ranked = [...pairs].sort((a, b) => b.total - a.total);
	const size = Math.max(1, Math.round(ranked.length * GROUP_SHARE));
	const upper = ranked.slice(0, size).map((p) => p.score);
	const lower = ranked.slice(-size).map((p) => p.score);
	return round(mean(upper) - mean(lower));
}

const normalize = (text: string) => text.trim().replace(/\s+/g, ' ').toLowerCase();

/** The wrong keys one response picked (choice ids, a boolean, a typed text). */
function wrongKeys(question: Question, response: unknown, score: number | null): string[] {
	switch (question.type) {
		case 'single':
			return typeof response === 'string' &&
				question.choices.some((c) => c.id === response && c.correct !== true)
				? [response]
				: [];
		case 'decision':
			return typeof response === 'string' &&
				question.choices.some((c) => c.id === response && c.score < 1)
				? [response]
				: [];
		case 'multiple':
			return Array.isArray(response)
				? [...new Set(response)].filter(
						(id): id is string =>
							typeof id === 'string' &&
							question.choices.some((c) => c.id === id && c.correct !== true)
					)
				: [];
		case 'true-false':
			return typeof response === 'boolean' && response !== question.answer
				? [String(response)]
				: [];
		case 'short-text':
			return typeof response === 'string' && (score ?? 0) < 1 && response.trim() !== ''
				? [normalize(response)]
				: [];
		default:
			// Orderings and matchings have no single wrong answer to name.
			return [];
	}
}

function keyText(question: Question, key: string): string {
	if (question.type === 'true-false') return key === 'true' ? 'Vrai' : 'Faux';
	if ('choices' in question) return question.choices.find((c) => c.id === key)?.text.fr ?? key;
	return key;
}

/** Figures of every question of the assessment, in the assessment's order. */
export function itemAnalysis(
	questions: readonly Question[],
	responses: readonly ItemResponse[],
	/** Each learner's latest score on the whole assessment (0–1). */
	totals: ReadonlyMap<string, number>
): ItemFigures[] {
	const byQuestion = new Map<string, ItemResponse[]>();
	for (const r of responses) {
		const list = byQuestion.get(r.questionId);
		if (list) list.push(r);
		else byQuestion.set(r.questionId, [r]);
	}
	return questions.map((question) => {
		const rows = (byQuestion.get(question.id) ?? []).filter((r) => r.score !== null);
		const scores = rows.map((r) => r.score ?? 0);
		const counts = new Map<string, number>();
		for (const r of rows)
			for (const key of wrongKeys(question, r.response, r.score))
				counts.set(key, (counts.get(key) ?? 0) + 1);
		// The most chosen wrong answer; ties go to the first in the question's own order (or text order).
		const top = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
		const pairs = rows.flatMap((r) => {
			const total = totals.get(r.learnerId);
			return total === undefined ? [] : [{ total, score: r.score ?? 0 }];
		});
		return {
			questionId: question.id,
			type: question.type,
			prompt: question.prompt.fr,
			responses: rows.length,
			shareCorrect: rows.length ? round(scores.filter((s) => s >= 1).length / rows.length) : null,
			meanScore: rows.length ? round(mean(scores)) : null,
			discrimination: discriminationIndex(pairs),
			topDistractor: top
				? {
						key: top[0],
						text: keyText(question, top[0]),
						count: top[1],
						share: round(top[1] / rows.length)
					}
				: null,
			provisional: rows.length < PROVISIONAL_BELOW
		};
	});
}
