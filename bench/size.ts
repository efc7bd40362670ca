// npm run bench:size — the bytes each kind of page loads (raw and gzip), preloaded vs later.
import { chromium } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadCourses } from '../src/lib/content';
import { readCourseFiles } from '../scripts/read-courses';
import { BUDGETS } from './budgets';
import { kb, weighPage, type PageWeight } from './lib/page-weight';
import { startServer } from './server';

const { catalog } = loadCourses(readCourseFiles(resolve('courses')));
const course = catalog.courses[0]!;
const firstLesson = course.modules[0]!.lessons[0]!;
const pages = [
	{ name: 'catalogue', path: '/' },
	{ name: 'course', path: `/cours/${course.id}` },
	{ name: 'lesson', path: `/cours/${course.id}/${firstLesson}` },
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
		results.push({ name: p.name, ...(await weighPage(browser, server.url, p.path)) });
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

const lesson = results.find((r) => r.name === 'lesson')!;
const checks = [
	['lesson: preloaded JS', lesson.js.preloadedGzip, BUDGETS.preloadedJs],
	['lesson: all JS', lesson.js.allGzip, BUDGETS.lessonAllJs],
	['lesson: cold total', lesson.totals.all.gzip, BUDGETS.coldLessonTotal],
	...results.map(
		(r) => [`${r.name}: preloaded JS`, r.js.preloadedGzip, BUDGETS.preloadedJs] as const
	)
] as const;
let over = 0;
for (const [label, value, budget] of checks) {
	const ok = value <= budget;
	if (!ok) over++;
	console.log(`${ok ? 'ok  ' : 'OVER'} ${label}: ${kb(value)} KB (budget ${kb(budget)} KB)`);
}
mkdirSync('bench/results', { recursive: true });
writeFileSync(
	'bench/results/size.json',
	JSON.stringify({ at: new Date().toISOString(), pages: rows, checks }, null, 2) + '\n'
);
process.exit(over ? 1 : 0);
