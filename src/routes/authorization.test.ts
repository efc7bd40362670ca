import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AuthUser } from '$lib/server/auth';
import type { Cohort } from '$lib/server/cohorts';

// The authorization matrix of the staff pages and their form actions: anonymous, two learners,
// two instructors and the administrator, each refusal asserted. (The API's own matrix is in
// src/routes/api/api.test.ts.) Pages are called as SvelteKit calls them, on a real SQLite database.

const dir = mkdtempSync(join(tmpdir(), 'kalan-authz-'));
process.env.DATA_DIR = dir;
delete process.env.DATABASE_URL;

type Who = 'anonymous' | 'learnerA' | 'learnerB' | 'instructorX' | 'instructorY' | 'admin';
const people = {} as Record<Who, AuthUser | null>;
let cohortX: Cohort;

const routes = {
	admin: () => import('./admin/+page.server'),
	cohorts: () => import('./formateur/+page.server'),
	cohort: () => import('./formateur/promotions/[id]/+page.server'),
	sheet: () => import('./formateur/promotions/[id]/fiche/+page.server'),
	itemsCsv: () =>
		import('./formateur/promotions/[id]/evaluations/[course]/[quiz]/export.csv/+server'),
	gridCsv: () => import('./formateur/promotions/[id]/export.csv/+server')
};
const assessmentParams = { course: 'ccs', quiz: 'm1-evaluation' };

beforeAll(async () => {
	const { getDb } = await import('$lib/server/db');
	const f = await import('$lib/server/cohorts/fixtures');
	const db = await getDb();
	people.anonymous = null;
	people.admin = await f.admin(db);
	people.instructorX = await f.instructor(db);
	people.instructorY = await f.instructor(db);
	cohortX = await f.cohort(db, people.instructorX!);
	people.learnerA = (await f.learner(db, cohortX.joinCode)).user;
	people.learnerB = (await f.learner(db, cohortX.joinCode)).user;
}, 60_000); // five argon2 hashes: slow on a busy 2-core machine
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What a page load or action answers: ok, or the status of what it threw. */
async function outcome(run: () => unknown): Promise<number | 'ok'> {
	try {
		await run();
		return 'ok';
	} catch (thrown) {
		const status = (thrown as { status?: number }).status;
		if (typeof status !== 'number') throw thrown;
		return status;
	}
}
const url = new URL('http://127.0.0.1/');
const event = (who: Who, extra: Record<string, unknown> = {}) =>
	({ locals: { user: people[who] }, params: { id: cohortX.id }, url, ...extra }) as never;
const form = (fields: Record<string, string>) =>
	({ request: new Request(url, { method: 'POST', body: new URLSearchParams(fields) }) }) as const;

