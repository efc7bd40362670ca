import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/** axe on the page as it is now: no serious or critical violation. */
export async function expectAccessible(page: Page, label: string) {
	const results = await new AxeBuilder({ page }).analyze();
	const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
	expect(
		bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
		`axe on ${label}`
	).toEqual([]);
}

/** The first course, and its first lesson, as the catalogue shows them. */
export async function openFirstLesson(page: Page) {
	await page.goto('/');
	await page.locator('.courses h2 a').first().click();
	await page.getByRole('link', { name: 'Commencer le cours' }).click();
	await expect(page.locator('article h1')).toBeVisible();
}

/** How many answers the saved attempts hold, read from the browser's IndexedDB (what a reload finds). */
export async function savedAnswers(page: Page): Promise<number> {
	const contexts = await savedContexts(page);
	return Math.max(0, ...contexts.map((c) => Object.keys(c.responses ?? {}).length));
}

/** The quiz context of every attempt saved on the page's device (IndexedDB, read directly). */
export function savedContexts(
	page: Page
): Promise<{ responses?: Record<string, unknown>; startedAt?: number; seed?: number }[]> {
	return page.evaluate(
		() =>
			new Promise<{ responses?: Record<string, unknown>; startedAt?: number; seed?: number }[]>(
				(resolve, reject) => {
					const open = indexedDB.open('kalan');
					let missing = false;
					// Not created yet: this helper must not create it (Dexie would find it empty).
					open.onupgradeneeded = () => {
						missing = true;
						open.transaction?.abort();
					};
					open.onerror = () => (missing ? resolve([]) : reject(open.error));
					open.onsuccess = () => {
						if (!open.result.objectStoreNames.contains('attempts')) {
							open.result.close();
							return resolve([]);
						}
						const all = open.result.transaction('attempts').objectStore('attempts').getAll();
						all.onsuccess = () => {
							resolve(
								(all.result as { snapshot?: { context?: object } }[]).map(
									(row) => row.snapshot?.context ?? {}
								)
							);
							open.result.close();
						};
					};
				}
			)
	);
}
