import { expect, test, type Page } from '@playwright/test';
import { answer, catalog, shownQuestion } from './content';

const course = catalog.courses.find((c) => c.id === 'rss-triptyque') ?? catalog.courses[0]!;
const firstModule = course.modules[0]!;
const assessmentQuiz = course.quizzes[firstModule.assessment!]!;

/** Events of a verb in the browser's own IndexedDB log. */
function countEvents(page: Page, verb: string): Promise<number> {
	return page.evaluate(
		(verb) =>
			new Promise<number>((resolve, reject) => {
				const open = indexedDB.open('kalan');
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					const all = open.result.transaction('events').objectStore('events').getAll();
					all.onsuccess = () => {
						resolve((all.result as { verb: string }[]).filter((e) => e.verb === verb).length);
						open.result.close();
					};
				};
			}),
		verb
	);
}

async function serviceWorkerReady(page: Page) {
	await page.waitForFunction(async () => {
		const reg = await navigator.serviceWorker.ready;
		return !!reg.active && !!navigator.serviceWorker.controller;
	});
}

test('a course downloaded online can be read, and its assessment taken, with no network', async ({
	page,
	context
}) => {
	test.setTimeout(120_000);
	await page.goto(`/cours/${course.id}`);
	await serviceWorkerReady(page);
	const download = page.getByRole('region', { name: 'Usage hors ligne' });
	await expect(download.getByText(/Taille du téléchargement : \d/)).toBeVisible();
	await download.getByRole('button', { name: 'Télécharger pour usage hors ligne' }).click();
	await expect(
		download.getByText('Ce cours est disponible hors ligne sur ce téléphone.')
	).toBeVisible({ timeout: 30_000 });

	await context.setOffline(true);
	for (const lessonId of Object.keys(course.lessons)) {
		const response = await page.goto(`/cours/${course.id}/${lessonId}`);
		await expect(page.locator('article h1')).toHaveText(course.lessons[lessonId]!.fr.title);
		// Stored with its headers: the page keeps its security policy offline.
		expect(response?.fromServiceWorker()).toBe(true);
		expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
		if (firstModule.lessons.includes(lessonId)) {
			// Reaching the end of a lesson completes it.
			await page.locator('section.sources').scrollIntoViewIfNeeded();
			await expect(page.locator('article header').getByText('Terminée')).toBeVisible();
		}
	}
	await expect(page.locator('.status-line').getByText('Hors ligne')).toBeVisible();

	await page.goto(`/cours/${course.id}/${firstModule.id}/evaluation`);
	await page.getByRole('button', { name: "Commencer l'évaluation" }).click();
	const total =
		assessmentQuiz.mode === 'assessment'
			? (assessmentQuiz.draw ?? assessmentQuiz.questions.length)
			: 0;
	for (let i = 1; i <= total; i++) {
		await answer(page, await shownQuestion(page, assessmentQuiz), 'right');
		await page
			.getByRole('button', { name: i < total ? 'Question suivante' : "Terminer l'évaluation" })
			.click();
	}
	await expect(page.getByText('Évaluation réussie')).toBeVisible();
	// The result is on screen as soon as the machine moves; the write lands a moment later.
	await expect.poll(() => countEvents(page, 'quiz.completed')).toBeGreaterThan(0);

	await page.reload();
	await page.goto(`/cours/${course.id}`);
	const mine = page.getByRole('region', { name: 'Votre progression dans ce cours' });
	const expected = Math.floor(
		(100 * (firstModule.lessons.length + 1)) /
			(Object.keys(course.lessons).length + course.modules.filter((m) => m.assessment).length)
	);
	await expect(mine.getByRole('progressbar')).toHaveAttribute('aria-valuenow', String(expected));
	for (const lessonId of firstModule.lessons) {
		const item = page
			.locator('.lessons li')
			.filter({ has: page.locator(`a[href$="/${lessonId}"]`) });
		await expect(item.getByText('Terminée')).toBeVisible();
	}
	await expect(page.locator('.assessment').first().getByText('Réussie')).toBeVisible();
	await expect(page.locator('.status-line')).toContainText(/en attente d'envoi/);

	await page.goto('/progres');
	await expect(page.getByRole('heading', { name: course.title.fr })).toBeVisible();
	await expect(
		page.getByText(`Leçons terminées : ${firstModule.lessons.length} sur`)
	).toBeVisible();
});

test('a page that was not downloaded shows the offline page when there is no network', async ({
	page,
	context
}) => {
	const other = catalog.courses.find((c) => c.id !== course.id)!;
	await page.goto('/');
	await serviceWorkerReady(page);
	await context.setOffline(true);
	await page.goto(`/cours/${other.id}/${other.modules[0]!.lessons[0]}`);
	await expect(page.getByRole('heading', { level: 1, name: 'Vous êtes hors ligne' })).toBeVisible();
	await expect(page.getByText("Cette page n'a pas été téléchargée")).toBeVisible();
	// The app shell itself works offline.
	await page.goto('/glossaire');
	await expect(page.getByRole('heading', { level: 1, name: 'Glossaire' })).toBeVisible();
});

test('when IndexedDB is unavailable, lessons still read and a banner says progress cannot be saved', async ({
	page
}) => {
	await page.addInitScript(() => {
		Object.defineProperty(window, 'indexedDB', { get: () => undefined, configurable: true });
	});
	await page.goto(`/cours/${course.id}/${firstModule.lessons[0]}`);
	await expect(page.locator('article h1')).toBeVisible();
	await expect(
		page.getByRole('alert').filter({ hasText: 'Vos progrès ne peuvent pas être enregistrés' })
	).toBeVisible();
	await expect(page.locator('.prose p').first()).toBeVisible();
});

test('a new version of Kalan is offered, never forced', async ({ page }) => {
	await page.goto('/');
	await serviceWorkerReady(page);
	// A new build: the same scope gets another service worker script, which installs and waits.
	await page.evaluate(async () => {
		await navigator.serviceWorker.register('/service-worker.js?build=next');
	});
	const banner = page.getByText('Une nouvelle version de Kalan est prête.');
	await expect(banner).toBeVisible({ timeout: 20_000 });
	await page.getByRole('button', { name: 'Mettre à jour maintenant' }).click();
	await expect(banner).toBeHidden({ timeout: 20_000 });
	await expect(page.getByRole('heading', { level: 1, name: 'Les cours' })).toBeVisible();
});

test('two people share a phone: each profile keeps its own progress, and a PIN guards it', async ({
	page
}) => {
	await page.goto(`/cours/${course.id}/${firstModule.lessons[0]}`);
	await page.locator('section.sources').scrollIntoViewIfNeeded();
	await expect(page.locator('article header').getByText('Terminée')).toBeVisible();
	await page.goto('/profil');
	await page.getByLabel('Votre nom').fill('Awa');
	await page.getByRole('button', { name: 'Enregistrer' }).click();
	await expect(page.getByRole('link', { name: 'Profil : Awa' })).toBeVisible();

	await page.getByLabel('Nom de la nouvelle personne').fill('Moussa');
	await page.getByLabel('Code (PIN) facultatif, 4 à 6 chiffres').last().fill('4821');
	await page.getByRole('button', { name: 'Ajouter une personne sur ce téléphone' }).click();
	await expect(page.getByRole('link', { name: 'Profil : Moussa' })).toBeVisible();
	await page.goto('/progres');
	await expect(page.getByText("Vous n'avez pas encore commencé de cours.")).toBeVisible();

	await page.goto('/profil');
	await page.getByRole('button', { name: 'Ouvrir ce profil' }).click();
	await expect(page.getByRole('link', { name: 'Profil : Awa' })).toBeVisible();
	await page.getByLabel('Code de Moussa').fill('0000');
	await page.getByRole('button', { name: 'Ouvrir ce profil' }).click();
	await expect(page.getByRole('alert')).toContainText('Code incorrect');
	await expect(page.getByRole('link', { name: 'Profil : Awa' })).toBeVisible();
	await page.goto('/progres');
	await expect(page.getByText(`Leçons terminées : 1 sur`)).toBeVisible();
});
