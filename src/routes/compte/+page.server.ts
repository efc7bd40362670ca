import { redirect } from '@sveltejs/kit';
import { changePassword, requireRole, setSessionCookie } from '$lib/server/auth';
import { getDb } from '$lib/server/db';
import { refuse } from '$lib/server/forms';
import { clientAddress } from '$lib/server/http';
import type { Actions, PageServerLoad } from './$types';

export const prerender = false;
export const csr = false;

export const load = (({ locals }) => {
	if (!locals.user) redirect(303, '/connexion');
	requireRole(locals.user, 'instructor', 'admin');
	return { name: locals.user.displayName };
}) satisfies PageServerLoad;

export const actions = {
	password: async (event) => {
		requireRole(event.locals.user, 'instructor', 'admin');
		const form = await event.request.formData();
		try {
			const { session } = await changePassword(await getDb(), event.locals.user, {
				current: form.get('current'),
				next: form.get('next'),
				address: clientAddress(event)
			});
			setSessionCookie(event.cookies, event.url, session);
			return { changed: true };
		} catch (caught) {
			return refuse(caught);
		}
	}
} satisfies Actions;
