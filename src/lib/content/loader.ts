import * as v from 'valibot';
import { describeIssue } from './describe';
import { parseLesson, type ComponentUse, type Heading } from './lesson-source';
import { fieldPath, type Problem } from './problems';
import {
	courseSchema,
	glossarySchema,
	quizSchema,
	scenarioSchema,
	type CourseFile,
	type GlossaryFile,
	type LessonFrontmatter,
	type QuizFile,
	type ScenarioFile
} from './schema';
import { parseYaml, type YamlSource } from './yaml-source';
import { checkQuiz, checkScenario } from './rules';

/** A file of courses/, with its path from the project root (`courses/…`). */
export interface SourceFile {
	path: string;
	text: string;
}

export interface LessonVersion extends LessonFrontmatter {
	file: string;
	headings: Heading[];
	components: ComponentUse[];
}
export interface Lesson {
	id: string;
	courseId: string;
	moduleId: string;
	fr: LessonVersion;
	en?: LessonVersion;
}
export interface Course extends CourseFile {
	lessons: Record<string, Lesson>;
	quizzes: Record<string, QuizFile>;
	scenarios: Record<string, ScenarioFile>;
	/** Reading time of every lesson, in minutes. */
	duration: number;
	lessonCount: number;
}
/** The formative check a lesson holds (its `<Check quiz>`), if any. */
export function lessonCheck(course: Course, lessonId: string): QuizFile | undefined {
	const id = course.lessons[lessonId]?.fr.components.find((c) => c.name === 'Check')?.attributes
		.quiz;
	return id === undefined ? undefined : course.quizzes[id];
}

export interface Catalog {
	courses: Course[];
	glossary: GlossaryFile;
}
export interface LoadResult {
	catalog: Catalog;
	problems: Problem[];
}

const GLOSSARY = 'courses/glossary.yaml';
const LAYOUT = [
	{ kind: 'course', re: /^courses\/([^/]+)\/course\.yaml$/ },
	{ kind: 'lesson', re: /^courses\/([^/]+)\/lessons\/([^/]+)\.(fr|en)\.svx$/ },
	{ kind: 'quiz', re: /^courses\/([^/]+)\/quizzes\/([^/]+)\.yaml$/ },
	{ kind: 'scenario', re: /^courses\/([^/]+)\/scenarios\/([^/]+)\.yaml$/ }
] as const;

interface Parsed<T> {
	value: T;
	source: YamlSource;
}
interface CourseParts {
	course?: Parsed<CourseFile>;
	lessons: Map<string, { fr?: LessonVersion; en?: LessonVersion }>;
	quizzes: Map<string, Parsed<QuizFile>>;
	scenarios: Map<string, Parsed<ScenarioFile>>;
	/** Files whose folder is a course but that could not be read: keeps cross-references quiet. */
	broken: Set<string>;
}

/**
 * Loads every file of courses/ into a catalogue, and lists every problem found on the way:
 * syntax, schema, and cross-references. Never throws on content mistakes.
 */
