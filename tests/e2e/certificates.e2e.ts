import { randomUUID } from 'node:crypto';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { catalog } from './content';
import { expectAccessible } from './helpers';

// One story, in order: an instructor and a cohort; a recruit whose phone holds a completed course
// syncs and receives a signed certificate, sees it and prints it; the verification page confirms
// it; a verifier's phone checks it with the network off and refuses a tampered copy; the
// instructor revokes it. Then bad input, and a self-learner's unsigned record of study.
//
// The recruit's completion is written into the phone's own event log (what the lesson pages and
// the assessment record, here for a whole course at once): reading eight lessons and passing three
// assessments through the interface is what reader.e2e.ts and quiz.e2e.ts already cover.
test.describe.configure({ mode: 'serial' });

const course = catalog.courses.find((c) => c.id === 'rss-triptyque') ?? catalog.courses[0]!;
// The administrator cohort.e2e.ts creates on the first-run page (that project runs first).
const admin = { username: 'admin', password: 'mot-de-passe-solide' };
const instructor = {
	name: 'Mariam Coulibaly',
	username: 'mariam',
	password: 'mot-de-passe-certificats'
};
const recruit = { name: 'Awa Traoré', serviceNumber: 'PN-20451', pin: '1357' };
let joinCode = '';
let code = '';
let link = '';

async function signIn(page: Page, username: string, password: string) {
	await page.goto('/connexion');
	await page.getByLabel("Nom d'utilisateur").fill(username);
	await page.getByLabel('Mot de passe').fill(password);
	await page.getByRole('button', { name: 'Se connecter' }).click();
	await page.waitForURL(/\/(admin|formateur)$/);
}

async function freshPhone(browser: Browser) {
	const context = await browser.newContext();
	return { context, page: await context.newPage() };
}

async function serviceWorkerReady(page: Page) {
	await page.waitForFunction(async () => {
		const reg = await navigator.serviceWorker.ready;
		return !!reg.active && !!navigator.serviceWorker.controller;
	});
}

/** Every lesson of the course completed and every module assessment passed, as the phone records them. */
function completion(learnerId: string) {
	let clock = Date.now() - 3 * 24 * 60 * 60 * 1000;
	const base = () => ({
		id: randomUUID(),
		learnerId,
		at: new Date((clock += 60_000)).toISOString(),
		courseId: course.id,
		courseVersion: course.version,
		syncedAt: 0
	});
	return course.modules.flatMap((m) => [
		...m.lessons.map((lessonId) => ({
			...base(),
			verb: 'lesson.completed',
			lessonId,
			result: { durationMs: 300_000 }
		})),
		...(m.assessment
			? [
					{
						...base(),
						verb: 'quiz.completed',
						quizId: m.assessment,
						result: { score: 0.9, success: true, durationMs: 240_000 }
					}
				]
			: [])
	]);
}

/** Adds rows to the phone's IndexedDB event log, as the app's own recording does. */
function addToLog(page: Page, rows: object[]) {
	return page.evaluate(
		(rows) =>
			new Promise<void>((resolve, reject) => {
				const open = indexedDB.open('kalan');
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					const tx = open.result.transaction('events', 'readwrite');
					for (const row of rows) tx.objectStore('events').put(row);
					tx.oncomplete = () => {
						open.result.close();
						resolve();
					};
					tx.onerror = () => reject(tx.error);
				};
			}),
		rows
	);
}

/** The current profile's id, read from the phone's settings. */
function currentProfile(page: Page) {
	return page.evaluate(
		() =>
			new Promise<string>((resolve, reject) => {
				const open = indexedDB.open('kalan');
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					const get = open.result
						.transaction('settings')
						.objectStore('settings')
						.get('currentProfile');
					get.onsuccess = () => {
						open.result.close();
						resolve(get.result.value as string);
					};
				};
			})
	);
}

