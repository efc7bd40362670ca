import { redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth';
import { catalog, localize } from '$lib/server/catalog';
import { createCohort, listForInstructor } from '$lib/server/cohorts';
import { cohortListStats } from '$lib/server/dashboard';
import { getDb } from '$lib/server/db';
import { field, refuse } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const prerender = false;
// Staff pages are plain server-rendered forms: no client code, and nothing added to learners' pages.
export const csr = false;

export const load = (async ({ locals }) => {
	if (!locals.user) redirect(303, '/connexion');
	requireRole(locals.user, 'instructor', 'admin');
	const db = await getDb();
	return {
		cohorts: await cohortListStats(db, await listForInstructor(db, locals.user)),
		courses: catalog.courses.map((c) => ({ id: c.id, title: localize(c.title, 'fr') }))
	};
}) satisfies PageServerLoad;

export const actions = {
	create: async ({ request, locals }) => {
		requireRole(locals.user, 'instructor', 'admin');
		const form = await request.formData();
		const name = field(form, 'name');
		let id: string;
		try {
			const cohort = await createCohort(await getDb(), locals.user, {
				name,
				courses: form.getAll('courses').map(String),
				startsOn: field(form, 'startsOn') || undefined,
				endsOn: field(form, 'endsOn') || undefined
			});
			id = cohort.id;
		} catch (caught) {
			return refuse(caught, { name });
		}
		redirect(303, `/formateur/promotions/${id}`);
	}
} satisfies Actions;
