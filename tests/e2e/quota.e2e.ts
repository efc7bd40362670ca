import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, savedAnswers } from './helpers';
import { answer, firstAssessment, shownQuestion } from './content';

// Full disk (issue 10, item 6): Chromium gives the site a tiny storage quota (DevTools protocol
// `Storage.overrideQuotaForOrigin`, 3 MB), and in the middle of an assessment other data fills
// it up (as photos fill a phone). The learner is told in plain words, nothing stored before is
// lost, and when space is freed the steps taken meanwhile are stored — each event once — and the
// banner goes away. Chromium fixes a site's quota when its storage is first created, so the
// override comes before the first visit.

const assessment = firstAssessment();
const FULL = 'La mémoire de ce téléphone est pleine';

/** The verbs of the events IndexedDB holds for this quiz, and how many distinct ids. */
function storedEvents(page: Page, quizId: string) {
	return page.evaluate(
		(quizId) =>
			new Promise<{ verbs: string[]; distinct: number }>((resolve, reject) => {
				const open = indexedDB.open('kalan');
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					const all = open.result.transaction('events').objectStore('events').getAll();
					all.onsuccess = () => {
						const mine = (all.result as { id: string; quizId?: string; verb: string }[]).filter(
							(e) => e.quizId === quizId
						);
						open.result.close();
						resolve({
							verbs: mine.map((e) => e.verb).sort(),
							distinct: new Set(mine.map((e) => e.id)).size
						});
					};
				};
			}),
		quizId
	);
}

/** Fills what is left of the quota with other data; resolves once a write is refused. */
function fillStorage(page: Page) {
	return page.evaluate(
		() =>
			new Promise<number>((resolve, reject) => {
				const open = indexedDB.open('filler', 1);
				open.onupgradeneeded = () => open.result.createObjectStore('blobs');
				open.onerror = () => reject(open.error);
				open.onsuccess = async () => {
					const db = open.result;
					for (let n = 0; n < 200; n++) {
						const stored = await new Promise<boolean>((done) => {
							const tx = db.transaction('blobs', 'readwrite');
							// random bytes: nothing for the storage engine to compress
							tx.objectStore('blobs').put(crypto.getRandomValues(new Uint8Array(65_536)), n);
							tx.oncomplete = () => done(true);
							tx.onabort = () => done(false);
						});
						if (!stored) {
							db.close();
							return resolve(n);
						}
					}
					db.close();
					reject(new Error('the quota never filled up'));
				};
			})
	);
}

function freeStorage(page: Page) {
	return page.evaluate(
		() =>
			new Promise<void>((resolve, reject) => {
				const deletion = indexedDB.deleteDatabase('filler');
				deletion.onsuccess = () => resolve();
				deletion.onerror = () => reject(deletion.error);
			})
	);
}

test('a full disk mid-assessment: told, nothing lost, and recording resumes when space is freed', async ({
	page,
	baseURL
}) => {
	test.setTimeout(90_000);
	const total = assessment.quiz.mode === 'assessment' ? (assessment.quiz.draw ?? 0) : 0;
	const cdp = await page.context().newCDPSession(page);
	const origin = new URL(baseURL!).origin;
	await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 3_000_000 });
	await page.goto(assessment.path);
	const main = page.locator('main');
	await main.getByRole('button', { name: "Commencer l'évaluation" }).click();
	const first = await shownQuestion(page, assessment.quiz);
	await answer(page, first, 'right');
	await expect.poll(() => savedAnswers(page)).toBe(1);
	await expect
		.poll(async () => (await storedEvents(page, assessment.quiz.id)).verbs)
		.toEqual(['quiz.started']);

	// the disk fills up
	const chunks = await fillStorage(page);
	expect(chunks).toBeGreaterThan(0);

	// the learner goes on to the end of the attempt, and is told the answers could not be saved
	for (let i = 1; i <= total; i++) {
		await expect(main.locator('legend .count')).toHaveText(`Question ${i} sur ${total}`);
		if (i > 1) await answer(page, await shownQuestion(page, assessment.quiz), 'right');
		await main
			.getByRole('button', { name: i < total ? 'Question suivante' : "Terminer l'évaluation" })
			.click();
		if (i === 2) await expect(page.getByRole('alert').filter({ hasText: FULL })).toBeVisible();
	}
	const terminate = main.getByRole('button', { name: "Terminer l'évaluation" });
	if (await terminate.isVisible()) await terminate.click(); // unanswered ones count 0
	await expect(main.getByRole('heading', { name: 'Résultat' })).toBeVisible();
	const banner = page.getByRole('alert').filter({ hasText: FULL });
	await expect(banner).toBeVisible();
	await expect(banner).toContainText("Ce qui était déjà enregistré n'est pas perdu");
	await expectAccessible(page, 'the full-disk banner');

	// what was stored before is intact: the first answer and the start of the attempt
	expect(await savedAnswers(page)).toBe(1);
	expect((await storedEvents(page, assessment.quiz.id)).verbs).toEqual(['quiz.started']);

	// space is freed: the steps taken meanwhile are stored, each event once, and the banner goes
	await freeStorage(page);
	await expect(banner).toBeHidden({ timeout: 15_000 });
	const after = await storedEvents(page, assessment.quiz.id);
	expect(after.verbs).toEqual([
		...Array.from({ length: total }, () => 'quiz.answered'),
		'quiz.completed',
		'quiz.started'
	]);
	expect(after.distinct).toBe(after.verbs.length);
	expect(await savedAnswers(page)).toBe(total);

	console.log(
		`full disk: quota filled with ${chunks} × 64 KB; ${total - 1} steps and ${after.verbs.length - 1} ` +
			'events recorded while full, all stored once space was freed'
	);

	// and a reload shows the finished attempt, not the one left at question 1
	await page.reload();
	await expect(main.getByRole('heading', { name: 'Résultat' })).toBeVisible();
});