test('an instructor creates a cohort for the recruits', async ({ page }) => {
	await signIn(page, admin.username, admin.password);
	await page.goto('/admin');
	await page.getByLabel('Nom affiché').fill(instructor.name);
	await page.getByLabel("Nom d'utilisateur").fill(instructor.username);
	await page.getByLabel('Mot de passe').fill(instructor.password);
	await page.getByRole('button', { name: 'Créer le compte formateur' }).click();
	await expect(page.getByText('Compte créé.')).toBeVisible();

	await page.context().clearCookies();
	await signIn(page, instructor.username, instructor.password);
	await page.getByLabel('Nom de la promotion').fill('Promotion Certificats 2026');
	await page.getByRole('button', { name: 'Créer la promotion' }).click();
	joinCode = (await page.getByTestId('join-code').textContent())!.trim();
	expect(joinCode).toMatch(/^[A-Z2-9]{6}$/);
});

test('a recruit who completed a course syncs, receives the certificate, sees it and prints it', async ({
	browser
}) => {
	test.setTimeout(90_000);
	const phone = await freshPhone(browser);
	const { page } = phone;
	await page.goto(`/rejoindre?code=${joinCode}`);
	await page.getByLabel('Votre nom', { exact: true }).fill(recruit.name);
	await page.getByLabel('Matricule (facultatif)').fill(recruit.serviceNumber);
	await page.getByLabel('Choisissez un code PIN (4 à 6 chiffres)').fill(recruit.pin);
	await page.getByRole('button', { name: 'Rejoindre', exact: true }).click();
	await expect(page.getByText('Vous avez rejoint la promotion')).toBeVisible();

	// Before completing the course: no certificate.
	await page.goto('/certificats');
	await expect(page.getByText("Vous n'avez pas encore de certificat")).toBeVisible();

	await addToLog(page, completion(await currentProfile(page)));
	await page.reload(); // the app folds the log again and its sync engine sends the new events
	const card = page.getByRole('listitem').filter({ hasText: course.title.fr });
	await expect(card).toBeVisible({ timeout: 30_000 });
	await expect(page.locator('.status-line')).not.toContainText('en attente');
	code = (await card.locator('strong').first().textContent())!.trim();
	expect(code).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}$/);
	await expectAccessible(page, '/certificats');

	await card.getByRole('link', { name: 'Voir et imprimer le certificat' }).click();
	const sheet = page.getByRole('article');
	await expect(sheet.getByRole('heading', { name: 'Certificat de réussite' })).toBeVisible();
	await expect(sheet.getByText(recruit.name)).toBeVisible();
	await expect(sheet.getByText(`Matricule : ${recruit.serviceNumber}`)).toBeVisible();
	await expect(sheet.getByText(course.title.fr)).toBeVisible();
	await expect(sheet.getByText('Promotion Certificats 2026')).toBeVisible();
	await expect(sheet.getByText(instructor.name)).toBeVisible();
	await expect(sheet.getByText('Certificate of completion')).toBeVisible();
	await expect(sheet.getByTestId('certificate-code')).toHaveText(code);
	for (const m of course.modules.filter((m) => m.assessment))
		await expect(sheet.getByRole('row', { name: `${m.title.fr} 90 %` })).toBeVisible();
	await expect(sheet.getByRole('img', { name: new RegExp(code) }).locator('svg')).toBeVisible();
	await expectAccessible(page, '/certificats/voir');
	link = await page.evaluate(
		(code) =>
			new Promise<string>((resolve, reject) => {
				const open = indexedDB.open('kalan');
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					const get = open.result.transaction('certificates').objectStore('certificates').get(code);
					get.onsuccess = () => {
						open.result.close();
						resolve(get.result.link as string);
					};
				};
			}),
		code
	);
	expect(link).toMatch(new RegExp(`/verifier/${code}#[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{86}$`));

	// Printing: the button opens the print dialog; the sheet alone fills one A4 page.
	await page.evaluate(() => {
		(window as unknown as { printed: number }).printed = 0;
		window.print = () => void (window as unknown as { printed: number }).printed++;
	});
	await page.getByRole('button', { name: 'Imprimer ou enregistrer en PDF' }).click();
	expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
	await page.emulateMedia({ media: 'print' });
	await expect(page.locator('header.site')).toBeHidden();
	await expect(page.getByRole('button', { name: 'Imprimer ou enregistrer en PDF' })).toBeHidden();
	await expect(sheet).toBeVisible();
	const pdf = (await page.pdf({ format: 'A4', preferCSSPageSize: true })).toString('latin1');
	expect(pdf.match(/\/Type\s*\/Page(?!s)/g)).toHaveLength(1);
	await page.emulateMedia({ media: 'screen' });

	// The certificate stays on the phone: offline, it still shows, once the service worker (registered
	// by the page a few seconds after `load`) has installed and taken the page over.
	await serviceWorkerReady(page);
	await phone.context.setOffline(true);
	await page.reload();
	await expect(page.getByTestId('certificate-code')).toHaveText(code);
	await phone.context.close();
});

