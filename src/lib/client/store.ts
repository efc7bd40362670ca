import type { LearningEvent, LearningEventDraft } from '$lib/progress/events';
import { recordEvent as completeDraft } from '$lib/progress/model';
import { emptyProgress, reduceEvents, type Progress } from '$lib/progress/reduce';
import { KalanDB, type ProfileRow } from './db';
import { newId } from './ids';

// One database per tab, opened on first use: never at module top level of anything SSR runs.
let db: KalanDB | undefined;
export function database(): KalanDB {
	db ??= new KalanDB();
	return db;
}

const CURRENT = 'currentProfile';

/** The settings key of the cohort account a profile is linked to (see account.ts). */
export const accountKey = (profileId: string) => `account:${profileId}`;

/** The learner using the phone now; a first visit gets a profile with no name yet. */
export async function currentProfile(store = database()): Promise<ProfileRow> {
	return store.transaction('rw', store.profiles, store.settings, async () => {
		const setting = await store.settings.get(CURRENT);
		const id = typeof setting?.value === 'string' ? setting.value : undefined;
		const existing = id ? await store.profiles.get(id) : undefined;
		if (existing) return existing;
		const first = await store.profiles.orderBy('name').first();
		const profile = first ?? { id: newId(), name: '', createdAt: new Date().toISOString() };
		if (!first) await store.profiles.add(profile);
		await store.settings.put({ key: CURRENT, value: profile.id });
		return profile;
	});
}

export async function switchProfile(
	id: string,
	store = database()
): Promise<ProfileRow | undefined> {
	const profile = await store.profiles.get(id);
	if (profile) await store.settings.put({ key: CURRENT, value: id });
	return profile;
}

/**
 * Appends events to the log (never edited afterwards) and folds them into each learner's progress
 * in the same transaction, so the progress shown never disagrees with the log. Runs inside a
 * caller's transaction when there is one (it must include events, progress and settings).
 * Returns the learners whose progress still needs a rebuild from the whole log.
 */
export async function appendAll(events: LearningEvent[], store = database()): Promise<string[]> {
	return store.transaction('rw', store.events, store.progress, store.settings, async () => {
		const added = new Map<string, LearningEvent[]>();
		for (const event of events) {
			if (await store.events.get(event.id)) continue;
			await store.events.add({ ...event, syncedAt: 0 });
			added.set(event.learnerId, [...(added.get(event.learnerId) ?? []), event]);
		}
		const stale: string[] = [];
		for (const [learnerId, fresh] of added) {
			const row = await store.progress.get(learnerId);
			const since = await resetAt(learnerId, store);
			const counted = fresh.filter((e) => e.at > since);
			if (row) {
				await store.progress.put({
					...row,
					progress: reduceEvents(row.progress as Progress, counted),
					eventCount: row.eventCount + fresh.length
				});
			} else if (
				(await store.events.where('learnerId').equals(learnerId).count()) === fresh.length
			) {
				// A first event: its fold is the whole fold.
				await store.progress.put({
					learnerId,
					progress: reduceEvents(emptyProgress(learnerId), counted),
					eventCount: fresh.length,
					unreadable: 0
				});
			} else stale.push(learnerId);
		}
		return stale;
	});
}

export async function append(event: LearningEvent, store = database()): Promise<void> {
	for (const learnerId of await appendAll([event], store)) await rebuild(learnerId, store);
}

/** Completes a draft with id, learner and time: the only place these enter an event. */
export function complete(draft: LearningEventDraft, learnerId: string): LearningEvent {
	return completeDraft(draft, { id: newId(), learnerId, at: new Date().toISOString() });
}

/**
 * Records a draft from a page. Give the learner id when it is known, so that the write starts at
 * once (a learner who closes the page right after a click loses nothing).
 */
export async function record(
	draft: LearningEventDraft,
	store = database(),
	learnerId?: string
): Promise<LearningEvent> {
	const event = complete(draft, learnerId ?? (await currentProfile(store)).id);
	await append(event, store);
	return event;
}

const resetKey = (learnerId: string) => `resetAt:${learnerId}`;
async function resetAt(learnerId: string, store: KalanDB): Promise<string> {
	const value = (await store.settings.get(resetKey(learnerId)))?.value;
	return typeof value === 'string' ? value : '';
}

/**
 * Folds a learner's whole log again and stores the result. Unreadable rows (corrupt, or from a
 * version that wrote something else) are skipped and counted, never a crash.
 */
export async function rebuild(learnerId: string, store = database()): Promise<Progress> {
	// The schema (valibot) loads only here, on the rare rebuild of a non-empty log, and before the
	// transaction opens.
	const any = (await store.events.where('learnerId').equals(learnerId).count()) > 0;
	const { parseEvent } = any
		? await import('$lib/progress/events')
		: { parseEvent: () => undefined };
	return store.transaction('rw', store.events, store.progress, store.settings, async () => {
		const rows = await store.events.where('learnerId').equals(learnerId).toArray();
		const { events, unreadable } = readable(rows, parseEvent);
		const since = await resetAt(learnerId, store);
		const progress = reduceEvents(
			emptyProgress(learnerId),
			since ? events.filter((e) => e.at > since) : events
		);
		await store.progress.put({ learnerId, progress, eventCount: rows.length, unreadable });
		return progress;
	});
}

export function readable(
	rows: unknown[],
	parse: (value: unknown) => LearningEvent | undefined
): { events: LearningEvent[]; unreadable: number } {
	const events: LearningEvent[] = [];
	let unreadable = 0;
	for (const row of rows) {
		const { syncedAt: _synced, ...event } = (row ?? {}) as Record<string, unknown>;
		const parsed = parse(event);
		if (parsed) events.push(parsed);
		else unreadable++;
	}
	return { events, unreadable };
}

/**
 * Starts a learner's progress afresh on this phone (asked for, and confirmed, by the learner).
 * The log itself is kept, so nothing already done is lost for the instructor: only what the
 * fold counts starts from now. Saved quiz attempts are closed.
 */
export async function resetProgress(learnerId: string, store = database()): Promise<void> {
	await store.transaction('rw', store.settings, store.attempts, async () => {
		await store.settings.put({ key: resetKey(learnerId), value: new Date().toISOString() });
		await store.attempts
			.where('[learnerId+targetId]')
			.between([learnerId, ''], [learnerId, '\uffff'])
			.modify({ status: 'abandoned' });
	});
	await rebuild(learnerId, store);
}
