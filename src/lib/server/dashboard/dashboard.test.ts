import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { courseProgress, fold } from '$lib/progress/reduce';
import type { LearningEvent } from '$lib/progress/events';
import { BOM } from '$lib/dashboard/csv';
import { catalog } from '../catalog';
import { listForInstructor, findOwned, updateCohortSettings } from '../cohorts';
import * as make from '../cohorts/fixtures';
import { testDatabases, type OpenedDb } from '../db/testing';
import { ingest } from '../sync';
import { cohortListStats } from './list';
import { itemReport } from './items';
import { learnerDetail } from './learner';
import { cohortReport } from './report';
import { cohortStructure } from './structure';
import { courseCard, decodeCard } from '$lib/dashboard/card';
import { gridCsv, itemsCsv } from './export';
import { mulberry32 } from '$lib/quiz/shuffle';
import { syntheticActivity } from './synthetic';

const ccs = catalog.courses.find((c) => c.id === 'ccs')!;
const m1 = ccs.modules[0]!;
const assessment = ccs.quizzes[m1.assessment!]!;
if (assessment.mode !== 'assessment') throw new Error('m1 has a graded assessment');
const passMark = assessment.passMark;
const now = Date.parse('2026-03-20T12:00:00.000Z');
const daysAgo = (d: number, minutes = 0) =>
	new Date(now - d * 86_400_000 + minutes * 60_000).toISOString();

let seq = 0;
function ev(
	learnerId: string,
	at: string,
	draft: Partial<LearningEvent> & Pick<LearningEvent, 'verb'>
): LearningEvent {
	return {
		id: `e-${learnerId.slice(0, 8)}-${++seq}`,
		learnerId,
		at,
		courseId: 'ccs',
		courseVersion: ccs.version,
		...draft
	} as LearningEvent;
}

/** A graded attempt: every question answered right when `right` says so, the choice given as response. */
function attempt(learnerId: string, day: number, right: (i: number) => boolean): LearningEvent[] {
	const out = [ev(learnerId, daysAgo(day), { verb: 'quiz.started', quizId: assessment.id })];
	let total = 0;
	assessment.questions.forEach((q, i) => {
		const ok = right(i);
		total += ok ? 1 : 0;
		const response =
			q.type === 'single'
				? ok
					? q.choices.find((c) => c.correct)!.id
					: q.choices.find((c) => !c.correct)!.id
				: undefined;
		out.push(
			ev(learnerId, daysAgo(day, i + 1), {
				verb: 'quiz.answered',
				quizId: assessment.id,
				questionId: q.id,
				result: { score: ok ? 1 : 0, success: ok, ...(response ? { response } : {}) }
			})
		);
	});
	const score = total / assessment.questions.length;
	out.push(
		ev(learnerId, daysAgo(day, 59), {
			verb: 'quiz.completed',
			quizId: assessment.id,
			result: { score, success: score >= passMark, durationMs: 600_000 }
		})
	);
	return out;
}

