import { createHash } from 'node:crypto';
import { lessonCheck, type Question } from '$lib/content';
import { CARD_FORMAT, type CardOutline } from '$lib/dashboard/card';
import { catalog, localize } from '../catalog';

// What a cohort follows, flattened for tables: its courses, modules, lessons (with the check a
// lesson holds) and graded assessments, in reading order. Built from the catalogue once per set
// of courses.

export interface LessonColumn {
	courseId: string;
	moduleId: string;
	lessonId: string;
	title: string;
	/** « M1 L2 »: a column header that fits a phone. */
	short: string;
	/** The formative check inside the lesson, if any (its best score shows in the grid). */
	checkQuizId: string | null;
}

export interface AssessmentColumn {
	courseId: string;
	moduleId: string;
	quizId: string;
	title: string;
	moduleTitle: string;
	/** « M1 » */
	short: string;
	passMark: number;
	questions: readonly Question[];
}

export interface ModuleOutline {
	id: string;
	title: string;
	lessons: LessonColumn[];
	assessment: AssessmentColumn | null;
}

export interface CourseOutline {
	id: string;
	title: string;
	version: string;
	modules: ModuleOutline[];
	/** Lessons plus assessments: what the course's percent counts. */
	itemCount: number;
	/** What a learner's card of the course counts (learner_course). */
	card: CardOutline;
}

export interface CohortStructure {
	courses: CourseOutline[];
	lessons: LessonColumn[];
	assessments: AssessmentColumn[];
}

const cache = new Map<string, CohortStructure>();

export function cohortStructure(courseIds: readonly string[]): CohortStructure {
	const key = courseIds.join('\n');
	const hit = cache.get(key);
	if (hit) return hit;
	const courses = courseIds.flatMap((id): CourseOutline[] => {
		const course = catalog.courses.find((c) => c.id === id);
		if (!course) return [];
		const modules = course.modules.map((module, m): ModuleOutline => {
			const lessons = module.lessons.flatMap((lessonId, l): LessonColumn[] => {
				const lesson = course.lessons[lessonId];
				if (!lesson) return [];
				return [
					{
						courseId: course.id,
						moduleId: module.id,
						lessonId,
						title: lesson.fr.title,
						short: `M${m + 1} L${l + 1}`,
						checkQuizId: lessonCheck(course, lessonId)?.id ?? null
					}
				];
			});
			const quiz = module.assessment ? course.quizzes[module.assessment] : undefined;
			return {
				id: module.id,
				title: localize(module.title, 'fr'),
				lessons,
				assessment:
					quiz && quiz.mode === 'assessment'
						? {
								courseId: course.id,
								moduleId: module.id,
								quizId: quiz.id,
								title: localize(quiz.title, 'fr'),
								moduleTitle: localize(module.title, 'fr'),
								short: `M${m + 1}`,
								passMark: quiz.passMark,
								questions: quiz.questions
							}
						: null
			};
		});
		return [
			{
				id: course.id,
				title: localize(course.title, 'fr'),
				version: course.version,
				modules,
				itemCount: modules.reduce((n, m) => n + m.lessons.length + (m.assessment ? 1 : 0), 0),
				card: cardOutline(course.id, modules)
			}
		];
	});
	const structure = {
		courses,
		lessons: courses.flatMap((c) => c.modules.flatMap((m) => m.lessons)),
		assessments: courses.flatMap((c) =>
			c.modules.flatMap((m) => (m.assessment ? [m.assessment] : []))
		)
	};
	cache.set(key, structure);
	return structure;
}

function cardOutline(courseId: string, modules: readonly ModuleOutline[]): CardOutline {
	const outline = modules.map((m) => ({
		lessons: m.lessons.map((l) => ({ lessonId: l.lessonId, checkQuizId: l.checkQuizId })),
		assessment: m.assessment?.quizId ?? null
	}));
	const key = createHash('sha256')
		.update(JSON.stringify([CARD_FORMAT, courseId, outline]))
		.digest('base64url')
		.slice(0, 16);
	return { courseId, key, modules: outline };
}

/** The card outline of a course of the catalogue; undefined for a course it does not have. */
export function courseCardOutline(courseId: string): CardOutline | undefined {
	return cohortStructure([courseId]).courses[0]?.card;
}
