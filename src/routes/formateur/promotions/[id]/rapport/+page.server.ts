import { redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth';
import { findOwned } from '$lib/server/cohorts';
import { cohortReport, riskText } from '$lib/server/dashboard';
import { getDb } from '$lib/server/db';
import type { PageServerLoad } from './$types';

export const prerender = false;
export const csr = false;

/** The cohort report laid out for paper: summaries, learners at risk, every learner's progress. */
export const load = (async ({ locals, params }) => {
	if (!locals.user) redirect(303, '/connexion');
	requireRole(locals.user, 'instructor', 'admin');
	const db = await getDb();
	const cohort = await findOwned(db, locals.user, params.id);
	const report = await cohortReport(db, cohort, {
		pageSize: Number.MAX_SAFE_INTEGER,
		withChecks: false
	});
	const { structure } = report;
	return {
		cohort: { id: cohort.id, name: cohort.name, atRiskDays: cohort.atRiskDays },
		instructor: locals.user.displayName,
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
}) satisfies PageServerLoad;
