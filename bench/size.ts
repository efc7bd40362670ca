// npm run bench:size — the bytes each kind of page loads (raw and gzip), preloaded vs later.
import type { Page } from '@playwright/test';
import { resolve } from 'node:path';
import { loadCourses } from '../src/lib/content';
import { readCourseFiles } from '../scripts/read-courses';
import { buildManifest } from '../scripts/offline-packs';
import { BUDGETS } from './budgets';
import { launch } from './lib/browser';
import { kb, weighPage, type PageWeight } from './lib/page-weight';
import { writePart, type Row } from './lib/report';
import { startServer } from './server';
import { answerFirstShown } from '../tests/e2e/content';

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
						await answerFirstShown(page);
					}
				}
			]
		: []),
	...(firstModule.assessment
		? [{ name: 'assessment', path: `/cours/${course.id}/${firstModule.id}/evaluation` }]
		: []),
	{ name: 'glossary', path: '/glossaire' },
	// The learner's dashboard: their progress across courses, read from the device.
	{ name: 'dashboard (Mes progrès)', path: '/progres' }
];

const server = await startServer(4323);
const browser = await launch().catch((e) => {
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
	'total gz': kb(r.totals.all.gzip),
	'total wire': kb(r.totals.all.wire)
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
const partRows: Row[] = checks.map(([label, value, budget]) => ({
	metric: label,
	value: Number(kb(value)),
	unit: 'KB gzip',
	target: `≤ ${kb(budget)} KB`,
	ok: value <= budget
}));
// What the service worker's install really fetches for a French learner: the shell without the
// other language's pages and without the home-screen icons (shellFiles in src/service-worker.ts).
const installed = offline.shell.files.filter(
	(f) =>
		!f.url.startsWith('/icons/') &&
		!(/^\/en(\/|$)/.test(f.url) && (f.url.endsWith('/__data.json') || !/\.\w+$/.test(f.url)))
);
const installedWire = installed.reduce((n, f) => n + f.wire, 0);
console.log(
	`Service worker install (one language, no icons): ${kb(installedWire)} KB compressed (${installed.length} files)`
);
partRows.push(
	{
		metric: 'app shell listed in the offline manifest (both languages, icons)',
		value: Number(kb(offline.shell.wire)),
		unit: 'KB as sent',
		spread: `${offline.shell.files.length} files, ${kb(offline.shell.raw)} KB raw`
	},
	{
		metric: 'fetched by the service worker at install (a French learner)',
		value: Number(kb(installedWire)),
		unit: 'KB as sent',
		spread: `${installed.length} files`
	}
);
for (const [id, packs] of Object.entries(offline.courses))
	for (const [locale, pack] of Object.entries(packs))
		partRows.push({
			metric: `offline pack ${id} (${locale})`,
			value: Number(kb(pack.wire)),
			unit: 'KB as sent',
			spread: `${pack.files.length} files, ${kb(pack.raw)} KB raw`,
			target: `≤ ${kb(BUDGETS.offlineCourse)} KB`,
			ok: pack.wire <= BUDGETS.offlineCourse
		});
const TYPES = ['html', 'css', 'js', 'font', 'image', 'json', 'other'] as const;
writePart({
	name: 'size',
	title: 'Page weight (cold cache, no service worker, read to the end)',
	rows: partRows,
	tables: [
		{
			title:
				'Bytes per page (KB): gzip -9 of each response (what the budgets use); raw as served uncompressed',
			columns: [
				'page',
				'requests (preloaded + later)',
				...TYPES.map((t) => `${t} gz (raw)`),
				'JS gz preloaded',
				'JS gz later',
				'total gz',
				'total as sent'
			],
			rows: results.map((r) => [
				r.name,
				`${r.totals.all.count} (${r.resources.filter((x) => x.preloaded).length} + ${r.resources.filter((x) => !x.preloaded).length})`,
				...TYPES.map((t) =>
					r.totals[t].count ? `${kb(r.totals[t].gzip)} (${kb(r.totals[t].raw)})` : '—'
				),
				kb(r.js.preloadedGzip),
				kb(r.js.laterGzip),
				kb(r.totals.all.gzip),
				kb(r.totals.all.wire)
			])
		}
	],
	notes: [
		'Each page is loaded by Chromium in a fresh context (empty cache, service worker blocked), scrolled to its end; "preloaded" is what the HTML announces before any script runs (`<link rel=modulepreload|stylesheet>`, `Link` header, the modules listed on SvelteKit\'s start and fetched after the first frame), "later" what scripts fetch afterwards.',
		'"lesson + check" answers the check\'s first question (it is in the lesson\'s HTML), which loads the quiz engine: the cold-total budget applies to a lesson as read, the check in use is held to the JS budget of a page with a quiz.',
		'"as sent" is the encoded body size Chromium received (the server sends precompressed brotli or gzip).'
	]
});
// Over a budget is a finding, printed and in the report (the test suite asserts the budgets).
if (over) console.log(`${over} figure(s) over budget`);
