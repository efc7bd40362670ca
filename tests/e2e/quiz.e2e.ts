import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, savedAnswers, savedContexts } from './helpers';
import { firstQuestion } from '../../src/lib/quiz/shuffle';
import {
	answer,
	firstAssessment,
	lessonWithCheck,
	lessonWithScenario,
	shownQuestion,
	twoEndings
} from './content';

const checkCase = lessonWithCheck();
const assessment = firstAssessment();

async function openCheck(page: Page) {
	await page.goto(`/cours/${checkCase.course.id}/${checkCase.lesson.id}`);
	const section = page.locator('section.check').first();
	// The first question is in the page itself: no start button.
	await expect(section.locator('fieldset.question')).toBeVisible();
	return section;
}

test('a formative check answered wrong, then right after a retry', async ({ page }) => {
	const section = await openCheck(page);
	await expect(section.locator('legend .count')).toHaveText(
		`Question 1 sur ${checkCase.quiz.questions.length}`
	);
	const q = await shownQuestion(page, checkCase.quiz);
	await answer(page, q, 'wrong');
	await section.getByRole('button', { name: 'Valider ma réponse' }).click();
	await expect(
		section.getByRole('status').filter({ hasText: /Réponse incorrecte|Réponse en partie juste/ })
	).toBeVisible();
	await expect(section.getByText(q.explanation.fr)).toBeVisible();
	await expectAccessible(page, 'check feedback');

	await section.getByRole('button', { name: 'Réessayer' }).click();
	await answer(page, q, 'right');
	await section.getByRole('button', { name: 'Valider ma réponse' }).click();
	await expect(section.getByRole('status').filter({ hasText: 'Bonne réponse' })).toBeVisible();
	await expect(section.getByRole('button', { name: 'Réessayer' })).toHaveCount(0);
});

test('an empty answer is refused with a message, and nothing is lost', async ({ page }) => {
	const section = await openCheck(page);
	const q = await shownQuestion(page, checkCase.quiz);
	if (q.type === 'ordering')
		test.info().annotations.push({ type: 'note', description: 'ordering always has an order' });
	await section.getByRole('button', { name: 'Valider ma réponse' }).click();
	if (q.type !== 'ordering')
		await expect(section.getByRole('alert')).toContainText('Choisissez ou écrivez une réponse');
	await expect(section.locator('fieldset.question')).toBeVisible();
});

test("a check's first question answered before the page's JavaScript has arrived keeps its answer", async ({
	page
}) => {
	// The page's scripts are held back: the learner sees only the HTML, as on a slow link.
	let release!: () => void;
	const held = new Promise<void>((resolve) => (release = resolve));
	await page.route('**/_app/immutable/**', async (route) => {
		await held;
		await route.continue();
	});
	const stylesheets: string[] = [];
	page.on('request', (r) => {
		// The stylesheets of what the HTML shows (the engine's own come with the engine).
		if (/\/(lesson-parts|question)\.[\w-]+\.css$/.test(r.url())) stylesheets.push(r.url());
	});
	await page.goto(`/cours/${checkCase.course.id}/${checkCase.lesson.id}`, { waitUntil: 'commit' });
	const section = page.locator('section.check').first();
	await expect(section.locator('fieldset.question')).toBeVisible();
	// Styled already (its stylesheet is in the HTML): a full-width answer the size of a fingertip,
	// which does not move when the page's code arrives.
	const field = section.locator('fieldset.question :is(label.option, input.short-input, ol li)');
	const before = await field.first().boundingBox();
	expect(before?.height).toBeGreaterThanOrEqual(44);
	const q = await shownQuestion(page, checkCase.quiz);
	await answer(page, q, 'right');
	release();
	// The engine takes over with the answer the learner gave, which is then checked as right.
	await expect(section.locator('[data-stage="answering"] fieldset.question')).toBeVisible();
	const after = await field.first().boundingBox();
	expect([after?.width, after?.height]).toEqual([before?.width, before?.height]);
	expect(stylesheets, 'no stylesheet downloaded again').toEqual([]);
	await section.getByRole('button', { name: 'Valider ma réponse' }).click();
	await expect(section.getByRole('status').filter({ hasText: 'Bonne réponse' })).toBeVisible();
});

