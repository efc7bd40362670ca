import type { KalanDB } from './db';
import { accountKey as key, database, rebuild, switchProfile } from './store';

export interface Account {
	userId: string;
	displayName: string;
	cohort?: { id: string; name: string };
}

/** The cohort account this profile is linked to, if any. */
export async function accountOf(
	profileId: string,
	db: KalanDB = database()
): Promise<Account | undefined> {
	const value = (await db.settings.get(key(profileId)))?.value;
	return value && typeof value === 'object' ? (value as Account) : undefined;
}

async function post(
	url: string,
	body: unknown
): Promise<{ ok: true; data: Record<string, unknown> } | { ok: false; message: string }> {
	let response: Response;
	try {
		response = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			credentials: 'same-origin',
			body: JSON.stringify(body)
		});
	} catch {
		return { ok: false, message: 'offline' };
	}
	const data = (await response.json().catch(() => ({}))) as Record<string, unknown>;
	if (!response.ok)
		return {
			ok: false,
			message: typeof data.error === 'string' ? data.error : `HTTP ${response.status}`
		};
	return { ok: true, data };
}

/**
 * Joins a cohort with the profile's own id, so that everything done on this phone before is
 * attributed to the new account (and sent by the next sync). When the server could not keep that
 * id, the profile's events, attempts and progress move to the account's id.
 */
export async function joinCohort(
	profileId: string,
	input: { code: string; displayName: string; serviceNumber?: string; pin: string },
	db: KalanDB = database()
): Promise<{ ok: true; account: Account; learnerId: string } | { ok: false; message: string }> {
	const answer = await post('/api/auth/join', {
		...input,
		serviceNumber: input.serviceNumber || undefined,
		localLearnerId: profileId
	});
	if (!answer.ok) return answer;
	const user = answer.data.user as { id: string; displayName: string };
	const cohort = answer.data.cohort as { id: string; name: string };
	const account: Account = { userId: user.id, displayName: user.displayName, cohort };
	const learnerId = user.id === profileId ? profileId : await moveProfile(profileId, user.id, db);
	await db.transaction('rw', db.settings, db.profiles, async () => {
		await db.settings.put({ key: key(learnerId), value: account });
		await db.profiles.update(learnerId, { name: user.displayName });
	});
	return { ok: true, account, learnerId };
}

/** On a new or reset phone: sign back in; the profile takes the account's id, and the sync brings the events back. */
export async function signBackIn(
	input: { code: string; nameOrServiceNumber: string; pin: string },
	db: KalanDB = database()
): Promise<{ ok: true; account: Account } | { ok: false; message: string }> {
	const answer = await post('/api/auth/learner-sign-in', input);
	if (!answer.ok) return answer;
	const user = answer.data.user as { id: string; displayName: string };
	const cohorts = (answer.data.cohorts as { id: string; name: string }[] | undefined) ?? [];
	const account: Account = { userId: user.id, displayName: user.displayName, cohort: cohorts[0] };
	await db.transaction('rw', db.profiles, db.settings, async () => {
		if (!(await db.profiles.get(user.id)))
			await db.profiles.add({
				id: user.id,
				name: user.displayName,
				createdAt: new Date().toISOString()
			});
		await db.settings.put({ key: key(user.id), value: account });
	});
	await switchProfile(user.id, db);
	return { ok: true, account };
}

/** Rare: the server gave another id. Everything of the old profile moves to it, nothing is dropped. */
async function moveProfile(from: string, to: string, db: KalanDB): Promise<string> {
	await db.transaction(
		'rw',
		[db.events, db.attempts, db.profiles, db.settings, db.progress],
		async () => {
			const events = await db.events.where('learnerId').equals(from).toArray();
			await db.events.bulkPut(events.map((e) => ({ ...e, learnerId: to })));
			await db.attempts
				.where('[learnerId+targetId]')
				.between([from, ''], [from, '\uffff'])
				.modify({ learnerId: to });
			const profile = await db.profiles.get(from);
			if (profile) {
				await db.profiles.delete(from);
				await db.profiles.put({ ...profile, id: to });
			}
			await db.progress.delete(from);
			await db.settings.put({ key: 'currentProfile', value: to });
		}
	);
	await rebuild(to, db);
	return to;
}
