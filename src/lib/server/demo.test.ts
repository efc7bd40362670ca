import { expect, test } from 'vitest';
import { createDb } from './db';
import { DEMO, seedDemo } from './demo';
import { signIn } from './auth';

test('the demo seeds an instructor who can sign in and a cohort of learners with folded activity', async () => {
	const db = await createDb({ sqlite: ':memory:' });
	const { cohort, learners, events } = await seedDemo(db, 6, Date.parse('2026-11-29T12:00:00Z'));
	expect(learners).toBe(6);
	expect(events).toBeGreaterThan(0);
	const enrolled = await db
		.selectFrom('enrollments')
		.selectAll()
		.where('cohort_id', '=', cohort.id)
		.execute();
	expect(enrolled).toHaveLength(6);
	const stored = await db
		.selectFrom('events')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.executeTakeFirstOrThrow();
	expect(Number(stored.n)).toBe(events);
	const { user } = await signIn(db, {
		username: DEMO.instructor,
		password: DEMO.password,
		address: '127.0.0.1'
	});
	expect(user.role).toBe('instructor');
	await db.destroy();
});
