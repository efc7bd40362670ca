import { expect, test } from '@playwright/test';
import { BUDGETS } from '../../bench/budgets';
import { kb, weighPage } from '../../bench/lib/page-weight';

// Bytes are deterministic, so byte budgets are asserted here; timings only ever go to npm run bench.
test('a lesson page stays within its byte budgets', async ({ browser, baseURL, page }) => {
	await page.goto('/');
	await page.locator('.courses h2 a').first().click();
	const lessonPath = new URL(
		(await page.locator('.lessons a').first().getAttribute('href'))!,
		baseURL
	).pathname;

	const lesson = await weighPage(browser, baseURL!, lessonPath);
	const report = `preloaded ${kb(lesson.js.preloadedGzip)} KB, all JS ${kb(lesson.js.allGzip)} KB, total ${kb(lesson.totals.all.gzip)} KB`;
	expect(lesson.js.preloadedGzip, report).toBeLessThanOrEqual(BUDGETS.preloadedJs);
	expect(lesson.js.allGzip, report).toBeLessThanOrEqual(BUDGETS.lessonAllJs);
	expect(lesson.totals.all.gzip, report).toBeLessThanOrEqual(BUDGETS.coldLessonTotal);
	expect(lesson.totals.font.count, 'no web font is downloaded').toBe(0);
});

test('the catalogue preloads no more JavaScript than the budget', async ({ browser, baseURL }) => {
	const home = await weighPage(browser, baseURL!, '/');
	expect(home.js.preloadedGzip).toBeLessThanOrEqual(BUDGETS.preloadedJs);
});
