import { gzipSync } from 'node:zlib';
import type { Browser, Page } from '@playwright/test';

export interface Resource {
	url: string;
	type: 'html' | 'css' | 'js' | 'font' | 'image' | 'json' | 'other';
	raw: number;
	gzip: number;
	/** Body bytes as received (compressed by the server when it compresses). */
	wire: number;
	/**
	 * Announced by the HTML before any script ran: `<link rel=modulepreload|stylesheet>`, a `Link:`
	 * header, or the modules listed on SvelteKit's start, fetched after the first frame.
	 */
	preloaded: boolean;
}
export interface PageWeight {
	path: string;
	resources: Resource[];
	totals: Record<Resource['type'], Tally> & { all: Tally };
	js: { preloadedGzip: number; laterGzip: number; allGzip: number };
}

interface Tally {
	raw: number;
	gzip: number;
	wire: number;
	count: number;
}

function kind(url: string, contentType: string): Resource['type'] {
	if (contentType.includes('html')) return 'html';
	if (contentType.includes('css') || url.endsWith('.css')) return 'css';
	if (contentType.includes('javascript') || url.endsWith('.js')) return 'js';
	if (contentType.includes('font') || /\.(woff2?|ttf|otf)$/.test(url)) return 'font';
	if (contentType.startsWith('image/')) return 'image';
	if (contentType.includes('json')) return 'json';
	return 'other';
}

/** URLs the document announces before running any script: what the page preloads. */
function announced(html: string, linkHeader: string | null, base: string): Set<string> {
	const urls = new Set<string>();
	for (const m of html.matchAll(/<link\b[^>]*>/g)) {
		const tag = m[0];
		if (!/rel="(modulepreload|stylesheet|preload)"/.test(tag)) continue;
		const href = /href="([^"]+)"/.exec(tag)?.[1];
		if (href) urls.add(new URL(href, base).href);
	}
	// The modules SvelteKit's start needs, fetched right after the first frame
	// (src/lib/server/first-frame.ts): announced by the HTML all the same.
	for (const m of html.matchAll(/<script\b[^>]*data-preload="([^"]+)"/g))
		for (const href of m[1]!.split(' ')) urls.add(new URL(href, base).href);
	for (const m of html.matchAll(/<script\b[^>]*src="([^"]+)"/g))
		urls.add(new URL(m[1]!, base).href);
	for (const m of (linkHeader ?? '').matchAll(/<([^>]+)>;\s*rel="?(modulepreload|preload)/g))
		urls.add(new URL(m[1]!, base).href);
	return urls;
}

/**
 * Loads `path` in a fresh context (cold cache, no service worker) and weighs every response:
 * bytes as sent by the server (raw) and gzip -9 of them. Waits for the network to go quiet so
 * that what loads after the first paint (lazy chunks) is counted too.
 */
export async function weighPage(
	browser: Browser,
	baseURL: string,
	path: string,
	/** What the learner does once the page is read, e.g. start its check. */
	interact?: (page: Page) => Promise<void>
): Promise<PageWeight> {
	const context = await browser.newContext({ serviceWorkers: 'block' });
	const page = await context.newPage();
	const seen: Promise<Omit<Resource, 'preloaded'> | undefined>[] = [];
	page.on('response', (response) => {
		seen.push(
			(async () => {
				const body = await response.body().catch(() => undefined);
				if (!body || response.status() >= 300) return undefined;
				const type = kind(response.url(), response.headers()['content-type'] ?? '');
				const sizes = await response
					.request()
					.sizes()
					.catch(() => undefined);
				return {
					url: response.url(),
					type,
					raw: body.length,
					gzip: gzipSync(body, { level: 9 }).length,
					wire: sizes?.responseBodySize ?? body.length
				};
			})()
		);
	});
	const url = new URL(path, baseURL).href;
	const first = await page.goto(url, { waitUntil: 'networkidle' });
	const html = (await first?.text()) ?? '';
	const preloads = announced(html, first?.headers()['link'] ?? null, url);
	// Read to the end, as a learner does: what loads when a quiz or the lesson's end comes into
	// view counts too.
	await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
	if (interact) await interact(page);
	await page.waitForLoadState('networkidle');
	await page.waitForTimeout(500);
	const resources = (await Promise.all(seen))
		.filter((r): r is Omit<Resource, 'preloaded'> => !!r)
		.map((r) => ({ ...r, preloaded: r.type === 'html' || preloads.has(r.url) }));
	await context.close();

	const zero = (): Tally => ({ raw: 0, gzip: 0, wire: 0, count: 0 });
	const totals = {
		html: zero(),
		css: zero(),
		js: zero(),
		font: zero(),
		image: zero(),
		json: zero(),
		other: zero(),
		all: zero()
	};
	for (const r of resources) {
		for (const t of [totals[r.type], totals.all]) {
			t.raw += r.raw;
			t.gzip += r.gzip;
			t.wire += r.wire;
			t.count += 1;
		}
	}
	const js = resources.filter((r) => r.type === 'js');
	const sum = (rs: Resource[]) => rs.reduce((n, r) => n + r.gzip, 0);
	return {
		path,
		resources,
		totals,
		js: {
			preloadedGzip: sum(js.filter((r) => r.preloaded)),
			laterGzip: sum(js.filter((r) => !r.preloaded)),
			allGzip: sum(js)
		}
	};
}

export const kb = (bytes: number) => (bytes / 1024).toFixed(1);
