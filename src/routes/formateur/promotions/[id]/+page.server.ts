import { redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth';
import { catalog, localize } from '$lib/server/catalog';
import {
	closeJoin,
	findOwned,
	openJoin,
	regenerateCode,
	resetLearnerPin
} from '$lib/server/cohorts';
import { getDb } from '$lib/server/db';
import { field, refuse } from '$lib/server/forms';
import { cohortLearners } from '$lib/server/reports';
import type { Actions, PageServerLoad } from './$types';

export const prerender = false;
// Staff pages are plain server-rendered forms: no client code, and nothing added to learners' pages.
export const csr = false;

export const load = (async ({ locals, params }) => {
	if (!locals.user) redirect(303, '/connexion');
	requireRole(locals.user, 'instructor', 'admin');
	const db = await getDb();
	const cohort = await findOwned(db, locals.user, params.id); // 404 when not theirs
	return {
		cohort,
		courses: cohort.courses.map((id) => ({
			id,
			title: localize(catalog.courses.find((c) => c.id === id)?.title ?? { fr: id }, 'fr')
		})),
		learners: await cohortLearners(db, cohort.id, cohort.courses)
	};
}) satisfies PageServerLoad;

// Every action checks the role first (401/403), then ownership (404 when the cohort is not theirs).
const staff = (user: App.Locals['user']) => requireRole(user, 'instructor', 'admin');

export const actions = {
	regenerate: async ({ locals, params }) => {
		staff(locals.user);
		try {
			await regenerateCode(await getDb(), locals.user, params.id);
		} catch (caught) {
			return refuse(caught);
		}
	},
	close: async ({ locals, params }) => {
		staff(locals.user);
		try {
			await closeJoin(await getDb(), locals.user, params.id);
		} catch (caught) {
			return refuse(caught);
		}
	},
	open: async ({ locals, params }) => {
		staff(locals.user);
		try {
			await openJoin(await getDb(), locals.user, params.id);
		} catch (caught) {
			return refuse(caught);
		}
	},
	pin: async ({ request, locals, params }) => {
		staff(locals.user);
		const form = await request.formData();
		const learnerId = field(form, 'learner');
		try {
			const db = await getDb();
			await findOwned(db, locals.user, params.id);
			await resetLearnerPin(db, locals.user, learnerId, field(form, 'pin'));
			return { pinReset: learnerId };
		} catch (caught) {
			return refuse(caught, { learner: learnerId });
		}
	}
} satisfies Actions;
