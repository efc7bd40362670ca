// npm run content:check [folder] [--quiet] — validates courses/ and reports every problem at once.
// --quiet prints only the problems (the build runs it so); exit code 1 when there is an error.
import { resolve } from 'node:path';
import { formatReport, loadCourses } from '../src/lib/content';
import { readCourseFiles } from './read-courses';

const args = process.argv.slice(2);
const quiet = args.includes('--quiet');
const dir = resolve(args.find((a) => !a.startsWith('--')) ?? 'courses');
const { catalog, problems } = loadCourses(readCourseFiles(dir));
const errors = problems.filter((p) => p.severity === 'error').length;
if (!quiet || problems.length > 0) console.log(formatReport(problems));
if (errors === 0 && !quiet) {
	const lessons = catalog.courses.reduce((n, c) => n + c.lessonCount, 0);
	const questions = catalog.courses.reduce(
		(n, c) => n + Object.values(c.quizzes).reduce((m, q) => m + q.questions.length, 0),
		0
	);
	const scenarios = catalog.courses.reduce((n, c) => n + Object.keys(c.scenarios).length, 0);
	console.log(
		`${catalog.courses.length} cours, ${lessons} leçons, ${questions} questions, ${scenarios} scénarios, ${Object.keys(catalog.glossary).length} termes du glossaire.`
	);
}
process.exit(errors === 0 ? 0 : 1);
