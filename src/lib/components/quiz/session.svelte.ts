import { createActor, type Actor, type SnapshotFrom } from 'xstate';
import { fingerprint } from '$lib/content/fingerprint';
import type { QuizFile, ScenarioFile } from '$lib/content/schema';
import { createScenarioMachine, quizMachine, type ScenarioMachine } from '$lib/quiz';
import type { LearningEventDraft } from '$lib/progress/events';
import { findResumable, newAttempt, saveAttempt } from '$lib/client/attempts';
import type { AttemptRow } from '$lib/client/db';
import { currentProfile, database, record } from '$lib/client/store';
import { storageProblem } from '$lib/client/storage-status.svelte';

type Scope = { courseId: string; courseVersion: string; lessonId?: string };

const randomSeed = () => crypto.getRandomValues(new Uint32Array(1))[0]!;

/**
 * Wires a quiz actor to the device: resumes the saved attempt, saves every snapshot, records the
 * learning events the machine emits. Saving is chained so snapshots land in the order they happened.
 */
export class QuizSession {
	snapshot = $state.raw(undefined as unknown as SnapshotFrom<typeof quizMachine>);
	/** Set when a saved attempt was dropped because the quiz changed since. */
	restarted = $state(false);
	#actor: Actor<typeof quizMachine>;
	#row: AttemptRow | undefined;
	#saving: Promise<void> = Promise.resolve();

	private constructor(
		actor: Actor<typeof quizMachine>,
		row: AttemptRow | undefined,
		restarted: boolean
	) {
		this.#actor = actor;
		this.#row = row;
		this.restarted = restarted;
		this.snapshot = actor.getSnapshot();
		actor.on('learning', ({ event }) => this.#record(event));
		actor.subscribe((s) => {
			this.snapshot = s;
			this.#save();
		});
	}

	static async open(quiz: QuizFile, scope: Scope, locale: 'fr' | 'en'): Promise<QuizSession> {
		const input = { quiz, seed: randomSeed(), startedAt: Date.now(), locale, ...scope };
		let row: AttemptRow | undefined;
		let changed = false;
		let snapshot: unknown;
		try {
			const store = database();
			const profile = await currentProfile(store);
			const target = {
				learnerId: profile.id,
				kind: 'quiz' as const,
				targetId: quiz.id,
				courseId: scope.courseId,
				contentVersion: fingerprint(quiz)
			};
			const found = await findResumable(store, target);
			changed = found.changed;
			row = found.attempt ?? newAttempt(target, undefined);
			snapshot = found.attempt?.snapshot;
		} catch (error) {
			storageProblem(error);
		}
		let actor: Actor<typeof quizMachine>;
		try {
			actor = createActor(
				quizMachine,
				snapshot ? { snapshot: snapshot as never, input } : { input }
			);
		} catch {
			// An unreadable saved snapshot: start afresh rather than fail.
			actor = createActor(quizMachine, { input });
		}
		const session = new QuizSession(actor, row, changed);
		actor.start();
		return session;
	}

	send(event: Parameters<Actor<typeof quizMachine>['send']>[0]) {
		this.#actor.send(event);
	}

	retry() {
		this.send({ type: 'RETRY', seed: randomSeed(), startedAt: Date.now() });
	}

	stop() {
		this.#actor.stop();
	}

	#save() {
		const row = this.#row;
		if (!row) return;
		const persisted = this.#actor.getPersistedSnapshot();
		const status = this.#actor.getSnapshot().matches('results') ? 'finished' : 'active';
		this.#saving = this.#saving
			.then(() => saveAttempt(database(), row, persisted, status))
			.catch(storageProblem);
	}

	#record(draft: LearningEventDraft) {
		this.#saving = this.#saving
			.then(() => record(draft).then(() => undefined))
			.catch(storageProblem);
	}

	/** Resolves once everything done so far is on disk (tests and page unload use it). */
	flushed(): Promise<void> {
		return this.#saving;
	}
}

/** The same wiring for a branching scenario. */
export class ScenarioSession {
	snapshot = $state.raw(undefined as unknown as SnapshotFrom<ScenarioMachine>);
	#actor: Actor<ScenarioMachine>;
	#row: AttemptRow | undefined;
	#saving: Promise<void> = Promise.resolve();

	private constructor(actor: Actor<ScenarioMachine>, row: AttemptRow | undefined) {
		this.#actor = actor;
		this.#row = row;
		this.snapshot = actor.getSnapshot();
		actor.on('learning', ({ event }) => {
			this.#saving = this.#saving
				.then(() => record(event).then(() => undefined))
				.catch(storageProblem);
		});
		actor.subscribe((s) => {
			this.snapshot = s;
			const row = this.#row;
			if (!row) return;
			const persisted = actor.getPersistedSnapshot();
			this.#saving = this.#saving
				.then(() => saveAttempt(database(), row, persisted, 'active'))
				.catch(storageProblem);
		});
	}

	static async open(scenario: ScenarioFile, scope: Scope): Promise<ScenarioSession> {
		const machine = createScenarioMachine(scenario);
		let row: AttemptRow | undefined;
		let snapshot: unknown;
		try {
			const store = database();
			const profile = await currentProfile(store);
			const target = {
				learnerId: profile.id,
				kind: 'scenario' as const,
				targetId: scenario.id,
				courseId: scope.courseId,
				contentVersion: fingerprint(scenario)
			};
			const found = await findResumable(store, target);
			row = found.attempt ?? newAttempt(target, undefined);
			snapshot = found.attempt?.snapshot;
		} catch (error) {
			storageProblem(error);
		}
		let actor: Actor<ScenarioMachine>;
		try {
			actor = createActor(
				machine,
				snapshot ? { snapshot: snapshot as never, input: scope } : { input: scope }
			);
		} catch {
			actor = createActor(machine, { input: scope });
		}
		const session = new ScenarioSession(actor, row);
		actor.start();
		return session;
	}

	send(event: Parameters<Actor<ScenarioMachine>['send']>[0]) {
		this.#actor.send(event);
	}

	stop() {
		this.#actor.stop();
	}

	flushed(): Promise<void> {
		return this.#saving;
	}
}
