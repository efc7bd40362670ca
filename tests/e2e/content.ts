import { resolve } from 'node:path';
import { loadCourses, type Question, type QuizFile } from '../../src/lib/content';
import { readCourseFiles } from '../../scripts/read-courses';
import type { Locator, Page } from '@playwright/test';

/** The real catalogue, read as the build reads it: tests find their quizzes and answers here. */
export const catalog = loadCourses(readCourseFiles(resolve('courses'))).catalog;

export function lessonWithCheck() {
	for (const course of catalog.courses)
		for (const moduleDef of course.modules)
			for (const lessonId of moduleDef.lessons) {
				const lesson = course.lessons[lessonId];
				const use = lesson?.fr.components.find((c) => c.name === 'Check');
				const quiz = use ? course.quizzes[use.attributes.quiz!] : undefined;
				if (lesson && quiz) return { course, lesson, quiz };
			}
	throw new Error('no lesson with a check in courses/');
}

export function lessonWithScenario() {
	for (const course of catalog.courses)
		for (const lesson of Object.values(course.lessons)) {
			const use = lesson.fr.components.find((c) => c.name === 'Scenario');
			const scenario = use ? course.scenarios[use.attributes.id!] : undefined;
			if (scenario) return { course, lesson, scenario };
		}
	throw new Error('no lesson with a scenario in courses/');
}

export function firstAssessment() {
	for (const course of catalog.courses)
		for (const m of course.modules) {
			const quiz = m.assessment ? course.quizzes[m.assessment] : undefined;
			if (quiz?.mode === 'assessment')
				return { course, module: m, quiz, path: `/cours/${course.id}/${m.id}/evaluation` };
		}
	throw new Error('no assessment in courses/');
}

/** The question of `questions` whose prompt is the first one on screen. */
async function questionShown(page: Page, questions: Question[]): Promise<Question> {
	const prompt = (await page.locator('legend .prompt').first().textContent())?.trim();
	const q = questions.find((x) => x.prompt.fr.trim() === prompt);
	if (!q) throw new Error(`question not found for prompt: ${prompt}`);
	return q;
}

/** The question on screen, found by its prompt. */
export function shownQuestion(page: Page, quiz: QuizFile): Promise<Question> {
	return questionShown(page, quiz.questions);
}

type Mode = 'right' | 'wrong';

/**
 * Answers the first question shown on the page (a check's first question is in the lesson's HTML),
 * whichever quiz of the catalogue it belongs to, then waits until the quiz engine has taken over.
 */
export async function answerFirstShown(page: Page) {
	const everyQuestion = catalog.courses.flatMap((c) =>
		Object.values(c.quizzes).flatMap((quiz) => quiz.questions)
	);
	await answer(page, await questionShown(page, everyQuestion), 'right');
	await page.locator('[data-stage="answering"] fieldset.question').first().waitFor();
}

/**
 * Answers the question on screen, right or wrong, like a learner would: with the keyboard only
 * when `keyboard` is set (focus, Space, Enter, arrows, typing), else with clicks.
 */
export async function answer(page: Page, q: Question, mode: Mode, keyboard = false) {
	const fieldset = page.locator('fieldset.question');
	const activate = async (target: Locator) => {
		if (keyboard) {
			await target.focus();
			await page.keyboard.press('Space');
		} else await target.check();
	};
	switch (q.type) {
		case 'single':
		case 'decision': {
			const choice =
				mode === 'right'
					? q.type === 'single'
						? q.choices.find((c) => c.correct)!
						: [...q.choices].sort((a, b) => b.score - a.score)[0]!
					: q.type === 'single'
						? q.choices.find((c) => !c.correct)!
						: [...q.choices].sort((a, b) => a.score - b.score)[0]!;
			await activate(fieldset.getByLabel(choice.text.fr, { exact: true }));
			return;
		}
		case 'multiple': {
			const picks =
				mode === 'right'
					? q.choices.filter((c) => c.correct)
					: q.choices.filter((c) => !c.correct).slice(0, 1);
			for (const c of picks) await activate(fieldset.getByLabel(c.text.fr, { exact: true }));
			return;
		}
		case 'true-false': {
			const value = mode === 'right' ? q.answer : !q.answer;
			await activate(fieldset.getByLabel(value ? 'Vrai' : 'Faux', { exact: true }));
			return;
		}
		case 'short-text': {
			const box = fieldset.getByRole('textbox');
			const text = mode === 'right' ? q.accept.fr[0]! : 'je ne sais pas';
			if (keyboard) {
				await box.focus();
				await page.keyboard.type(text);
			} else await box.fill(text);
			return;
		}
		case 'matching': {
			for (const [i, pair] of q.pairs.entries()) {
				const select = fieldset.getByLabel(pair.left.fr, { exact: true });
				const target =
					mode === 'right' ? pair.right.fr : q.pairs[(i + 1) % q.pairs.length]!.right.fr;
				if (keyboard) {
					const labels = await select.locator('option').allTextContents();
					const index = labels.findIndex((l) => l.trim() === target.trim());
					await select.focus();
					await page.keyboard.press('Home');
					for (let k = 0; k < index; k++) await page.keyboard.press('ArrowDown');
				} else await select.selectOption({ label: target });
			}
			return;
		}
		case 'ordering': {
			const wanted =
				mode === 'right'
					? q.items.map((i) => i.text.fr)
					: [...q.items].reverse().map((i) => i.text.fr);
			for (let target = 0; target < wanted.length; target++) {
				const texts = (await fieldset.locator('.ordering .item').allTextContents()).map((t) =>
					t.trim()
				);
				let at = texts.indexOf(wanted[target]!.trim());
				while (at > target) {
					const up = fieldset.getByRole('button', { name: `Monter « ${wanted[target]!.trim()} »` });
					if (keyboard) {
						await up.focus();
						await page.keyboard.press('Enter');
					} else await up.click();
					at--;
				}
			}
			return;
		}
	}
}

/** Two paths from the start of a scenario to two different ends: lists of choice texts. */
export function twoEndings(scenario: {
	start: string;
	nodes: {
		id: string;
		choices?: { id: string; next: string; text: { fr: string } }[];
		end?: unknown;
	}[];
}) {
	const byId = new Map(scenario.nodes.map((n) => [n.id, n]));
	const paths: { end: string; choices: string[] }[] = [];
	const queue: { id: string; choices: string[]; seen: Set<string> }[] = [
		{ id: scenario.start, choices: [], seen: new Set() }
	];
	while (queue.length && paths.length < 2) {
		const { id, choices, seen } = queue.shift()!;
		const node = byId.get(id)!;
		if (node.end) {
			if (!paths.some((p) => p.end === id)) paths.push({ end: id, choices });
			continue;
		}
		for (const c of node.choices ?? [])
			if (!seen.has(c.next))
				queue.push({ id: c.next, choices: [...choices, c.text.fr], seen: new Set([...seen, id]) });
	}
	return paths;
}
