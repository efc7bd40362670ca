import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import {
	decision,
	matching,
	multiple,
	ordering,
	shortText,
	single,
	trueFalse,
	choices
} from './fixtures';
import {
	correctResponse,
	isAnswered,
	meanScore,
	normalizeText,
	scoreQuestion,
	submitted
} from './scoring';
import type { Question } from '../content/schema';

const score = (q: Question, response: unknown, locale: 'fr' | 'en' = 'fr') =>
	scoreQuestion(q, response as never, locale);

describe('single choice', () => {
	const q = single('q1');
	test('the right choice earns 1 and another choice 0', () => {
		expect(score(q, 'a')).toBe(1);
		expect(score(q, 'b')).toBe(0);
	});
	test('no answer, an empty id or an unknown id earns 0', () => {
		expect(score(q, undefined)).toBe(0);
		expect(score(q, '')).toBe(0);
		expect(score(q, 'zz')).toBe(0);
	});
	test('a response of the wrong shape earns 0 instead of throwing', () => {
		expect(score(q, ['a'])).toBe(0);
		expect(score(q, true)).toBe(0);
	});
});

describe('multiple choice: right ticked / right choices − wrong ticked / wrong choices, never below 0', () => {
	const q = multiple('q1'); // a, b right; c, d wrong
	test('every right choice and nothing else earns 1', () => {
		expect(score(q, ['a', 'b'])).toBe(1);
		expect(score(q, ['b', 'a'])).toBe(1);
	});
	test('half of the right choices earns half', () => {
		expect(score(q, ['a'])).toBe(0.5);
	});
	test('each wrong tick takes away its share of the wrong choices', () => {
		expect(score(q, ['a', 'b', 'c'])).toBe(0.5);
		expect(score(q, ['a', 'c'])).toBe(0);
		const fourWrong = multiple('q3', { choices: choices(6, ['a', 'b']) });
		expect(score(fourWrong, ['a', 'b', 'c'])).toBe(0.75);
	});
	test('ticking everything never earns anything when some choice is wrong', () => {
		expect(score(q, ['a', 'b', 'c', 'd'])).toBe(0);
		const oneWrong = multiple('q2', { choices: choices(4, ['a', 'b', 'c']) });
		expect(score(oneWrong, ['a', 'b', 'c', 'd'])).toBe(0);
		expect(score(oneWrong, ['a', 'b', 'c'])).toBe(1);
	});
	test('only wrong ticks never go below 0', () => {
		expect(score(q, ['c', 'd'])).toBe(0);
	});
	test('an id ticked twice counts once', () => {
		expect(score(q, ['a', 'a'])).toBe(0.5);
		expect(score(q, ['a', 'c', 'c'])).toBe(0);
	});
	test('no tick, or ids that are no choice, earn 0', () => {
		expect(score(q, [])).toBe(0);
		expect(score(q, undefined)).toBe(0);
		expect(score(q, ['x', 'y'])).toBe(0);
	});
	test('whatever is ticked, the score stays within [0, 1]', () => {
		fc.assert(
			fc.property(fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'x')), (ticked) => {
				const s = score(q, ticked);
				expect(s).toBeGreaterThanOrEqual(0);
				expect(s).toBeLessThanOrEqual(1);
			})
		);
	});
});

describe('true / false', () => {
	test('the right boolean earns 1, the other 0, none 0', () => {
		const q = trueFalse('q1', { answer: false });
		expect(score(q, false)).toBe(1);
		expect(score(q, true)).toBe(0);
		expect(score(q, undefined)).toBe(0);
		expect(score(q, 'false')).toBe(0);
	});
});

describe('ordering', () => {
	const q = ordering('q1', 4);
	test('the right order earns 1', () => {
		expect(score(q, ['i1', 'i2', 'i3', 'i4'])).toBe(1);
	});
	test('partial scoring gives the share of items in their right place', () => {
		expect(score(q, ['i1', 'i2', 'i4', 'i3'])).toBe(0.5);
		expect(score(q, ['i2', 'i3', 'i4', 'i1'])).toBe(0);
	});
	test('all-or-nothing gives 0 unless every item is in place', () => {
		const strict = ordering('q2', 4, { scoring: 'all-or-nothing' });
		expect(score(strict, ['i1', 'i2', 'i4', 'i3'])).toBe(0);
		expect(score(strict, ['i1', 'i2', 'i3', 'i4'])).toBe(1);
	});
	test('a repeated item is in its place only once', () => {
		expect(score(q, ['i1', 'i1', 'i1', 'i1'])).toBe(0.25);
	});
	test('a short or empty order earns what is in place, none earns 0', () => {
		expect(score(q, ['i1'])).toBe(0.25);
		expect(score(q, [])).toBe(0);
		expect(score(q, undefined)).toBe(0);
	});
});

