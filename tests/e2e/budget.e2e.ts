import { expect, test } from '@playwright/test';
import { BUDGETS } from '../../bench/budgets';
import { kb, weighPage } from '../../bench/lib/page-weight';
import { answerFirstShown, firstAssessment, lessonWithCheck } from './content';

// Bytes are deterministic, so byte budgets are asserted here; timings only ever go to npm run bench.
test('a lesson page with a check stays within its byte budgets, check taken', async ({
	browser,
	baseURL
}) => {
	const { course, lesson } = lessonWithCheck();
	const page = await weighPage(browser, baseURL!, `/cours/${course.id}/${lesson.id}`, async (p) => {
		await answerFirstShown(p);
	});
	const report = `preloaded ${kb(page.js.preloadedGzip)} KB, all JS ${kb(page.js.allGzip)} KB, total ${kb(page.totals.all.gzip)} KB`;
	expect(page.js.preloadedGzip, report).toBeLessThanOrEqual(BUDGETS.preloadedJs);
	// The modules the HTML names count as preloaded though fetched after the first frame.
	expect(page.js.preloadedGzip, report).toBeGreaterThan(20_000);
	expect(page.js.allGzip, report).toBeLessThanOrEqual(BUDGETS.lessonWithQuizAllJs);
	expect(page.totals.font.count, 'no web font is downloaded').toBe(0);
	expect(page.js.laterGzip, 'the quiz engine loads after the lesson, not before').toBeGreaterThan(
		0
	);
});

test('the assessment page preloads no more than the budget', async ({ browser, baseURL }) => {
	const page = await weighPage(browser, baseURL!, firstAssessment().path);
	expect(page.js.preloadedGzip).toBeLessThanOrEqual(BUDGETS.preloadedJs);
	expect(page.js.allGzip).toBeLessThanOrEqual(BUDGETS.lessonWithQuizAllJs);
});

test('pages without a quiz stay within the budgets of a page without a quiz', async ({
	browser,
	baseURL
}) => {
	// The catalogue, a course page (download panel, progress summary), the glossary and the
	// learner's dashboard « Mes progrès ».
	for (const path of ['/', `/cours/${lessonWithCheck().course.id}`, '/glossaire', '/progres']) {
		const page = await weighPage(browser, baseURL!, path);
		expect(
			page.js.preloadedGzip,
			`${path}: preloaded ${kb(page.js.preloadedGzip)} KB`
		).toBeLessThanOrEqual(BUDGETS.preloadedJs);
		expect(page.js.allGzip, `${path}: ${kb(page.js.allGzip)} KB`).toBeLessThanOrEqual(
			BUDGETS.lessonAllJs
		);
	}
});

test('a lesson read to its end, check not opened, stays within the budgets of a lesson', async ({
	browser,
	baseURL
}) => {
	const { course, lesson } = lessonWithCheck();
	const page = await weighPage(browser, baseURL!, `/cours/${course.id}/${lesson.id}`);
	const report = `preloaded ${kb(page.js.preloadedGzip)} KB, all JS ${kb(page.js.allGzip)} KB, total ${kb(page.totals.all.gzip)} KB`;
	expect(page.js.preloadedGzip, report).toBeLessThanOrEqual(BUDGETS.preloadedJs);
	expect(page.js.allGzip, report).toBeLessThanOrEqual(BUDGETS.lessonAllJs);
	expect(page.totals.all.gzip, report).toBeLessThanOrEqual(BUDGETS.coldLessonTotal);
	expect(page.totals.font.count, 'no web font is downloaded').toBe(0);
});
