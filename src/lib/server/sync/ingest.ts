import * as v from 'valibot';
import { reduceBatch } from '../../progress/batch';
import { learningEventSchema, type LearningEvent } from '../../progress/events';
import { emptyProgress, fold, PROGRESS_VERSION, type Progress } from '../../progress/reduce';
import { runReused, writeTransaction, type Db, type Dialect, type NewEvent } from '../db';
import { describeIssues } from '../http';
import { replaceAggregates, touchedBy, writeAggregates } from './aggregates';
import { replaceCards, writeCards } from './cards';

export const SYNC_LIMITS = {
	/** Events in one push. */
	maxEvents: 500,
	/** Bytes of one push's body. */
	maxBodyBytes: 512 * 1024,
	/** Events in one pull page. */
	pullPage: 500
} as const;

/** An event dated this far ahead of the server's clock is kept, but flagged: a clock is wrong. */
export const FUTURE_TOLERANCE_MS = 24 * 60 * 60 * 1000;

export interface Rejected {
	/** The event's id when it had a readable one. */
	id: string | null;
	/** Why, in French, for the learner and whoever helps them. */
	reason: string;
}

export interface IngestResult {
	/** Stored now: the device marks them as sent. */
	accepted: string[];
	/** Already stored (an earlier push, another device, twice in this batch): marked as sent too. */
	duplicate: string[];
	/** Refused: they stay on the device, visible. */
	rejected: Rejected[];
	/**
	 * The `seq` of the learner's last stored event before this push and after it (absent when no
	 * event reached the database). A device whose pull cursor was `before` holds every event up to
	 * `after`: the ones it had, and the ones it just pushed.
	 */
	log?: { before: number; after: number };
}

// Ids end up in indexed text columns: a NUL (refused by PostgreSQL), a control character or a
// lone surrogate (changed by UTF-8 encoding) would break them, or make two ids compare equal.
const ID_FIELDS = [
	'id',
	'learnerId',
	'courseId',
	'courseVersion',
	'lessonId',
	'quizId',
	'questionId',
	'scenarioId'
] as const;
const UNSAFE_ID = /[\p{Cc}\p{Cs}]/u;

function idOf(raw: unknown): string | null {
	const id = (raw as { id?: unknown } | null)?.id;
	return typeof id === 'string' && id.length <= 200 ? id : null;
}

/** Checks one pushed value; an event, or the reason it is refused. */
export function checkEvent(raw: unknown, learnerId: string): LearningEvent | string {
	const parsed = v.safeParse(learningEventSchema, raw);
	if (!parsed.success) return `Événement refusé — ${describeIssues(parsed.issues)}`;
	const event = parsed.output;
	const unsafe = ID_FIELDS.find((field) => UNSAFE_ID.test(event[field] ?? ''));
	if (unsafe) return `Événement refusé — ${unsafe} : un identifiant sans caractère de contrôle`;
	if (event.learnerId !== learnerId)
		return 'Événement refusé — il appartient à un autre apprenant que celui qui est connecté (learnerId).';
	return event;
}

/**
 * Stores a learner's pushed events and folds the new ones into their aggregates, in one
 * transaction. Each event is judged alone: one bad event never blocks the others. Pushing the
 * same batch again changes nothing and answers every id as a duplicate.
 */