test('the verification page confirms the certificate', async ({ page }) => {
	const response = await page.goto(`/verifier/${code}`);
	expect(response?.status()).toBe(200);
	await expect(page.getByRole('heading', { level: 1, name: 'Certificat valide' })).toBeVisible();
	await expect(page.getByTestId('status')).toContainText(recruit.name);
	await expect(page.getByTestId('status')).toContainText(course.title.fr);
	await expectAccessible(page, '/verifier/<code>');
});

test('a verifier’s phone checks the certificate with the network off, and refuses a tampered one', async ({
	browser
}) => {
	test.setTimeout(90_000);
	const { context, page } = await freshPhone(browser);
	await page.goto('/verifier');
	await serviceWorkerReady(page);
	await expect(page.getByText('La clé de vérification est sur ce téléphone')).toBeVisible();
	await expectAccessible(page, '/verifier');

	await context.setOffline(true);
	await page.reload();
	await expect(page.getByText('La clé de vérification est sur ce téléphone')).toBeVisible();
	const field = page.getByLabel('Lien ou contenu du code QR');
	const verify = page.getByRole('button', { name: 'Vérifier le certificat' });
	const result = page.getByTestId('verify-result');

	await field.fill(link);
	await verify.click();
	await expect(result).toContainText(
		"Certificat authentique : signé par Kalan, rien n'a été modifié."
	);
	await expect(result).toContainText(recruit.name);
	await expect(result).toContainText(code);

	// One character of the signed content changed: refused.
	const token = link.slice(link.indexOf('#') + 1);
	const [body, signature] = token.split('.') as [string, string];
	const at = 20;
	await field.fill(
		body.slice(0, at) + (body[at] === 'A' ? 'B' : 'A') + body.slice(at + 1) + '.' + signature
	);
	await verify.click();
	await expect(result).toHaveText(/^✗/);
	await expect(result).not.toContainText('authentique :');
	// Another name written into the payload, the signature kept: the signature no longer matches.
	const forged = Buffer.from(
		Buffer.from(body, 'base64url').toString('utf8').replace(recruit.name, 'Awa Traore'),
		'utf8'
	).toString('base64url');
	await field.fill(`${link.slice(0, link.indexOf('#'))}#${forged}.${signature}`);
	await verify.click();
	await expect(result).toContainText('Certificat NON authentique');

	await field.fill('ceci n’est pas un certificat');
	await verify.click();
	await expect(result).toContainText("Ce texte n'est pas un certificat Kalan.");
	await field.fill('x'.repeat(200_000));
	await verify.click();
	await expect(result).toContainText('beaucoup trop long');
	await field.fill('');
	await verify.click();
	await expect(result).toContainText("Collez d'abord le lien");
	await expectAccessible(page, '/verifier (result)');

	// The QR code's link opened with no network lands on the offline check, which confirms it.
	await page.goto(link);
	await expect(page.getByTestId('verify-result')).toContainText('Certificat authentique', {
		timeout: 15_000
	});
	await context.close();
});

