import { completionSeries, type DayPoint } from '$lib/dashboard/charts';
import { DAY_MS, riskReasons, type RiskReason } from '$lib/dashboard/at-risk';
import { percentDone } from '$lib/progress/reduce';
import type { Cohort } from '../cohorts';
import type { Db } from '../db';
import { lessonOfCohort, quizOfCohort } from './queries';
import { cohortStructure, type CohortStructure } from './structure';

// The cohort page's figures, read from the aggregates the sync ingest keeps (learner_progress,
// learner_lesson, learner_quiz): a handful of grouped queries whose size is learners × items,
// never the event log. The grid's cells are read for one page of learners only.

export const SORTS = ['nom', 'progression', 'activite'] as const;
export type Sort = (typeof SORTS)[number];
export const PAGE_SIZE = 50;

export interface LearnerSummary {
	id: string;
	displayName: string;
	serviceNumber: string | null;
	joinedAt: string;
	lastActivity: string | null;
	lastSyncAt: string | null;
	/** Each course's percent as the shared fold computes it: floor(100 × items done / items). */
	percent: Record<string, number>;
	/** Mean of the course percents, rounded down. */
	overall: number;
	risks: RiskReason[];
}

export interface Cell {
	status: 'not-started' | 'in-progress' | 'completed';
	/** Best score of the lesson's check, 0–1, if taken. */
	score: number | null;
}
export interface AssessmentCell {
	attempts: number;
	bestScore: number | null;
	passed: boolean;
}
export interface GridRow extends LearnerSummary {
	cells: Record<string, Cell>;
	assessments: Record<string, AssessmentCell>;
}

export interface ModuleSummary {
	moduleId: string;
	title: string;
	/** Share of learner × lesson pairs completed, 0–100. */
	lessonsCompleted: number;
	assessment: null | {
		quizId: string;
		title: string;
		/** Learners who completed it at least once. */
		attempted: number;
		passed: number;
		/** passed / attempted, 0–100, null when nobody tried. */
		passRate: number | null;
		meanBest: number | null;
	};
}
export interface CourseSummary {
	courseId: string;
	title: string;
	/** Mean of the learners' percents. */
	meanPercent: number;
	completedLearners: number;
	modules: ModuleSummary[];
}

export interface CohortReport {
	structure: CohortStructure;
	learnerCount: number;
	activeLast7Days: number;
	courses: CourseSummary[];
	atRisk: LearnerSummary[];
	completion: DayPoint[];
	grid: { rows: GridRow[]; page: number; pages: number; sort: Sort; descending: boolean };
}

export const quizKey = (courseId: string, quizId: string) => `${courseId}/${quizId}`;
const lessonKey = (courseId: string, lessonId: string) => `${courseId}/${lessonId}`;