describe('matching', () => {
	const q = matching('q1', 4);
	test('every pair matched with its own right side earns 1', () => {
		expect(score(q, { p1: 'p1', p2: 'p2', p3: 'p3', p4: 'p4' })).toBe(1);
	});
	test('the share of pairs matched right is earned', () => {
		expect(score(q, { p1: 'p1', p2: 'p3', p3: 'p2', p4: 'p4' })).toBe(0.5);
	});
	test('a distractor or a missing pair earns nothing for that pair', () => {
		expect(score(q, { p1: 'leurre', p2: 'p2' })).toBe(0.25);
	});
	test('one right side given to every left side counts for its own pair only', () => {
		expect(score(q, { p1: 'p1', p2: 'p1', p3: 'p1', p4: 'p1' })).toBe(0.25);
	});
	test('no match earns 0', () => {
		expect(score(q, {})).toBe(0);
		expect(score(q, undefined)).toBe(0);
	});
});

describe('short text', () => {
	const q = shortText('q1');
	test('accents, case, punctuation and spaces do not count', () => {
		expect(score(q, 'comite consultatif de securite')).toBe(1);
		expect(score(q, '  COMITÉ   consultatif, de sécurité ! ')).toBe(1);
		expect(score(q, 'C.C.S.')).toBe(1);
		expect(score(q, 'c c s')).toBe(0);
	});
	test('another text earns 0, and so do blanks', () => {
		expect(score(q, 'comité de sécurité')).toBe(0);
		expect(score(q, '   ')).toBe(0);
		expect(score(q, undefined)).toBe(0);
	});
	test('the accepted answers of the learner’s language are used', () => {
		expect(score(q, 'security advisory committee', 'en')).toBe(1);
		expect(score(q, 'security advisory committee', 'fr')).toBe(0);
	});
	test('without English answers, English learners are checked against the French ones', () => {
		const frOnly = shortText('q2', { accept: { fr: ['Gendarmerie'] } });
		expect(score(frOnly, 'gendarmerie', 'en')).toBe(1);
	});
});

describe('decision', () => {
	const q = decision('q1');
	test('the chosen option earns its own score', () => {
		expect(score(q, 'best')).toBe(1);
		expect(score(q, 'fair')).toBe(0.5);
		expect(score(q, 'bad')).toBe(0);
	});
	test('no option or an unknown option earns 0', () => {
		expect(score(q, undefined)).toBe(0);
		expect(score(q, 'nope')).toBe(0);
	});
});

describe('normalizeText', () => {
	test('folds accents, ligatures, case, apostrophes and dashes', () => {
		expect(normalizeText("L’Œuvre de l'État")).toBe('l oeuvre de l etat');
		expect(normalizeText('Sous-préfet')).toBe(normalizeText('sous prefet'));
		expect(normalizeText('« Police de proximité »')).toBe('police de proximite');
		expect(normalizeText('police/gendarmerie')).toBe('police gendarmerie');
	});
});

describe('isAnswered', () => {
	test('says whether something was given, per type', () => {
		expect(isAnswered(single('q'), 'a')).toBe(true);
		expect(isAnswered(single('q'), '')).toBe(false);
		expect(isAnswered(multiple('q'), [])).toBe(false);
		expect(isAnswered(multiple('q'), ['c'])).toBe(true);
		expect(isAnswered(trueFalse('q'), false)).toBe(true);
		expect(isAnswered(trueFalse('q'), undefined)).toBe(false);
		expect(isAnswered(ordering('q'), ['i2', 'i1'])).toBe(true);
		expect(isAnswered(matching('q'), {})).toBe(false);
		expect(isAnswered(matching('q'), { p1: 'p2' })).toBe(true);
		expect(isAnswered(shortText('q'), ' ?! ')).toBe(false);
		expect(isAnswered(decision('q'), 'bad')).toBe(true);
	});
});

describe('correctResponse', () => {
	test('earns full marks for every question type', () => {
		const questions = [
			single('a'),
			multiple('b'),
			trueFalse('c'),
			ordering('d'),
			matching('e'),
			shortText('f'),
			decision('g')
		];
		for (const q of questions) expect(score(q, correctResponse(q)), q.type).toBe(1);
		expect(score(shortText('h'), correctResponse(shortText('h'), 'en'), 'en')).toBe(1);
	});
});

describe('meanScore', () => {
	test('is 0 for no score and stays within [0, 1]', () => {
		expect(meanScore([])).toBe(0);
		expect(meanScore([1, 0, 0.5])).toBe(0.5);
		expect(meanScore([2, 2])).toBe(1);
	});
});

describe('submitted', () => {
	test('an ordering question left as shown submits the order shown; other responses as given', () => {
		const shown = ['i2', 'i1', 'i3'];
		expect(submitted(ordering('o', 3), undefined, shown)).toEqual(shown);
		expect(submitted(ordering('o', 3), ['i1', 'i2', 'i3'], shown)).toEqual(['i1', 'i2', 'i3']);
		expect(submitted(single('q'), undefined, ['a', 'b'])).toBeUndefined();
		expect(submitted(single('q'), 'b', ['a', 'b'])).toBe('b');
	});
});
