import { completionSeries, type DayPoint } from '$lib/dashboard/charts';
import { DAY_MS, riskReasons, type RiskInput, type RiskReason } from '$lib/dashboard/at-risk';
import { checkScores, type CourseCard } from '$lib/dashboard/card';
import { percentDone } from '$lib/progress/reduce';
import type { Cohort } from '../cohorts';
import type { Db } from '../db';
import { cohortCards } from './cards';
import { cohortStructure, type CohortStructure } from './structure';

// The cohort page's figures, read from what the sync ingest keeps: each learner's row of
// learner_progress and their cards (learner_course, one per course: src/lib/dashboard/card.ts).
// Two queries whose size is learners × courses, never the event log nor a row per lesson.

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

/** Every learner of the cohort with percents and risks, and their cards (same order as courses). */
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
			'learner_progress.learner_id as fold_of',
			'learner_progress.last_event_at',
			'learner_progress.last_sync_at'
		])
		.where('enrollments.cohort_id', '=', cohort.id)
		.execute();
	const cards = await cohortCards(
		db,
		cohort.id,
		structure,
		learners.map((l) => ({ id: l.id, hasProgress: l.fold_of !== null }))
	);

	const summaries = learners.map((l): LearnerSummary => {
		const own = cards.get(l.id)!;
		const percent: Record<string, number> = {};
		const assessments: RiskInput['assessments'][number][] = [];
		const openLessons: RiskInput['openLessons'][number][] = [];
		structure.courses.forEach((course, i) => {
			const card = own[i];
			percent[course.id] = percentDone(card?.itemsDone ?? 0, course.itemCount);
			if (!card) return;
			for (const quizId in card.assessments) {
				const [attempts, , passed] = card.assessments[quizId]!;
				assessments.push({ courseId: course.id, quizId, attempts, passed: passed === 1 });
			}
			if (card.oldestOpen)
				openLessons.push({
					courseId: course.id,
					lessonId: card.oldestOpen[0],
					firstAt: card.oldestOpen[1]
				});
		});
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
				{ joinedAt: l.joined_at, lastActivity: l.last_event_at ?? null, assessments, openLessons },
				cohort.atRiskDays,
				now
			)
		};
	});
	return { summaries, cards };
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

const STATUS_OF = { c: 'completed', i: 'in-progress' } as const;

/** A learner's grid cells, read from their cards. */
function gridCells(
	structure: CohortStructure,
	cards: readonly (CourseCard | null)[]
): Pick<GridRow, 'cells' | 'assessments'> {
	const cells: Record<string, Cell> = {};
	const assessments: Record<string, AssessmentCell> = {};
	structure.courses.forEach((course, i) => {
		const card = cards[i];
		if (!card) return;
		const scores = checkScores(card, card.statuses.length);
		let k = 0;
		for (const module of course.card.modules)
			for (const { lessonId } of module.lessons) {
				const status = STATUS_OF[card.statuses[k] as keyof typeof STATUS_OF];
				if (status) cells[lessonKey(course.id, lessonId)] = { status, score: scores[k] ?? null };
				k++;
			}
		for (const quizId in card.assessments) {
			const [attempts, bestScore, passed] = card.assessments[quizId]!;
			assessments[quizKey(course.id, quizId)] = { attempts, bestScore, passed: passed === 1 };
		}
	});
	return { cells, assessments };
}

export interface ReportOptions {
	now?: number;
	sort?: Sort;
	descending?: boolean;
	page?: number;
	pageSize?: number;
}

export async function cohortReport(
	db: Db,
	cohort: Cohort,
	options: ReportOptions = {}
): Promise<CohortReport> {
	const now = options.now ?? Date.now();
	const structure = cohortStructure(cohort.courses);
	const { summaries, cards } = await learnersOf(db, cohort, structure, now);

	// Completions by lesson and by day, and each assessment's results, summed over the cards
	// (counters by position: this loop runs for every learner and course of the cohort).
	const n = summaries.length;
	const completedAt = structure.courses.map((c) =>
		new Array<number>(c.card.modules.reduce((k, m) => k + m.lessons.length, 0)).fill(0)
	);
	const perDay = new Map<string, number>();
	const quizSummary = new Map<
		string,
		{ attempted: number; passed: number; bestSum: number; bestCount: number }
	>();
	for (const own of cards.values())
		for (let i = 0; i < own.length; i++) {
			const card = own[i];
			if (!card) continue;
			const counts = completedAt[i]!;
			const statuses = card.statuses;
			for (let k = 0; k < statuses.length; k++)
				if (statuses.charCodeAt(k) === 99 /* c */) counts[k]!++;
			for (const day in card.perDay) perDay.set(day, (perDay.get(day) ?? 0) + card.perDay[day]!);
			for (const quizId in card.assessments) {
				const [attempts, bestScore, passed] = card.assessments[quizId]!;
				if (attempts <= 0) continue;
				const key = quizKey(structure.courses[i]!.id, quizId);
				let q = quizSummary.get(key);
				if (!q) quizSummary.set(key, (q = { attempted: 0, passed: 0, bestSum: 0, bestCount: 0 }));
				q.attempted++;
				q.passed += passed;
				if (bestScore !== null) {
					q.bestSum += bestScore;
					q.bestCount++;
				}
			}
		}
	const completedByLesson = new Map<string, number>();
	structure.courses.forEach((course, i) => {
		let k = 0;
		for (const module of course.card.modules)
			for (const { lessonId } of module.lessons)
				completedByLesson.set(lessonKey(course.id, lessonId), completedAt[i]![k++]!);
	});
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
				const attempted = q?.attempted ?? 0;
				const passed = q?.passed ?? 0;
				const meanBest = q && q.bestCount > 0 ? q.bestSum / q.bestCount : null;
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
		grid: {
			rows: slice.map((s) => ({ ...s, ...gridCells(structure, cards.get(s.id)!) })),
			page,
			pages,
			sort,
			descending
		}
	};
}
