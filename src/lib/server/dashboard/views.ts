import type { Cohort } from '../cohorts';
import type { Db } from '../db';
import { riskText } from './export';
import { itemReport } from './items';
import { learnerDetail } from './learner';
import { cohortReport } from './report';

// The instructor's views of one cohort other than its main page — a learner, the item analysis
// of an assessment, the printable report — as the data their components render. They are views
// of the cohort page (`?apprenant=`, `?evaluation=`, `?vue=rapport`) rather than pages of their
// own: every page route adds bytes to the router that every learner's phone downloads.

export async function learnerView(db: Db, cohort: Cohort, learnerId: string, before?: number) {
	const detail = await learnerDetail(db, cohort, learnerId, before); // 404 when not in the cohort
	return {
		view: 'learner' as const,
		cohort: { id: cohort.id, name: cohort.name },
		paged: before !== undefined,
		...detail,
		courses: detail.courses.map((c) => ({
			id: c.id,
			title: c.title,
			percent: c.progress.percent,
			completed: c.progress.completed,
			lessonsCompleted: c.progress.totals.lessonsCompleted,
			lessonCount: c.progress.totals.lessonCount,
			assessmentsPassed: c.progress.totals.assessmentsPassed,
			assessmentCount: c.progress.totals.assessmentCount,
			timeSpentMs: c.progress.totals.timeSpentMs
		}))
	};
}

export async function itemsView(db: Db, cohort: Cohort, courseId: string, quizId: string) {
	const report = await itemReport(db, cohort, courseId, quizId); // 404 when not in the cohort
	return {
		view: 'items' as const,
		cohort: { id: cohort.id, name: cohort.name },
		assessment: {
			courseId: report.assessment.courseId,
			quizId: report.assessment.quizId,
			title: report.assessment.title,
			moduleTitle: report.assessment.moduleTitle,
			passMark: report.assessment.passMark
		},
		courseTitle: report.courseTitle,
		takers: report.takers,
		items: report.items,
		distribution: report.distribution
	};
}

/** The cohort report laid out for paper: summaries, learners at risk, every learner's progress. */
export async function reportView(db: Db, cohort: Cohort, instructor: string) {
	const report = await cohortReport(db, cohort, {
		pageSize: Number.MAX_SAFE_INTEGER
	});
	const { structure } = report;
	return {
		view: 'report' as const,
		cohort: { id: cohort.id, name: cohort.name, atRiskDays: cohort.atRiskDays },
		instructor,
		madeAt: new Date().toISOString(),
		learnerCount: report.learnerCount,
		activeLast7Days: report.activeLast7Days,
		courses: report.courses,
		courseTitles: structure.courses.map((c) => ({ id: c.id, title: c.title })),
		assessmentCount: structure.assessments.length,
		atRisk: report.atRisk.map((r) => ({
			id: r.id,
			displayName: r.displayName,
			reasons: r.risks.map((x) => riskText(x, structure))
		})),
		learners: report.grid.rows.map((r) => ({
			id: r.id,
			displayName: r.displayName,
			serviceNumber: r.serviceNumber,
			percent: r.percent,
			lastActivity: r.lastActivity,
			passed: Object.values(r.assessments).filter((a) => a.passed).length
		}))
	};
}

export type LearnerViewData = Awaited<ReturnType<typeof learnerView>>;
export type ItemsViewData = Awaited<ReturnType<typeof itemsView>>;
export type ReportViewData = Awaited<ReturnType<typeof reportView>>;
