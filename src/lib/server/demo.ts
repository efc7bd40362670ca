import { createFirstAdmin, createInstructor, hasAdmin, toAuthUser } from './auth';
import { catalog } from './catalog';
import { createCohort, joinCohort } from './cohorts';
import type { Db } from './db';
import { mulberry32 } from '$lib/quiz/shuffle';
import { syntheticActivity } from './dashboard/synthetic';
import { ingest } from './sync';

// `npm run demo`: a demo instructor and a cohort of synthetic learners with a few weeks of
// plausible activity, so that a newcomer sees a living instructor side right away.

export const DEMO = {
	admin: 'admin',
	instructor: 'demo',
	password: 'demo-kalan-2026',
	pin: '2468'
};

const FIRST = [
	'Awa',
	'Moussa',
	'Fatoumata',
	'Ibrahim',
	'Aminata',
	'Seydou',
	'Mariam',
	'Oumar',
	'Kadiatou',
	'Bakary',
	'Rokia',
	'Adama'
];
const LAST = [
	'Traoré',
	'Diarra',
	'Keïta',
	'Coulibaly',
	'Sangaré',
	'Touré',
	'Dembélé',
	'Sidibé',
	'Konaté',
	'Maïga'
];

export async function seedDemo(db: Db, learners = 24, now = Date.now()) {
	const admin = (await hasAdmin(db))
		? toAuthUser(
				await db
					.selectFrom('users')
					.selectAll()
					.where('role', '=', 'admin')
					.executeTakeFirstOrThrow()
			)
		: await createFirstAdmin(db, DEMO.admin, DEMO.password);
	const existing = await db
		.selectFrom('users')
		.selectAll()
		.where('username', '=', DEMO.instructor)
		.executeTakeFirst();
	const instructor = existing
		? toAuthUser(existing)
		: await createInstructor(db, admin, {
				username: DEMO.instructor,
				displayName: 'Formatrice de démonstration',
				password: DEMO.password
			});
	const wanted = catalog.courses.filter((c) =>
		['rss-triptyque', 'police-proximite'].includes(c.id)
	);
	const courses = wanted.length > 0 ? wanted : catalog.courses.slice(0, 1);
	const cohort = await createCohort(db, instructor, {
		name: `Promotion de démonstration ${new Date(now).toISOString().slice(0, 10)}`,
		courses: courses.map((c) => c.id)
	});
	const rand = mulberry32(2026);
	let events = 0;
	for (let i = 0; i < learners; i++) {
		const name = `${FIRST[i % FIRST.length]} ${LAST[(i * 7) % LAST.length]}${i >= FIRST.length ? ' ' + String.fromCharCode(65 + Math.floor(i / FIRST.length)) : ''}`;
		const joined = await joinCohort(db, {
			code: cohort.joinCode,
			displayName: name,
			pin: DEMO.pin,
			address: `demo-${i}`
		});
		const log = syntheticActivity({ learnerId: joined.user.id, courses, rand, now });
		if (log.length > 0) await ingest(db, joined.user, log, new Date(now));
		events += log.length;
	}
	return { cohort, learners, events };
}
