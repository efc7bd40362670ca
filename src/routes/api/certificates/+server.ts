import { requireRole } from '$lib/server/auth';
import { catalog } from '$lib/server/catalog';
import { certificatesOfLearner, deliver, getSigner, issueDue } from '$lib/server/certificates';
import { getDb } from '$lib/server/db';
import { answer, api } from '$lib/server/http';
import type { RequestHandler } from './$types';

export const prerender = false;

/** The signed-in learner's certificates (any now due is issued first), with link and QR code. */
export const GET: RequestHandler = api(async ({ locals, url }) => {
	const learner = requireRole(locals.user, 'learner');
	const db = await getDb();
	await issueDue(db, learner.id, catalog.courses, getSigner);
	const certificates = await certificatesOfLearner(db, learner.id);
	return answer({
		learnerId: learner.id,
		publicKey: getSigner().publicKey,
		certificates: await Promise.all(certificates.map((c) => deliver(url.origin, c)))
	});
});
