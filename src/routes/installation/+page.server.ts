import { redirect } from '@sveltejs/kit';
import { createFirstAdmin, createSession, hasAdmin, setSessionCookie } from '$lib/server/auth';
import { getDb } from '$lib/server/db';
import { field, refuse } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const prerender = false;
// Staff pages are plain server-rendered forms: no client code, and nothing added to learners' pages.
export const csr = false;

export const load = (async () => ({
	installed: await hasAdmin(await getDb())
})) satisfies PageServerLoad;

export const actions = {
	default: async ({ request, cookies, url }) => {
		const db = await getDb();
		const form = await request.formData();
		const username = field(form, 'username');
		try {
			const admin = await createFirstAdmin(db, username, form.get('password'));
			setSessionCookie(cookies, url, await createSession(db, admin));
		} catch (caught) {
			return refuse(caught, { username });
		}
		redirect(303, '/admin');
	}
} satisfies Actions;
