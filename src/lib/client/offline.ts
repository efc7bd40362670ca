import { version } from '$app/environment';
import {
	COMPLETE_MARK,
	courseCacheName,
	parseCourseCache,
	type OfflineManifestLike,
	type OfflinePack
} from '$lib/offline-names';

type Locale = 'fr' | 'en';

export const offlineSupported = () => typeof caches !== 'undefined' && 'serviceWorker' in navigator;

let manifest: Promise<OfflineManifestLike> | undefined;
/** What each course's offline pack holds, with sizes (written at build time). */
export function offlineManifest(): Promise<OfflineManifestLike> {
	manifest ??= fetch('/offline-manifest.json').then((r) => {
		if (!r.ok) throw new Error(`offline manifest: ${r.status}`);
		return r.json();
	});
	manifest.catch(() => (manifest = undefined));
	return manifest;
}

export async function packOf(courseId: string, locale: Locale): Promise<OfflinePack | undefined> {
	return (await offlineManifest()).courses[courseId]?.[locale];
}

export async function isDownloaded(courseId: string, locale: Locale): Promise<boolean> {
	const cache = await caches.open(courseCacheName(version, courseId, locale));
	return !!(await cache.match(COMPLETE_MARK));
}

/**
 * Downloads every file of a course into its own cache, reporting progress. A file already there
 * is not fetched again, so a download cut by the network resumes where it stopped.
 */
export async function downloadCourse(
	courseId: string,
	locale: Locale,
	onProgress: (done: number, total: number) => void
): Promise<void> {
	const pack = await packOf(courseId, locale);
	if (!pack) throw new Error(`no offline pack for ${courseId}`);
	const cache = await caches.open(courseCacheName(version, courseId, locale));
	let done = 0;
	onProgress(done, pack.files.length);
	for (const file of pack.files) {
		if (!(await cache.match(file.url))) {
			const response = await fetch(file.url, { cache: 'no-cache' });
			if (!response.ok) throw new Error(`${file.url}: ${response.status}`);
			await cache.put(file.url, response);
		}
		onProgress(++done, pack.files.length);
	}
	await cache.put(
		COMPLETE_MARK,
		new Response(JSON.stringify({ at: new Date().toISOString(), wire: pack.wire }))
	);
}

export async function removeCourse(courseId: string, locale: Locale): Promise<void> {
	for (const key of await caches.keys()) {
		const c = parseCourseCache(key);
		if (c && c.id === courseId && c.locale === locale) await caches.delete(key);
	}
}

/** Courses downloaded on this phone, with their size as downloaded. */
export async function downloadedCourses(): Promise<
	{ id: string; locale: Locale; bytes: number }[]
> {
	const out: { id: string; locale: Locale; bytes: number }[] = [];
	for (const key of await caches.keys()) {
		const c = parseCourseCache(key);
		if (!c) continue;
		const mark = await (await caches.open(key)).match(COMPLETE_MARK);
		if (!mark) continue;
		const info = (await mark.json().catch(() => ({}))) as { wire?: number };
		if (!out.some((o) => o.id === c.id && o.locale === c.locale))
			out.push({ id: c.id, locale: c.locale, bytes: info.wire ?? 0 });
	}
	return out;
}

export async function storageEstimate(): Promise<{ usage: number; quota: number } | undefined> {
	const estimate = await navigator.storage?.estimate?.();
	return estimate ? { usage: estimate.usage ?? 0, quota: estimate.quota ?? 0 } : undefined;
}

export function formatBytes(bytes: number, locale: Locale): string {
	const units = locale === 'fr' ? ['o', 'Ko', 'Mo', 'Go'] : ['B', 'KB', 'MB', 'GB'];
	let value = bytes;
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit++;
	}
	return `${new Intl.NumberFormat(locale, { maximumFractionDigits: unit === 0 ? 0 : 1 }).format(value)} ${units[unit]}`;
}
