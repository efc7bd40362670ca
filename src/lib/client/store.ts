import {
	recordEvent as completeDraft,
	type LearningEvent,
	type LearningEventDraft
} from '$lib/progress/events';
import { KalanDB, type ProfileRow } from './db';
import { newId } from './ids';

// One database per tab, opened on first use: never at module top level of anything SSR runs.
let db: KalanDB | undefined;
export function database(): KalanDB {
	db ??= new KalanDB();
	return db;
}

const CURRENT = 'currentProfile';

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

/** Completes a draft from the quiz engine or a page, and appends it to the log (never edited). */
export async function record(
	draft: LearningEventDraft,
	store = database()
): Promise<LearningEvent> {
	const profile = await currentProfile(store);
	const event = completeDraft(draft, {
		id: newId(),
		learnerId: profile.id,
		at: new Date().toISOString()
	});
	await store.events.add({ ...event, syncedAt: 0 });
	return event;
}
