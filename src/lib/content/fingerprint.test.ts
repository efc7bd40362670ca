import { expect, test } from 'vitest';
import { fingerprint } from './fingerprint';

test('the same content has the same fingerprint, a changed one another', () => {
	const quiz = { id: 'q', questions: [{ id: 'a', prompt: { fr: 'Qui ?' } }] };
	expect(fingerprint(quiz)).toBe(fingerprint(structuredClone(quiz)));
	expect(fingerprint(quiz)).not.toBe(
		fingerprint({ ...quiz, questions: [{ id: 'a', prompt: { fr: 'Quoi ?' } }] })
	);
});