export function loadCourses(files: SourceFile[]): LoadResult {
	const problems: Problem[] = [];
	const err = (
		file: string,
		line: number | undefined,
		field: string | undefined,
		message: string
	) => problems.push({ file, line, field, message, severity: 'error' });
	const warn = (
		file: string,
		line: number | undefined,
		field: string | undefined,
		message: string
	) => problems.push({ file, line, field, message, severity: 'warning' });

	function parseWith<T>(
		schema: v.GenericSchema<unknown, T>,
		file: SourceFile
	): Parsed<T> | undefined {
		const { source, problems: yamlProblems } = parseYaml(file.path, file.text);
		problems.push(...yamlProblems);
		if (!source) return undefined;
		const result = v.safeParse(schema, source.data ?? undefined);
		if (result.success) return { value: result.output, source };
		for (const issue of result.issues) {
			const path = (issue.path ?? []).map((p) => p.key as string | number);
			err(file.path, source.lineOf(path), fieldPath(path) || undefined, describeIssue(issue));
		}
		return undefined;
	}

	let glossary: GlossaryFile = {};
	const parts = new Map<string, CourseParts>();
	const partsOf = (courseId: string) => {
		let p = parts.get(courseId);
		if (!p)
			parts.set(
				courseId,
				(p = { lessons: new Map(), quizzes: new Map(), scenarios: new Map(), broken: new Set() })
			);
		return p;
	};

	for (const file of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
		if (file.path === GLOSSARY) {
			const g = parseWith(glossarySchema, file);
			if (g) glossary = g.value;
			continue;
		}
		const match = LAYOUT.map((l) => ({ kind: l.kind, m: l.re.exec(file.path) })).find((x) => x.m);
		if (!match?.m) {
			if (/\.(svx|yaml|yml|md)$/.test(file.path))
				warn(
					file.path,
					undefined,
					undefined,
					"fichier ignoré : il n'est pas à une place prévue (voir « Organisation d'un cours » dans docs/authoring.md)"
				);
			continue;
		}
		const [, courseId, id, lang] = match.m;
		const p = partsOf(courseId!);
		if (match.kind === 'course') {
			const c = parseWith(courseSchema, file);
			if (c) {
				p.course = c;
				if (c.value.id !== courseId)
					err(
						file.path,
						c.source.lineOf(['id']),
						'id',
						`attendu « ${courseId} » (le nom du dossier du cours), trouvé « ${c.value.id} »`
					);
			}
		} else if (match.kind === 'lesson') {
			const parsed = parseLesson(file.path, file.text);
			problems.push(...parsed.problems);
			const entry = p.lessons.get(id!) ?? {};
			if (parsed.frontmatter) {
				entry[lang as 'fr' | 'en'] = {
					...parsed.frontmatter,
					file: file.path,
					headings: parsed.headings,
					components: parsed.components
				};
			} else p.broken.add(`lesson:${id}`);
			p.lessons.set(id!, entry);
		} else {
			const isQuiz = match.kind === 'quiz';
			const parsed = isQuiz ? parseWith(quizSchema, file) : parseWith(scenarioSchema, file);
			if (!parsed) {
				p.broken.add(`${match.kind}:${id}`);
				continue;
			}
			if (parsed.value.id !== id)
				err(
					file.path,
					parsed.source.lineOf(['id']),
					'id',
					`attendu « ${id} » (le nom du fichier), trouvé « ${parsed.value.id} »`
				);
			if (isQuiz) p.quizzes.set(id!, parsed as Parsed<QuizFile>);
			else p.scenarios.set(id!, parsed as Parsed<ScenarioFile>);
		}
	}

	const courses: Course[] = [];
	for (const [courseId, p] of parts) {
		const courseFile = `courses/${courseId}/course.yaml`;
		for (const q of p.quizzes.values()) problems.push(...checkQuiz(q.value, q.source));
		for (const s of p.scenarios.values()) problems.push(...checkScenario(s.value, s.source));

		if (!p.course) {
			if (!p.broken.size && !files.some((f) => f.path === courseFile))
				err(
					courseFile,
					undefined,
					undefined,
					'fichier manquant : chaque dossier de cours a besoin de son course.yaml'
				);
			continue;
		}
		const { value: course, source } = p.course;
		const lessons: Record<string, Lesson> = {};
		const usedQuizzes = new Set<string>();
		const usedScenarios = new Set<string>();
		const seenModules = new Set<string>();
		const seenLessons = new Set<string>();

		course.modules.forEach((mod, mi) => {
			if (seenModules.has(mod.id))
				err(
					courseFile,
					source.lineOf(['modules', mi, 'id']),
					fieldPath(['modules', mi, 'id']),
					`identifiant en double : le module « ${mod.id} » existe déjà dans ce cours`
				);
			seenModules.add(mod.id);
			mod.lessons.forEach((lessonId, li) => {
				const at = ['modules', mi, 'lessons', li];
				if (seenLessons.has(lessonId)) {
					err(
						courseFile,
						source.lineOf(at),
						fieldPath(at),
						`identifiant en double : la leçon « ${lessonId} » est déjà listée dans ce cours`
					);
					return;
				}
				seenLessons.add(lessonId);
				const versions = p.lessons.get(lessonId);
				if (!versions?.fr) {
					if (!p.broken.has(`lesson:${lessonId}`))
						err(
							courseFile,
							source.lineOf(at),
							fieldPath(at),
							`la leçon « ${lessonId} » n'existe pas : attendu un fichier courses/${courseId}/lessons/${lessonId}.fr.svx`
						);
					return;
				}
				lessons[lessonId] = {
					id: lessonId,
					courseId,
					moduleId: mod.id,
					fr: versions.fr,
					en: versions.en
				};
			});
			if (mod.assessment) {
				const at = ['modules', mi, 'assessment'];
				const quiz = p.quizzes.get(mod.assessment);
				usedQuizzes.add(mod.assessment);
				if (!quiz) {
					if (!p.broken.has(`quiz:${mod.assessment}`))
						err(
							courseFile,
							source.lineOf(at),
							fieldPath(at),
							`l'évaluation « ${mod.assessment} » n'existe pas : attendu un fichier courses/${courseId}/quizzes/${mod.assessment}.yaml`
						);
				} else if (quiz.value.mode !== 'assessment') {
					err(
						courseFile,
						source.lineOf(at),
						fieldPath(at),
						`attendu un quiz en mode « assessment » (évaluation notée), trouvé « ${quiz.value.mode} »`
					);
				}
			}
		});

		for (const [lessonId, versions] of p.lessons) {
			if (versions.en && !versions.fr && !p.broken.has(`lesson:${lessonId}`))
				err(
					versions.en.file,
					1,
					undefined,
					`version anglaise sans original français : attendu aussi courses/${courseId}/lessons/${lessonId}.fr.svx`
				);
			else if (versions.fr && !seenLessons.has(lessonId))
				warn(
					versions.fr.file,
					1,
					undefined,
					`leçon listée dans aucun module de course.yaml : elle ne sera pas publiée`
				);
			for (const version of [versions.fr, versions.en]) {
				if (!version) continue;
				(version.glossary ?? []).forEach((term) => {
					if (!(term in glossary))
						err(
							version.file,
							undefined,
							'frontmatter.glossary',
							`terme inconnu « ${term} » : attendu un identifiant de courses/glossary.yaml`
						);
				});
				for (const use of version.components) {
					const ref = use.attributes.quiz ?? use.attributes.id ?? '';
					if (use.name === 'Term' && !(ref in glossary))
						err(
							version.file,
							use.line,
							'<Term>',
							`terme inconnu « ${ref} » : attendu un identifiant de courses/glossary.yaml`
						);
					if (use.name === 'Check') {
						usedQuizzes.add(ref);
						const quiz = p.quizzes.get(ref);
						if (!quiz) {
							if (!p.broken.has(`quiz:${ref}`))
								err(
									version.file,
									use.line,
									'<Check>',
									`le quiz « ${ref} » n'existe pas : attendu un fichier courses/${courseId}/quizzes/${ref}.yaml`
								);
						} else if (quiz.value.mode !== 'formative')
							err(
								version.file,
								use.line,
								'<Check>',
								`attendu un quiz en mode « formative » (vérification), trouvé « ${quiz.value.mode} »`
							);
					}
					if (use.name === 'Scenario') {
						usedScenarios.add(ref);
						if (!p.scenarios.has(ref) && !p.broken.has(`scenario:${ref}`))
							err(
								version.file,
								use.line,
								'<Scenario>',
								`le scénario « ${ref} » n'existe pas : attendu un fichier courses/${courseId}/scenarios/${ref}.yaml`
							);
					}
				}
			}
		}
		for (const id of p.quizzes.keys())
			if (!usedQuizzes.has(id))
				warn(
					`courses/${courseId}/quizzes/${id}.yaml`,
					undefined,
					undefined,
					'quiz utilisé nulle part (ni <Check> dans une leçon, ni évaluation de module)'
				);
		for (const id of p.scenarios.keys())
			if (!usedScenarios.has(id))
				warn(
					`courses/${courseId}/scenarios/${id}.yaml`,
					undefined,
					undefined,
					'scénario utilisé dans aucune leçon (<Scenario id="…"/>)'
				);

		const lessonList = Object.values(lessons);
		courses.push({
			...course,
			lessons,
			quizzes: Object.fromEntries([...p.quizzes].map(([id, q]) => [id, q.value])),
			scenarios: Object.fromEntries([...p.scenarios].map(([id, s]) => [id, s.value])),
			duration: lessonList.reduce((sum, l) => sum + l.fr.duration, 0),
			lessonCount: lessonList.length
		});
	}
	courses.sort((a, b) => a.id.localeCompare(b.id));
	return { catalog: { courses, glossary }, problems };
}
