import { catalog, localize } from '$lib/server/catalog';
import { getLocale } from '$lib/paraglide/runtime';
import type { PageServerLoad } from './$types';

export const load = (() => {
	const locale = getLocale();
	return {
		courses: catalog.courses.map((c) => ({
			id: c.id,
			title: localize(c.title, locale),
			outline: {
				id: c.id,
				modules: c.modules.map((m) => ({ id: m.id, lessons: m.lessons, assessment: m.assessment }))
			},
			modules: c.modules.map((m) => ({
				id: m.id,
				title: localize(m.title, locale),
				assessment:
					m.assessment && c.quizzes[m.assessment]
						? localize(c.quizzes[m.assessment]!.title, locale)
						: undefined
			}))
		}))
	};
}) satisfies PageServerLoad;
