import type { Course } from '../content/loader';
import type { LearningEvent } from './events';
import { EVENT_LIMITS, SCENARIO_OUTCOMES, type ScenarioOutcome } from './model';

/**
 * Progress is a fold over a learner's events. Every aggregate below is a commutative,
 * associative merge (sum over distinct event ids, min, max, or, set union, "latest by (at, id)"),
 * and an event id counts once, so the result depends only on the *set* of events: two devices'
 * logs merge by union, in any order. An id names one immutable event (a UUID made on the
 * device): two different events under one id are outside this contract.
 *
 * The value is plain JSON, canonical by construction (sorted ids, records with sorted keys), so
 * two folds of the same set are equal both structurally and as JSON text.
 */

/** Bumped when the shape or a rule changes: a stored Progress of another version is refolded. */
export const PROGRESS_VERSION = 1;

export const LESSON_STATUSES = ['not-started', 'in-progress', 'completed'] as const;
export type LessonStatus = (typeof LESSON_STATUSES)[number];

/** Which event was the latest: its time, then its id to break ties. */
export interface Stamp {
	at: string;
	eventId: string;
}

export interface LessonRecord {
	/** Never 'not-started' here: a lesson is recorded by its first event. */
	status: LessonStatus;
	/** Earliest event of the lesson (opening it or, if that event is missing, completing it). */
	firstOpenedAt: string;
	/** Earliest completion, null until completed. */
	completedAt: string | null;
	/** Latest event of the lesson. */
	lastAt: string;
	lastEventId: string;
	/** Sum of `result.durationMs` of the lesson's `lesson.completed` events. */
	timeSpentMs: number;
}

export interface QuestionRecord {
	/** `quiz.answered` events for the question. */
	answers: number;
	bestScore: number | null;
	/** Score of the latest answer by (at, id). */
	lastScore: number | null;
	lastAt: string;
	lastEventId: string;
}

export interface QuizRecord {
	/** `quiz.started` events. */
	starts: number;
	/** `quiz.completed` events. */
	attempts: number;
	bestScore: number | null;
	/** Score of the latest completion by (at, id). */
	lastScore: number | null;
	lastCompleted: Stamp | null;
	/** Some completion had `success: true` (a formative check always does). */
	passed: boolean;
	/** Earliest passing completion. */
	passedAt: string | null;
	/** Sum of `result.durationMs` of the completions. */
	timeSpentMs: number;
	/** Latest event of the quiz, any verb. */
	lastAt: string;
	questions: Record<string, QuestionRecord>;
}

export interface ScenarioRecord {
	/** `scenario.completed` events. */
	plays: number;
	bestScore: number | null;
	/** Every outcome reached, in the order of SCENARIO_OUTCOMES. */
	outcomes: ScenarioOutcome[];
	/** Some play ended on an outcome marked success. */
	succeeded: boolean;
	timeSpentMs: number;
	lastAt: string;
}

export interface CourseRecord {
	/** Latest event of the course, whatever it is about. */
	lastActivity: string;
	lessons: Record<string, LessonRecord>;
	quizzes: Record<string, QuizRecord>;
	scenarios: Record<string, ScenarioRecord>;
}

/** Where the learner was last: the lesson event with the greatest (at, id). */
export interface Place extends Stamp {
	courseId: string;
	lessonId: string;
}

export interface Progress {
	version: typeof PROGRESS_VERSION;
	learnerId: string;
	/** Ids of the events folded in, sorted and unique: re-applying one of them is a no-op. */
	eventIds: string[];
	/** Every course met in the events, known to the content or not (a newer version may be). */
	courses: Record<string, CourseRecord>;
	lastActivity: string | null;
	lastPlace: Place | null;
}

export function emptyProgress(learnerId: string): Progress {
	return {
		version: PROGRESS_VERSION,
		learnerId,
		eventIds: [],
		courses: {},
		lastActivity: null,
		lastPlace: null
	};
}

/**
 * The progress with one more event, as a new object (the input is never mutated). An event
 * already folded in, or of another learner, changes nothing: the input itself is returned.
 */
