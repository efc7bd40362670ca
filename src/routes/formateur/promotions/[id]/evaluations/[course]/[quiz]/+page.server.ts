import { redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth';
import { findOwned } from '$lib/server/cohorts';
import { itemReport } from '$lib/server/dashboard';
import { getDb } from '$lib/server/db';
import type { PageServerLoad } from './$types';

export const prerender = false;
export const csr = false;

export const load = (async ({ locals, params }) => {
	if (!locals.user) redirect(303, '/connexion');
	requireRole(locals.user, 'instructor', 'admin');
	const db = await getDb();
	const cohort = await findOwned(db, locals.user, params.id);
	const report = await itemReport(db, cohort, params.course, params.quiz); // 404 when not in the cohort
	return {
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
}) satisfies PageServerLoad;
