import { expect, test, type Page } from '@playwright/test';
import { answerFirstShown, lessonWithCheck } from './content';
import { expectAccessible, openFirstLesson } from './helpers';

/** The lesson with a check, on a small phone's screen (360 × 640). */
async function openLessonOnPhone(page: Page) {
	await page.setViewportSize({ width: 360, height: 640 });
	const { course, lesson } = lessonWithCheck();
	await page.goto(`/cours/${course.id}/${lesson.id}`);
}

test('a learner goes from the catalogue to a course, a lesson and the next lesson', async ({
	page
}) => {
	await page.goto('/');
	await expect(page.getByRole('heading', { level: 1, name: 'Les cours' })).toBeVisible();
	const courseLink = page.locator('.courses h2 a').first();
	const courseTitle = (await courseLink.textContent())!.trim();
	await courseLink.click();
	await expect(page.getByRole('heading', { level: 1, name: courseTitle })).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Modules du cours' })).toBeVisible();

	const firstLesson = page.locator('.lessons a').first();
	const lessonTitle = (await firstLesson.textContent())!.trim();
	await firstLesson.click();
	await expect(page.getByRole('heading', { level: 1, name: lessonTitle })).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Objectifs de la leçon' })).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Sources' })).toBeVisible();

	const next = page.locator('a[rel="next"]');
	const nextTitle = (await next.locator('.title').textContent())!.trim();
	await next.click();
	await expect(page.getByRole('heading', { level: 1, name: nextTitle })).toBeVisible();
	await expect(page.locator('a[rel="prev"] .title')).toHaveText(lessonTitle);
});

test('the outline links to the sections of the lesson', async ({ page }) => {
	await openFirstLesson(page);
	const outline = page.getByRole('navigation', { name: 'Sommaire' });
	const link = outline.getByRole('link').nth(1);
	const target = (await link.getAttribute('href'))!;
	await link.click();
	await expect(page.locator(target)).toBeInViewport();
});

test('the language switch goes to English, is remembered, and comes back to French', async ({
	page
}) => {
	await openFirstLesson(page);
	const frenchTitle = await page.locator('article h1').textContent();
	await page.getByRole('link', { name: 'Read in English' }).click();
	await expect(page).toHaveURL(/\/en\/cours\//);
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await expect(page.getByRole('heading', { name: 'Lesson objectives' })).toBeVisible();
	await expect(page.locator('article h1')).not.toHaveText(frenchTitle!);

	// Remembered: the French home page opens in English.
	await page.goto('/');
	await expect(page).toHaveURL(/\/en$/);
	await expect(page.getByRole('heading', { level: 1, name: 'Courses' })).toBeVisible();

	await page.getByRole('link', { name: 'Lire en français' }).click();
	await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
	await page.goto('/glossaire');
	await expect(page).toHaveURL(/\/glossaire$/);
	await expect(page.getByRole('heading', { level: 1, name: 'Glossaire' })).toBeVisible();
});

test('a glossary term opens its definition by keyboard and closes with Escape', async ({
	page
}) => {
	await openFirstLesson(page);
	const term = page.locator('.prose .term button').first();
	await expect(term).toHaveAccessibleName(/^Définition de « .+ »$/);
	const popoverId = (await term.getAttribute('popovertarget'))!;
	const definition = page.locator(`[id="${popoverId}"]`);
	await expect(definition).toBeHidden();

	await term.focus();
	await page.keyboard.press('Enter');
	await expect(definition).toBeVisible();
	await expect(definition.locator('.name')).not.toBeEmpty();
	await page.keyboard.press('Escape');
	await expect(definition).toBeHidden();
	await expect(term).toBeFocused();
});

test('on a phone, a glossary term reads as part of its sentence and opens at a tap', async ({
	page
}) => {
	await openLessonOnPhone(page);
	const terms = page.locator('.prose .term');
	expect(await terms.count()).toBeGreaterThan(0);
	// Where a term meets the end of a line, its words go on to the next line as the sentence's do,
	// and the sentence goes on right after it: nothing is pushed to a line of its own.
	const lines = await terms.evaluateAll((all) =>
		all.map((term) => {
			const boxes = [...term.getClientRects()];
			// What follows the term in the sentence: past its (hidden) definition and Svelte's markers.
			let next = term.nextSibling;
			while (
				next &&
				(next.nodeType === Node.COMMENT_NODE ||
					(next instanceof HTMLElement && next.hasAttribute('popover')))
			)
				next = next.nextSibling;
			const text = next?.nodeType === Node.TEXT_NODE ? (next.textContent ?? '') : '';
			const first = text.search(/\S/);
			let nextTop: number | null = null;
			if (next && first >= 0) {
				const after = document.createRange();
				after.setStart(next, first);
				after.setEnd(next, first + 1);
				nextTop = Math.round(after.getBoundingClientRect().top);
			}
			return { lines: boxes.length, lastLineTop: Math.round(boxes.at(-1)?.top ?? NaN), nextTop };
		})
	);
	expect(lines.some((t) => t.lines > 1)).toBe(true);
	const followed = lines.filter((t) => t.nextTop !== null);
	expect(followed.length).toBeGreaterThan(0);
	for (const t of followed) expect(Math.abs(t.nextTop! - t.lastLineTop)).toBeLessThanOrEqual(2);
	// A tap on the words, here on the second line of a term that spans two, opens its definition.
	const split = terms.nth(lines.findIndex((t) => t.lines > 1));
	const definition = page.locator(
		`[id="${await split.locator('button').getAttribute('popovertarget')}"]`
	);
	await split.scrollIntoViewIfNeeded();
	await expect(async () => {
		// Blocks laid out as they come near the screen can move the term: aim once they have settled.
		await page.evaluate(
			() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))
		);
		const second = await split.evaluate((term) => {
			const box = term.getClientRects().item(1)!;
			return { x: box.left + Math.min(10, box.width / 2), y: box.top + box.height / 2 };
		});
		await page.mouse.click(second.x, second.y);
		await expect(definition).toBeVisible({ timeout: 1000 });
	}).toPass();
	// A tap inside the definition leaves it open; « Fermer » closes it.
	await definition.locator('.name').click();
	await expect(definition).toBeVisible();
	await definition.getByRole('button', { name: 'Fermer' }).click();
	await expect(definition).toBeHidden();
	await expectAccessible(page, 'lesson with terms, on a phone');
});

