import { getDb } from '$lib/server/db';
import { endSession, SESSION_COOKIE, setSessionCookie } from '$lib/server/auth';
import { joinCohort } from '$lib/server/cohorts';
import { answer, api, clientAddress, KB, readJson } from '$lib/server/http';
import type { RequestHandler } from './$types';

export const prerender = false;

/**
 * A learner joins a cohort: { code, displayName, serviceNumber?, pin, localLearnerId? }. Signs
 * the device in as the new account; `user.id` is `localLearnerId` when `keptLocalId` is true.
 */
export const POST: RequestHandler = api(async (event) => {
	const body = (await readJson(event.request, 8 * KB)) as Record<string, unknown> | null;
	const db = await getDb();
	const joined = await joinCohort(db, {
		code: body?.code,
		displayName: body?.displayName,
		serviceNumber: body?.serviceNumber,
		pin: body?.pin,
		localLearnerId: body?.localLearnerId,
		address: clientAddress(event)
	});
	await endSession(db, event.cookies.get(SESSION_COOKIE));
	setSessionCookie(event.cookies, event.url, joined.session);
	const { id, name, courses } = joined.cohort;
	return answer(
		{ user: joined.user, cohort: { id, name, courses }, keptLocalId: joined.keptLocalId },
		201
	);
});
