import { expect, test, type Browser, type Page } from '@playwright/test';
import { catalog } from './content';

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
	const row = page.getByRole('row', { name: /Aminata Keïta/ });
	await expect(row).toBeVisible();
	const total = course.lessonCount + course.modules.filter((m) => m.assessment).length;
	const column = (await page.getByRole('columnheader').allTextContents()).findIndex(
		(h) => h.trim() === course.title.fr
	);
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