export function reduce(progress: Progress, event: LearningEvent): Progress {
	if (event.learnerId !== progress.learnerId) return progress;
	const index = lowerBound(progress.eventIds, event.id);
	if (progress.eventIds[index] === event.id) return progress;
	const eventIds = [...progress.eventIds];
	eventIds.splice(index, 0, event.id);
	return { ...merged(progress, event), eventIds };
}

/** `reduce` over many events, with the id set updated once (what `fold` and a sync pull use). */
export function reduceEvents(progress: Progress, events: Iterable<LearningEvent>): Progress {
	const seen = new Set(progress.eventIds);
	const added: string[] = [];
	// The batch is folded on its own first (small records, touched keys only), then merged into
	// the progress once: every merge is associative and commutative, so the result is the same as
	// folding the events one by one, at a fraction of the copying.
	let delta = emptyProgress(progress.learnerId);
	for (const event of events) {
		if (event.learnerId !== progress.learnerId || seen.has(event.id)) continue;
		seen.add(event.id);
		added.push(event.id);
		delta = merged(delta, event);
	}
	if (added.length === 0) return progress;
	return {
		...progress,
		courses: mergeRecords(progress.courses, delta.courses, mergeCourse),
		lastActivity:
			progress.lastActivity === null || delta.lastActivity === null
				? (progress.lastActivity ?? delta.lastActivity)
				: latestAt(progress.lastActivity, delta.lastActivity),
		lastPlace: latest(progress.lastPlace, delta.lastPlace),
		eventIds: mergeSorted(progress.eventIds, added.sort(compareText))
	};
}

/** The progress of one learner from their events, in any order, duplicates included. */
export function fold(learnerId: string, events: Iterable<LearningEvent>): Progress {
	return reduceEvents(emptyProgress(learnerId), events);
}

/** 'not-started' for a lesson with no event. */
export function lessonStatus(progress: Progress, courseId: string, lessonId: string): LessonStatus {
	const course = own(progress.courses, courseId);
	return (course && own(course.lessons, lessonId)?.status) ?? 'not-started';
}

// ——— The fold: each event becomes a one-event record merged into what is there ———
// (exported pieces: the server's batch fold, ./batch.ts, is built from them)

/** Every field of `progress` but `eventIds`, with the event merged in. */
function merged(progress: Progress, event: LearningEvent): Progress {
	const place: Place | null =
		isLesson(event) && event.lessonId !== undefined
			? { courseId: event.courseId, lessonId: event.lessonId, at: event.at, eventId: event.id }
			: null;
	return {
		...progress,
		courses: mergeRecords(progress.courses, single(event.courseId, courseOf(event)), mergeCourse),
		lastActivity:
			progress.lastActivity === null ? event.at : latestAt(progress.lastActivity, event.at),
		lastPlace: latest(progress.lastPlace, place)
	};
}

export const isLesson = (event: LearningEvent) =>
	event.verb === 'lesson.opened' || event.verb === 'lesson.completed';

function courseOf(event: LearningEvent): CourseRecord {
	const course: CourseRecord = {
		lastActivity: event.at,
		lessons: {},
		quizzes: {},
		scenarios: {}
	};
	// An event without the id its verb needs is refused by the schema; here it only dates the course.
	if (isLesson(event) && event.lessonId !== undefined)
		course.lessons = single(event.lessonId, lessonOf(event));
	else if (event.verb.startsWith('quiz.') && event.quizId !== undefined)
		course.quizzes = single(event.quizId, quizOf(event));
	else if (event.verb === 'scenario.completed' && event.scenarioId !== undefined)
		course.scenarios = single(event.scenarioId, scenarioOf(event));
	return course;
}

export function mergeCourse(a: CourseRecord, b: CourseRecord): CourseRecord {
	return {
		lastActivity: latestAt(a.lastActivity, b.lastActivity),
		lessons: mergeRecords(a.lessons, b.lessons, mergeLesson),
		quizzes: mergeRecords(a.quizzes, b.quizzes, mergeQuiz),
		scenarios: mergeRecords(a.scenarios, b.scenarios, mergeScenario)
	};
}