test('the instructor revokes the certificate with a reason; online verification shows it revoked', async ({
	page
}) => {
	await signIn(page, instructor.username, instructor.password);
	await page.goto('/formateur/certificats');
	const row = page.getByRole('row').filter({ hasText: code });
	await expect(row).toContainText(recruit.name);
	await expectAccessible(page, '/formateur/certificats');
	await row.getByText('Révoquer…').click();
	await row.getByLabel('Motif de la révocation').fill('Évaluation passée par une autre personne');
	await row.getByRole('button', { name: `Révoquer le certificat ${code}` }).click();
	await expect(page.getByText(`Certificat ${code} révoqué.`)).toBeVisible();
	await expect(page.getByRole('row').filter({ hasText: code })).toContainText('Révoqué');

	await page.goto(`/verifier/${code}`);
	await expect(page.getByRole('heading', { level: 1, name: 'Certificat révoqué' })).toBeVisible();
	await expect(page.getByTestId('status')).toContainText(
		'Évaluation passée par une autre personne'
	);
});

test('bad input gets a clear message, never a server error', async ({ page, request }) => {
	const unknown = await page.goto('/verifier/ZZZZ-ZZZZ');
	expect(unknown?.status()).toBe(200);
	await expect(page.getByRole('heading', { level: 1, name: 'Certificat inconnu' })).toBeVisible();
	await expect(page.getByTestId('status')).toContainText(
		'Aucun certificat ne porte le code ZZZZ-ZZZZ'
	);

	for (const bad of ['%3Cscript%3E', 'K0M2-9QXR', 'A'.repeat(4000)]) {
		const response = await page.goto(`/verifier/${bad}`);
		expect(response?.status()).toBe(200);
		await expect(page.getByRole('heading', { level: 1, name: 'Code mal formé' })).toBeVisible();
		await expect(page.getByTestId('status')).toContainText('comme K7M2-9QXR');
	}

	const api = async (path: string) => {
		const response = await request.get(path);
		return { status: response.status(), body: (await response.json()) as Record<string, unknown> };
	};
	expect(await api('/api/certificates/ZZZZ-ZZZZ')).toMatchObject({
		status: 404,
		body: { status: 'unknown', error: expect.stringContaining('ZZZZ-ZZZZ') }
	});
	expect(await api(`/api/certificates/${'x'.repeat(4000)}`)).toMatchObject({
		status: 400,
		body: { error: expect.stringContaining('mal formé') }
	});
	expect(await api(`/api/certificates/${code}`)).toMatchObject({
		status: 200,
		body: { status: 'revoked', code }
	});
	expect(await api('/api/certificates')).toMatchObject({
		status: 401,
		body: { error: expect.stringContaining('Connectez-vous') }
	});
	expect(await api('/api/certificates/public-key')).toMatchObject({
		status: 200,
		body: { algorithm: 'Ed25519', publicKey: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) }
	});
});

test('a self-learner without a cohort gets an unsigned record of study, marked as not verified', async ({
	browser
}) => {
	const { context, page } = await freshPhone(browser);
	await page.goto('/certificats');
	await expect(page.getByText("Aucun cours n'est encore terminé sur ce téléphone.")).toBeVisible();
	await addToLog(page, completion(await currentProfile(page)));
	await page.reload();
	await page.getByRole('link', { name: "Voir l'attestation de suivi" }).click();
	await expect(page.getByRole('heading', { level: 1, name: 'Attestation de suivi' })).toBeVisible();
	await expect(page.getByRole('note')).toContainText('Non vérifiée');
	await expect(page.getByRole('article')).toContainText(course.title.fr);
	await expect(page.getByRole('article').getByRole('img')).toHaveCount(0); // no QR code
	await expectAccessible(page, '/certificats/attestation');
	await context.close();
});
