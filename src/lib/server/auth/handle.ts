import type { Handle } from '@sveltejs/kit';
import { getDb } from '../db';
import { clearSessionCookie, readSession, SESSION_COOKIE, setSessionCookie } from './sessions';

/**
 * Sets `locals.user` from the session cookie (null when nobody is signed in); sends a renewed
 * session's cookie again, and clears a cookie whose session is gone. With no cookie, the
 * database is never opened (prerendering, anonymous visits).
 */
export const sessionHandle: Handle = async ({ event, resolve }) => {
	event.locals.user = null;
	const token = event.cookies.get(SESSION_COOKIE);
	if (token) {
		const active = await readSession(await getDb(), token);
		if (active) {
			event.locals.user = active.user;
			if (active.renewed)
				setSessionCookie(event.cookies, event.url, { token, expiresAt: active.expiresAt });
		} else clearSessionCookie(event.cookies, event.url);
	}
	return resolve(event);
};