export function lessonOf(event: LearningEvent): LessonRecord {
	const completed = event.verb === 'lesson.completed';
	return {
		status: completed ? 'completed' : 'in-progress',
		firstOpenedAt: event.at,
		completedAt: completed ? event.at : null,
		lastAt: event.at,
		lastEventId: event.id,
		timeSpentMs: completed ? durationOf(event) : 0
	};
}

export function mergeLesson(a: LessonRecord, b: LessonRecord): LessonRecord {
	const last = latest(stampOf(a), stampOf(b));
	return {
		status:
			LESSON_STATUSES[
				Math.max(LESSON_STATUSES.indexOf(a.status), LESSON_STATUSES.indexOf(b.status))
			]!,
		firstOpenedAt: earliestAt(a.firstOpenedAt, b.firstOpenedAt),
		completedAt: earliestOrNull(a.completedAt, b.completedAt),
		lastAt: last.at,
		lastEventId: last.eventId,
		timeSpentMs: a.timeSpentMs + b.timeSpentMs
	};
}

export function quizOf(event: LearningEvent): QuizRecord {
	const completed = event.verb === 'quiz.completed';
	const score = completed ? scoreOf(event) : null;
	const passed = completed && event.result?.success === true;
	return {
		starts: event.verb === 'quiz.started' ? 1 : 0,
		attempts: completed ? 1 : 0,
		bestScore: score,
		lastScore: score,
		lastCompleted: completed ? { at: event.at, eventId: event.id } : null,
		passed,
		passedAt: passed ? event.at : null,
		timeSpentMs: completed ? durationOf(event) : 0,
		lastAt: event.at,
		questions:
			event.verb === 'quiz.answered' && event.questionId !== undefined
				? single(event.questionId, questionOf(event))
				: {}
	};
}

export function mergeQuiz(a: QuizRecord, b: QuizRecord): QuizRecord {
	const aIsLater =
		b.lastCompleted === null ||
		(a.lastCompleted !== null && compareStamps(a.lastCompleted, b.lastCompleted) >= 0);
	const last = aIsLater ? a : b;
	return {
		starts: a.starts + b.starts,
		attempts: a.attempts + b.attempts,
		bestScore: maxOrNull(a.bestScore, b.bestScore),
		lastScore: last.lastScore,
		lastCompleted: last.lastCompleted,
		passed: a.passed || b.passed,
		passedAt: earliestOrNull(a.passedAt, b.passedAt),
		timeSpentMs: a.timeSpentMs + b.timeSpentMs,
		lastAt: latestAt(a.lastAt, b.lastAt),
		questions: mergeRecords(a.questions, b.questions, mergeQuestion)
	};
}

function questionOf(event: LearningEvent): QuestionRecord {
	const score = scoreOf(event);
	return {
		answers: 1,
		bestScore: score,
		lastScore: score,
		lastAt: event.at,
		lastEventId: event.id
	};
}

function mergeQuestion(a: QuestionRecord, b: QuestionRecord): QuestionRecord {
	const aIsLater = compareStamps(stampOf(a), stampOf(b)) >= 0;
	const last = aIsLater ? a : b;
	return {
		answers: a.answers + b.answers,
		bestScore: maxOrNull(a.bestScore, b.bestScore),
		lastScore: last.lastScore,
		lastAt: last.lastAt,
		lastEventId: last.lastEventId
	};
}

export function scenarioOf(event: LearningEvent): ScenarioRecord {
	const outcome = event.result?.outcome;
	return {
		plays: 1,
		bestScore: scoreOf(event),
		outcomes: outcome === undefined ? [] : [outcome],
		succeeded: event.result?.success === true,
		timeSpentMs: durationOf(event),
		lastAt: event.at
	};
}

