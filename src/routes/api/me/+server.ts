import { getDb } from '$lib/server/db';
import { cohortsOfLearner } from '$lib/server/cohorts';
import { answer, api } from '$lib/server/http';
import type { RequestHandler } from './$types';

export const prerender = false;

/** Who this device is signed in as ({ user: null } when nobody), with a learner's cohorts. */
export const GET: RequestHandler = api(async ({ locals }) => {
	const user = locals.user;
	if (!user) return answer({ user: null });
	if (user.role !== 'learner') return answer({ user });
	return answer({ user, cohorts: await cohortsOfLearner(await getDb(), user.id) });
});