describe.each(testDatabases)('instructor dashboard on $name', (database) => {
	let opened: OpenedDb;
	beforeEach(async () => {
		opened = await database.open();
	});
	afterEach(async () => {
		await opened.close();
	});

	async function twoLearners() {
		const { db } = opened;
		const owner = await make.instructor(db);
		const cohort = await make.cohort(db, owner);
		const awa = (await make.learner(db, cohort.joinCode, { displayName: 'Awa Traoré' })).user;
		const moussa = (
			await make.learner(db, cohort.joinCode, { displayName: "Moussa N'Diaye-Keïta" })
		).user;
		// Awa: every lesson of module 1 done, the assessment passed at the first try, a day ago.
		const awaEvents = [
			...m1.lessons.flatMap((id, i) => [
				ev(awa.id, daysAgo(5, i * 10), { verb: 'lesson.opened', lessonId: id }),
				ev(awa.id, daysAgo(5, i * 10 + 5), {
					verb: 'lesson.completed',
					lessonId: id,
					result: { durationMs: 300_000 }
				})
			]),
			...attempt(awa.id, 1, () => true)
		];
		// Moussa: first lesson done, second opened 10 days ago and left, the assessment failed twice.
		const moussaEvents = [
			ev(moussa.id, daysAgo(12), { verb: 'lesson.opened', lessonId: m1.lessons[0]! }),
			ev(moussa.id, daysAgo(12, 5), {
				verb: 'lesson.completed',
				lessonId: m1.lessons[0]!,
				result: { durationMs: 200_000 }
			}),
			ev(moussa.id, daysAgo(10), { verb: 'lesson.opened', lessonId: m1.lessons[1]! }),
			...attempt(moussa.id, 3, (i) => i === 0),
			...attempt(moussa.id, 2, () => false)
		];
		for (const [who, events] of [
			[awa, awaEvents],
			[moussa, moussaEvents]
		] as const) {
			const result = await ingest(db, who, events, new Date(now));
			expect(result.rejected).toEqual([]);
		}
		return {
			db,
			owner,
			cohort: await findOwned(db, owner, cohort.id),
			awa,
			moussa,
			awaEvents,
			moussaEvents
		};
	}

	it('shows each learner with the fold’s percent, cells, and the learner at risk with the reason', async () => {
		const { db, cohort, awa, moussa, awaEvents, moussaEvents } = await twoLearners();
		const report = await cohortReport(db, cohort, { now });
		expect(report.learnerCount).toBe(2);
		const rows = Object.fromEntries(report.grid.rows.map((r) => [r.displayName, r]));
		const awaRow = rows['Awa Traoré']!;
		const moussaRow = rows["Moussa N'Diaye-Keïta"]!;
		expect(awaRow.percent.ccs).toBe(courseProgress(fold(awa.id, awaEvents), ccs).percent);
		expect(moussaRow.percent.ccs).toBe(courseProgress(fold(moussa.id, moussaEvents), ccs).percent);
		expect(awaRow.percent.ccs).toBeGreaterThan(moussaRow.percent.ccs!);

		expect(awaRow.cells[`ccs/${m1.lessons[0]}`]?.status).toBe('completed');
		expect(moussaRow.cells[`ccs/${m1.lessons[1]}`]?.status).toBe('in-progress');
		expect(moussaRow.cells[`ccs/${m1.lessons[2]}`]).toBeUndefined();
		expect(awaRow.assessments[`ccs/${assessment.id}`]).toEqual({
			attempts: 1,
			bestScore: 1,
			passed: true
		});
		expect(moussaRow.assessments[`ccs/${assessment.id}`]).toMatchObject({
			attempts: 2,
			passed: false
		});

		expect(report.atRisk.map((r) => r.displayName)).toEqual(["Moussa N'Diaye-Keïta"]);
		expect(report.atRisk[0]!.risks.map((r) => r.kind).sort()).toEqual(['failed', 'stuck']);
		const module1 = report.courses[0]!.modules[0]!;
		expect(module1.assessment).toMatchObject({ attempted: 2, passed: 1, passRate: 50 });
		expect(report.completion.at(-1)!.done).toBe(m1.lessons.length + 1);

		// Sorted by progress, most advanced first; paginated.
		const sorted = await cohortReport(db, cohort, {
			now,
			sort: 'progression',
			descending: true,
			pageSize: 1
		});
		expect(sorted.grid.pages).toBe(2);
		expect(sorted.grid.rows.map((r) => r.displayName)).toEqual(['Awa Traoré']);
		const second = await cohortReport(db, cohort, {
			now,
			sort: 'progression',
			descending: true,
			pageSize: 1,
			page: 2
		});
		expect(second.grid.rows.map((r) => r.displayName)).toEqual(["Moussa N'Diaye-Keïta"]);
	});

	it('turns at-risk days into a per-cohort setting the report follows', async () => {
		const { db, cohort } = await twoLearners();
		const lenient = await cohortReport(db, { ...cohort, atRiskDays: 30 }, { now });
		// Failing twice still counts; the lesson left 10 days ago no longer does.
		expect(lenient.atRisk[0]!.risks.map((r) => r.kind)).toEqual(['failed']);
		const strict = await cohortReport(
			db,
			{ ...cohort, atRiskDays: 1 },
			{ now: now + 2 * 86_400_000 }
		);
		expect(strict.atRisk.map((r) => r.risks[0]!.kind)).toEqual(['inactive', 'inactive']);
	});

	it('refuses at-risk days that are not a whole number from 1 to 365, with the reason', async () => {
		const { db, owner, cohort } = await twoLearners();
		for (const bad of ['', 'abc', '0', '366', '7.5', '-3', '1e2'])
			await expect(
				updateCohortSettings(db, owner, cohort.id, { atRiskDays: bad })
			).rejects.toMatchObject({
				status: 400,
				body: { message: expect.stringMatching(/^Réglages refusés — /) }
			});
		expect((await findOwned(db, owner, cohort.id)).atRiskDays).toBe(7);
		await updateCohortSettings(db, owner, cohort.id, { atRiskDays: ' 14 ' });
		expect((await findOwned(db, owner, cohort.id)).atRiskDays).toBe(14);
	});

	it('analyses the assessment’s items from the learners’ latest answers', async () => {
		const { db, cohort } = await twoLearners();
		const report = await itemReport(db, cohort, 'ccs', assessment.id);
		expect(report.takers).toBe(2);
		// Best scores: Awa 100 %, Moussa 1 of the questions right.
		expect(report.distribution.reduce((n, b) => n + b.count, 0)).toBe(2);
		expect(report.distribution[9]!.count).toBe(1);
		expect(report.items).toHaveLength(assessment.questions.length);
		const first = report.items[0]!;
		expect(first.responses).toBe(2);
		// Awa right; Moussa's latest attempt (all wrong) is the one that counts.
		expect(first.shareCorrect).toBe(0.5);
		expect(first.discrimination).toBe(1);
		expect(first.provisional).toBe(true);
		const q1 = assessment.questions[0]!;
		if (q1.type === 'single')
			expect(first.topDistractor?.text).toBe(q1.choices.find((c) => !c.correct)!.text.fr);
		const csv = itemsCsv(report, ';');
		expect(csv.startsWith(BOM)).toBe(true);
		expect(csv.split('\r\n')).toHaveLength(assessment.questions.length + 2);
		await expect(itemReport(db, cohort, 'ccs', 'nope')).rejects.toMatchObject({ status: 404 });
	});

	it('exports the whole grid as CSV, accents kept', async () => {
		const { db, cohort } = await twoLearners();
		const csv = await gridCsv(db, cohort, ',', now);
		const lines = csv.slice(1).split('\r\n');
		expect(lines).toHaveLength(4);
		expect(lines[0]).toMatch(/^Nom,Matricule,Inscription,/);
		expect(lines[1]).toMatch(/^Awa Traoré,,/);
		expect(lines[2]).toMatch(/^Moussa N'Diaye-Keïta,,/);
		expect(lines[2]).toContain('échouée 2 fois');
		const semicolons = await gridCsv(db, cohort, ';', now);
		expect(semicolons.split('\r\n')[2]).toMatch(/^Moussa N'Diaye-Keïta;;/);
	});

	it('lists cohorts with active learners, mean completion and the oldest sync', async () => {
		const { db, owner, cohort } = await twoLearners();
		const empty = await make.cohort(db, owner);
		const rows = await cohortListStats(db, await listForInstructor(db, owner), now);
		const row = rows.find((r) => r.id === cohort.id)!;
		expect(row.learnerCount).toBe(2);
		expect(row.activeLast7Days).toBe(2);
		expect(row.oldestActiveSync).toBe(new Date(now).toISOString());
		const items = ccs.modules.reduce((n, m) => n + m.lessons.length + (m.assessment ? 1 : 0), 0);
		expect(row.meanCompletion).toBe(Math.round((100 * (m1.lessons.length + 1 + 1)) / (2 * items)));
		expect(rows.find((r) => r.id === empty.id)).toMatchObject({
			learnerCount: 0,
			meanCompletion: 0,
			oldestActiveSync: null
		});
	});

	it('shows one learner’s attempts and timeline, and nobody outside the cohort', async () => {
		const { db, owner, cohort, moussa, moussaEvents, awa } = await twoLearners();
		const detail = await learnerDetail(db, cohort, moussa.id);
		expect(detail.attempts.map((a) => a.passed)).toEqual([false, false]);
		expect(detail.attempts[0]!.score).toBeCloseTo(1 / assessment.questions.length);
		expect(detail.timeline).toHaveLength(Math.min(50, moussaEvents.length));
		expect(detail.timeline[0]!.text).toMatch(/^Évaluation terminée : .* \(non réussie\)$/);
		expect(detail.courses[0]!.progress.percent).toBe(
			courseProgress(fold(moussa.id, moussaEvents), ccs).percent
		);
		const other = await make.cohort(db, owner);
		await expect(learnerDetail(db, other, awa.id)).rejects.toMatchObject({ status: 404 });
		await expect(learnerDetail(db, cohort, 'not-a-learner')).rejects.toMatchObject({ status: 404 });
	});

	it('keeps a card per learner and course equal to the card of the shared fold', async () => {
		const { db } = opened;
		const cohort = await make.cohort(db);
		const rand = mulberry32(11);
		const outline = cohortStructure(['ccs']).courses[0]!.card;
		for (let i = 0; i < 6; i++) {
			const { user } = await make.learner(db, cohort.joinCode);
			const events = syntheticActivity({ learnerId: user.id, courses: [ccs], rand, now });
			// in several pushes, as a phone would: each one rewrites the card from the fold so far
			for (let b = 0; b < events.length; b += 40)
				await ingest(db, user, events.slice(b, b + 40), new Date(now));
			const row = await db
				.selectFrom('learner_course')
				.selectAll()
				.where('learner_id', '=', user.id)
				.where('course_id', '=', 'ccs')
				.executeTakeFirst();
			if (events.length === 0) {
				expect(row).toBeUndefined();
				continue;
			}
			const expected = courseCard(fold(user.id, events).courses.ccs, outline);
			expect(row!.outline_key).toBe(outline.key);
			expect(Number(row!.items_done)).toBe(expected.itemsDone);
			expect(decodeCard(Number(row!.items_done), row!.card, expected.statuses.length)).toEqual(
				expected
			);
		}
	});

	it('rebuilds from the stored fold a card missing, built from another outline or unreadable', async () => {
		const { db, owner, cohort, awa, moussa } = await twoLearners();
		const before = await cohortReport(db, cohort, { now });
		const [listed] = await cohortListStats(db, await listForInstructor(db, owner), now);
		// data synced before the cards existed; a course whose content changed; a damaged card
		await db.deleteFrom('learner_course').where('learner_id', '=', awa.id).execute();
		await db
			.updateTable('learner_course')
			.set({ outline_key: 'an-older-outline', items_done: 0, card: '{"s":"-"}' })
			.where('learner_id', '=', moussa.id)
			.execute();
		expect((await cohortListStats(db, await listForInstructor(db, owner), now))[0]).toEqual(listed);
		await db.deleteFrom('learner_course').execute();
		await db
			.insertInto('learner_course')
			.values({
				learner_id: moussa.id,
				course_id: 'ccs',
				outline_key: cohortStructure(['ccs']).courses[0]!.card.key,
				items_done: 7,
				card: 'not json'
			})
			.execute();
		const after = await cohortReport(db, cohort, { now });
		expect(after.courses).toEqual(before.courses);
		expect(after.atRisk).toEqual(before.atRisk);
		expect(after.completion).toEqual(before.completion);
		expect(after.grid.rows).toEqual(before.grid.rows);
		// written back: the next page reads them as they are
		const rows = await db.selectFrom('learner_course').selectAll().orderBy('learner_id').execute();
		expect(rows.map((r) => [r.learner_id, r.card === 'not json'])).toEqual(
			[awa.id, moussa.id].sort().map((id) => [id, false])
		);
		expect(await cohortReport(db, cohort, { now })).toEqual(after);
	});

	it('agrees with the shared fold for every synthetic learner', async () => {
		const { db } = opened;
		const cohort = await make.cohort(db);
		const rand = mulberry32(7);
		const logs = new Map<string, LearningEvent[]>();
		for (let i = 0; i < 12; i++) {
			const { user } = await make.learner(db, cohort.joinCode);
			const events = syntheticActivity({ learnerId: user.id, courses: [ccs], rand, now });
			logs.set(user.id, events);
			if (events.length)
				expect((await ingest(db, user, events, new Date(now))).rejected).toEqual([]);
		}
		const report = await cohortReport(db, cohort, { now });
		for (const row of report.grid.rows)
			expect(row.percent.ccs).toBe(courseProgress(fold(row.id, logs.get(row.id)!), ccs).percent);
	});
});