export function mergeScenario(a: ScenarioRecord, b: ScenarioRecord): ScenarioRecord {
	return {
		plays: a.plays + b.plays,
		bestScore: maxOrNull(a.bestScore, b.bestScore),
		outcomes: SCENARIO_OUTCOMES.filter((o) => a.outcomes.includes(o) || b.outcomes.includes(o)),
		succeeded: a.succeeded || b.succeeded,
		timeSpentMs: a.timeSpentMs + b.timeSpentMs,
		lastAt: latestAt(a.lastAt, b.lastAt)
	};
}

// ——— What a course's page, and the server's reports, show ———

/**
 * The shape of a course that progress needs: `Course` from $lib/content fits, and so does the
 * server's own copy. `quizzes` and `scenarios` (keyed by id) only widen what counts in time spent
 * and best scores; assessments named by modules always count.
 */
export interface CourseOutline {
	id: string;
	modules: readonly ModuleOutline[];
	quizzes?: Readonly<Record<string, unknown>>;
	scenarios?: Readonly<Record<string, unknown>>;
}
export interface ModuleOutline {
	id: string;
	lessons: readonly string[];
	assessment?: string;
}
// Fails to compile when the content's Course stops fitting the outline.
type AssertTrue<T extends true> = T;
export type CourseFitsOutline = AssertTrue<Course extends CourseOutline ? true : false>;

export interface AssessmentProgress {
	quizId: string;
	attempts: number;
	bestScore: number | null;
	lastScore: number | null;
	passed: boolean;
	passedAt: string | null;
}

export interface ModuleProgress {
	moduleId: string;
	lessonsCompleted: number;
	lessonCount: number;
	assessment: AssessmentProgress | null;
	/** Every lesson completed, and the assessment passed when there is one. */
	completed: boolean;
	/** When the last of those was first done; null until completed. */
	completedAt: string | null;
}

export interface CourseProgress {
	courseId: string;
	modules: ModuleProgress[];
	/** Items are the lessons and the assessments: a completed lesson or a passed assessment is done. */
	itemsCompleted: number;
	itemCount: number;
	/** floor(100 × itemsCompleted / itemCount): 100 exactly when the course is completed. */
	percent: number;
	/** Every module completed (a course with no module never is). */
	completed: boolean;
	completedAt: string | null;
	/** Some lesson, quiz or scenario of the course has an event. */
	started: boolean;
	/** The lesson of the course with the latest event (the "Continuer" button), or null. */
	resumeLessonId: string | null;
	/** Latest event about a lesson, quiz or scenario of the course. */
	lastActivity: string | null;
	totals: {
		/** Lessons' reading time, plus quiz and scenario durations, of the course's own items. */
		timeSpentMs: number;
		lessonsCompleted: number;
		lessonCount: number;
		assessmentsPassed: number;
		assessmentCount: number;
		/** Best score of each quiz of the course that has one, by quiz id. */
		bestScores: Record<string, number>;
		/** Best score of each scenario of the course that has one, by scenario id. */
		scenarioBestScores: Record<string, number>;
	};
}

/**
 * A course's percent from its items (lessons and assessments): floor(100 × done / items), so that
 * 100 means every item is done. The server's dashboard counts the same items from its aggregates.
 */
export function percentDone(itemsCompleted: number, itemCount: number): number {
	return itemCount === 0 ? 0 : Math.floor((100 * itemsCompleted) / itemCount);
}

