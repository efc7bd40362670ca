import { redirect } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth';
import { findOwned, resetLearnerPin } from '$lib/server/cohorts';
import { learnerDetail } from '$lib/server/dashboard';
import { getDb } from '$lib/server/db';
import { field, refuse } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const prerender = false;
export const csr = false;

export const load = (async ({ locals, params, url }) => {
	if (!locals.user) redirect(303, '/connexion');
	requireRole(locals.user, 'instructor', 'admin');
	const db = await getDb();
	const cohort = await findOwned(db, locals.user, params.id);
	const before = Number(url.searchParams.get('avant'));
	const detail = await learnerDetail(
		db,
		cohort,
		params.learner,
		Number.isSafeInteger(before) && before > 0 ? before : undefined
	); // 404 when the learner is not in this cohort
	return {
		cohort: { id: cohort.id, name: cohort.name },
		paged: url.searchParams.has('avant'),
		...detail,
		courses: detail.courses.map((c) => ({
			id: c.id,
			title: c.title,
			percent: c.progress.percent,
			completed: c.progress.completed,
			lessonsCompleted: c.progress.totals.lessonsCompleted,
			lessonCount: c.progress.totals.lessonCount,
			assessmentsPassed: c.progress.totals.assessmentsPassed,
			assessmentCount: c.progress.totals.assessmentCount,
			timeSpentMs: c.progress.totals.timeSpentMs
		}))
	};
}) satisfies PageServerLoad;

export const actions = {
	pin: async ({ request, locals, params }) => {
		requireRole(locals.user, 'instructor', 'admin');
		const form = await request.formData();
		try {
			const db = await getDb();
			const cohort = await findOwned(db, locals.user, params.id);
			await learnerDetail(db, cohort, params.learner); // 404 when not in this cohort
			await resetLearnerPin(db, locals.user, params.learner, field(form, 'pin'));
			return { pinReset: true };
		} catch (caught) {
			return refuse(caught);
		}
	}
} satisfies Actions;
