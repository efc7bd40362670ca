import type { QuizFile } from '$lib/content/schema';
import { quizMachine } from '$lib/quiz/quiz-machine';
import { randomSeed } from '$lib/quiz/shuffle';
import { restore, resume, Session, type Scope } from './session.svelte';

export class QuizSession extends Session<typeof quizMachine> {
	static async open(
		quiz: QuizFile,
		contentVersion: string,
		scope: Scope,
		locale: 'fr' | 'en',
		/** The draw of a new attempt (a check opened from its page passes its page seed). */
		seed = randomSeed()
	): Promise<QuizSession> {
		const saved = await resume({
			kind: 'quiz',
			targetId: quiz.id,
			contentVersion,
			courseId: scope.courseId
		});
		const input = { quiz, seed, startedAt: Date.now(), locale, ...scope };
		const actor = restore(quizMachine, saved.snapshot, input);
		const session = new QuizSession(actor, saved.row, saved.learnerId, saved.changed, (s) =>
			s.matches('results')
		);
		actor.start();
		return session;
	}

	retry() {
		this.send({ type: 'RETRY', seed: randomSeed(), startedAt: Date.now() });
	}
}
