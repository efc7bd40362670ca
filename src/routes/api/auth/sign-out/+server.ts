import { getDb } from '$lib/server/db';
import { clearSessionCookie, endSession, SESSION_COOKIE } from '$lib/server/auth';
import { answer, api } from '$lib/server/http';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Ends this device's session (the account's other devices stay signed in). */
export const POST: RequestHandler = api(async ({ cookies, url, locals }) => {
	await endSession(await getDb(), cookies.get(SESSION_COOKIE));
	clearSessionCookie(cookies, url);
	locals.user = null;
	return answer({ ok: true });
});
