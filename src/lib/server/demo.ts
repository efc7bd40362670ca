import { randomUUID } from 'node:crypto';
import type { LearningEvent } from '$lib/progress/events';
import { createFirstAdmin, createInstructor, hasAdmin, toAuthUser } from './auth';
import { catalog } from './catalog';
import { createCohort, joinCohort } from './cohorts';
import type { Db } from './db';
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

/** A tiny seeded generator, so that the demo is the same every time. */
function random(seed: number) {
	let s = seed >>> 0;
	return () => {
		s = (s + 0x6d2b79f5) >>> 0;
		let t = Math.imul(s ^ (s >>> 15), 1 | s);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

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
	const course = catalog.courses.find((c) => c.id === 'rss-triptyque') ?? catalog.courses[0]!;
	const cohort = await createCohort(db, instructor, {
		name: `Promotion de démonstration ${new Date(now).toISOString().slice(0, 10)}`,
		courses: [course.id]
	});
	const rand = random(2026);
	const lessons = course.modules.flatMap((m) => m.lessons.map((id) => ({ id, module: m })));
	let events = 0;
	for (let i = 0; i < learners; i++) {
		const name = `${FIRST[i % FIRST.length]} ${LAST[(i * 7) % LAST.length]}${i >= FIRST.length ? ' ' + String.fromCharCode(65 + Math.floor(i / FIRST.length)) : ''}`;
		const joined = await joinCohort(db, {
			code: cohort.joinCode,
			displayName: name,
			pin: DEMO.pin,
			address: `demo-${i}`
		});
		const learnerId = joined.user.id;
		// Some learners are far ahead, some stopped a while ago: the at-risk cases of a real cohort.
		const reach = Math.floor(rand() * (lessons.length + 1));
		const stoppedDaysAgo = rand() < 0.2 ? 10 + Math.floor(rand() * 10) : Math.floor(rand() * 4);
		let at = now - (21 + Math.floor(rand() * 5)) * 86_400_000;
		const step =
			reach > 0 ? Math.max(3_600_000, (now - stoppedDaysAgo * 86_400_000 - at) / (reach + 1)) : 0;
		const log: LearningEvent[] = [];
		const event = (
			e: Omit<LearningEvent, 'id' | 'learnerId' | 'at' | 'courseId' | 'courseVersion'>
		) =>
			log.push({
				id: randomUUID(),
				learnerId,
				at: new Date((at += 60_000)).toISOString(),
				courseId: course.id,
				courseVersion: course.version,
				...e
			} as LearningEvent);
		for (const [n, lesson] of lessons.slice(0, reach).entries()) {
			at += step;
			event({ verb: 'lesson.opened', lessonId: lesson.id });
			event({
				verb: 'lesson.completed',
				lessonId: lesson.id,
				result: { durationMs: 300_000 + Math.floor(rand() * 400_000) }
			});
			const endOfModule = lessons[n + 1]?.module !== lesson.module;
			const quiz = lesson.module.assessment ? course.quizzes[lesson.module.assessment] : undefined;
			if (endOfModule && quiz) {
				const tries = rand() < 0.3 ? 2 : 1;
				for (let t = 0; t < tries; t++) {
					event({ verb: 'quiz.started', quizId: quiz.id });
					const scores = quiz.questions.slice(0, 8).map((q) => {
						const score = rand() < 0.35 + 0.4 * t + 0.2 * rand() ? 1 : 0;
						event({
							verb: 'quiz.answered',
							quizId: quiz.id,
							questionId: q.id,
							result: { score, success: score === 1 }
						});
						return score;
					});
					const score = scores.reduce((a: number, b) => a + b, 0) / scores.length;
					event({
						verb: 'quiz.completed',
						quizId: quiz.id,
						result: {
							score,
							success: quiz.mode === 'assessment' && score >= quiz.passMark,
							durationMs: 600_000
						}
					});
				}
			}
		}
		if (log.length > 0) await ingest(db, joined.user, log, new Date(Math.min(now, at)));
		events += log.length;
	}
	return { cohort, learners, events };
}