/** Every learner of the cohort with percents and risks, plus the rows the summaries need. */
async function learnersOf(db: Db, cohort: Cohort, structure: CohortStructure, now: number) {
	const learners = await db
		.selectFrom('enrollments')
		.innerJoin('users', 'users.id', 'enrollments.user_id')
		.leftJoin('learner_progress', 'learner_progress.learner_id', 'users.id')
		.select([
			'users.id',
			'users.display_name',
			'users.service_number',
			'enrollments.joined_at',
			'learner_progress.last_event_at',
			'learner_progress.last_sync_at'
		])
		.where('enrollments.cohort_id', '=', cohort.id)
		.execute();
	const hasCourses = structure.courses.length > 0;
	const lessonCounts = hasCourses
		? await db
				.selectFrom('learner_lesson')
				.innerJoin('enrollments', 'enrollments.user_id', 'learner_lesson.learner_id')
				// Grouped by the enrollment's column, whose index already yields learners in order: SQLite
				// then groups as it reads instead of sorting every row in a temporary B-tree.
				.select((eb) => [
					'enrollments.user_id as learner_id',
					'learner_lesson.course_id',
					eb.fn.countAll<number>().as('done')
				])
				.where('enrollments.cohort_id', '=', cohort.id)
				.where('learner_lesson.status', '=', 'completed')
				.where(lessonOfCohort(structure))
				.groupBy(['enrollments.user_id', 'learner_lesson.course_id'])
				.execute()
		: [];
	// Assessments: passed ones counted per learner and course in SQL; only the failures that make a
	// learner at risk come back as rows.
	const assessmentRows = () =>
		db
			.selectFrom('learner_quiz')
			.innerJoin('enrollments', 'enrollments.user_id', 'learner_quiz.learner_id')
			.where('enrollments.cohort_id', '=', cohort.id)
			.where(quizOfCohort(structure));
	const [passedCounts, failures] = hasCourses
		? await Promise.all([
				assessmentRows()
					.select((eb) => [
						'enrollments.user_id as learner_id',
						'learner_quiz.course_id',
						eb.fn.countAll<number>().as('passed')
					])
					.where('learner_quiz.passed', '=', 1)
					.groupBy(['enrollments.user_id', 'learner_quiz.course_id'])
					.execute(),
				assessmentRows()
					.select([
						'learner_quiz.learner_id',
						'learner_quiz.course_id',
						'learner_quiz.quiz_id',
						'learner_quiz.attempts'
					])
					.where('learner_quiz.passed', '=', 0)
					.where('learner_quiz.attempts', '>=', 2)
					.execute()
			])
		: [[], []];
	const cutoff = new Date(now - cohort.atRiskDays * DAY_MS).toISOString();
	const open = hasCourses
		? await db
				.selectFrom('learner_lesson')
				.innerJoin('enrollments', 'enrollments.user_id', 'learner_lesson.learner_id')
				.select([
					'learner_lesson.learner_id',
					'learner_lesson.course_id',
					'learner_lesson.lesson_id',
					'learner_lesson.first_at',
					'learner_lesson.last_at'
				])
				.where('enrollments.cohort_id', '=', cohort.id)
				.where('learner_lesson.status', '=', 'in-progress')
				.where((eb) =>
					eb(eb.fn.coalesce('learner_lesson.first_at', 'learner_lesson.last_at'), '<=', cutoff)
				)
				.where(lessonOfCohort(structure))
				.execute()
		: [];

	const done = new Map<string, number>();
	for (const row of lessonCounts) done.set(`${row.learner_id} ${row.course_id}`, Number(row.done));
	const passedOf = new Map<string, number>();
	for (const row of passedCounts)
		passedOf.set(`${row.learner_id} ${row.course_id}`, Number(row.passed));
	const failuresOf = new Map<string, typeof failures>();
	for (const row of failures) {
		const list = failuresOf.get(row.learner_id);
		if (list) list.push(row);
		else failuresOf.set(row.learner_id, [row]);
	}
	const openOf = new Map<string, { courseId: string; lessonId: string; firstAt: string }[]>();
	for (const row of open) {
		const item = {
			courseId: row.course_id,
			lessonId: row.lesson_id,
			firstAt: row.first_at ?? row.last_at
		};
		const list = openOf.get(row.learner_id);
		if (list) list.push(item);
		else openOf.set(row.learner_id, [item]);
	}

	const summaries = learners.map((l): LearnerSummary => {
		const percent: Record<string, number> = {};
		for (const course of structure.courses) {
			const passed = passedOf.get(`${l.id} ${course.id}`) ?? 0;
			const lessons = done.get(`${l.id} ${course.id}`) ?? 0;
			percent[course.id] = percentDone(lessons + passed, course.itemCount);
		}
		const values = Object.values(percent);
		return {
			id: l.id,
			displayName: l.display_name,
			serviceNumber: l.service_number,
			joinedAt: l.joined_at,
			lastActivity: l.last_event_at ?? null,
			lastSyncAt: l.last_sync_at ?? null,
			percent,
			overall: values.length ? Math.floor(values.reduce((a, b) => a + b, 0) / values.length) : 0,
			risks: riskReasons(
				{
					joinedAt: l.joined_at,
					lastActivity: l.last_event_at ?? null,
					assessments: (failuresOf.get(l.id) ?? []).map((q) => ({
						courseId: q.course_id,
						quizId: q.quiz_id,
						attempts: Number(q.attempts),
						passed: false
					})),
					openLessons: openOf.get(l.id) ?? []
				},
				cohort.atRiskDays,
				now
			)
		};
	});
	return summaries;
}

const collator = new Intl.Collator('fr', { sensitivity: 'base' });

