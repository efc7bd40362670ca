import type { Component } from 'svelte';
import { hasSavedAttempt } from '$lib/client/saved-attempt';

type Loader = () => Promise<{ default: Component<never> }>;

/**
 * The quiz engine (xstate and the player) loads when the learner starts a check or a scenario,
 * or at once when they have a saved attempt to resume: a learner who only reads never pays for it.
 */
export class LazyPlayer {
	Player: Component<Record<string, unknown>> | undefined = $state();
	/** The page is interactive: the start button can work. */
	ready = $state(false);
	autostart = $state(false);
	#load: Loader;

	constructor(load: Loader) {
		this.#load = load;
	}

	/** Called on mount: reopens a saved attempt straight away. */
	async resumeIfSaved(kind: 'quiz' | 'scenario', targetId: string) {
		this.ready = true;
		try {
			// Read without Dexie: the saved attempt reopens as soon as the page is interactive.
			if (await hasSavedAttempt(kind, targetId)) await this.open(false);
		} catch {
			// No storage: the start button still works; the banner explains.
		}
	}

	async open(autostart = true) {
		this.autostart = autostart;
		this.Player ??= (await this.#load()).default as never;
	}
}
