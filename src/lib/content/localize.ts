import type { Lesson, LessonVersion } from './loader';
import type { Localized } from './schema';

export type Locale = 'fr' | 'en';

/** The text in the asked language, falling back to French, the language every text has. */
export function localize(text: Localized, locale: Locale): string {
	return (locale === 'en' ? text.en : undefined) ?? text.fr;
}

/** The lesson version to show, and whether it fell back to French. */
export function lessonText(
	lesson: Lesson,
	locale: Locale
): { version: LessonVersion; lang: Locale; fallback: boolean } {
	if (locale === 'en' && lesson.en) return { version: lesson.en, lang: 'en', fallback: false };
	return { version: lesson.fr, lang: 'fr', fallback: locale !== 'fr' };
}