function sortLearners(rows: LearnerSummary[], sort: Sort, descending: boolean): LearnerSummary[] {
	const byName = (a: LearnerSummary, b: LearnerSummary) =>
		collator.compare(a.displayName, b.displayName) || a.id.localeCompare(b.id);
	const compare =
		sort === 'progression'
			? (a: LearnerSummary, b: LearnerSummary) => a.overall - b.overall
			: sort === 'activite'
				? (a: LearnerSummary, b: LearnerSummary) =>
						(a.lastActivity ?? '').localeCompare(b.lastActivity ?? '')
				: () => 0;
	const sign = descending ? -1 : 1;
	return [...rows].sort(
		(a, b) => sign * compare(a, b) || sign * (sort === 'nom' ? byName(a, b) : 0) || byName(a, b)
	);
}

/** The grid's cells for some learners: lesson statuses and check scores, assessment results. */
export async function gridCells(
	db: Db,
	structure: CohortStructure,
	learnerIds: readonly string[],
	/** Also the best score of each lesson's check (the page shows it; the CSV does not). */
	withChecks = true
): Promise<Map<string, Pick<GridRow, 'cells' | 'assessments'>>> {
	const out = new Map<string, Pick<GridRow, 'cells' | 'assessments'>>();
	for (const id of learnerIds) out.set(id, { cells: {}, assessments: {} });
	if (learnerIds.length === 0 || structure.courses.length === 0) return out;
	const checks = new Map<string, string>(); // quiz key → lesson key
	for (const l of structure.lessons)
		if (l.checkQuizId)
			checks.set(quizKey(l.courseId, l.checkQuizId), lessonKey(l.courseId, l.lessonId));
	const assessmentKeys = new Set(structure.assessments.map((a) => quizKey(a.courseId, a.quizId)));
	for (let i = 0; i < learnerIds.length; i += 500) {
		const ids = learnerIds.slice(i, i + 500);
		const [lessons, quizzes] = await Promise.all([
			db
				.selectFrom('learner_lesson')
				.select(['learner_id', 'course_id', 'lesson_id', 'status'])
				.where('learner_id', 'in', ids)
				.where(lessonOfCohort(structure))
				.execute(),
			db
				.selectFrom('learner_quiz')
				.select(['learner_id', 'course_id', 'quiz_id', 'attempts', 'best_score', 'passed'])
				.where('learner_id', 'in', ids)
				.where(quizOfCohort(structure, withChecks))
				.execute()
		]);
		for (const row of lessons) {
			const cells = out.get(row.learner_id)!.cells;
			const key = lessonKey(row.course_id, row.lesson_id);
			cells[key] = {
				status: row.status === 'completed' ? 'completed' : 'in-progress',
				score: cells[key]?.score ?? null
			};
		}
		for (const row of quizzes) {
			const entry = out.get(row.learner_id)!;
			const key = quizKey(row.course_id, row.quiz_id);
			const lesson = checks.get(key);
			if (lesson)
				entry.cells[lesson] = {
					status: entry.cells[lesson]?.status ?? 'in-progress',
					score: row.best_score
				};
			if (assessmentKeys.has(key))
				entry.assessments[key] = {
					attempts: row.attempts,
					bestScore: row.best_score,
					passed: row.passed === 1
				};
		}
	}
	return out;
}

export interface ReportOptions {
	now?: number;
	sort?: Sort;
	descending?: boolean;
	page?: number;
	pageSize?: number;
	/** Read the lessons' check scores for the grid's cells (default true). */
	withChecks?: boolean;
}

