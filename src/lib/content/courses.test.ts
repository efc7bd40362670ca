import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { readCourseFiles } from '../../../scripts/read-courses';
import { loadCourses } from './index';

// What the curriculum promises, checked on the real courses/ so that a later edit cannot break it.
const { catalog } = loadCourses(readCourseFiles(join(import.meta.dirname, '../../../courses')));
const courses = catalog.courses;

test('the curriculum has at least 30 lessons, 250 questions and 6 scenarios', () => {
	const lessons = courses.reduce((n, c) => n + c.lessonCount, 0);
	const questions = courses.reduce(
		(n, c) => n + Object.values(c.quizzes).reduce((m, q) => m + q.questions.length, 0),
		0
	);
	const scenarios = courses.reduce((n, c) => n + Object.keys(c.scenarios).length, 0);
	expect(lessons).toBeGreaterThanOrEqual(30);
	expect(questions).toBeGreaterThanOrEqual(250);
	expect(scenarios).toBeGreaterThanOrEqual(6);
});

describe.each(courses.map((c) => [c.id, c] as const))('course %s', (_id, course) => {
	test('has at least two branching scenarios', () => {
		expect(Object.keys(course.scenarios).length).toBeGreaterThanOrEqual(2);
	});

	test.each(course.modules.map((m) => [m.id, m] as const))(
		'module %s: 3 to 5 lessons and a mixed assessment drawn from a pool 1.5 times its size',
		(_m, mod) => {
			expect(mod.lessons.length).toBeGreaterThanOrEqual(3);
			expect(mod.lessons.length).toBeLessThanOrEqual(5);
			const quiz = mod.assessment ? course.quizzes[mod.assessment] : undefined;
			expect(quiz?.mode).toBe('assessment');
			if (quiz?.mode !== 'assessment') return;
			const asked = quiz.draw ?? quiz.questions.length;
			expect(quiz.questions.length).toBeGreaterThanOrEqual(Math.ceil(asked * 1.5));
			expect(new Set(quiz.questions.map((q) => q.type)).size).toBeGreaterThanOrEqual(3);
		}
	);

	test.each(Object.values(course.lessons).map((l) => [l.id, l] as const))(
		'lesson %s: French and English, objectives, a key-points box, glossary terms, a 3–5 question check, sources',
		(_l, lesson) => {
			expect(lesson.en, 'an English version').toBeDefined();
			const fr = lesson.fr;
			expect(fr.duration).toBeGreaterThanOrEqual(5);
			expect(fr.duration).toBeLessThanOrEqual(10);
			expect(fr.objectives.length).toBeGreaterThan(0);
			expect(fr.sources.length).toBeGreaterThan(0);
			expect(
				fr.components.some((c) => c.name === 'Callout' && c.attributes.type === 'retenir')
			).toBe(true);
			expect(fr.components.some((c) => c.name === 'Term')).toBe(true);
			const checks = fr.components
				.filter((c) => c.name === 'Check')
				.map((c) => course.quizzes[c.attributes.quiz!]);
			expect(checks.length).toBeGreaterThan(0);
			for (const check of checks) {
				expect(check?.mode).toBe('formative');
				expect(check!.questions.length).toBeGreaterThanOrEqual(3);
				expect(check!.questions.length).toBeLessThanOrEqual(5);
			}
		}
	);
});

test('every quiz and scenario text has its English translation', () => {
	const missing: string[] = [];
	const walk = (value: unknown, where: string) => {
		if (Array.isArray(value)) return value.forEach((v, i) => walk(v, `${where}[${i}]`));
		if (value === null || typeof value !== 'object') return;
		const record = value as Record<string, unknown>;
		if (typeof record.fr === 'string' && typeof record.en !== 'string') missing.push(where);
		for (const [k, v] of Object.entries(record)) walk(v, `${where}.${k}`);
	};
	for (const c of courses) {
		for (const q of Object.values(c.quizzes)) walk(q, `${c.id}/quizzes/${q.id}`);
		for (const s of Object.values(c.scenarios)) walk(s, `${c.id}/scenarios/${s.id}`);
	}
	expect(missing).toEqual([]);
});
