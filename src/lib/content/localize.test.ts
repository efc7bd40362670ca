import { expect, test } from 'vitest';
import { lessonText, localize } from './localize';
import type { Lesson, LessonVersion } from './loader';

const version = (title: string): LessonVersion => ({
	title,
	duration: 5,
	objectives: ['o'],
	sources: ['s'],
	file: `${title}.svx`,
	headings: [],
	components: []
});
const lesson = (en?: string): Lesson => ({
	id: 'l',
	courseId: 'c',
	moduleId: 'm',
	fr: version('fr'),
	en: en ? version(en) : undefined
});

test('English text is used when it exists, French otherwise', () => {
	expect(localize({ fr: 'Bonjour', en: 'Hello' }, 'en')).toBe('Hello');
	expect(localize({ fr: 'Bonjour' }, 'en')).toBe('Bonjour');
	expect(localize({ fr: 'Bonjour', en: 'Hello' }, 'fr')).toBe('Bonjour');
});

test('a lesson missing in English falls back to French and says so', () => {
	expect(lessonText(lesson(), 'en')).toMatchObject({ lang: 'fr', fallback: true });
	expect(lessonText(lesson('en'), 'en')).toMatchObject({ lang: 'en', fallback: false });
	expect(lessonText(lesson(), 'fr')).toMatchObject({ lang: 'fr', fallback: false });
});
