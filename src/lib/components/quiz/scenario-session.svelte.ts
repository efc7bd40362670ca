import type { ScenarioFile } from '$lib/content/schema';
import { createScenarioMachine } from '$lib/quiz/scenario-machine';
import { restore, resume, Session, type Scope } from './session.svelte';

export class ScenarioSession extends Session<ReturnType<typeof createScenarioMachine>> {
	static async open(
		scenario: ScenarioFile,
		contentVersion: string,
		scope: Scope
	): Promise<ScenarioSession> {
		const saved = await resume({
			kind: 'scenario',
			targetId: scenario.id,
			contentVersion,
			courseId: scope.courseId
		});
		const actor = restore(createScenarioMachine(scenario), saved.snapshot, scope);
		const session = new ScenarioSession(
			actor,
			saved.row,
			saved.learnerId,
			saved.changed,
			() => false
		);
		actor.start();
		return session;
	}
}
