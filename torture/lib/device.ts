// A simulated phone: its own IndexedDB (fake-indexeddb), a learner profile, an event log written
// by the real store (src/lib/client/store.ts) and sent by the real sync engine
// (src/lib/client/sync.ts). Only the transport differs from a browser: Node's fetch, with the
// session cookie added by hand, since Node keeps no cookie jar.
import 'fake-indexeddb/auto';
import type { LearningEvent, LearningEventDraft } from '../../src/lib/progress/events';
import { KalanDB } from '../../src/lib/client/db';
import { newId } from '../../src/lib/client/ids';
import { appendAll, complete } from '../../src/lib/client/store';
import { SyncEngine, type SyncStatus } from '../../src/lib/client/sync';
import { mulberry32 } from '../../src/lib/quiz/shuffle';

/** What a device may write about: ids taken from a real course of the catalogue. */
export interface CourseOutline {
	courseId: string;
	courseVersion: string;
	lessons: string[];
	quizzes: { id: string; questions: string[] }[];
	scenarios: string[];
}

/** What every device's requests met, summed over a run. */
export class Traffic {
	requests = 0;
	inFlight = 0;
	/** Answers by HTTP status. */
	statuses = new Map<number, number>();
	/** Requests that got no answer (connection refused or reset, timeout, cut body). */
	failures = 0;

	count(status: number): void {
		this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
	}

	serverErrors(): number {
		return [...this.statuses].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0);
	}

	summary(): string {
		const statuses = [...this.statuses]
			.sort(([a], [b]) => a - b)
			.map(([s, c]) => `${s}×${c}`)
			.join(' ');
		return `${this.requests} requests (${statuses}; ${this.failures} without an answer)`;
	}
}

/** 1 → "A", 27 → "AA": display names are letters only. */
export function letters(n: number): string {
	let s = '';
	for (let x = n; x > 0; x = Math.floor((x - 1) / 26))
		s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
	return s;
}

export interface DeviceOptions {
	index: number;
	/** Where the device's sync requests go (the server, or a proxy in front of it). */
	syncUrl: string;
	course: CourseOutline;
	traffic: Traffic;
	/** The sync engine's request timeout (its default is 20 s). */
	timeoutMs?: number;
	/** A name for the IndexedDB database, unique in the process. */
	dbName: string;
}

export class Device {
	readonly db: KalanDB;
	learnerId: string;
	readonly name: string;
	engine: SyncEngine | undefined;
	cookie = '';
	/** Ids of the events this device generated, in order. */
	readonly generated: LearningEvent[] = [];
	private readonly random: () => number;
	private step = 0;

	constructor(private readonly options: DeviceOptions) {
		this.db = new KalanDB(options.dbName);
		this.learnerId = newId();
		this.name = `Appareil ${letters(options.index + 1)}`;
		this.random = mulberry32(options.index + 1);
	}

	/** Joins the cohort with the profile's own id, as the app does (src/lib/client/account.ts). */
	async join(serverUrl: string, code: string, pin: string): Promise<void> {
		const res = await postJson(`${serverUrl}/api/auth/join`, {
			code,
			displayName: this.name,
			pin,
			localLearnerId: this.learnerId
		});
		const body = (await res.json()) as { user?: { id: string }; keptLocalId?: boolean };
		if (res.status !== 201 || !body.keptLocalId || body.user?.id !== this.learnerId)
			throw new Error(`join of ${this.name}: ${res.status} ${JSON.stringify(body)}`);
		this.cookie = sessionCookie(res);
	}

	/** A second phone of a learner who already joined: signs in, takes the account's id. */
	async signIn(serverUrl: string, code: string, name: string, pin: string): Promise<void> {
		const res = await postJson(`${serverUrl}/api/auth/learner-sign-in`, {
			code,
			nameOrServiceNumber: name,
			pin
		});
		const body = (await res.json()) as { user?: { id: string } };
		if (res.status !== 200 || !body.user)
			throw new Error(`sign-in of ${name}: ${res.status} ${JSON.stringify(body)}`);
		this.learnerId = body.user.id;
		this.cookie = sessionCookie(res);
	}

