import * as v from 'valibot';
import { error } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth';
import { getDb } from '$lib/server/db';
import { answer, api, parseInput, readJson } from '$lib/server/http';
import { cursorValue, ingest, pull, SYNC_LIMITS } from '$lib/server/sync';
import { catalog } from '$lib/server/catalog';
import { completingCourses, getSigner, issueDue } from '$lib/server/certificates';
import type { RequestHandler } from './$types';

export const prerender = false;

const pushSchema = v.object(
	{ events: v.array(v.unknown(), 'une liste d’événements') },
	'un objet { "events": [ … ] }'
);

/**
 * A learner's device pushes events: answers the accepted, duplicate and rejected ids. With
 * `?after=<its pull cursor>`, and when no other device of the learner pushed since that cursor,
 * the answer also gives the cursor after this push's events: the device moves to it and does not
 * download its own events again at the next pull (a learner pays for every kilobyte).
 */
export const POST: RequestHandler = api(async ({ request, url, locals }) => {
	const learner = requireRole(locals.user, 'learner');
	const body = await readJson(request, SYNC_LIMITS.maxBodyBytes);
	const { events } = parseInput(pushSchema, body, 'Envoi refusé');
	if (events.length > SYNC_LIMITS.maxEvents)
		error(
			413,
			`Trop d'événements dans un envoi : ${SYNC_LIMITS.maxEvents} au plus. Envoyez-les en plusieurs fois.`
		);
	const db = await getDb();
	const { log, ...result } = await ingest(db, learner, events);
	const after = url.searchParams.get('after');
	const cursor =
		after !== null && log && cursorValue(after) === log.before ? String(log.after) : undefined;
	// After the events are committed: a course the fold now says is complete earns its
	// certificate. A failure here never fails the sync (the next sync or list issues it).
	const completing = completingCourses(events, result.accepted);
	if (completing.size > 0)
		await issueDue(db, learner.id, catalog.courses, getSigner, new Date(), completing).catch(
			(caught: unknown) => console.error('certificate issue', caught)
		);
	return answer(cursor === undefined ? result : { ...result, cursor });
});

/** A learner's device pulls the learner's events after a cursor (from their other devices). */
export const GET: RequestHandler = api(async ({ url, locals }) => {
	const learner = requireRole(locals.user, 'learner');
	const limit = Number(url.searchParams.get('limit') ?? SYNC_LIMITS.pullPage);
	return answer(await pull(await getDb(), learner, url.searchParams.get('after'), limit));
});