// 303: sent to the sign-in page; 401/403: refused; 404: "not yours" looks like "does not exist".
const matrix: [string, (who: Who) => Promise<unknown>, Record<Who, number | 'ok'>][] = [
	[
		'the administration page',
		async (who) => (await routes.admin()).load(event(who)),
		{
			anonymous: 401,
			learnerA: 403,
			learnerB: 403,
			instructorX: 403,
			instructorY: 403,
			admin: 'ok'
		}
	],
	[
		'creating an instructor account',
		async (who) =>
			(await routes.admin()).actions.instructor(
				event(
					who,
					form({
						username: `u${who}`,
						displayName: 'Nouveau Formateur',
						password: 'un-mot-de-passe-long'
					})
				)
			),
		{
			anonymous: 401,
			learnerA: 403,
			learnerB: 403,
			instructorX: 403,
			instructorY: 403,
			admin: 'ok'
		}
	],
	[
		'creating a cohort',
		async (who) =>
			(await routes.cohorts()).actions.create(
				event(who, form({ name: `Promotion de ${who}`, courses: 'ccs' }))
			),
		{ anonymous: 401, learnerA: 403, learnerB: 403, instructorX: 303, instructorY: 303, admin: 303 }
	],
	[
		'the list of cohorts',
		async (who) => (await routes.cohorts()).load(event(who)),
		{
			anonymous: 303,
			learnerA: 403,
			learnerB: 403,
			instructorX: 'ok',
			instructorY: 'ok',
			admin: 'ok'
		}
	],
	[
		"instructor X's cohort",
		async (who) => (await routes.cohort()).load(event(who)),
		{
			anonymous: 303,
			learnerA: 403,
			learnerB: 403,
			instructorX: 'ok',
			instructorY: 404,
			admin: 'ok'
		}
	],
	...(
		[
			[
				"a learner's page in instructor X's cohort",
				async (who: Who) =>
					(await routes.cohort()).load(
						event(who, { url: new URL(`http://127.0.0.1/?apprenant=${people.learnerA!.id}`) })
					)
			],
			[
				"the item analysis of instructor X's cohort",
				async (who: Who) =>
					(await routes.cohort()).load(
						event(who, { url: new URL('http://127.0.0.1/?evaluation=ccs/m1-evaluation') })
					)
			],
			[
				"the CSV of instructor X's grid",
				async (who: Who) => (await routes.gridCsv()).GET(event(who))
			],
			[
				"the CSV of instructor X's item analysis",
				async (who: Who) =>
					(await routes.itemsCsv()).GET(
						event(who, { params: { id: cohortX.id, ...assessmentParams } })
					)
			],
			[
				"the printable report of instructor X's cohort",
				async (who: Who) =>
					(await routes.cohort()).load(
						event(who, { url: new URL('http://127.0.0.1/?vue=rapport') })
					)
			]
		] as const
	).map(
		([what, run]) =>
			[
				what,
				run,
				{
					anonymous: 303,
					learnerA: 403,
					learnerB: 403,
					instructorX: 'ok',
					instructorY: 404,
					admin: 'ok'
				}
			] as [string, (who: Who) => Promise<unknown>, Record<Who, number | 'ok'>]
	),
	[
		"instructor X's join sheet",
		async (who) => (await routes.sheet()).load(event(who)),
		{
			anonymous: 303,
			learnerA: 403,
			learnerB: 403,
			instructorX: 'ok',
			instructorY: 404,
			admin: 'ok'
		}
	]
];

describe.each(matrix)('%s', (_what, run, expected) => {
	test.each(Object.keys(expected) as Who[])('%s', async (who) => {
		expect(await actionOutcome(() => run(who))).toBe(expected[who]);
	});
});

/** A form action's refusal comes back as fail(status) or is thrown: its status, or ok. */
async function actionOutcome(run: () => Promise<unknown>): Promise<number | 'ok'> {
	let value: unknown;
	const thrown = await outcome(async () => (value = await run()));
	if (thrown !== 'ok') return thrown;
	const status = (value as { status?: number } | undefined)?.status;
	return typeof status === 'number' && status >= 400 ? status : 'ok';
}

describe("actions on instructor X's cohort", () => {
	const refusedOrOk = {
		anonymous: 401,
		learnerA: 403,
		learnerB: 403,
		instructorY: 404,
		instructorX: 'ok',
		admin: 'ok'
	} as const;
	test.each(Object.keys(refusedOrOk) as Who[])('closing and reopening joining: %s', async (who) => {
		const cohort = await routes.cohort();
		expect(await actionOutcome(() => cohort.actions.close(event(who)))).toBe(refusedOrOk[who]);
		await outcome(() => cohort.actions.open(event('instructorX')));
	});
	test.each(Object.keys(refusedOrOk) as Who[])('changing the at-risk days: %s', async (who) => {
		const cohort = await routes.cohort();
		const run = () => cohort.actions.settings(event(who, form({ atRiskDays: '10' })));
		expect(await actionOutcome(run)).toBe(refusedOrOk[who]);
	});
	test.each(Object.keys(refusedOrOk) as Who[])("resetting learner A's PIN: %s", async (who) => {
		const cohort = await routes.cohort();
		const run = () =>
			cohort.actions.pin(event(who, form({ learner: people.learnerA!.id, pin: '1357' })));
		expect(await actionOutcome(run)).toBe(refusedOrOk[who]);
	});
});