	/** Records `count` events as a learner's study would, through the device store. */
	async record(count: number): Promise<void> {
		const events = Array.from({ length: count }, () => complete(this.nextDraft(), this.learnerId));
		const stale = await appendAll(events, this.db);
		if (stale.length > 0) throw new Error(`progress of ${this.name} needs a rebuild`);
		this.generated.push(...events);
	}

	/** The real sync engine, with Node's fetch carrying this device's session cookie. */
	startSync(onChange?: (status: SyncStatus) => void): SyncEngine {
		const { traffic, syncUrl, timeoutMs } = this.options;
		const transport: typeof fetch = async (input, init) => {
			traffic.requests++;
			traffic.inFlight++;
			try {
				const headers = new Headers(init?.headers);
				headers.set('cookie', this.cookie);
				const res = await fetch(input, { ...init, headers });
				traffic.count(res.status);
				// the body is read by the engine; a cut body is counted there as a failure
				return res;
			} catch (error) {
				traffic.failures++;
				throw error;
			} finally {
				traffic.inFlight--;
			}
		};
		this.engine = new SyncEngine({
			db: this.db,
			learnerId: this.learnerId,
			baseUrl: syncUrl,
			fetch: transport,
			timeoutMs,
			onChange
		});
		this.engine.start();
		return this.engine;
	}

	/** Events of this learner on this device still waiting to be sent. */
	pending(): Promise<number> {
		return this.db.events.where('[learnerId+syncedAt]').equals([this.learnerId, 0]).count();
	}

	private nextDraft(): LearningEventDraft {
		const { courseId, courseVersion, lessons, quizzes, scenarios } = this.options.course;
		const pick = <T>(list: T[]): T => list[Math.floor(this.random() * list.length)]!;
		const scope = { courseId, courseVersion };
		const step = this.step++;
		const lesson = lessons[Math.floor(step / 12) % lessons.length]!;
		const quiz = quizzes.length > 0 ? pick(quizzes) : undefined;
		const roll = this.random();
		if (roll < 0.3 || !quiz) return { ...scope, verb: 'lesson.opened', lessonId: lesson };
		if (roll < 0.45)
			return {
				...scope,
				verb: 'lesson.completed',
				lessonId: lesson,
				result: { durationMs: 30_000 + Math.floor(this.random() * 600_000) }
			};
		if (roll < 0.52) return { ...scope, verb: 'quiz.started', quizId: quiz.id };
		if (roll < 0.88) {
			const score = this.random() < 0.7 ? 1 : 0;
			return {
				...scope,
				verb: 'quiz.answered',
				quizId: quiz.id,
				questionId: pick(quiz.questions),
				result: { score, success: score === 1, response: `choix-${Math.floor(this.random() * 4)}` }
			};
		}
		if (roll < 0.96 || scenarios.length === 0) {
			const score = Math.round(this.random() * 100) / 100;
			return {
				...scope,
				verb: 'quiz.completed',
				quizId: quiz.id,
				result: {
					score,
					success: score >= 0.7,
					durationMs: 60_000 + Math.floor(this.random() * 600_000)
				}
			};
		}
		const outcome = pick(['success', 'partial', 'failure'] as const);
		return {
			...scope,
			verb: 'scenario.completed',
			scenarioId: pick(scenarios),
			result: {
				score: outcome === 'success' ? 1 : outcome === 'partial' ? 0.5 : 0,
				success: outcome === 'success',
				outcome,
				path: ['a', 'b'],
				durationMs: 120_000
			}
		};
	}
}

function postJson(url: string, body: unknown): Promise<Response> {
	return fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body)
	});
}

function sessionCookie(res: Response): string {
	const cookie = res.headers
		.getSetCookie()
		.map((c) => c.split(';')[0]!)
		.find((c) => c.startsWith('kalan_session='));
	if (!cookie) throw new Error('no session cookie in the answer');
	return cookie;
}

export { newId };
