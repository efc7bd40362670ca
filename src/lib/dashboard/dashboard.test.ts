import { describe, expect, it } from 'vitest';
import type { Question } from '../content/schema';
import { DAY_MS, riskReasons, type RiskInput } from './at-risk';
import { completionSeries, scoreHistogram } from './charts';
import { BOM, csvLine, separatorOf, toCsv } from './csv';
import { discriminationIndex, itemAnalysis, type ItemResponse } from './items';

const now = Date.parse('2026-03-20T12:00:00.000Z');
const daysAgo = (d: number) => new Date(now - d * DAY_MS).toISOString();
const loc = (fr: string) => ({ fr });

describe('at-risk rules', () => {
	const base: RiskInput = {
		joinedAt: daysAgo(30),
		lastActivity: daysAgo(1),
		assessments: [],
		openLessons: []
	};

	it('finds nobody at risk in an active learner with nothing failed or left open', () => {
		expect(riskReasons(base, 7, now)).toEqual([]);
	});

	it('flags no activity for N days, counting from joining when nothing was ever done', () => {
		expect(riskReasons({ ...base, lastActivity: daysAgo(7) }, 7, now)).toEqual([
			{ kind: 'inactive', days: 7, since: daysAgo(7) }
		]);
		expect(riskReasons({ ...base, lastActivity: daysAgo(6.9) }, 7, now)).toEqual([]);
		expect(riskReasons({ ...base, lastActivity: null, joinedAt: daysAgo(10) }, 7, now)).toEqual([
			{ kind: 'inactive', days: 10, since: daysAgo(10) }
		]);
		expect(riskReasons({ ...base, lastActivity: null, joinedAt: daysAgo(2) }, 7, now)).toEqual([]);
		// N is the cohort's: the same learner is fine with 14 days.
		expect(riskReasons({ ...base, lastActivity: daysAgo(10) }, 14, now)).toEqual([]);
	});

	it('flags an assessment failed twice, not once, and not when passed at last', () => {
		const a = (attempts: number, passed: boolean) => ({
			courseId: 'c',
			quizId: 'q',
			attempts,
			passed
		});
		expect(riskReasons({ ...base, assessments: [a(1, false)] }, 7, now)).toEqual([]);
		expect(riskReasons({ ...base, assessments: [a(3, true)] }, 7, now)).toEqual([]);
		expect(riskReasons({ ...base, assessments: [a(2, false)] }, 7, now)).toEqual([
			{ kind: 'failed', courseId: 'c', quizId: 'q', attempts: 2 }
		]);
	});

	it('flags the oldest lesson left open N days while the learner stays active', () => {
		const open = [
			{ courseId: 'c', lessonId: 'recent', firstAt: daysAgo(3) },
			{ courseId: 'c', lessonId: 'old', firstAt: daysAgo(12) },
			{ courseId: 'c', lessonId: 'older', firstAt: daysAgo(9) }
		];
		expect(riskReasons({ ...base, openLessons: open }, 7, now)).toEqual([
			{ kind: 'stuck', courseId: 'c', lessonId: 'old', days: 12, since: daysAgo(12) }
		]);
		expect(riskReasons({ ...base, openLessons: open.slice(0, 1) }, 7, now)).toEqual([]);
		// An inactive learner is listed as inactive only, not also as stuck.
		expect(
			riskReasons({ ...base, lastActivity: daysAgo(8), openLessons: open }, 7, now).map(
				(r) => r.kind
			)
		).toEqual(['inactive']);
	});
});

// A small assessment, its answers by five learners, and the figures worked out by hand.
const questions: Question[] = [
	{
		type: 'single',
		id: 'q1',
		prompt: loc('Qui préside le CCS communal ?'),
		explanation: loc('…'),
		choices: [
			{ id: 'maire', text: loc('Le maire'), correct: true },
			{ id: 'prefet', text: loc('Le préfet') },
			{ id: 'juge', text: loc('Le juge') }
		]
	},
	{
		type: 'multiple',
		id: 'q2',
		prompt: loc('Lesquels ?'),
		explanation: loc('…'),
		choices: [
			{ id: 'a', text: loc('A'), correct: true },
			{ id: 'b', text: loc('B'), correct: true },
			{ id: 'c', text: loc('C') },
			{ id: 'd', text: loc('D') }
		]
	},
	{ type: 'true-false', id: 'q3', prompt: loc('Vrai ?'), explanation: loc('…'), answer: true },
	{
		type: 'ordering',
		id: 'q4',
		prompt: loc('Ordre'),
		explanation: loc('…'),
		items: [
			{ id: 'x', text: loc('X') },
			{ id: 'y', text: loc('Y') }
		]
	}
];