test.describe('with the quiz engine slow to arrive', () => {
	test.use({ serviceWorkers: 'block' });

	test('« Valider » pressed before the quiz engine has arrived checks the answer once it is there', async ({
		page
	}) => {
		// The page is read and interactive; only what it fetches from now on (the quiz engine) is held
		// (no service worker: it would serve the engine from its cache, out of the route's reach).
		let hold = false;
		let release!: () => void;
		const held = new Promise<void>((resolve) => (release = resolve));
		await page.route('**/_app/immutable/**', async (route) => {
			if (hold) await held;
			await route.continue();
		});
		const section = await openCheck(page);
		await page.waitForLoadState('networkidle');
		hold = true;
		const q = await shownQuestion(page, checkCase.quiz);
		await answer(page, q, 'right');
		await section.getByRole('button', { name: 'Valider ma réponse' }).click();
		await expect(section.getByText('Chargement des questions…')).toBeVisible();
		release();
		await expect(section.getByRole('status').filter({ hasText: 'Bonne réponse' })).toBeVisible();
	});
	test("an assessment's first question is answered before the quiz engine has arrived; the engine takes it over", async ({
		page
	}) => {
		// What the page announces in its HTML arrives; everything it fetches afterwards (the quiz
		// engine, the player, Dexie) is held, as on a slow link.
		const html = await (await page.request.get(assessment.path)).text();
		const preloaded = new Set(
			[...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*>/g)].map((x) =>
				/href="([^"]+)"/.exec(x[0])![1]!.split('/').pop()
			)
		);
		expect(preloaded.size).toBeGreaterThan(0);
		let release!: () => void;
		const held = new Promise<void>((resolve) => (release = resolve));
		const waiting = new Set<string>();
		await page.route('**/_app/immutable/**', async (route) => {
			const file = route.request().url().split('/').pop()!;
			if (!preloaded.has(file) && file.endsWith('.js')) {
				waiting.add(file);
				await held;
			}
			await route.continue();
		});
		await page.goto(assessment.path);
		const main = page.locator('main');
		const start = main.getByRole('button', { name: "Commencer l'évaluation" });
		// The page is interactive: « Commencer » is its own (not the HTML's early start).
		await expect(main.locator('[data-early][data-live]')).toHaveCount(1);
		await expect(start).toBeEnabled();
		const pressedAt = await page.evaluate(() => Date.now());
		await start.click();
		// The page draws the first question itself; the engine is still on its way.
		await expect(main.locator('legend .count')).toHaveText(
			`Question 1 sur ${assessment.quiz.draw ?? assessment.quiz.questions.length}`
		);
		await expect(main.getByText('Chargement des questions…')).toBeVisible();
		await expect(main.locator('[data-stage]')).toHaveCount(0);
		expect(waiting.size, 'the engine is held').toBeGreaterThan(0);
		const q = await shownQuestion(page, assessment.quiz);
		await answer(page, q, 'right');

		const releasedAt = await page.evaluate(() => Date.now());
		release();
		// The engine shows the same question with the learner's answer, saved in the attempt, which
		// started when the learner pressed « Commencer », not when the engine arrived.
		await expect(main.locator('[data-stage="answering"] fieldset.question')).toBeVisible();
		expect((await shownQuestion(page, assessment.quiz)).id).toBe(q.id);
		await expect.poll(() => savedAnswers(page)).toBe(1);
		const [saved] = await savedContexts(page);
		expect(saved?.startedAt).toBeGreaterThanOrEqual(pressedAt);
		expect(saved?.startedAt).toBeLessThan(releasedAt);
		await main.getByRole('button', { name: 'Question suivante' }).click();
		await expect(main.locator('legend .count')).toHaveText(/^Question 2 sur/);
	});
});

