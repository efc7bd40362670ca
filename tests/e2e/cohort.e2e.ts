import { readFileSync } from 'node:fs';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { catalog } from './content';
import { expectAccessible } from './helpers';

// One story, in order: the first administrator, an instructor and their cohort, a learner who
// studied before joining, the instructor seeing that learner's progress, the learner on a new phone.
test.describe.configure({ mode: 'serial' });

const course = catalog.courses.find((c) => c.id === 'rss-triptyque') ?? catalog.courses[0]!;
const lessonPath = `/cours/${course.id}/${course.modules[0]!.lessons[0]}`;
const staff = { admin: 'admin', instructor: 'fatoumata', password: 'mot-de-passe-solide' };
let joinCode = '';
let cohortUrl = '';

async function signIn(page: Page, username: string) {
	await page.goto('/connexion');
	await page.getByLabel("Nom d'utilisateur").fill(username);
	await page.getByLabel('Mot de passe').fill(staff.password);
	await page.getByRole('button', { name: 'Se connecter' }).click();
	await page.waitForURL(/\/(admin|formateur)$/);
}

async function freshPhone(browser: Browser) {
	const context = await browser.newContext();
	return { context, page: await context.newPage() };
}

test('the first-run page creates the administrator, then refuses', async ({ page, browser }) => {
	await page.goto('/installation');
	await page.getByLabel("Nom d'utilisateur").fill(staff.admin);
	await page.getByLabel('Mot de passe').fill(staff.password);
	await page.getByRole('button', { name: 'Créer le compte administrateur' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Administration' })).toBeVisible();

	await page.getByLabel('Nom affiché').fill('Fatoumata Diarra');
	await page.getByLabel("Nom d'utilisateur").fill(staff.instructor);
	await page.getByLabel('Mot de passe').fill(staff.password);
	await page.getByRole('button', { name: 'Créer le compte formateur' }).click();
	await expect(page.getByText('Compte créé.')).toBeVisible();

	const other = await freshPhone(browser);
	await other.page.goto('/installation');
	await expect(other.page.getByText('Kalan est déjà installé')).toBeVisible();
	await other.context.close();
});

test('an instructor creates a cohort and gets its join code', async ({ page }) => {
	await signIn(page, staff.instructor);
	await expect(page.getByRole('heading', { level: 1, name: 'Mes promotions' })).toBeVisible();
	await expect(page.getByText("Vous n'avez pas encore de promotion")).toBeVisible();
	await page.getByLabel('Nom de la promotion').fill('Promotion Kalanba 2026');
	await page.getByRole('button', { name: 'Créer la promotion' }).click();
	await expect(
		page.getByRole('heading', { level: 1, name: 'Promotion Kalanba 2026' })
	).toBeVisible();
	joinCode = (await page.getByTestId('join-code').textContent())!.trim();
	expect(joinCode).toMatch(/^[A-Z2-9]{6}$/);
	cohortUrl = new URL(page.url()).pathname;
	await expect(page.getByText("Personne n'a encore rejoint cette promotion")).toBeVisible();
	await page.getByRole('link', { name: "Imprimer la fiche d'inscription" }).click();
	await expect(page.getByText(joinCode).first()).toBeVisible();
	await expect(page.locator('.qr svg')).toBeVisible();
});

test('a learner studies offline, joins with the code, and the instructor sees the progress', async ({
	browser,
	page
}) => {
	const phone = await freshPhone(browser);
	await phone.page.goto(lessonPath);
	await expect(phone.page.locator('article h1')).toBeVisible();
	await expect(phone.page.locator('.status-line')).toBeVisible(); // the device layer is up
	await phone.context.setOffline(true);
	await phone.page.locator('section.sources').scrollIntoViewIfNeeded();
	await expect(phone.page.locator('article header').getByText('Terminée')).toBeVisible();
	await expect(phone.page.locator('.status-line')).toContainText('en attente');
	await phone.context.setOffline(false);

	await phone.page.goto(`/rejoindre?code=${joinCode}`);
	await expect(phone.page.getByLabel('Code de la promotion').first()).toHaveValue(joinCode);
	await phone.page.getByLabel('Votre nom', { exact: true }).fill('Aminata Keïta');
	await phone.page.getByLabel('Choisissez un code PIN (4 à 6 chiffres)').fill('2468');
	await phone.page.getByRole('button', { name: 'Rejoindre', exact: true }).click();
	await expect(
		phone.page.getByText('Vous avez rejoint la promotion « Promotion Kalanba 2026 »')
	).toBeVisible();
	await expect(phone.page.locator('.status-line')).not.toContainText('en attente', {
		timeout: 15_000
	});
	await phone.context.close();

	await signIn(page, staff.instructor);
	await page.goto(cohortUrl);
	const row = page.getByTestId('grid').getByRole('row', { name: /Aminata Keïta/ });
	await expect(row).toBeVisible();
	const total = course.lessonCount + course.modules.filter((m) => m.assessment).length;
	const column = (
		await page.getByTestId('grid').getByRole('columnheader').allTextContents()
	).findIndex((h) => h.trim() === course.title.fr);
	expect(column).toBeGreaterThan(0);
	await expect(row.locator('th, td').nth(column)).toHaveText(`${Math.floor(100 / total)} %`);
});

test('the learner signs in on a new phone with code, name and PIN, and finds their progress', async ({
	browser
}) => {
	const phone = await freshPhone(browser);
	await phone.page.goto('/rejoindre');
	await phone.page.getByLabel('Code de la promotion').nth(1).fill(joinCode);
	await phone.page.getByLabel('Votre nom ou votre matricule').fill('Aminata Keïta');
	await phone.page.getByLabel('Votre code PIN').fill('1111');
	await phone.page.getByRole('button', { name: 'Retrouver mes progrès' }).click();
	await expect(phone.page.getByRole('alert')).toBeVisible();

	await phone.page.getByLabel('Votre code PIN').fill('2468');
	await phone.page.getByRole('button', { name: 'Retrouver mes progrès' }).click();
	await expect(phone.page.getByText('Bienvenue Aminata Keïta')).toBeVisible();
	await phone.page.goto('/progres');
	await expect(phone.page.getByText('Leçons terminées : 1 sur')).toBeVisible({ timeout: 15_000 });
	await phone.context.close();
});

test('a learner cannot open instructor pages, and an instructor only their own cohorts', async ({
	browser,
	page
}) => {
	const phone = await freshPhone(browser);
	const response = await phone.page.goto(cohortUrl);
	expect(response?.url()).toContain('/connexion');
	await phone.context.close();

	await signIn(page, staff.admin);
	await page.goto('/formateur/promotions/une-promotion-qui-n-existe-pas');
	await expect(page.getByRole('heading', { level: 1, name: 'Page introuvable' })).toBeVisible();
});

test('the dashboard shows two learners’ synced events: cells, the learner at risk, item analysis, CSV', async ({
	browser,
	page
}) => {
	test.setTimeout(120_000); // four pages, each checked by axe
	// A second learner joins and syncs from a phone: two lessons done, the first assessment failed twice.
	const phone = await freshPhone(browser);
	const joined = await phone.context.request.post('/api/auth/join', {
		data: { code: joinCode, displayName: 'Moussa Diarra', pin: '1357' }
	});
	expect(joined.status()).toBe(201);
	const learnerId = ((await joined.json()) as { user: { id: string } }).user.id;
	const module1 = course.modules[0]!;
	const quiz = course.quizzes[module1.assessment!]!;
	const first = quiz.questions[0]!;
	if (first.type !== 'single')
		throw new Error('the first question of the assessment is a single choice');
	const wrong = first.choices.find((c) => !c.correct)!;
	let t = Date.now() - 3_600_000;
	let n = 0;
	const event = (draft: Record<string, unknown>) => ({
		id: `e2e-moussa-${++n}`,
		learnerId,
		at: new Date((t += 60_000)).toISOString(),
		courseId: course.id,
		courseVersion: course.version,
		...draft
	});
	const events = [
		...module1.lessons
			.slice(0, 2)
			.flatMap((lessonId) => [
				event({ verb: 'lesson.opened', lessonId }),
				event({ verb: 'lesson.completed', lessonId, result: { durationMs: 300_000 } })
			]),
		...[1, 2].flatMap(() => [
			event({ verb: 'quiz.started', quizId: quiz.id }),
			event({
				verb: 'quiz.answered',
				quizId: quiz.id,
				questionId: first.id,
				result: { score: 0, success: false, response: wrong.id }
			}),
			event({ verb: 'quiz.completed', quizId: quiz.id, result: { score: 0.2, success: false } })
		])
	];
	const pushed = await phone.context.request.post('/api/sync/events', { data: { events } });
	expect(pushed.status()).toBe(200);
	expect(((await pushed.json()) as { accepted: string[] }).accepted).toHaveLength(events.length);
	await phone.context.close();

	await signIn(page, staff.instructor);
	await expect(
		page.getByTestId('cohorts').getByRole('row', { name: /Promotion Kalanba 2026/ })
	).toContainText('2');
	await expectAccessible(page, 'the cohort list');
	await page.goto(cohortUrl);
	const grid = page.getByTestId('grid');
	const headers = await grid.getByRole('columnheader').allTextContents();
	const lessonColumn = (id: string) =>
		headers.findIndex((h) => h.includes(course.lessons[id]!.fr.title));
	const moussa = grid.getByRole('row', { name: /Moussa Diarra/ });
	const aminata = grid.getByRole('row', { name: /Aminata Keïta/ });
	for (const id of module1.lessons.slice(0, 2))
		await expect(moussa.locator('th, td').nth(lessonColumn(id))).toContainText('terminée');
	await expect(moussa.locator('th, td').nth(lessonColumn(module1.lessons[2]!))).toContainText(
		'pas commencée'
	);
	await expect(aminata.locator('th, td').nth(lessonColumn(module1.lessons[0]!))).toContainText(
		'terminée'
	);
	const assessmentColumn = headers.findIndex((h) => h.includes(`Évaluation — ${module1.title.fr}`));
	await expect(moussa.locator('th, td').nth(assessmentColumn)).toContainText('20 %');
	await expect(moussa.locator('th, td').nth(assessmentColumn)).toContainText('non réussie');

	const atRisk = page.getByTestId('at-risk');
	await expect(atRisk.getByRole('listitem').filter({ hasText: 'Moussa Diarra' })).toContainText(
		`« ${quiz.title.fr} » échouée 2 fois`
	);
	await expect(atRisk).not.toContainText('Aminata');
	await expectAccessible(page, 'the cohort page');

	// Sorting by progress puts the learner who did more first.
	await page.getByRole('link', { name: /^Avancement/ }).click();
	await expect(grid.getByRole('row').nth(1)).toContainText('Moussa Diarra');

	const download = page.waitForEvent('download');
	await page.getByRole('link', { name: 'Télécharger le tableau (CSV)' }).click();
	const csv = readFileSync(await (await download).path(), 'utf8');
	expect(csv.charCodeAt(0)).toBe(0xfeff);
	const lines = csv.slice(1).trimEnd().split('\r\n');
	expect(lines[0]).toMatch(/^Nom,Matricule,Inscription,Dernière activité,/);
	expect(lines).toHaveLength(3);
	const moussaLine = lines.find((l) => l.startsWith('Moussa Diarra,'))!;
	expect(moussaLine).toContain(',20,non,');
	expect(moussaLine).toContain('échouée 2 fois');
	expect(lines.some((l) => l.startsWith('Aminata Keïta,'))).toBe(true);

	await page.getByRole('link', { name: `Analyse des questions — ${quiz.title.fr}` }).click();
	await expect(page.getByRole('heading', { level: 1 })).toContainText(quiz.title.fr);
	const q1 = page.getByTestId('items').getByRole('row').nth(1);
	await expect(q1).toContainText(first.prompt.fr);
	await expect(q1).toContainText('provisoire');
	await expect(q1).toContainText(`« ${wrong.text.fr} »`);
	await expect(q1.locator('td').nth(2)).toHaveText('0 %');
	await expectAccessible(page, 'the item analysis');

	await page.goto(cohortUrl);
	await page.getByTestId('at-risk').getByRole('link', { name: 'Moussa Diarra' }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Moussa Diarra' })).toBeVisible();
	await expect(page.getByTestId('attempts').getByRole('row')).toHaveCount(3);
	await expect(page.getByTestId('timeline').getByRole('listitem')).toHaveCount(events.length);
	await expectAccessible(page, 'the learner page');

	await page.goto(`${cohortUrl}?apprenant=quelqu-un-d-autre`);
	await expect(page.getByRole('heading', { level: 1, name: 'Page introuvable' })).toBeVisible();
	await expect(page.getByRole('link', { name: "Retour à l'accueil" })).toBeVisible();
});
