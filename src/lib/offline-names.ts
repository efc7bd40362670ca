// Cache names shared by the service worker and the page that downloads courses.

export interface OfflineFile {
	url: string;
	raw: number;
	wire: number;
}
export interface OfflinePack {
	files: OfflineFile[];
	raw: number;
	wire: number;
}
export interface OfflineManifestLike {
	version: string;
	shell: OfflinePack;
	courses: Record<string, Partial<Record<'fr' | 'en', OfflinePack>>>;
}

export const COMPLETE_MARK = '/__kalan-complete';

export function cacheNames(version: string) {
	const prefix = `kalan-${version}-`;
	return { prefix, shell: `${prefix}shell`, assets: `${prefix}assets` };
}

export function courseCacheName(version: string, courseId: string, locale: 'fr' | 'en'): string {
	return `kalan-${version}-course-${locale}-${courseId}`;
}

/** The course and language of a course cache of any version, or undefined for other caches. */
export function parseCourseCache(
	name: string
): { id: string; locale: 'fr' | 'en'; version: string } | undefined {
	const m = /^kalan-(.+)-course-(fr|en)-(.+)$/.exec(name);
	return m ? { version: m[1]!, locale: m[2] as 'fr' | 'en', id: m[3]! } : undefined;
}