// Before any of the page's JavaScript has arrived (the first second or so of a cold 3G load), the
// HTML's early start draws the attempt and shows its first question; the page then takes it over.
// One test per kind of question that can come first, each with a seed that draws one of that kind.
const earlySeeds = new Map<string, number>();
for (
	let seed = 1;
	earlySeeds.size < new Set(assessment.quiz.questions.map((q) => q.type)).size;
	seed++
) {
	const type = firstQuestion(assessment.quiz, seed)!.question.type;
	if (!earlySeeds.has(type)) earlySeeds.set(type, seed);
}
/** The state of every answer control of the question on screen. */
const answerState = (page: Page) =>
	page
		.locator('fieldset.question')
		.evaluate((box) =>
			[...box.querySelectorAll<HTMLInputElement>('input, select')].map((c) =>
				c.type === 'radio' || c.type === 'checkbox' ? c.checked : c.value
			)
		);

for (const [type, seed] of earlySeeds)
	test(`an assessment started before its JavaScript has arrived (first question: ${type})`, async ({
		page
	}) => {
		const refused: string[] = [];
		page.on('console', (m) => {
			if (/Content Security Policy/i.test(m.text())) refused.push(m.text());
		});
		// The attempt's random seed is this test's, so that the first question is of its kind.
		await page.addInitScript((seed) => {
			const real = crypto.getRandomValues.bind(crypto);
			let drawn = false;
			crypto.getRandomValues = (<T extends ArrayBufferView | null>(array: T): T => {
				if (!drawn && array instanceof Uint32Array && array.length === 1) {
					drawn = true;
					array[0] = seed;
					return array;
				}
				return real(array as never) as T;
			}) as typeof crypto.getRandomValues;
		}, seed);
		let release!: () => void;
		const held = new Promise<void>((resolve) => (release = resolve));
		await page.route('**/_app/immutable/**', async (route) => {
			await held;
			await route.continue();
		});
		await page.goto(assessment.path, { waitUntil: 'commit' });
		const main = page.locator('main');
		const start = main.getByRole('button', { name: "Commencer l'évaluation" });
		await expect(start).toBeEnabled();
		const pressedAt = await page.evaluate(() => Date.now());
		await start.click();

		// The HTML alone shows the drawn question, in place of the rules and the button.
		const asked = assessment.quiz.draw ?? assessment.quiz.questions.length;
		await expect(main.locator('legend .count')).toHaveText(`Question 1 sur ${asked}`);
		await expect(main.getByText('Chargement des questions…')).toBeVisible();
		await expect(start).toBeHidden();
		await expect(main.getByText(/^Note pour réussir/)).toBeHidden();
		await expect(main.locator('.early-box')).toBeFocused();
		const q = await shownQuestion(page, assessment.quiz);
		expect(q.id).toBe(firstQuestion(assessment.quiz, seed)!.question.id);
		if (q.type === 'ordering') {
			// The HTML's script moves the items itself: the first one goes down a place.
			const first = main.locator('ol.ordering > li').first();
			const item = await first.locator('.item').innerText();
			await first.locator('button[id$="-down"]').click();
			await expect(main.locator('ol.ordering > li').nth(1).locator('.item')).toHaveText(item);
			await expect(main.locator('ol.ordering button:focus')).toHaveCount(1);
		} else await answer(page, q, 'right');
		const shown = await main.locator('fieldset.question').innerText();
		const given = await answerState(page);
		await expectAccessible(page, `assessment started from its HTML (${type})`);

		const releasedAt = await page.evaluate(() => Date.now());
		release();
		// The engine shows the same question, options in the same order, with the answer given, in
		// an attempt with the page's seed that started at the press.
		await expect(main.locator('[data-stage="answering"] fieldset.question')).toBeEnabled();
		expect(await main.locator('fieldset.question').innerText()).toBe(shown);
		expect(await answerState(page)).toEqual(given);
		await expect.poll(() => savedAnswers(page)).toBe(1);
		await expect.poll(async () => (await savedContexts(page)).length).toBe(1);
		const [saved] = await savedContexts(page);
		expect(saved?.seed).toBe(seed);
		expect(saved?.startedAt).toBeGreaterThanOrEqual(pressedAt);
		expect(saved?.startedAt).toBeLessThan(releasedAt);
		expect(refused).toEqual([]);
		await main.getByRole('button', { name: 'Question suivante' }).click();
		await expect(main.locator('legend .count')).toHaveText(`Question 2 sur ${asked}`);
	});

