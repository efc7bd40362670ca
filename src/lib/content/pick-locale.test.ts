import { expect, test } from 'vitest';
import { pickLocale } from './pick-locale';

const quiz = {
	id: 'q',
	title: { fr: 'Titre', en: 'Title' },
	questions: [
		{ id: 'a', prompt: { fr: 'Qui ?' }, accept: { fr: ['le maire'], en: ['the mayor'] } },
		{ id: 'b', prompt: { fr: 'Quoi ?', en: 'What?' }, answer: true }
	]
};

test('a French page keeps only French texts, and nothing else changes', () => {
	expect(pickLocale(quiz, 'fr')).toEqual({
		id: 'q',
		title: { fr: 'Titre' },
		questions: [
			{ id: 'a', prompt: { fr: 'Qui ?' }, accept: { fr: ['le maire'], en: ['the mayor'] } },
			{ id: 'b', prompt: { fr: 'Quoi ?' }, answer: true }
		]
	});
});

test('an English page gets the English text, or the French one when there is no English', () => {
	const picked = pickLocale(quiz, 'en');
	expect(picked.title).toEqual({ fr: 'Title' });
	expect(picked.questions[0]!.prompt).toEqual({ fr: 'Qui ?' });
	expect(picked.questions[1]!.prompt).toEqual({ fr: 'What?' });
});