export async function cohortReport(
	db: Db,
	cohort: Cohort,
	options: ReportOptions = {}
): Promise<CohortReport> {
	const now = options.now ?? Date.now();
	const structure = cohortStructure(cohort.courses);
	const summaries = await learnersOf(db, cohort, structure, now);
	const hasCourses = structure.courses.length > 0;

	// Completions by lesson and by day in one pass: the summaries and the chart both come from it.
	const completions = hasCourses
		? await db
				.selectFrom('learner_lesson')
				.innerJoin('enrollments', 'enrollments.user_id', 'learner_lesson.learner_id')
				.select((eb) => [
					'learner_lesson.course_id',
					'learner_lesson.lesson_id',
					eb.fn<string>('substr', ['learner_lesson.completed_at', eb.val(1), eb.val(10)]).as('day'),
					eb.fn.countAll<number>().as('n')
				])
				.where('enrollments.cohort_id', '=', cohort.id)
				.where('learner_lesson.status', '=', 'completed')
				.where(lessonOfCohort(structure))
				.groupBy(['learner_lesson.course_id', 'learner_lesson.lesson_id', 'day'])
				.execute()
		: [];

	const n = summaries.length;
	const completedByLesson = new Map<string, number>();
	const perDay = new Map<string, number>();
	for (const row of completions) {
		const key = lessonKey(row.course_id, row.lesson_id);
		completedByLesson.set(key, (completedByLesson.get(key) ?? 0) + Number(row.n));
		if (row.day) perDay.set(row.day, (perDay.get(row.day) ?? 0) + Number(row.n));
	}
	const quizSummaries = hasCourses
		? await db
				.selectFrom('learner_quiz')
				.innerJoin('enrollments', 'enrollments.user_id', 'learner_quiz.learner_id')
				.select((eb) => [
					'learner_quiz.course_id',
					'learner_quiz.quiz_id',
					eb.fn.countAll<number>().as('attempted'),
					eb.fn.sum<number>('learner_quiz.passed').as('passed'),
					eb.fn.avg<number>('learner_quiz.best_score').as('mean_best')
				])
				.where('enrollments.cohort_id', '=', cohort.id)
				.where('learner_quiz.attempts', '>', 0)
				.where(quizOfCohort(structure))
				.groupBy(['learner_quiz.course_id', 'learner_quiz.quiz_id'])
				.execute()
		: [];
	const quizSummary = new Map(quizSummaries.map((q) => [quizKey(q.course_id, q.quiz_id), q]));
	const courses = structure.courses.map((course): CourseSummary => {
		const percents = summaries.map((s) => s.percent[course.id] ?? 0);
		return {
			courseId: course.id,
			title: course.title,
			meanPercent: n ? Math.round(percents.reduce((a, b) => a + b, 0) / n) : 0,
			completedLearners: percents.filter((p) => p === 100).length,
			modules: course.modules.map((module): ModuleSummary => {
				const completed = module.lessons.reduce(
					(sum, l) => sum + (completedByLesson.get(lessonKey(course.id, l.lessonId)) ?? 0),
					0
				);
				const a = module.assessment;
				const q = a ? quizSummary.get(quizKey(course.id, a.quizId)) : undefined;
				const attempted = Number(q?.attempted ?? 0);
				const passed = Number(q?.passed ?? 0);
				const meanBest =
					q?.mean_best === null || q?.mean_best === undefined ? null : Number(q.mean_best);
				return {
					moduleId: module.id,
					title: module.title,
					lessonsCompleted:
						n && module.lessons.length
							? Math.round((100 * completed) / (n * module.lessons.length))
							: 0,
					assessment: a
						? {
								quizId: a.quizId,
								title: a.title,
								attempted,
								passed,
								passRate: attempted ? Math.round((100 * passed) / attempted) : null,
								meanBest: meanBest !== null ? Math.round(100 * meanBest) : null
							}
						: null
				};
			})
		};
	});

	const sort = options.sort ?? 'nom';
	const descending = options.descending ?? false;
	const pageSize = options.pageSize ?? PAGE_SIZE;
	const sorted = sortLearners(summaries, sort, descending);
	const pages = Math.max(1, Math.ceil(sorted.length / pageSize));
	const page = Math.min(Math.max(1, Math.floor(options.page ?? 1)), pages);
	const slice = sorted.slice((page - 1) * pageSize, page * pageSize);
	const cells = await gridCells(
		db,
		structure,
		slice.map((s) => s.id),
		options.withChecks ?? true
	);

	const lessonItems = structure.lessons.length;
	const weekAgo = new Date(now - 7 * DAY_MS).toISOString();
	return {
		structure,
		learnerCount: n,
		activeLast7Days: summaries.filter((s) => s.lastActivity !== null && s.lastActivity >= weekAgo)
			.length,
		courses,
		atRisk: sortLearners(
			summaries.filter((s) => s.risks.length > 0),
			'activite',
			false
		),
		completion: completionSeries(perDay, n * lessonItems, new Date(now).toISOString().slice(0, 10)),
		grid: { rows: slice.map((s) => ({ ...s, ...cells.get(s.id)! })), page, pages, sort, descending }
	};
}
