import { getDb } from '$lib/server/db';
import { endSession, SESSION_COOKIE, setSessionCookie } from '$lib/server/auth';
import { cohortsOfLearner, signInLearner } from '$lib/server/cohorts';
import { answer, api, clientAddress, KB, readJson } from '$lib/server/http';
import type { RequestHandler } from './$types';

export const prerender = false;

/** A learner signs in on another phone: { code, nameOrServiceNumber, pin }. */
export const POST: RequestHandler = api(async (event) => {
	const body = (await readJson(event.request, 8 * KB)) as Record<string, unknown> | null;
	const db = await getDb();
	const { user, session } = await signInLearner(db, {
		code: body?.code,
		nameOrServiceNumber: body?.nameOrServiceNumber,
		pin: body?.pin,
		address: clientAddress(event)
	});
	await endSession(db, event.cookies.get(SESSION_COOKIE));
	setSessionCookie(event.cookies, event.url, session);
	return answer({ user, cohorts: await cohortsOfLearner(db, user.id) });
});