test('the glossary lists terms from A to Z and filters them without accents', async ({ page }) => {
	await page.goto('/glossaire');
	const terms = page.locator('dt');
	const total = await terms.count();
	expect(total).toBeGreaterThan(3);
	await page.getByLabel('Chercher un terme').fill('securite');
	await expect(async () => {
		const shown = await terms.count();
		expect(shown).toBeGreaterThan(0);
		expect(shown).toBeLessThan(total);
	}).toPass();
	for (const text of await terms.allTextContents()) expect(text.length).toBeGreaterThan(0);
	await page.getByLabel('Chercher un terme').fill('zzzz');
	await expect(page.getByRole('status')).toContainText('Aucun terme ne correspond');
});

test('an unknown address shows a French 404 page with a way home', async ({ page }) => {
	const response = await page.goto('/cette-page-n-existe-pas');
	expect(response?.status()).toBe(404);
	await expect(page.getByRole('heading', { level: 1, name: 'Page introuvable' })).toBeVisible();
	await page.getByRole('link', { name: "Retour à l'accueil" }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Les cours' })).toBeVisible();
});

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });
	test('a lesson is fully readable', async ({ page }) => {
		await page.goto('/');
		await page.locator('.courses h2 a').first().click();
		await page.locator('.lessons a').first().click();
		await expect(page.locator('article h1')).toBeVisible();
		await expect(page.locator('.prose p').first()).toBeVisible();
		expect((await page.locator('.prose').textContent())?.length).toBeGreaterThan(1500);
		// Blocks below the first screen are drawn when the reader reaches them.
		const last = page.locator('.prose > p').last();
		await last.scrollIntoViewIfNeeded();
		await expect.poll(async () => (await last.innerText()).length).toBeGreaterThan(20);
		await expect(page.getByRole('heading', { name: 'Sources' })).toBeVisible();
	});
});

