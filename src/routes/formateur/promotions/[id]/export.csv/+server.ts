import { redirect } from '@sveltejs/kit';
import { separatorOf } from '$lib/dashboard/csv';
import { requireRole } from '$lib/server/auth';
import { findOwned } from '$lib/server/cohorts';
import { csvResponse, fileName, gridCsv } from '$lib/server/dashboard';
import { getDb } from '$lib/server/db';
import type { RequestHandler } from './$types';

/** The learners × lessons grid of the whole cohort, as a CSV file (`?sep=point-virgule` for Excel in French). */
export const GET: RequestHandler = async ({ locals, params, url }) => {
	if (!locals.user) redirect(303, '/connexion');
	requireRole(locals.user, 'instructor', 'admin');
	const db = await getDb();
	const cohort = await findOwned(db, locals.user, params.id);
	const csv = await gridCsv(db, cohort, separatorOf(url.searchParams.get('sep')));
	return csvResponse(csv, `${fileName(cohort.name)}-suivi.csv`);
};
