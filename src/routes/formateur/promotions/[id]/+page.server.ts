import { redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth';
import {
	closeJoin,
	findOwned,
	openJoin,
	regenerateCode,
	resetLearnerPin,
	updateCohortSettings
} from '$lib/server/cohorts';
import {
	cohortReport,
	itemsView,
	learnerView,
	reportView,
	riskText,
	SORTS,
	type Sort
} from '$lib/server/dashboard';
import { getDb } from '$lib/server/db';
import { field, refuse } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const prerender = false;
// Staff pages are plain server-rendered forms: no client code, and nothing added to learners' pages.
export const csr = false;

/** How many at-risk learners the page lists (the CSV has them all). */
const AT_RISK_SHOWN = 30;

export const load = (async ({ locals, params, url }) => {
	if (!locals.user) redirect(303, '/connexion');
	requireRole(locals.user, 'instructor', 'admin');
	const db = await getDb();
	const cohort = await findOwned(db, locals.user, params.id); // 404 when not theirs

	// The cohort's other views: a learner, an assessment's item analysis, the printable report.
	const learner = url.searchParams.get('apprenant');
	if (learner !== null) {
		const before = Number(url.searchParams.get('avant'));
		return learnerView(
			db,
			cohort,
			learner,
			Number.isSafeInteger(before) && before > 0 ? before : undefined
		);
	}
	const evaluation = url.searchParams.get('evaluation');
	if (evaluation !== null) {
		const [courseId = '', quizId = ''] = evaluation.split('/');
		return itemsView(db, cohort, courseId, quizId);
	}
	if (url.searchParams.get('vue') === 'rapport')
		return reportView(db, cohort, locals.user.displayName);

	const tri = url.searchParams.get('tri');
	const sort: Sort = SORTS.includes(tri as Sort) ? (tri as Sort) : 'nom';
	const report = await cohortReport(db, cohort, {
		sort,
		descending: url.searchParams.get('ordre') === 'desc',
		page: Number(url.searchParams.get('page')) || 1
	});
	const { structure } = report;
	return {
		view: 'cohort' as const,
		cohort,
		learnerCount: report.learnerCount,
		activeLast7Days: report.activeLast7Days,
		courses: report.courses,
		structure: {
			courses: structure.courses.map((c) => ({ id: c.id, title: c.title })),
			lessons: structure.lessons.map(({ courseId, lessonId, title, short }) => ({
				courseId,
				lessonId,
				title,
				short
			})),
			assessments: structure.assessments.map(({ courseId, quizId, title, moduleTitle, short }) => ({
				courseId,
				quizId,
				title,
				moduleTitle,
				short
			}))
		},
		atRisk: report.atRisk.slice(0, AT_RISK_SHOWN).map((r) => ({
			id: r.id,
			displayName: r.displayName,
			lastActivity: r.lastActivity,
			reasons: r.risks.map((x) => riskText(x, structure))
		})),
		atRiskCount: report.atRisk.length,
		completion: report.completion,
		grid: report.grid
	};
}) satisfies PageServerLoad;

// Every action checks the role first (401/403), then ownership (404 when the cohort is not theirs).
const staff = (user: App.Locals['user']) => requireRole(user, 'instructor', 'admin');

export const actions = {
	regenerate: async ({ locals, params }) => {
		staff(locals.user);
		try {
			await regenerateCode(await getDb(), locals.user, params.id);
		} catch (caught) {
			return refuse(caught);
		}
	},
	close: async ({ locals, params }) => {
		staff(locals.user);
		try {
			await closeJoin(await getDb(), locals.user, params.id);
		} catch (caught) {
			return refuse(caught);
		}
	},
	open: async ({ locals, params }) => {
		staff(locals.user);
		try {
			await openJoin(await getDb(), locals.user, params.id);
		} catch (caught) {
			return refuse(caught);
		}
	},
	settings: async ({ request, locals, params }) => {
		staff(locals.user);
		const form = await request.formData();
		const atRiskDays = field(form, 'atRiskDays');
		try {
			await updateCohortSettings(await getDb(), locals.user, params.id, { atRiskDays });
			return { settingsSaved: true };
		} catch (caught) {
			return refuse(caught, { atRiskDays });
		}
	},
	pin: async ({ request, locals, params }) => {
		staff(locals.user);
		const form = await request.formData();
		const learnerId = field(form, 'learner');
		try {
			const db = await getDb();
			await findOwned(db, locals.user, params.id);
			await resetLearnerPin(db, locals.user, learnerId, field(form, 'pin'));
			return { pinReset: learnerId };
		} catch (caught) {
			return refuse(caught, { learner: learnerId });
		}
	}
} satisfies Actions;
