/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
// Kalan's service worker: precaches the app shell, serves downloaded courses offline, and falls
// back to the offline page. Caches are named by build version; a new version is installed
// alongside and only takes over when the learner accepts the update (never mid-quiz).
import { prerendered, version } from '$service-worker';
import {
	cacheNames,
	COMPLETE_MARK as COMPLETE,
	courseCacheName,
	parseCourseCache,
	type OfflineManifestLike
} from '$lib/offline-names';

const sw = self as unknown as ServiceWorkerGlobalScope;
const names = cacheNames(version);
const prerenderedPaths = new Set(prerendered);

async function manifest(): Promise<OfflineManifestLike> {
	const res = await fetch('/offline-manifest.json', { cache: 'no-store' });
	if (!res.ok) throw new Error(`offline manifest: ${res.status}`);
	return res.json();
}

/**
 * Over a metered link the install is paid for by the learner: the shell's pages come in the
 * language of the page that installed the worker only (the other language's pages are a third of
 * the shell), and the home-screen icons stay with the browser, which fetches them itself.
 */
async function shellFiles(shell: OfflineManifestLike['shell']): Promise<string[]> {
	const windows = await sw.clients.matchAll({ type: 'window', includeUncontrolled: true });
	const locales = new Set(
		windows.map((w) => (/^\/en(\/|$)/.test(new URL(w.url).pathname) ? 'en' : 'fr'))
	);
	const isPage = (url: string) =>
		!url.startsWith('/_app/') && (url.endsWith('/__data.json') || !/\.\w+$/.test(url));
	const localeOf = (url: string) => (/^\/en(\/|$)/.test(url) ? 'en' : 'fr');
	return shell.files
		.map((f) => f.url)
		.filter((url) => !url.startsWith('/icons/'))
		.filter((url) => locales.size !== 1 || !isPage(url) || locales.has(localeOf(url)));
}

sw.addEventListener('install', (event) => {
	event.waitUntil(
		(async () => {
			const { shell } = await manifest();
			const cache = await caches.open(names.shell);
			await cache.addAll(await shellFiles(shell));
			// The certificate public key ships with the app: verification works offline from now on.
			await cache.add(PUBLIC_KEY).catch(() => undefined);
		})()
	);
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		(async () => {
			const keys = await caches.keys();
			const old = keys.filter((k) => k.startsWith('kalan-') && !k.startsWith(names.prefix));
			// Downloaded courses move to this version; an old copy is dropped only once its
			// replacement is complete, so a learner offline during an update keeps their course.
			let list: OfflineManifestLike | undefined;
			for (const key of old) {
				const course = parseCourseCache(key);
				if (!course) continue;
				try {
					list ??= await manifest();
					const files = list.courses[course.id]?.[course.locale]?.files;
					if (!files) continue;
					const cache = await caches.open(courseCacheName(version, course.id, course.locale));
					await cache.addAll(files.map((f) => f.url));
					await cache.put(COMPLETE, new Response(JSON.stringify({ at: new Date().toISOString() })));
				} catch {
					continue;
				}
				await caches.delete(key);
			}
			for (const key of old) if (!parseCourseCache(key)) await caches.delete(key);
			await sw.clients.claim();
		})()
	);
});

sw.addEventListener('message', (event) => {
	if (event.data?.type === 'SKIP_WAITING') sw.skipWaiting();
});

const PUBLIC_KEY = '/api/certificates/public-key';

/** The key from the network (and kept), else the copy kept at install or since. */
async function publicKey(request: Request): Promise<Response> {
	try {
		const response = await fetch(request);
		if (response.ok) await (await caches.open(names.shell)).put(PUBLIC_KEY, response.clone());
		return response;
	} catch (error) {
		const hit = await caches.match(PUBLIC_KEY);
		if (hit) return hit;
		throw error;
	}
}

/** A certificate's QR link opened with no network goes to the offline check (the fragment follows). */
function offlineVerifier(url: URL): Response | undefined {
	const match = /^(\/en)?\/verifier\/[^/]+$/.exec(url.pathname);
	return match
		? Response.redirect(new URL(`${match[1] ?? ''}/verifier`, url).href, 302)
		: undefined;
}

async function offlinePage(url: URL): Promise<Response | undefined> {
	const [mine, other] = url.pathname.startsWith('/en')
		? ['/en/hors-ligne', '/hors-ligne']
		: ['/hors-ligne', '/en/hors-ligne'];
	// Only the installing page's language may have been precached (see shellFiles).
	return (await caches.match(mine)) ?? (await caches.match(other));
}

sw.addEventListener('fetch', (event) => {
	const request = event.request;
	if (request.method !== 'GET') return;
	const url = new URL(request.url);
	if (url.origin === sw.location.origin && url.pathname === PUBLIC_KEY) {
		event.respondWith(publicKey(request));
		return;
	}
	if (url.origin !== sw.location.origin || url.pathname.startsWith('/api/')) return;

	// Built assets never change under a name: cache first, and keep what passes by.
	if (url.pathname.startsWith('/_app/immutable/')) {
		event.respondWith(
			(async () => {
				const hit = await caches.match(request);
				if (hit) return hit;
				const response = await fetch(request);
				if (response.ok) (await caches.open(names.assets)).put(request, response.clone());
				return response;
			})()
		);
		return;
	}

	const pagePath = url.pathname.replace(/\/__data\.json$/, '') || '/';
	const isPrerendered = prerenderedPaths.has(pagePath) || prerenderedPaths.has(url.pathname);
	if (isPrerendered) {
		// Static pages: from the cache when downloaded (instant, works offline), else the network.
		event.respondWith(
			(async () => {
				const hit = await caches.match(url.pathname);
				if (hit) return hit;
				try {
					return await fetch(request);
				} catch (error) {
					if (request.mode === 'navigate') return (await offlinePage(url)) ?? Response.error();
					throw error;
				}
			})()
		);
		return;
	}

	if (request.mode === 'navigate') {
		// Dynamic pages: the network, or the offline page.
		event.respondWith(
			fetch(request).catch(
				async () => offlineVerifier(url) ?? (await offlinePage(url)) ?? Response.error()
			)
		);
	}
});