export async function ingest(
	db: Db,
	learner: { id: string },
	events: readonly unknown[],
	now = new Date()
): Promise<IngestResult> {
	const result: IngestResult = { accepted: [], duplicate: [], rejected: [] };
	const fresh = new Map<string, LearningEvent>();
	for (const raw of events) {
		const checked = checkEvent(raw, learner.id);
		if (typeof checked === 'string') result.rejected.push({ id: idOf(raw), reason: checked });
		else if (fresh.has(checked.id)) result.duplicate.push(checked.id);
		else fresh.set(checked.id, checked);
	}
	if (fresh.size === 0) return result;

	const receivedAt = now.toISOString();
	const futureFrom = now.getTime() + FUTURE_TOLERANCE_MS;
	await writeTransaction(db, async (trx, dialect) => {
		const state = await lockProgress(trx, dialect, learner.id);
		const candidates = [...fresh.values()];
		const rows: NewEvent[] = candidates.map((e, i) =>
			eventRow(e, state.lastSeq + i + 1, receivedAt, Date.parse(e.at) > futureFrom)
		);
		const seqs = new Map(rows.map((r) => [r.id, Number(r.seq)]));
		const { numAffectedRows } = await runReused(trx, 'events', rows, (rows) =>
			trx
				.insertInto('events')
				.values(rows as NewEvent[])
				.onConflict((oc) => oc.column('id').doNothing())
		);
		let inserted = new Set(rows.map((r) => r.id));
		let added = candidates;
		// Some ids were stored already (a resent batch): this push's own rows are those with the seq
		// it gave them (seqs above last_seq were never stored, and (learner_id, seq) is unique).
		if (Number(numAffectedRows) !== rows.length) {
			const found = await trx
				.selectFrom('events')
				.select(['id', 'learner_id', 'seq'])
				.where(
					'id',
					'in',
					candidates.map((e) => e.id)
				)
				.execute();
			const owners = new Map(found.map((r) => [r.id, r.learner_id]));
			inserted = new Set(
				found
					.filter((r) => r.learner_id === learner.id && Number(r.seq) === seqs.get(r.id))
					.map((r) => r.id)
			);
			added = candidates.filter((e) => inserted.has(e.id));
			for (const e of candidates)
				if (inserted.has(e.id)) continue;
				else if (owners.get(e.id) === learner.id) result.duplicate.push(e.id);
				else
					result.rejected.push({
						id: e.id,
						reason: 'Événement refusé — cet identifiant est déjà celui d’un autre événement.'
					});
		}
		result.accepted.push(...added.map((e) => e.id));

		// A push of events already stored changes nothing but the time of the last sync.
		if (added.length === 0 && state.progress) {
			await trx
				.updateTable('learner_progress')
				.set({ last_sync_at: receivedAt })
				.where('learner_id', '=', learner.id)
				.execute();
			result.log = { before: state.lastSeq, after: state.lastSeq };
			return;
		}
		let progress: Progress;
		if (state.progress) {
			progress = reduceBatch(state.progress, added);
			await writeAggregates(trx, learner.id, progress, touchedBy(added), fresh);
			await writeCards(
				trx,
				learner.id,
				progress,
				added.map((e) => e.courseId)
			);
		} else {
			// No readable fold of the current version: fold the whole log again, new events included.
			const all = await storedEvents(trx, learner.id);
			progress = fold(learner.id, all);
			await replaceAggregates(trx, learner.id, progress, all);
			await replaceCards(trx, learner.id, progress);
		}
		// the seq of a candidate that was not inserted was never stored: it may be given again
		const lastSeq = Math.max(
			state.lastSeq,
			...rows.filter((r) => inserted.has(r.id)).map((r) => r.seq)
		);
		result.log = { before: state.lastSeq, after: lastSeq };
		await trx
			.updateTable('learner_progress')
			.set({
				progress: storedForm(progress),
				event_count: state.eventCount + added.length,
				last_seq: lastSeq,
				last_event_at: progress.lastActivity,
				last_sync_at: receivedAt
			})
			.where('learner_id', '=', learner.id)
			.execute();
	});
	return result;
}

/**
 * The fold as the server stores it: without the list of folded event ids. On the device that list
 * makes a re-applied event a no-op; here the events table's primary key already lets each event be
 * folded once (only newly inserted events reach the fold), and the list was most of the row — tens
 * of KB per learner, parsed and written again at every push.
 */
export function storedForm(progress: Progress): string {
	return JSON.stringify({ ...progress, eventIds: [] });
}

