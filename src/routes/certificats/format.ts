import type { CertificatePayload } from '$lib/certificates';
import type { CourseSummary } from '$lib/server/certificates/courses';

// Small helpers the certificate pages share (no Svelte, no browser API).

/** A day (`YYYY-MM-DD` or an ISO time) in words: « 29 novembre 2026 », "29 November 2026". */
export function longDate(value: string, locale: 'fr' | 'en'): string {
	const date = new Date(value.length === 10 ? `${value}T12:00:00Z` : value);
	if (Number.isNaN(date.getTime())) return value;
	return new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', {
		dateStyle: 'long',
		timeZone: 'UTC'
	}).format(date);
}

export interface ScoreLine {
	id: string;
	title: string;
	percent: number;
}

/** A certificate's scores, in the course's module order, with the module titles when known. */
export function scoreLines(
	scores: CertificatePayload['scores'],
	course: Pick<CourseSummary, 'modules'> | undefined
): ScoreLine[] {
	const known = course?.modules ?? [];
	const ordered = [
		...known.filter((m) => m.id in scores).map((m) => ({ id: m.id, title: m.title })),
		...Object.keys(scores)
			.filter((id) => !known.some((m) => m.id === id))
			.map((id) => ({ id, title: id }))
	];
	return ordered.map((m) => ({ ...m, percent: scores[m.id] ?? 0 }));
}
