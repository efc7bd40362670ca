import { describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { readCourseFiles } from '../../../scripts/read-courses';
import { formatProblem, formatReport, loadCourses, type SourceFile } from './index';

const FIXTURES = join(import.meta.dirname, '../../../tests/fixtures/content');
const valid = () => readCourseFiles(join(FIXTURES, 'valid/courses'));

/** The valid fixture course with one invalid fixture laid over it (same path replaces). */
function withCase(name: string): SourceFile[] {
	const overlay = readCourseFiles(join(FIXTURES, 'invalid', name, 'courses'));
	const paths = new Set(overlay.map((f) => f.path));
	return [...valid().filter((f) => !paths.has(f.path)), ...overlay];
}
const errorsOf = (files: SourceFile[]) =>
	loadCourses(files).problems.filter((p) => p.severity === 'error');

describe('a valid course', () => {
	test('loads without any problem', () => {
		const { catalog, problems } = loadCourses(valid());
		expect(problems).toEqual([]);
		const course = catalog.courses[0]!;
		expect(course.id).toBe('demo');
		expect(course.lessonCount).toBe(2);
		expect(course.duration).toBe(11);
		expect(Object.keys(course.quizzes).sort()).toEqual(['check-l1', 'eval-m1']);
	});

	test('keeps French and English versions of a lesson, with outline and components', () => {
		const lesson = loadCourses(valid()).catalog.courses[0]!.lessons.l1!;
		expect(lesson.fr.title).toBe('Première leçon');
		expect(lesson.en?.title).toBe('First lesson');
		expect(lesson.fr.headings.map((h) => h.id)).toEqual(['introduction', 'verification']);
		expect(lesson.fr.components.map((c) => c.name)).toEqual([
			'Term',
			'Callout',
			'Check',
			'Scenario'
		]);
		expect(lesson.moduleId).toBe('m1');
	});

	test('a lesson without English has no English version, not an error', () => {
		const lesson = loadCourses(valid()).catalog.courses[0]!.lessons.l2!;
		expect(lesson.en).toBeUndefined();
	});
});

// One rule a row: the fixture under tests/fixtures/content/invalid/<case>, and what the author must read.
type Expected = { file: string; line?: number; field?: string; message: RegExp };
const rules: [string, Expected][] = [
	['yaml-malformed', { file: 'courses/demo/course.yaml', line: 4, message: /YAML mal formé/ }],
	[
		'frontmatter-malformed',
		{ file: 'courses/demo/lessons/l2.fr.svx', field: 'frontmatter', message: /YAML mal formé/ }
	],
	[
		'frontmatter-unclosed',
		{ file: 'courses/demo/lessons/l2.fr.svx', field: 'frontmatter', message: /jamais fermé/ }
	],
	[
		'missing-field',
		{
			file: 'courses/demo/course.yaml',
			field: 'summary',
			message: /champ obligatoire « summary » manquant/
		}
	],
	[
		'unknown-field',
		{
			file: 'courses/demo/course.yaml',
			line: 3,
			field: 'auteur',
			message: /champ inconnu « auteur »/
		}
	],
	[
		'wrong-type',
		{
			file: 'courses/demo/lessons/l2.fr.svx',
			line: 3,
			field: 'frontmatter.duration',
			message: /attendu une durée .* trouvé le texte « six »/
		}
	],
	[
		'duplicate-question-id',
		{
			file: 'courses/demo/quizzes/check-l1.yaml',
			field: 'questions[1].id',
			message: /en double : la question « q1 »/
		}
	],
	[
		'duplicate-module-lesson',
		{
			file: 'courses/demo/course.yaml',
			field: 'modules[0].lessons[2]',
			message: /en double : la leçon « l1 »/
		}
	],
	[
		'module-missing-lesson',
		{
			file: 'courses/demo/course.yaml',
			line: 13,
			field: 'modules[0].lessons[2]',
			message: /la leçon « l9 » n'existe pas/
		}
	],
	[
		'lesson-missing-quiz',
		{
			file: 'courses/demo/lessons/l1.fr.svx',
			line: 23,
			field: '<Check>',
			message: /le quiz « absent » n'existe pas/
		}
	],
	[
		'lesson-missing-scenario',
		{
			file: 'courses/demo/lessons/l1.fr.svx',
			line: 25,
			field: '<Scenario>',
			message: /le scénario « absent » n'existe pas/
		}
	],
	[
		'lesson-missing-term',
		{
			file: 'courses/demo/lessons/l1.fr.svx',
			line: 13,
			field: '<Term>',
			message: /terme inconnu « inconnu »/
		}
	],
	[
		'question-no-correct',
		{
			file: 'courses/demo/quizzes/check-l1.yaml',
			field: 'questions[0].choices',
			message: /aucune bonne réponse/
		}
	],
	[
		'duplicate-choice-ids',
		{
			file: 'courses/demo/quizzes/check-l1.yaml',
			field: 'questions[0].choices[1].id',
			message: /en double : le choix « a »/
		}
	],
	[
		'scenario-unreachable',
		{
			file: 'courses/demo/scenarios/sc1.yaml',
			field: 'nodes[3].id',
			message: /« oubliee » est inatteignable/
		}
	],
	[
		'scenario-no-way-out',
		{
			file: 'courses/demo/scenarios/sc1.yaml',
			field: 'nodes[3].id',
			message: /« boucle » est sans issue/
		}
	],
	[
		'scenario-missing-end',
		{
			file: 'courses/demo/scenarios/sc1.yaml',
			field: 'nodes[2]',
			message: /« fin-mal » n'a pas d'issue/
		}
	],
	[
		'english-without-french',
		{
			file: 'courses/demo/lessons/l3.en.svx',
			line: 1,
			message: /version anglaise sans original français/
		}
	],
	[
		'unknown-component',
		{
			file: 'courses/demo/lessons/l1.fr.svx',
			line: 27,
			field: '<Video>',
			message: /composant inconnu/
		}
	],
	['braces-in-text', { file: 'courses/demo/lessons/l2.fr.svx', line: 12, message: /accolades/ }],
	[
		'assessment-wrong-mode',
		{
			file: 'courses/demo/course.yaml',
			field: 'modules[0].assessment',
			message: /attendu un quiz en mode « assessment »/
		}
	],
	[
		'wrong-question-type',
		{
			file: 'courses/demo/quizzes/check-l1.yaml',
			field: 'questions[1].type',
			message: /un type de question parmi/
		}
	],
	['missing-course-file', { file: 'courses/orphelin/course.yaml', message: /fichier manquant/ }]
];

describe('each mistake is reported with its file, field and a plain message', () => {
	test.each(rules)('%s', (name, expected) => {
		const errors = errorsOf(withCase(name));
		const { message, ...where } = expected;
		const hit = errors.find((e) => e.file === where.file && message.test(e.message));
		expect(
			hit,
			`expected ${message} in ${where.file}, got:\n${errors.map(formatProblem).join('\n')}`
		).toBeDefined();
		expect(hit).toMatchObject(where);
		expect(formatProblem(hit!)).toContain(where.file);
		if (where.field) expect(formatProblem(hit!)).toContain(where.field);
		expect(formatProblem(hit!)).not.toMatch(/\n\s+at /);
	});
});

test('every problem is reported at once, not only the first', () => {
	const files = [
		...withCase('lesson-missing-term'),
		...withCase('english-without-french').filter((f) => f.path.endsWith('l3.en.svx'))
	];
	const quiz = files.findIndex((f) => f.path.endsWith('check-l1.yaml'));
	files[quiz] = withCase('question-no-correct').find((f) => f.path.endsWith('check-l1.yaml'))!;
	const messages = errorsOf(files).map((e) => e.message);
	expect(messages.some((m) => m.includes('terme inconnu'))).toBe(true);
	expect(messages.some((m) => m.includes('version anglaise'))).toBe(true);
	expect(messages.some((m) => m.includes('aucune bonne réponse'))).toBe(true);
	expect(formatReport(errorsOf(files))).toMatch(/\d+ erreurs? et 0 avertissement/);
});

test('a lesson listed in no module is a warning, not an error', () => {
	const files = [
		...valid(),
		{
			path: 'courses/demo/lessons/brouillon.fr.svx',
			text: valid().find((f) => f.path.endsWith('l2.fr.svx'))!.text
		}
	];
	const { problems } = loadCourses(files);
	expect(problems).toHaveLength(1);
	expect(problems[0]).toMatchObject({
		severity: 'warning',
		file: 'courses/demo/lessons/brouillon.fr.svx'
	});
});

test('every invalid fixture is covered by a rule above', async () => {
	const { readdirSync } = await import('node:fs');
	expect(readdirSync(join(FIXTURES, 'invalid')).sort()).toEqual(rules.map(([name]) => name).sort());
});

test('all of courses/ validates, with no error and no warning', () => {
	const { catalog, problems } = loadCourses(
		readCourseFiles(join(import.meta.dirname, '../../../courses'))
	);
	expect(problems.map(formatProblem)).toEqual([]);
	expect(catalog.courses.length).toBeGreaterThan(0);
});