/** How far the learner is in a course; events about ids the outline does not name do not count. */
export function courseProgress(progress: Progress, course: CourseOutline): CourseProgress {
	const record = own(progress.courses, course.id);
	const lessonOfId = (id: string) => (record ? own(record.lessons, id) : undefined);
	const quizOfId = (id: string) => (record ? own(record.quizzes, id) : undefined);
	const scenarioOfId = (id: string) => (record ? own(record.scenarios, id) : undefined);

	const modules = course.modules.map((module): ModuleProgress => {
		const lessons = module.lessons.map(lessonOfId);
		const lessonsCompleted = lessons.filter((l) => l?.status === 'completed').length;
		const quiz = module.assessment === undefined ? undefined : quizOfId(module.assessment);
		const assessment: AssessmentProgress | null =
			module.assessment === undefined
				? null
				: {
						quizId: module.assessment,
						attempts: quiz?.attempts ?? 0,
						bestScore: quiz?.bestScore ?? null,
						lastScore: quiz?.lastScore ?? null,
						passed: quiz?.passed ?? false,
						passedAt: quiz?.passedAt ?? null
					};
		const completed =
			lessonsCompleted === module.lessons.length && (assessment === null || assessment.passed);
		const doneAt = [...lessons.map((l) => l?.completedAt ?? null), assessment?.passedAt ?? null];
		return {
			moduleId: module.id,
			lessonsCompleted,
			lessonCount: module.lessons.length,
			assessment,
			completed,
			completedAt: completed ? doneAt.reduce(latestOrNull, null) : null
		};
	});

	const lessonCount = sum(modules.map((m) => m.lessonCount));
	const lessonsCompleted = sum(modules.map((m) => m.lessonsCompleted));
	const assessments = modules.flatMap((m) => (m.assessment ? [m.assessment] : []));
	const assessmentsPassed = assessments.filter((a) => a.passed).length;
	const itemCount = lessonCount + assessments.length;
	const itemsCompleted = lessonsCompleted + assessmentsPassed;
	const completed = modules.length > 0 && modules.every((m) => m.completed);

	const lessonIds = unique(course.modules.flatMap((m) => m.lessons));
	const quizIds = unique([
		...assessments.map((a) => a.quizId),
		...Object.keys(course.quizzes ?? {})
	]);
	const scenarioIds = unique(Object.keys(course.scenarios ?? {}));
	const lessonRecords = lessonIds.flatMap((id) => {
		const l = lessonOfId(id);
		return l ? [{ id, ...l }] : [];
	});
	const quizRecords = quizIds.flatMap((id) => {
		const q = quizOfId(id);
		return q ? [{ id, ...q }] : [];
	});
	const scenarioRecords = scenarioIds.flatMap((id) => {
		const s = scenarioOfId(id);
		return s ? [{ id, ...s }] : [];
	});

	const resume = lessonRecords.reduce<(Stamp & { id: string }) | null>(
		(best, l) => latest(best, { id: l.id, at: l.lastAt, eventId: l.lastEventId }),
		null
	);
	const bestScores = <T extends { id: string; bestScore: number | null }>(records: T[]) =>
		sortedRecord(
			records.flatMap((r) => (r.bestScore === null ? [] : [[r.id, r.bestScore] as const]))
		);

	return {
		courseId: course.id,
		modules,
		itemsCompleted,
		itemCount,
		percent: itemCount === 0 ? (completed ? 100 : 0) : percentDone(itemsCompleted, itemCount),
		completed,
		completedAt: completed ? modules.map((m) => m.completedAt).reduce(latestOrNull, null) : null,
		started: lessonRecords.length + quizRecords.length + scenarioRecords.length > 0,
		resumeLessonId: resume?.id ?? null,
		lastActivity: [...lessonRecords, ...quizRecords, ...scenarioRecords]
			.map((r) => r.lastAt)
			.reduce(latestOrNull, null),
		totals: {
			timeSpentMs: sum(
				[...lessonRecords, ...quizRecords, ...scenarioRecords].map((r) => r.timeSpentMs)
			),
			lessonsCompleted,
			lessonCount,
			assessmentsPassed,
			assessmentCount: assessments.length,
			bestScores: bestScores(quizRecords),
			scenarioBestScores: bestScores(scenarioRecords)
		}
	};
}

// ——— Small commutative pieces ———

function scoreOf(event: LearningEvent): number | null {
	const score = event.result?.score;
	// Math.max also turns -0 into 0, so equal scores are equal values.
	return typeof score === 'number' && Number.isFinite(score)
		? Math.min(1, Math.max(0, score))
		: null;
}

