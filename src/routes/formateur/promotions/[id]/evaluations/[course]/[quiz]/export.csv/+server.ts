import { redirect } from '@sveltejs/kit';
import { separatorOf } from '$lib/dashboard/csv';
import { requireRole } from '$lib/server/auth';
import { findOwned } from '$lib/server/cohorts';
import { csvResponse, fileName, itemReport, itemsCsv } from '$lib/server/dashboard';
import { getDb } from '$lib/server/db';
import type { RequestHandler } from './$types';

/** The item analysis of one assessment, as a CSV file. */
export const GET: RequestHandler = async ({ locals, params, url }) => {
	if (!locals.user) redirect(303, '/connexion');
	requireRole(locals.user, 'instructor', 'admin');
	const db = await getDb();
	const cohort = await findOwned(db, locals.user, params.id);
	const report = await itemReport(db, cohort, params.course, params.quiz);
	return csvResponse(
		itemsCsv(report, separatorOf(url.searchParams.get('sep'))),
		`${fileName(cohort.name)}-${fileName(params.quiz)}-questions.csv`
	);
};
