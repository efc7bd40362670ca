import { createInstructor, requireRole } from '$lib/server/auth';
import { getDb } from '$lib/server/db';
import { field, refuse } from '$lib/server/forms';
import { listStaff } from '$lib/server/reports';
import type { Actions, PageServerLoad } from './$types';

export const prerender = false;
// Staff pages are plain server-rendered forms: no client code, and nothing added to learners' pages.
export const csr = false;

export const load = (async ({ locals }) => {
	requireRole(locals.user, 'admin');
	return { staff: await listStaff(await getDb()) };
}) satisfies PageServerLoad;

export const actions = {
	instructor: async ({ request, locals }) => {
		requireRole(locals.user, 'admin');
		const form = await request.formData();
		const username = field(form, 'username');
		const displayName = field(form, 'displayName');
		try {
			const created = await createInstructor(await getDb(), locals.user, {
				username,
				displayName,
				password: form.get('password')
			});
			return { created: created.username };
		} catch (caught) {
			return refuse(caught, { username, displayName });
		}
	}
} satisfies Actions;