describe('item analysis', () => {
	// Learners ranked by their assessment score: L1 1.0, L2 0.8, L3 0.6, L4 0.4, L5 0.2.
	const totals = new Map([
		['L1', 1],
		['L2', 0.8],
		['L3', 0.6],
		['L4', 0.4],
		['L5', 0.2]
	]);
	const r = (
		learnerId: string,
		questionId: string,
		score: number,
		response: unknown
	): ItemResponse => ({
		learnerId,
		questionId,
		score,
		response
	});
	const responses: ItemResponse[] = [
		r('L1', 'q1', 1, 'maire'),
		r('L2', 'q1', 1, 'maire'),
		r('L3', 'q1', 0, 'prefet'),
		r('L4', 'q1', 0, 'prefet'),
		r('L5', 'q1', 0, 'juge'),
		r('L1', 'q2', 1, ['a', 'b']),
		r('L2', 'q2', 0.5, ['a', 'c']),
		r('L5', 'q2', 0, ['c', 'd']),
		r('L1', 'q3', 0, false),
		r('L5', 'q3', 1, true),
		r('L2', 'q4', 0.5, ['y', 'x'])
	];
	const items = itemAnalysis(questions, responses, totals);

	it('counts responses, the share fully right and the mean score', () => {
		expect(items.map((i) => [i.questionId, i.responses, i.shareCorrect, i.meanScore])).toEqual([
			['q1', 5, 0.4, 0.4],
			['q2', 3, 0.333, 0.5],
			['q3', 2, 0.5, 0.5],
			['q4', 1, 0, 0.5]
		]);
	});

	it('computes the upper–lower 27 % index', () => {
		// q1: 5 learners → groups of round(1.35) = 1: L1 (1) − L5 (0) = 1.
		expect(items[0]!.discrimination).toBe(1);
		// q2: L1, L2, L5 → groups of 1: L1 (1) − L5 (0) = 1.
		expect(items[1]!.discrimination).toBe(1);
		// q3: the best learner got it wrong, the weakest right: −1, a question to reread.
		expect(items[2]!.discrimination).toBe(-1);
		// One response: no index.
		expect(items[3]!.discrimination).toBeNull();
		// Ten learners → groups of round(2.7) = 3.
		const pairs = Array.from({ length: 10 }, (_, i) => ({
			total: i / 10,
			score: i >= 5 ? 1 : i % 2
		}));
		// top three (0.9, 0.8, 0.7) all 1; bottom three (0.2, 0.1, 0.0) → 0, 1, 0: 1 − 1/3.
		expect(discriminationIndex(pairs)).toBe(0.667);
	});

	it('names the wrong answer that attracts most learners, with its text', () => {
		expect(items[0]!.topDistractor).toEqual({
			key: 'prefet',
			text: 'Le préfet',
			count: 2,
			share: 0.4
		});
		// q2: c chosen by L2 and L5, d by L5 only; right choices never count.
		expect(items[1]!.topDistractor).toEqual({ key: 'c', text: 'C', count: 2, share: 0.667 });
		expect(items[2]!.topDistractor).toEqual({ key: 'false', text: 'Faux', count: 1, share: 0.5 });
		expect(items[3]!.topDistractor).toBeNull();
	});

	it('marks figures from fewer than 10 responses as provisional', () => {
		expect(items.every((i) => i.provisional)).toBe(true);
		const many = Array.from({ length: 10 }, (_, i) => r(`M${i}`, 'q1', 1, 'maire'));
		expect(itemAnalysis(questions.slice(0, 1), many, new Map())[0]!.provisional).toBe(false);
	});

	it('gives empty figures for a question nobody answered', () => {
		const [q] = itemAnalysis(questions.slice(0, 1), [], totals);
		expect(q).toMatchObject({
			responses: 0,
			shareCorrect: null,
			discrimination: null,
			topDistractor: null
		});
	});
});

describe('CSV', () => {
	it('starts with a BOM, ends lines with CRLF, and keeps accents', () => {
		const csv = toCsv(['Nom', 'Score'], [['Aminata Keïta', 80]]);
		expect(csv.startsWith(BOM)).toBe(true);
		expect(csv).toBe(`${BOM}Nom,Score\r\nAminata Keïta,80\r\n`);
		expect(new TextEncoder().encode(csv).slice(0, 3)).toEqual(new Uint8Array([0xef, 0xbb, 0xbf]));
	});

	it('quotes separators, quotes and line breaks inside names', () => {
		expect(csvLine(['Traoré, Awa', 'dit "Awa"', 'a\nb', 'simple'])).toBe(
			'"Traoré, Awa","dit ""Awa""","a\nb",simple'
		);
		// With semicolons, a comma needs no quotes but a semicolon does.
		expect(csvLine(['Traoré, Awa', 'Diarra; Moussa'], ';')).toBe('Traoré, Awa;"Diarra; Moussa"');
	});

	it('writes decimal commas with the semicolon separator', () => {
		expect(csvLine([0.5, 12, null, undefined], ';')).toBe('0,5;12;;');
		expect(csvLine([0.5, 12], ',')).toBe('0.5,12');
	});

	it('keeps a name that looks like a formula as text', () => {
		expect(csvLine(['=HYPERLINK("x")', '+223', '-1', '@a'])).toBe(
			`"'=HYPERLINK(""x"")",'+223,'-1,'@a`
		);
	});

	it('reads the separator a request asks for', () => {
		expect(separatorOf(';')).toBe(';');
		expect(separatorOf('point-virgule')).toBe(';');
		expect(separatorOf(null)).toBe(',');
		expect(separatorOf('|')).toBe(',');
	});
});

describe('charts', () => {
	it('counts scores in ten bins, 100 % in the last', () => {
		const bins = scoreHistogram([0, 0.05, 0.1, 0.55, 0.99, 1, Number.NaN]);
		expect(bins.map((b) => b.count)).toEqual([2, 1, 0, 0, 0, 1, 0, 0, 0, 2]);
		expect(bins[9]).toEqual({ from: 90, to: 100, count: 2 });
	});

	it('cumulates completions by day, filling days without activity', () => {
		const series = completionSeries(
			new Map([
				['2026-03-01', 2],
				['2026-03-03', 3]
			]),
			10,
			'2026-03-04'
		);
		expect(series).toEqual([
			{ day: '2026-03-01', done: 2, percent: 20 },
			{ day: '2026-03-02', done: 2, percent: 20 },
			{ day: '2026-03-03', done: 5, percent: 50 },
			{ day: '2026-03-04', done: 5, percent: 50 }
		]);
		expect(completionSeries(new Map(), 10, '2026-03-04')).toEqual([]);
	});
});
