import { redirect } from '@sveltejs/kit';
import { clearSessionCookie, endSession, SESSION_COOKIE } from '$lib/server/auth';
import { getDb } from '$lib/server/db';
import type { RequestHandler } from './$types';

// Sign-out: an endpoint rather than a page with a form action, so that it adds no page to the
// router every learner's page downloads.

export const prerender = false;

export const GET: RequestHandler = () => redirect(303, '/connexion');

export const POST: RequestHandler = async ({ cookies, url }) => {
	await endSession(await getDb(), cookies.get(SESSION_COOKIE));
	clearSessionCookie(cookies, url);
	redirect(303, '/connexion');
};
