// Test factories for quizzes and scenarios (used by the *.test.ts files of this folder only).
import type { Localized, Question, QuizFile, ScenarioFile, ScenarioNode } from '../content/schema';

type Of<T extends Question['type']> = Extract<Question, { type: T }>;
type Extra<T extends Question['type']> = Partial<Omit<Of<T>, 'type' | 'id'>>;

export const text = (fr: string, en?: string): Localized =>
	en === undefined ? { fr } : { fr, en };

const base = (id: string) => ({
	id,
	prompt: text(`Question ${id} ?`),
	explanation: text(`Explication de ${id}.`)
});

/** Choices `a`, `b`, `c`…; the ids in `correct` are the right ones. */
export function choices(count: number, correct: readonly string[]) {
	return Array.from({ length: count }, (_, i) => {
		const id = String.fromCharCode(97 + i);
		return { id, text: text(`Choix ${id}`), ...(correct.includes(id) ? { correct: true } : {}) };
	});
}

export const single = (id: string, extra: Extra<'single'> = {}): Of<'single'> => ({
	type: 'single',
	...base(id),
	choices: choices(3, ['a']),
	...extra
});
export const multiple = (id: string, extra: Extra<'multiple'> = {}): Of<'multiple'> => ({
	type: 'multiple',
	...base(id),
	choices: choices(4, ['a', 'b']),
	...extra
});
export const trueFalse = (id: string, extra: Extra<'true-false'> = {}): Of<'true-false'> => ({
	type: 'true-false',
	...base(id),
	answer: true,
	...extra
});
/** Items `i1`…`iN`, listed in the right order. */
export const ordering = (id: string, count = 4, extra: Extra<'ordering'> = {}): Of<'ordering'> => ({
	type: 'ordering',
	...base(id),
	items: Array.from({ length: count }, (_, i) => ({
		id: `i${i + 1}`,
		text: text(`Étape ${i + 1}`)
	})),
	...extra
});
/** Pairs `p1`…`pN` and one distractor `leurre`. */
export const matching = (id: string, count = 3, extra: Extra<'matching'> = {}): Of<'matching'> => ({
	type: 'matching',
	...base(id),
	pairs: Array.from({ length: count }, (_, i) => ({
		id: `p${i + 1}`,
		left: text(`Gauche ${i + 1}`),
		right: text(`Droite ${i + 1}`)
	})),
	distractors: [{ id: 'leurre', text: text('Leurre') }],
	...extra
});
export const shortText = (id: string, extra: Extra<'short-text'> = {}): Of<'short-text'> => ({
	type: 'short-text',
	...base(id),
	accept: {
		fr: ['Comité consultatif de sécurité', 'CCS'],
		en: ['Security advisory committee', 'CCS']
	},
	...extra
});
/** Options `best` (1), `fair` (0.5), `bad` (0). */
export const decision = (id: string, extra: Extra<'decision'> = {}): Of<'decision'> => ({
	type: 'decision',
	...base(id),
	choices: [
		{ id: 'best', text: text('Écouter'), score: 1, feedback: text('Bien.') },
		{ id: 'fair', text: text('Noter'), score: 0.5, feedback: text('Moyen.') },
		{ id: 'bad', text: text('Ignorer'), score: 0, feedback: text('Non.') }
	],
	...extra
});

/** The question ids `q1`…`qN`, each a single-choice question whose right answer is `a`. */
export const singles = (count: number) =>
	Array.from({ length: count }, (_, i) => single(`q${i + 1}`));

export const formativeQuiz = (questions: Question[] = singles(2), id = 'verif'): QuizFile => ({
	mode: 'formative',
	id,
	title: text('Vérification'),
	questions
});

export const assessmentQuiz = (
	questions: Question[] = singles(3),
	extra: Partial<Omit<Extract<QuizFile, { mode: 'assessment' }>, 'mode' | 'questions'>> = {}
): QuizFile => ({
	mode: 'assessment',
	id: 'evaluation',
	title: text('Évaluation'),
	questions,
	passMark: 0.6,
	maxAttempts: 2,
	...extra
});

export const scope = { courseId: 'rss', courseVersion: '1.0.0' } as const;

/** A question's full-marks response and a response that earns nothing. */
export function rightAndWrong(question: Question) {
	switch (question.type) {
		case 'single':
			return {
				right: question.choices.find((c) => c.correct)!.id,
				wrong: question.choices.find((c) => !c.correct)!.id
			};
		case 'multiple':
			return {
				right: question.choices.filter((c) => c.correct).map((c) => c.id),
				wrong: question.choices.filter((c) => !c.correct).map((c) => c.id)
			};
		case 'true-false':
			return { right: question.answer, wrong: !question.answer };
		case 'ordering': {
			const ids = question.items.map((i) => i.id);
			return { right: ids, wrong: [...ids.slice(1), ids[0]!] };
		}
		case 'matching': {
			const ids = question.pairs.map((p) => p.id);
			return {
				right: Object.fromEntries(ids.map((id) => [id, id])),
				wrong: Object.fromEntries(ids.map((id, i) => [id, ids[(i + 1) % ids.length]!]))
			};
		}
		case 'short-text':
			return { right: question.accept.fr[0]!, wrong: 'zzz rien de juste' };
		case 'decision': {
			const sorted = [...question.choices].sort((a, b) => b.score - a.score);
			return { right: sorted[0]!.id, wrong: sorted[sorted.length - 1]!.id };
		}
	}
}

type NodeSpec =
	{ choices: [string, string, number?][] } | { end: 'success' | 'partial' | 'failure' };

/** A scenario from `{ node: { choices: [[choiceId, next, score?]] } | { end: outcome } }`. */
export function scenarioOf(
	nodes: Record<string, NodeSpec>,
	start = Object.keys(nodes)[0]!,
	id = 'scenario-test'
): ScenarioFile {
	return {
		id,
		title: text('Scénario'),
		start,
		nodes: Object.entries(nodes).map(([nodeId, spec]): ScenarioNode => {
			if ('end' in spec)
				return {
					id: nodeId,
					text: text(nodeId),
					end: { outcome: spec.end, debrief: text('Bilan') }
				};
			return {
				id: nodeId,
				text: text(nodeId),
				choices: spec.choices.map(([choiceId, next, score]) => ({
					id: choiceId,
					text: text(choiceId),
					next,
					feedback: text(`Suite de ${choiceId}`),
					...(score === undefined ? {} : { score })
				}))
			};
		})
	};
}

/** The community-meeting scenario of the tests: two ways to a success, one to a failure. */
export const meetingScenario = () =>
	scenarioOf({
		accueil: {
			choices: [
				['ecouter', 'dialogue', 1],
				['ignorer', 'tension', 0]
			]
		},
		dialogue: {
			choices: [
				['proposer', 'accord', 1],
				['imposer', 'tension', 0.25]
			]
		},
		tension: {
			choices: [
				['apaiser', 'dialogue', 0.5],
				['partir', 'echec']
			]
		},
		accord: { end: 'success' },
		echec: { end: 'failure' }
	});
