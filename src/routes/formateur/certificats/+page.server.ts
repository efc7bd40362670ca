import { redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth';
import { catalog, localize } from '$lib/server/catalog';
import { certificatesForStaff, revokeCertificate } from '$lib/server/certificates';
import { getDb } from '$lib/server/db';
import { field, refuse } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const prerender = false;
// Staff pages are plain server-rendered forms: no client code, and nothing added to learners' pages.
export const csr = false;

export const load = (async ({ locals }) => {
	if (!locals.user) redirect(303, '/connexion');
	requireRole(locals.user, 'instructor', 'admin');
	const certificates = await certificatesForStaff(await getDb(), locals.user);
	const titles = new Map(catalog.courses.map((c) => [c.id, localize(c.title, 'fr')]));
	return {
		certificates: certificates.map((c) => ({
			code: c.code,
			name: c.payload.name,
			serviceNumber: c.payload.sn ?? null,
			course: titles.get(c.courseId) ?? c.payload.title,
			cohort: c.cohortName,
			issuedAt: c.issuedAt,
			revoked: c.revoked
		}))
	};
}) satisfies PageServerLoad;

export const actions = {
	revoke: async ({ request, locals }) => {
		requireRole(locals.user, 'instructor', 'admin');
		const form = await request.formData();
		const code = field(form, 'code');
		try {
			const revoked = await revokeCertificate(await getDb(), locals.user, {
				code,
				reason: field(form, 'reason')
			});
			return { revoked: revoked.code };
		} catch (caught) {
			return refuse(caught, { code });
		}
	}
} satisfies Actions;
