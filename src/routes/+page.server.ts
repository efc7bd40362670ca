import { catalog, localize } from '$lib/server/catalog';
import { getLocale } from '$lib/paraglide/runtime';
import type { PageServerLoad } from './$types';

export const load = (() => {
	const locale = getLocale();
	return {
		courses: catalog.courses.map((c) => ({
			id: c.id,
			title: localize(c.title, locale),
			summary: localize(c.summary, locale),
			audience: c.audience,
			duration: c.duration,
			lessonCount: c.lessonCount,
			moduleCount: c.modules.length,
			outline: {
				id: c.id,
				modules: c.modules.map((m) => ({ id: m.id, lessons: m.lessons, assessment: m.assessment }))
			},
			lessonTitles: Object.fromEntries(
				Object.values(c.lessons).map((l) => [
					l.id,
					((locale === 'en' ? l.en : undefined) ?? l.fr).title
				])
			)
		}))
	};
}) satisfies PageServerLoad;
