import { createActor, type Actor, type AnyStateMachine, type SnapshotFrom } from 'xstate';
import type { LearningEvent } from '$lib/progress/events';
import { findResumable, newAttempt } from '$lib/client/attempts';
import type { AttemptRow } from '$lib/client/db';
import { isoNow } from '$lib/client/ids';
import { appendAll, complete, currentProfile, database, rebuild } from '$lib/client/store';
import { storageProblem, storageRecovered } from '$lib/client/storage-status.svelte';

export type Scope = { courseId: string; courseVersion: string; lessonId?: string };
type Target = {
	kind: AttemptRow['kind'];
	targetId: string;
	contentVersion: string;
	courseId: string;
};

/** How soon a step that could not be stored (a full disk) is tried again. */
export const RETRY_MS = 3000;

/**
 * Wires an actor (a quiz or a scenario) to the device: resumes the saved attempt, then after each
 * step writes the snapshot and the learning events of that step in ONE transaction, so the saved
 * attempt and the event log never disagree. Writes are chained in the order of the steps.
 */
export class Session<M extends AnyStateMachine> {
	snapshot = $state.raw(undefined as unknown as SnapshotFrom<M>);
	/** Set when a saved attempt was dropped because the content changed since. */
	restarted = $state(false);
	#actor: Actor<M>;
	#row: AttemptRow | undefined;
	#learnerId: string | undefined;
	#events: LearningEvent[] = [];
	#pending: LearningEvent[] = [];
	#retry: ReturnType<typeof setTimeout> | undefined;
	#writing: Promise<void> = Promise.resolve();
	#finished: (s: SnapshotFrom<M>) => boolean;

	constructor(
		actor: Actor<M>,
		row: AttemptRow | undefined,
		learnerId: string | undefined,
		restarted: boolean,
		finished: (s: SnapshotFrom<M>) => boolean
	) {
		this.#actor = actor;
		this.#row = row;
		this.#learnerId = learnerId;
		this.#finished = finished;
		this.restarted = restarted;
		this.snapshot = actor.getSnapshot();
		actor.on('learning', (emitted: { event: Parameters<typeof complete>[0] }) => {
			if (this.#learnerId) this.#events.push(complete(emitted.event, this.#learnerId));
		});
		actor.subscribe((s) => {
			this.snapshot = s;
			this.#write();
		});
	}

	send(event: Parameters<Actor<M>['send']>[0]) {
		this.#actor.send(event);
	}

	stop() {
		this.#actor.stop();
	}

	#write() {
		if (!this.#row) return;
		// Events wait here until a write stores them: a write that fails (a full disk) keeps them
		// for the next one, so a step taken while storage was full is stored once space is freed.
		this.#pending.push(...this.#events.splice(0));
		this.#writing = this.#writing.then(() => this.#save()).catch((error) => this.#failed(error));
	}

	async #save(): Promise<void> {
		const row = this.#row!;
		const events = [...this.#pending];
		const snapshot = this.#actor.getPersistedSnapshot();
		const status: AttemptRow['status'] = this.#finished(this.#actor.getSnapshot())
			? 'finished'
			: 'active';
		const db = database();
		const stale = await db.transaction(
			'rw',
			[db.attempts, db.events, db.progress, db.settings],
			async () => {
				await db.attempts.put({ ...row, snapshot, status, updatedAt: isoNow() });
				return appendAll(events, db);
			}
		);
		this.#pending.splice(0, events.length);
		clearTimeout(this.#retry);
		this.#retry = undefined;
		for (const learnerId of stale) await rebuild(learnerId, db);
		storageRecovered();
	}

	/** Tells the learner, then tries again every few seconds until the step is stored. */
	#failed(error: unknown) {
		storageProblem(error);
		this.#retry ??= setTimeout(() => {
			this.#retry = undefined;
			this.#write();
		}, RETRY_MS);
	}

	/** Resolves once everything done so far is on disk. */
	flushed(): Promise<void> {
		return this.#writing;
	}
}

export async function resume(
	target: Target
): Promise<{ row?: AttemptRow; learnerId?: string; snapshot?: unknown; changed: boolean }> {
	try {
		const db = database();
		const profile = await currentProfile(db);
		const found = await findResumable(db, { learnerId: profile.id, ...target });
		const row = found.attempt ?? newAttempt({ learnerId: profile.id, ...target }, undefined);
		return {
			row,
			learnerId: profile.id,
			snapshot: found.attempt?.snapshot,
			changed: found.changed
		};
	} catch (error) {
		// No storage: the quiz still works for this page, and the banner tells the learner.
		storageProblem(error);
		return { changed: false };
	}
}

export function restore<M extends AnyStateMachine>(
	machine: M,
	snapshot: unknown,
	input: unknown
): Actor<M> {
	if (snapshot) {
		try {
			return createActor(machine, { snapshot: snapshot as never, input } as never) as Actor<M>;
		} catch {
			// An unreadable saved snapshot: start afresh rather than fail.
		}
	}
	return createActor(machine, { input } as never) as Actor<M>;
}