/** Whole milliseconds in [0, a day], so that sums are exact whatever their order. */
function durationOf(event: LearningEvent): number {
	const ms = event.result?.durationMs;
	return typeof ms === 'number' && Number.isFinite(ms)
		? Math.min(EVENT_LIMITS.durationMs, Math.max(0, Math.round(ms)))
		: 0;
}

export function compareText(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

function instantOf(at: string): number {
	const ms = Date.parse(at);
	return Number.isNaN(ms) ? -Infinity : ms;
}

/**
 * A total order on ISO times: by instant, then by text, since `…T10:00:00Z` and
 * `…T11:00:00+01:00` are one instant written twice.
 */
function compareAt(a: string, b: string): number {
	const x = instantOf(a);
	const y = instantOf(b);
	return x !== y ? (x < y ? -1 : 1) : compareText(a, b);
}

function compareStamps(a: Stamp, b: Stamp): number {
	return compareAt(a.at, b.at) || compareText(a.eventId, b.eventId);
}

const stampOf = (r: { lastAt: string; lastEventId: string }): Stamp => ({
	at: r.lastAt,
	eventId: r.lastEventId
});

export function latest<T extends Stamp>(a: T, b: T): T;
export function latest<T extends Stamp>(a: T | null, b: T | null): T | null;
export function latest<T extends Stamp>(a: T | null, b: T | null): T | null {
	if (a === null) return b;
	if (b === null) return a;
	return compareStamps(a, b) >= 0 ? a : b;
}

export const latestAt = (a: string, b: string) => (compareAt(a, b) >= 0 ? a : b);
const earliestAt = (a: string, b: string) => (compareAt(a, b) <= 0 ? a : b);
export const latestOrNull = (a: string | null, b: string | null) =>
	a === null ? b : b === null ? a : latestAt(a, b);
const earliestOrNull = (a: string | null, b: string | null) =>
	a === null ? b : b === null ? a : earliestAt(a, b);
const maxOrNull = (a: number | null, b: number | null) =>
	a === null ? b : b === null ? a : Math.max(a, b);

const sum = (values: number[]) => values.reduce((total, n) => total + n, 0);
const unique = (ids: string[]) => [...new Set(ids)];

// ——— Records keyed by ids that come from events: own keys only, in sorted order ———
// An id such as "__proto__" must stay data: keys are read with hasOwnProperty and written with
// defineProperty, never through the prototype chain.

function own<T>(record: Record<string, T>, key: string): T | undefined {
	return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

function put<T>(record: Record<string, T>, key: string, value: T): void {
	Object.defineProperty(record, key, {
		value,
		enumerable: true,
		writable: true,
		configurable: true
	});
}

function single<T>(key: string, value: T): Record<string, T> {
	const record: Record<string, T> = {};
	put(record, key, value);
	return record;
}

export function sortedRecord<T>(entries: readonly (readonly [string, T])[]): Record<string, T> {
	const record: Record<string, T> = {};
	for (const [key, value] of [...entries].sort(([a], [b]) => compareText(a, b)))
		put(record, key, value);
	return record;
}

/** Keys of both, sorted; a key in both holds `merge` of its two values. */
export function mergeRecords<T>(
	a: Record<string, T>,
	b: Record<string, T>,
	merge: (x: T, y: T) => T
): Record<string, T> {
	const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
	return sortedRecord(
		[...keys].map((key) => {
			const x = own(a, key);
			const y = own(b, key);
			return [key, x === undefined ? y! : y === undefined ? x : merge(x, y)] as const;
		})
	);
}

/** Where `id` is, or would go, in a sorted array. */
function lowerBound(sorted: readonly string[], id: string): number {
	let lo = 0;
	let hi = sorted.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (sorted[mid]! < id) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

export function mergeSorted(a: readonly string[], b: readonly string[]): string[] {
	const out: string[] = [];
	let i = 0;
	let j = 0;
	while (i < a.length && j < b.length) out.push(a[i]! <= b[j]! ? a[i++]! : b[j++]!);
	while (i < a.length) out.push(a[i++]!);
	while (j < b.length) out.push(b[j++]!);
	return out;
}
