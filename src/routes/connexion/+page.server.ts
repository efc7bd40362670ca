import { redirect } from '@sveltejs/kit';
import { setSessionCookie, signIn } from '$lib/server/auth';
import { getDb } from '$lib/server/db';
import { field, refuse } from '$lib/server/forms';
import { clientAddress } from '$lib/server/http';
import type { Actions, PageServerLoad } from './$types';

export const prerender = false;
// Staff pages are plain server-rendered forms: no client code, and nothing added to learners' pages.
export const csr = false;

const home = (role: string) => (role === 'admin' ? '/admin' : '/formateur');

export const load = (({ locals }) => {
	if (locals.user && locals.user.role !== 'learner') redirect(303, home(locals.user.role));
	return {};
}) satisfies PageServerLoad;

export const actions = {
	default: async (event) => {
		const form = await event.request.formData();
		const username = field(form, 'username');
		let role: string;
		try {
			const { user, session } = await signIn(await getDb(), {
				username,
				password: form.get('password'),
				address: clientAddress(event)
			});
			setSessionCookie(event.cookies, event.url, session);
			role = user.role;
		} catch (caught) {
			return refuse(caught, { username });
		}
		redirect(303, home(role));
	}
} satisfies Actions;
