import { redirect } from '@sveltejs/kit';
import QRCode from 'qrcode';
import { requireRole } from '$lib/server/auth';
import { findOwned } from '$lib/server/cohorts';
import { getDb } from '$lib/server/db';
import type { PageServerLoad } from './$types';

export const prerender = false;
// Staff pages are plain server-rendered forms: no client code, and nothing added to learners' pages.
export const csr = false;

export const load = (async ({ locals, params, url }) => {
	if (!locals.user) redirect(303, '/connexion');
	requireRole(locals.user, 'instructor', 'admin');
	const cohort = await findOwned(await getDb(), locals.user, params.id);
	const link = `${url.origin}/rejoindre?code=${encodeURIComponent(cohort.joinCode)}`;
	return {
		cohort: { name: cohort.name, joinCode: cohort.joinCode },
		origin: url.origin,
		link,
		qr: await QRCode.toString(link, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' })
	};
}) satisfies PageServerLoad;