test("a check's first question answered and checked with the keyboard only", async ({ page }) => {
	const section = await openCheck(page);
	const q = await shownQuestion(page, checkCase.quiz);
	await answer(page, q, 'right', true);
	// The engine takes over; the focus stays on the control the learner used.
	await expect(section.locator('[data-stage="answering"] fieldset.question')).toBeVisible();
	await expect(section.locator('fieldset.question :focus')).toHaveCount(1);
	const submit = section.getByRole('button', { name: 'Valider ma réponse' });
	for (let i = 0; i < 10 && !(await submit.evaluate((b) => b === document.activeElement)); i++)
		await page.keyboard.press('Tab');
	await expect(submit).toBeFocused();
	await page.keyboard.press('Enter');
	await expect(section.getByRole('status').filter({ hasText: 'Bonne réponse' })).toBeVisible();
});

async function takeAssessment(page: Page, mode: 'right' | 'wrong' | 'none', keyboard = false) {
	const main = page.locator('main');
	const total = assessment.quiz.draw ?? assessment.quiz.questions.length;
	for (let i = 1; i <= total; i++) {
		await expect(main.locator('legend .count')).toHaveText(`Question ${i} sur ${total}`);
		if (mode !== 'none')
			await answer(page, await shownQuestion(page, assessment.quiz), mode, keyboard);
		const name = i < total ? 'Question suivante' : "Terminer l'évaluation";
		const button = main.getByRole('button', { name });
		if (keyboard) {
			await button.focus();
			await page.keyboard.press('Enter');
		} else await button.click();
	}
	if (mode === 'none') {
		await expect(main.getByRole('alert')).toContainText('compteront 0');
		await main.getByRole('button', { name: "Terminer l'évaluation" }).click();
	}
	await expect(main.getByRole('heading', { name: 'Résultat' })).toBeVisible();
}

test('an assessment failed, then passed on a second attempt, with its corrections', async ({
	page
}) => {
	await page.goto(assessment.path);
	await page.getByRole('button', { name: "Commencer l'évaluation" }).click();
	await expectAccessible(page, 'assessment question');
	await takeAssessment(page, 'wrong');
	await expect(page.getByText('Évaluation non réussie')).toBeVisible();
	await expect(
		page.getByText(
			`Tentatives restantes : ${assessment.quiz.maxAttempts - 1} sur ${assessment.quiz.maxAttempts}`
		)
	).toBeVisible();
	await expectAccessible(page, 'assessment results');

	await page.getByRole('button', { name: 'Voir la correction' }).click();
	await expect(page.getByRole('heading', { name: /^Correction/ })).toBeVisible();
	await expect(page.getByText('Bonne réponse').first()).toBeVisible();
	await expectAccessible(page, 'assessment review');

	await page.getByRole('button', { name: 'Question suivante' }).first().waitFor();
	for (;;) {
		const back = page.getByRole('button', { name: 'Retour au résultat' });
		if (await back.count()) {
			await back.click();
			break;
		}
		await page.getByRole('button', { name: 'Question suivante' }).click();
	}
	await page.getByRole('button', { name: 'Nouvelle tentative' }).click();
	await takeAssessment(page, 'right');
	await expect(page.getByText('Évaluation réussie')).toBeVisible();
	await expect(page.getByText('Votre note : 100 %')).toBeVisible();
});

