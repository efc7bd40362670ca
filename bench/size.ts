// npm run bench:size — the bytes each kind of page loads (raw and gzip), preloaded vs later.
import { chromium, type Page } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadCourses } from '../src/lib/content';
import { readCourseFiles } from '../scripts/read-courses';
import { buildManifest } from '../scripts/offline-packs';
import { BUDGETS } from './budgets';
import { kb, weighPage, type PageWeight } from './lib/page-weight';
import { startServer } from './server';

const { catalog } = loadCourses(readCourseFiles(resolve('courses')));
const course = catalog.courses[0]!;
const firstModule = course.modules[0]!;
const withCheck = firstModule.lessons.find((id) =>
	course.lessons[id]?.fr.components.some((c) => c.name === 'Check')
);
const withoutQuiz = Object.values(course.lessons).find(
	(l) => !l.fr.components.some((c) => c.name === 'Check' || c.name === 'Scenario')
);
const pages = [
	{ name: 'catalogue', path: '/' },
	{ name: 'course', path: `/cours/${course.id}` },
	...(withoutQuiz ? [{ name: 'lesson', path: `/cours/${course.id}/${withoutQuiz.id}` }] : []),
	...(withCheck
		? [
				{ name: 'lesson (check not opened)', path: `/cours/${course.id}/${withCheck}` },
				{
					name: 'lesson + check',
					path: `/cours/${course.id}/${withCheck}`,
					interact: async (page: Page) => {
						await page.getByRole('button', { name: 'Commencer la vérification' }).first().click();
						await page.locator('fieldset.question').first().waitFor();
					}
				}
			]
		: []),
	...(firstModule.assessment
		? [{ name: 'assessment', path: `/cours/${course.id}/${firstModule.id}/evaluation` }]
		: []),
	{ name: 'glossary', path: '/glossaire' }
];

const server = await startServer(4391);
const browser = await chromium
	.launch({
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		args: [
			'--headless',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync'
		]
	})
	.catch((e) => {
		server.stop();
		throw e;
	});
const results: (PageWeight & { name: string })[] = [];
try {
	for (const p of pages)
		results.push({
			name: p.name,
			...(await weighPage(browser, server.url, p.path, 'interact' in p ? p.interact : undefined))
		});
} finally {
	await browser.close();
	server.stop();
}

const rows = results.map((r) => ({
	page: r.name,
	requests: r.totals.all.count,
	'html gz': kb(r.totals.html.gzip),
	'css gz': kb(r.totals.css.gzip),
	'js raw': kb(r.totals.js.raw),
	'js gz preloaded': kb(r.js.preloadedGzip),
	'js gz later': kb(r.js.laterGzip),
	'js gz all': kb(r.js.allGzip),
	'total gz': kb(r.totals.all.gzip)
}));
console.log('Page weight (KB; gzip -9 of each response; cold cache, no service worker)');
console.table(rows);

const budgetsFor = (name: string) =>
	name === 'lesson + check' || name === 'assessment'
		? { all: BUDGETS.lessonWithQuizAllJs }
		: { all: BUDGETS.lessonAllJs };
const checks: [string, number, number][] = [];
for (const r of results) {
	checks.push([`${r.name}: preloaded JS`, r.js.preloadedGzip, BUDGETS.preloadedJs]);
	checks.push([`${r.name}: all JS`, r.js.allGzip, budgetsFor(r.name).all]);
	// A cold lesson page is one read; starting its check is the learner's later choice.
	if (r.name.startsWith('lesson ('))
		checks.push([`${r.name}: cold total`, r.totals.all.gzip, BUDGETS.coldLessonTotal]);
}
let over = 0;
for (const [label, value, budget] of checks) {
	const ok = value <= budget;
	if (!ok) over++;
	console.log(`${ok ? 'ok  ' : 'OVER'} ${label}: ${kb(value)} KB (budget ${kb(budget)} KB)`);
}

// Offline packs: what "Télécharger pour usage hors ligne" fetches, per course and language.
const offline = buildManifest();
console.log(
	`\nOffline: app shell ${kb(offline.shell.wire)} KB compressed (${offline.shell.files.length} files), precached at install`
);
for (const [id, packs] of Object.entries(offline.courses)) {
	for (const [locale, pack] of Object.entries(packs)) {
		const ok = pack.wire <= BUDGETS.offlineCourse;
		if (!ok) over++;
		console.log(
			`${ok ? 'ok  ' : 'OVER'} offline pack ${id} (${locale}): ${kb(pack.wire)} KB compressed, ${kb(pack.raw)} KB raw, ${pack.files.length} files (budget ${kb(BUDGETS.offlineCourse)} KB)`
		);
	}
}
mkdirSync('bench/results', { recursive: true });
writeFileSync(
	'bench/results/size.json',
	JSON.stringify(
		{
			at: new Date().toISOString(),
			pages: rows,
			checks,
			offline: {
				shell: offline.shell.wire,
				courses: Object.fromEntries(
					Object.entries(offline.courses).map(([id, p]) => [id, { fr: p.fr.wire, en: p.en.wire }])
				)
			}
		},
		null,
		2
	) + '\n'
);
process.exit(over ? 1 : 0);
