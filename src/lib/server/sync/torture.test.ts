import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { campaign } from '../../../../torture/lib/campaign';
import { passed, verify } from '../../../../torture/lib/check';
import { mulberry32 } from '$lib/quiz/shuffle';
import { Device, Traffic } from '../../../../torture/lib/device';
import { ServerProcess } from '../../../../torture/lib/server';
import { cohort, learner } from '../cohorts/fixtures';
import { createDb } from '../db';

// The short version of `npm run torture` (torture/run.ts): a few phones running the real store
// and sync engine, the real sync route handlers in a child process killed with SIGKILL while
// requests are in flight. Nothing may be lost or stored twice.

let PORT = Number(process.env.TORTURE_TEST_PORT ?? 0);
let dir: string;
beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'kalan-torture-test-'));
	// A port nobody holds (another run, a dev server): a fixed one made the test fail for no reason.
	if (!PORT)
		PORT = await new Promise<number>((resolve, reject) => {
			const probe = createServer();
			probe.once('error', reject);
			probe.listen(0, '127.0.0.1', () => {
				const address = probe.address();
				const port = typeof address === 'object' && address ? address.port : 0;
				probe.close(() => resolve(port));
			});
		});
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Phones that studied offline, then joined a cohort; the server (not started) on their database. */
async function setUp(
	name: string,
	port: number,
	count: number,
	syncUrl: string,
	timeoutMs?: number
) {
	mkdirSync(join(dir, name));
	const file = join(dir, name, 'kalan.db');
	const db = await createDb({ sqlite: file });
	const { joinCode } = await cohort(db);
	const server = new ServerProcess(port, { DATA_DIR: join(dir, name) }, join(dir, `${name}.log`), [
		'--import',
		'tsx',
		'torture/sync-server.ts'
	]);
	const traffic = new Traffic();
	const course = {
		courseId: 'ccs',
		courseVersion: '1.0.0',
		lessons: ['l1', 'l2', 'l3'],
		quizzes: [{ id: 'q1', questions: ['a', 'b', 'c'] }],
		scenarios: ['s1']
	};
	const devices: Device[] = [];
	for (let i = 0; i < count; i++) {
		const device = new Device({
			index: i,
			syncUrl,
			course,
			traffic,
			timeoutMs,
			dbName: `torture-test-${name}-${i}`
		});
		await device.record(10); // studied offline before joining
		const joined = await learner(db, joinCode, { localLearnerId: device.learnerId });
		device.cookie = `kalan_session=${joined.session.token}`;
		devices.push(device);
	}
	await db.destroy();
	return { file, server, traffic, devices };
}

test(
	'the server killed twice during sync: every event stored once, folds equal, phones synced',
	// three server starts through Vite, each loading the route: a safety limit, not a speed check
	{ timeout: 300_000 },
	async () => {
		const { file, server, traffic, devices } = await setUp(
			'crash',
			PORT,
			5,
			`http://127.0.0.1:${PORT}`
		);
		await server.start();
		try {
			const result = await campaign({
				devices,
				traffic,
				eventsPerDevice: 40,
				server,
				kills: 2,
				killGapMs: [300, 900],
				downMs: [0, 300],
				burst: [5, 15],
				pauseMs: [50, 400],
				deadlineMs: 80_000,
				random: mulberry32(7),
				log: () => undefined
			});
			expect(result.stuck).toEqual([]);
			expect(result.kills).toBe(2);
		} finally {
			await server.stop();
			server.close();
		}
		expect(traffic.serverErrors()).toBe(0);
		const verdict = await verify({ sqlite: file }, devices);
		expect(verdict.problems).toEqual([]);
		expect(verdict).toMatchObject({ generated: 200, stored: 200, missing: 0, duplicated: 0 });
		expect(passed(verdict)).toBe(true);
	}
);