test('a reload in the middle of an assessment resumes at the same question with the same answers', async ({
	page
}) => {
	await page.goto(assessment.path);
	await page.getByRole('button', { name: "Commencer l'évaluation" }).click();
	const main = page.locator('main');
	const first = await shownQuestion(page, assessment.quiz);
	await answer(page, first, 'right');
	await main.getByRole('button', { name: 'Question suivante' }).click();
	const second = await shownQuestion(page, assessment.quiz);
	await answer(page, second, 'right');
	// What the learner sees: option texts in their order, what is ticked, chosen or typed.
	const state = () =>
		main
			.locator('fieldset.question')
			.evaluate((fieldset) =>
				[...fieldset.querySelectorAll('label, li, input, select')].map((el) =>
					el instanceof HTMLInputElement
						? `${el.type}:${el.type === 'text' ? el.value : el.checked}`
						: el instanceof HTMLSelectElement
							? `select:${el.value}`
							: (el.textContent ?? '').trim()
				)
			);
	const before = await state();
	await expect.poll(() => savedAnswers(page)).toBe(2);
	expect(
		before.some(
			(x) => x.endsWith(':true') || (x.startsWith('text:') && x.length > 5) || /select:\w/.test(x)
		) || second.type === 'ordering'
	).toBe(true);

	await page.reload();
	await expect(main.locator('legend .count')).toHaveText(/^Question 2 sur/);
	expect((await shownQuestion(page, assessment.quiz)).id).toBe(second.id);
	await expect.poll(state).toEqual(before);
	await main.getByRole('button', { name: 'Question précédente' }).click();
	expect((await shownQuestion(page, assessment.quiz)).id).toBe(first.id);
});

test('a whole assessment taken with the keyboard only', async ({ page }) => {
	await page.goto(assessment.path);
	const start = page.getByRole('button', { name: "Commencer l'évaluation" });
	// Until the page is interactive the button is disabled, so out of the tab order.
	await expect(start).toBeEnabled();
	await start.focus();
	await page.keyboard.press('Enter');
	await expect(page.locator('legend .count')).toBeVisible();
	await takeAssessment(page, 'right', true);
	await expect(page.getByText('Évaluation réussie')).toBeVisible();
});

test('going from one assessment to another starts the second afresh', async ({ page }) => {
	const next = assessment.course.modules.find((m) => m.assessment && m.id !== assessment.module.id);
	expect(next, 'the course has a second assessment').toBeDefined();
	await page.goto(assessment.path);
	const main = page.locator('main');
	await main.getByRole('button', { name: "Commencer l'évaluation" }).click();
	await expect(main.locator('[data-stage="answering"] fieldset.question')).toBeVisible();
	// A link followed inside the app: SvelteKit keeps the page's component for the same route.
	await page.evaluate((href) => {
		const link = Object.assign(document.createElement('a'), { href, textContent: 'suivante' });
		document.querySelector('main')!.append(link);
	}, `/cours/${assessment.course.id}/${next!.id}/evaluation`);
	await main.getByRole('link', { name: 'suivante' }).click();
	await expect(page).toHaveURL(new RegExp(`/${next!.id}/evaluation$`));
	await expect(
		main.getByText(`Module ${assessment.course.modules.indexOf(next!) + 1} ·`)
	).toBeVisible();
	await expect(main.getByRole('button', { name: "Commencer l'évaluation" })).toBeEnabled();
	await expect(main.locator('fieldset.question')).toHaveCount(0);
});

test('a scenario played to two different endings', async ({ page }) => {
	const { course, lesson, scenario } = lessonWithScenario();
	const [pathA, pathB] = twoEndings(scenario);
	expect(pathB, 'the scenario has two ends').toBeDefined();
	await page.goto(`/cours/${course.id}/${lesson.id}`);
	const section = page.locator('section.scenario');
	await section.getByRole('button', { name: 'Commencer la mise en situation' }).click();
	for (const path of [pathA!, pathB!]) {
		for (const choice of path.choices)
			await section.getByRole('button', { name: choice, exact: true }).click();
		await expect(
			section.getByRole('heading', { name: /Fin de la mise en situation/ })
		).toBeVisible();
		const end = scenario.nodes.find((n) => n.id === path.end)!;
		await expect(section.getByText(end.end!.debrief.fr)).toBeVisible();
		await expectAccessible(page, `scenario end ${path.end}`);
		await section.getByRole('button', { name: 'Rejouer la mise en situation' }).click();
	}
});
