import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import type { RequestEvent, ResolveOptions } from '@sveltejs/kit';
import { readCourseFiles } from '../../../scripts/read-courses';
import { loadCourses, type QuizFile } from '$lib/content';
import { pickLocale } from '$lib/content/pick-locale';
import {
	assessmentQuiz,
	decision,
	matching,
	multiple,
	ordering,
	shortText,
	single,
	trueFalse
} from '$lib/quiz/fixtures';
import {
	baseOptions,
	firstQuestion,
	mulberry32,
	questionsAsked,
	shufflesQuestions
} from '$lib/quiz/shuffle';
import script from '$lib/components/quiz/early-start.js?raw';
import { earlyStartHandle, earlyStartHtml } from './early-start';

// The page's early start draws the first question with its own copy of the draw (plain JavaScript,
// inlined in the HTML): it must draw exactly what the quiz engine draws from the same seed.
type Draw = (
	seed: number,
	questions: { id: string; type: string; options: string[] }[],
	asked: number,
	shuffled: boolean
) => { id: string; options: string[] };
// Without a document, the script returns its draw instead of wiring the page.
const draw = (0, eval)(script) as Draw;

const { catalog } = loadCourses(
	readCourseFiles(fileURLToPath(new URL('../../../courses', import.meta.url)))
);
const assessments = catalog.courses.flatMap((course) =>
	Object.values(course.quizzes)
		.filter((quiz) => quiz.mode === 'assessment')
		.map((quiz) => ({ name: `${course.id}/${quiz.id}`, quiz }))
);
const mixed = [
	single('a'),
	multiple('b'),
	trueFalse('c'),
	ordering('d', 2),
	ordering('e', 5),
	matching('f'),
	shortText('g'),
	decision('h')
];
const fixtures = [
	{
		name: 'fixture: every type, 3 drawn, shuffled',
		quiz: assessmentQuiz(mixed, { draw: 3, shuffle: true })
	},
	{ name: 'fixture: every type, 3 drawn, file order', quiz: assessmentQuiz(mixed, { draw: 3 }) },
	{ name: 'fixture: all asked, file order', quiz: assessmentQuiz(mixed) }
];

const asDrawn = (quiz: QuizFile) =>
	quiz.questions.map((q) => ({ id: q.id, type: q.type, options: baseOptions(q) }));

describe("the early start's draw is the engine's", () => {
	const seeds = (() => {
		const random = mulberry32(2026);
		return Array.from({ length: 400 }, () => Math.floor(random() * 2 ** 32));
	})();
	test.each([...assessments, ...fixtures])('$name', ({ quiz }) => {
		expect(assessments.length).toBeGreaterThan(0);
		const firsts = new Set<string>();
		for (const seed of seeds) {
			const engine = firstQuestion(quiz, seed)!;
			const page = draw(seed, asDrawn(quiz), questionsAsked(quiz), shufflesQuestions(quiz));
			expect(page, `seed ${seed}`).toEqual({ id: engine.question.id, options: engine.options });
			firsts.add(page.id);
		}
		// A shuffled pool can start with any question; a pool in the file's order with the first
		// n − draw + 1 only.
		expect(firsts.size).toBe(
			shufflesQuestions(quiz)
				? quiz.questions.length
				: quiz.questions.length - questionsAsked(quiz) + 1
		);
	});

	test('an ordering question never starts in its right order, two items included', () => {
		const quiz = assessmentQuiz([ordering('d', 2)]);
		for (let seed = 0; seed < 50; seed++)
			expect(draw(seed, asDrawn(quiz), 1, false).options).toEqual(['i2', 'i1']);
	});
});

describe('the early start in the HTML', () => {
	const quiz = pickLocale(assessments[0]!.quiz, 'fr');
	const html = earlyStartHtml(quiz, 'fr', 'Question 1 sur 8', 'Chargement des questions…');

	test('holds every question of the pool, in the file order, rendered with its options', () => {
		const templates = [
			...html.matchAll(
				/<template data-q="([^"]+)" data-type="([^"]+)" data-options="([^"]*)">(.*?)<\/template>/gs
			)
		];
		expect(templates.map((t) => t[1])).toEqual(quiz.questions.map((q) => q.id));
		for (const [, id, type, options, body] of templates) {
			const question = quiz.questions.find((q) => q.id === id)!;
			expect(type).toBe(question.type);
			expect(options).toBe(baseOptions(question).join(' '));
			expect(body).toContain('<fieldset class="question');
			expect(body).toContain('Question 1 sur 8');
			// Usable at once: the script moves an ordering question's items itself.
			expect(body).not.toMatch(/<fieldset[^>]* disabled/);
		}
		expect(html).toContain('<p class="muted" aria-live="polite">Chargement des questions…</p>');
		expect(
			html.endsWith(
				`<script data-asked="${questionsAsked(quiz)}" data-shuffle="true">${script}</script>`
			)
		).toBe(true);
	});

	const page = (quizId: string) =>
		`<main><button class="button" disabled>Commencer</button> <div class="pre svelte-x" data-early="${quizId}" data-asked="8"></div></main>`;
	async function served(routeId: string, locals: App.Locals, body: string) {
		const event = { route: { id: routeId }, locals } as unknown as RequestEvent;
		let out = '';
		await earlyStartHandle({
			event,
			resolve: async (_event: RequestEvent, opts?: ResolveOptions) => {
				out = (await opts?.transformPageChunk?.({ html: body, done: true })) ?? body;
				return new Response(out);
			}
		});
		return out;
	}
	const locals = { user: null, earlyStart: { quiz: quiz.id, html } };

	test("goes into the assessment page's placeholder", async () => {
		const out = await served('/cours/[course]/[module]/evaluation', locals, page(quiz.id));
		expect(out).toBe(
			page(quiz.id).replace('data-asked="8"></div>', `data-asked="8">${html}</div>`)
		);
	});

	test('is left out of a placeholder for another quiz, and of other pages', async () => {
		expect(await served('/cours/[course]/[module]/evaluation', locals, page('autre'))).toBe(
			page('autre')
		);
		expect(await served('/cours/[course]/[lesson]', locals, page(quiz.id))).toBe(page(quiz.id));
		expect(await served('/cours/[course]/[module]/evaluation', { user: null }, page(quiz.id))).toBe(
			page(quiz.id)
		);
	});
});
