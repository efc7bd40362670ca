import { redirect } from '@sveltejs/kit';
import { clearSessionCookie, endSession, SESSION_COOKIE } from '$lib/server/auth';
import { getDb } from '$lib/server/db';
import type { Actions, PageServerLoad } from './$types';

export const prerender = false;
// Staff pages are plain server-rendered forms: no client code, and nothing added to learners' pages.
export const csr = false;

export const load = (() => redirect(303, '/connexion')) satisfies PageServerLoad;

export const actions = {
	default: async ({ cookies, url }) => {
		await endSession(await getDb(), cookies.get(SESSION_COOKIE));
		clearSessionCookie(cookies, url);
		redirect(303, '/connexion');
	}
} satisfies Actions;
