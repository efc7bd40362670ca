import { catalog, localize } from '../catalog';
import type { Locale } from '$lib/content';

/** What certificate pages show of each course: titles, module titles, the outline for the fold. */
export interface CourseSummary {
	id: string;
	title: string;
	version: string;
	outline: { id: string; modules: { id: string; lessons: string[]; assessment?: string }[] };
	modules: { id: string; title: string }[];
}

export function courseSummaries(locale: Locale): CourseSummary[] {
	return catalog.courses.map((c) => ({
		id: c.id,
		title: localize(c.title, locale),
		version: c.version,
		outline: {
			id: c.id,
			modules: c.modules.map((m) => ({
				id: m.id,
				lessons: [...m.lessons],
				...(m.assessment ? { assessment: m.assessment } : {})
			}))
		},
		modules: c.modules.map((m) => ({ id: m.id, title: localize(m.title, locale) }))
	}));
}
