import type { Question, QuizFile } from '../content/schema';

/**
 * mulberry32: a tiny seeded generator of numbers in [0, 1). Good enough to shuffle questions,
 * and the same seed gives the same sequence on every device, which is what a resumed attempt needs.
 */
export function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** FNV-1a of a text mixed with a seed: one independent seed per question of an attempt. */
export function deriveSeed(seed: number, key: string): number {
	let h = (0x811c9dc5 ^ (seed >>> 0)) >>> 0;
	for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
	return h;
}

/** A shuffled copy of `items` (Fisher–Yates); the same seed always gives the same order. */
export function shuffle<T>(items: readonly T[], seed: number): T[] {
	const random = mulberry32(seed);
	const out = [...items];
	for (let i = out.length - 1; i > 0; i--) {
		const j = Math.floor(random() * (i + 1));
		[out[i], out[j]] = [out[j]!, out[i]!];
	}
	return out;
}

/**
 * A question's options in the file's order: choice ids (single, multiple, decision), item ids
 * (ordering), or the ids of the right-hand options (matching: pair ids, then distractor ids).
 * Empty for true-false and short text.
 */
export function baseOptions(question: Question): string[] {
	switch (question.type) {
		case 'single':
		case 'multiple':
		case 'decision':
			return question.choices.map((c) => c.id);
		case 'matching':
			return [...question.pairs.map((p) => p.id), ...(question.distractors ?? []).map((d) => d.id)];
		case 'ordering':
			return question.items.map((item) => item.id);
		case 'true-false':
		case 'short-text':
			return [];
	}
}

/**
 * The order in which a question's options (`baseOptions`) are shown: shuffled; an ordering
 * question is never shown in the right order when it has two items or more.
 */
export function optionOrder(question: Question, seed: number): string[] {
	const right = baseOptions(question);
	const shown = shuffle(right, deriveSeed(seed, question.id));
	if (question.type !== 'ordering') return shown;
	// Showing the answer would give the point away: rotate by one, which always moves every item.
	const same = shown.every((id, i) => id === right[i]);
	return same && shown.length >= 2 ? [...shown.slice(1), shown[0]!] : shown;
}

/** A new attempt's seed: each attempt of a learner draws its own questions and order. */
export const randomSeed = (): number => crypto.getRandomValues(new Uint32Array(1))[0]!;

export interface Draw {
	/** The question ids of the attempt, in the order they are asked. */
	order: string[];
	/** Per question id: its options in the order they are shown (see `optionOrder`). */
	choiceOrder: Record<string, string[]>;
}

/**
 * The questions of one attempt. An assessment with `draw: n` asks n questions taken from the
 * pool; with `shuffle: true` they come in a shuffled order, otherwise in the file's order.
 * Options are always shuffled. Everything follows from the seed kept in the attempt.
 */
export function drawQuestions(quiz: QuizFile, seed: number): Draw {
	const ids = quiz.questions.map((q) => q.id);
	let order = ids;
	if (quiz.mode === 'assessment') {
		const drawn = shuffle(ids, deriveSeed(seed, 'questions')).slice(0, questionsAsked(quiz));
		order = shufflesQuestions(quiz) ? drawn : ids.filter((id) => drawn.includes(id));
	}
	const choiceOrder: Record<string, string[]> = {};
	for (const question of quiz.questions)
		if (order.includes(question.id)) choiceOrder[question.id] = optionOrder(question, seed);
	return { order, choiceOrder };
}

/** Whether an attempt asks its questions in a shuffled order (else in the file's order). */
export function shufflesQuestions(quiz: QuizFile): boolean {
	return quiz.mode === 'assessment' && quiz.shuffle === true;
}

/** How many questions one attempt asks: `draw` of an assessment's pool, else every question. */
export function questionsAsked(quiz: QuizFile): number {
	const all = quiz.questions.length;
	return quiz.mode === 'assessment' && quiz.draw !== undefined ? Math.min(quiz.draw, all) : all;
}

/** The first question an attempt drawn from `seed` asks, with its options in the order shown. */
export function firstQuestion(
	quiz: QuizFile,
	seed: number
): { question: Question; options: string[] } | undefined {
	const draw = drawQuestions(quiz, seed);
	const question = quiz.questions.find((q) => q.id === draw.order[0]);
	return question && { question, options: draw.choiceOrder[question.id] ?? [] };
}

/**
 * The seed of a check's attempt opened from its lesson page: fixed per quiz, so the page's HTML
 * can show the first question exactly as the quiz engine will draw it, and a learner can answer
 * it before the engine has loaded (docs/decisions.md). A retried attempt draws a random seed.
 */
export function pageSeed(quizId: string): number {
	return deriveSeed(0, `page:${quizId}`);
}