test('a lesson laid out as the reader scrolls looks as it would laid out at once', async ({
	page
}) => {
	await openLessonOnPhone(page);
	const deferred = '.prose > *, .terms, .sources ul';
	const blocks = page.locator(deferred);
	expect(await blocks.count()).toBeGreaterThan(10);
	// Far below the first screen, a paragraph waits to be laid out…
	const paragraph = page.locator('.prose > p').last();
	expect(await paragraph.evaluate((e) => getComputedStyle(e).contentVisibility)).toBe('auto');
	// …and a focus ring drawn at its edge is not cut off.
	expect(await paragraph.evaluate((e) => getComputedStyle(e).overflowClipMargin)).toBe('8px');
	// A check waits in a space taller than itself (measured again below, once laid out).
	const check = page.locator('.prose > section.check');
	const waiting = await check.evaluate((e) => e.getBoundingClientRect().height);
	// On paper, everything is laid out.
	await page.emulateMedia({ media: 'print' });
	expect(
		await page
			.locator('.prose > *')
			.last()
			.evaluate((e) => getComputedStyle(e).contentVisibility)
	).toBe('visible');
	await page.emulateMedia({ media: 'screen' });
	const places = () =>
		blocks.evaluateAll((all) =>
			all.map((e) => {
				const box = e.getBoundingClientRect();
				return [Math.round(box.top + scrollY), Math.round(box.height)];
			})
		);
	const height = await page.evaluate(() => document.documentElement.scrollHeight);
	for (let y = 0; y < height * 2; y += 400) {
		await page.evaluate((y) => scrollTo(0, y), y);
		await page.waitForTimeout(20);
	}
	const scrolled = await places();
	expect(waiting).toBeGreaterThanOrEqual(
		await check.evaluate((e) => e.getBoundingClientRect().height)
	);
	await page.addStyleTag({ content: `${deferred} { content-visibility: visible !important }` });
	expect(scrolled).toEqual(await places());
});

test('catalogue, course, lesson and glossary pages have no serious accessibility violation', async ({
	page
}) => {
	await page.goto('/');
	await expectAccessible(page, 'catalogue');
	await page.locator('.courses h2 a').first().click();
	await expect(page.getByRole('heading', { name: 'Modules du cours' })).toBeVisible();
	await expectAccessible(page, 'course');
	await page.locator('.lessons a').first().click();
	await expect(page.locator('article h1')).toBeVisible();
	await expectAccessible(page, 'lesson');
	await page.goto('/glossaire');
	await expectAccessible(page, 'glossary');
});

test('the content security policy blocks nothing Kalan itself needs', async ({ page }) => {
	const violations: string[] = [];
	page.on('console', (msg) => {
		if (/Content Security Policy|Refused to/i.test(msg.text())) violations.push(msg.text());
	});
	await openFirstLesson(page);
	// Answering the check's first question loads the quiz engine.
	await answerFirstShown(page);
	await page.goto('/glossaire');
	await page.getByLabel('Chercher un terme').fill('police');
	expect(violations).toEqual([]);
});

test('a prerendered page receives its security policy as a header, and the policy holds', async ({
	page,
	request
}) => {
	const { course, lesson } = lessonWithCheck();
	const path = `/cours/${course.id}/${lesson.id}`;
	// As a phone asks for it: compressed, so the file sent is the build's .br.
	const response = await request.get(path, { headers: { 'accept-encoding': 'br' } });
	expect(response.headers()['content-encoding']).toBe('br');
	const policy = response.headers()['content-security-policy'];
	expect(policy).toContain("default-src 'self'");
	expect(policy).toMatch(/script-src 'self'( 'sha256-[\w+/=]+')+;/);
	expect(await response.text()).not.toContain('http-equiv="content-security-policy"');
	// The language script in the head and SvelteKit's own are allowed by their hashes…
	const violations: string[] = [];
	page.on('console', (msg) => {
		if (/Content Security Policy|Refused to/i.test(msg.text())) violations.push(msg.text());
	});
	await page.goto(path);
	// SvelteKit's inline script ran: it names the app's globals before starting it.
	await page.waitForFunction(() => Object.keys(window).some((k) => k.startsWith('__sveltekit_')));
	expect(violations).toEqual([]);
	// …and a script slipped into the page is not.
	await page.evaluate(() => {
		const script = document.createElement('script');
		script.textContent = 'window.injected = true';
		document.head.append(script);
	});
	expect(await page.evaluate(() => 'injected' in window)).toBe(false);
	expect(violations.join('\n')).toMatch(
		/Refused to execute inline script|inline script violates[^\n]*Content Security Policy/
	);
	// A page SvelteKit renders on request keeps the header it always had.
	const dashboard = await request.get('/connexion');
	expect(dashboard.headers()['content-security-policy']).toContain("default-src 'self'");
});

