import { expect, test } from '@playwright/test';
import { firstAssessment, lessonWithCheck } from './content';

// What the field bench found and fixed, held in place by facts that do not depend on timing.

test('a lesson and an assessment paint without waiting for any stylesheet or script request', async ({
	page
}) => {
	const { course, lesson } = lessonWithCheck();
	for (const path of [`/cours/${course.id}/${lesson.id}`, firstAssessment().path]) {
		const response = await page.goto(path);
		const html = (await response?.text()) ?? '';
		// Kit leaves disabled, never-fetched links for its client-side CSS bookkeeping.
		const links = html.match(/<link[^>]+rel="stylesheet"[^>]*>/g) ?? [];
		expect(
			links.filter((l) => !/\sdisabled[\s>]/.test(l)),
			path
		).toEqual([]);
		expect(html, path).toMatch(/<style[^>]*>[\s\S]*--primary[\s\S]*<\/style>/);
		// Components loaded later may bring their CSS later; nothing holds the first paint back.
		const blocking = await page.evaluate(() =>
			performance
				.getEntriesByType('resource')
				.filter(
					(e) =>
						(e as PerformanceResourceTiming & { renderBlockingStatus?: string })
							.renderBlockingStatus === 'blocking'
				)
				.map((e) => e.name)
		);
		expect(blocking, path).toEqual([]);
		// Styled all the same: the page's own rules are in force.
		await expect(page.locator('a.skip')).toHaveCSS('position', 'absolute');
	}
});

test('the header keeps its height when the device layer starts: nothing below it moves', async ({
	browser
}) => {
	const { course, lesson } = lessonWithCheck();
	const path = `/cours/${course.id}/${lesson.id}`;
	const noScript = await browser.newContext({ javaScriptEnabled: false });
	const before = await noScript.newPage();
	await before.goto(path);
	const heightBefore = await before
		.locator('header.site')
		.evaluate((h) => h.getBoundingClientRect().height);
	await noScript.close();

	const context = await browser.newContext();
	const after = await context.newPage();
	await after.goto(path);
	await expect(after.locator('.status-line')).toBeVisible(); // the device layer is up
	await expect(after.locator('.status-line')).toContainText('Profil');
	expect(await after.locator('header.site').evaluate((h) => h.getBoundingClientRect().height)).toBe(
		heightBefore
	);
	await context.close();
});

test("the service worker's install fetches the installing page's language only, and no icons", async ({
	page
}) => {
	await page.goto('/');
	await page.waitForFunction(async () => {
		const reg = await navigator.serviceWorker.ready;
		return !!reg.active && !!navigator.serviceWorker.controller;
	});
	const shell = await page.evaluate(async () => {
		const name = (await caches.keys()).find((k) => k.endsWith('-shell'));
		const cache = await caches.open(name!);
		return (await cache.keys()).map((r) => new URL(r.url).pathname);
	});
	expect(shell).toContain('/glossaire');
	expect(shell).toContain('/hors-ligne');
	expect(shell.some((p) => p.startsWith('/_app/immutable/'))).toBe(true);
	expect(shell.filter((p) => /^\/en(\/|$)/.test(p))).toEqual([]);
	expect(shell.filter((p) => p.startsWith('/icons/'))).toEqual([]);
});