interface LockedProgress {
	/** Null when the stored fold is unreadable or of another PROGRESS_VERSION. */
	progress: Progress | null;
	eventCount: number;
	lastSeq: number;
}

/**
 * The learner's row of learner_progress, made if missing, and locked until the transaction ends
 * (FOR UPDATE on PostgreSQL; SQLite's write lock is already held): two pushes of one learner,
 * from two devices or two app servers, fold one after the other, and `seq` grows in commit order.
 */
async function lockProgress(db: Db, dialect: Dialect, learnerId: string): Promise<LockedProgress> {
	const select = () =>
		db
			.selectFrom('learner_progress')
			.select(['progress', 'event_count', 'last_seq'])
			.where('learner_id', '=', learnerId)
			.$if(dialect === 'postgres', (qb) => qb.forUpdate())
			.executeTakeFirst();
	let row = await select();
	if (!row) {
		await db
			.insertInto('learner_progress')
			.values({ learner_id: learnerId, progress: JSON.stringify(emptyProgress(learnerId)) })
			.onConflict((oc) => oc.column('learner_id').doNothing())
			.execute();
		row = await select();
		if (!row) throw new Error(`learner_progress row missing for ${learnerId}`);
	}
	return {
		progress: readProgress(row.progress, learnerId),
		eventCount: Number(row.event_count),
		lastSeq: Number(row.last_seq)
	};
}

/** A stored fold, or null when it is unreadable or of another PROGRESS_VERSION. */
export function readProgress(text: string, learnerId: string): Progress | null {
	try {
		const value = JSON.parse(text) as Partial<Progress> | null;
		return value?.version === PROGRESS_VERSION &&
			value.learnerId === learnerId &&
			Array.isArray(value.eventIds)
			? (value as Progress)
			: null;
	} catch {
		return null;
	}
}

/** Every stored event of a learner, in log order (rows that no longer parse are skipped). */
export async function storedEvents(db: Db, learnerId: string): Promise<LearningEvent[]> {
	const rows = await db
		.selectFrom('events')
		.select('body')
		.where('learner_id', '=', learnerId)
		.orderBy('seq')
		.execute();
	const events: LearningEvent[] = [];
	for (const { body } of rows) {
		try {
			const parsed = v.safeParse(learningEventSchema, JSON.parse(body));
			if (parsed.success) events.push(parsed.output);
		} catch {
			// a row that no longer parses is left out of the fold, not a crash
		}
	}
	return events;
}

/** The `events` row of an event (ingest writes these; the sync bench inserts the very same rows). */
export function eventRow(
	e: LearningEvent,
	seq: number,
	receivedAt: string,
	future = false
): NewEvent {
	return {
		id: e.id,
		learner_id: e.learnerId,
		seq,
		course_id: e.courseId,
		course_version: e.courseVersion,
		verb: e.verb,
		lesson_id: e.lessonId ?? null,
		quiz_id: e.quizId ?? null,
		question_id: e.questionId ?? null,
		scenario_id: e.scenarioId ?? null,
		at: e.at,
		received_at: receivedAt,
		future_flag: future ? 1 : 0,
		body: JSON.stringify(e)
	};
}

/** Folds a learner's whole log again and rewrites their aggregates (after a reducer change). */
export async function rebuildLearner(db: Db, learnerId: string): Promise<Progress> {
	return writeTransaction(db, async (trx, dialect) => {
		await lockProgress(trx, dialect, learnerId);
		const all = await storedEvents(trx, learnerId);
		const progress = fold(learnerId, all);
		await replaceAggregates(trx, learnerId, progress, all);
		await replaceCards(trx, learnerId, progress);
		await trx
			.updateTable('learner_progress')
			.set({
				progress: storedForm(progress),
				event_count: all.length,
				last_event_at: progress.lastActivity
			})
			.where('learner_id', '=', learnerId)
			.execute();
		return progress;
	});
}