// A tap lands where the learner aimed only if nothing moves between the finger going down and up:
// content that arrives late (the download panel's code, the lesson's completion) keeps its place.
test('on a first visit, nothing on the course page moves when its code and the download panel arrive', async ({
	page
}) => {
	await page.addInitScript(() => {
		const shifts: number[] = [];
		Object.assign(window, { shifts });
		new PerformanceObserver((list) => {
			for (const entry of list.getEntries())
				shifts.push((entry as unknown as { value: number }).value);
		}).observe({ type: 'layout-shift', buffered: true });
	});
	await page.goto('/cours/ccs');
	const panel = page.getByRole('region', { name: 'Usage hors ligne' });
	await expect(
		panel.getByRole('button', { name: 'Télécharger pour usage hors ligne' })
	).toBeEnabled();
	await expect(panel).toContainText('Taille du téléchargement');
	expect(await page.evaluate(() => (window as unknown as { shifts: number[] }).shifts)).toEqual([]);
});

test('the « J’ai terminé » line keeps its height when the lesson is completed', async ({
	page
}) => {
	await page.goto('/cours/ccs/m1-l1-pourquoi-ccs');
	const slot = page.locator('article p.done');
	const button = slot.getByRole('button', { name: "J'ai terminé cette leçon" });
	await expect(button).toBeVisible();
	const before = (await slot.boundingBox())!.height;
	expect((await button.boundingBox())!.height).toBeLessThanOrEqual(before);
	await page.locator('.sources').scrollIntoViewIfNeeded();
	await expect(slot).toHaveText(/Leçon terminée/);
	expect((await slot.boundingBox())!.height).toBe(before);
});

test('a page paints its first frame before it fetches its code, then starts and registers its service worker', async ({
	page,
	request
}) => {
	// SSR pages run the same transform (unit-tested in src/lib/server/first-frame.test.ts).
	const { course, lesson } = lessonWithCheck();
	const path = `/cours/${course.id}/${lesson.id}`;
	const html = await (await request.get(path)).text();
	expect(html).not.toContain('rel="modulepreload"');
	const modules = /<script type="kalan\/start" data-preload="([^"]+)">/
		.exec(html)![1]!
		.split(' ')
		.map((href) => href.split('/').pop()!);
	expect(modules.length).toBeGreaterThan(2);

	// In the page, before its own scripts: when the first frame with all the page's text (its footer;
	// the scripts come after it) comes, and which modules are announced, when.
	await page.addInitScript(() => {
		const w = window as unknown as { frame?: number; announced: { href: string; at: number }[] };
		w.announced = [];
		const look = () => {
			if (document.querySelector('footer')) w.frame = performance.now();
			else requestAnimationFrame(look);
		};
		requestAnimationFrame(look);
		new MutationObserver((records) => {
			for (const record of records)
				for (const node of record.addedNodes)
					if (node instanceof HTMLLinkElement && node.rel === 'modulepreload')
						w.announced.push({ href: node.href, at: performance.now() });
		}).observe(document, { childList: true, subtree: true });
	});
	await page.goto(path);
	// The page started: it registers the service worker itself once started and loaded.
	await page.waitForFunction(
		async () => !!(await navigator.serviceWorker.getRegistration()),
		null,
		{
			timeout: 15_000
		}
	);
	const seen = await page.evaluate(() => ({
		...(window as unknown as { frame: number; announced: { href: string; at: number }[] }),
		inert: document.querySelectorAll('script[type="kalan/start"]').length
	}));
	expect(seen.inert).toBe(0);
	// The page's modules first, in the HTML's order; then what its code loads later.
	expect(seen.announced.slice(0, modules.length).map((a) => a.href.split('/').pop())).toEqual(
		modules
	);
	for (const { href, at } of seen.announced)
		expect(at, `${href} announced before the first frame`).toBeGreaterThan(seen.frame);
	// The check's question is live: the page's code took over the HTML.
	await answerFirstShown(page);
});
