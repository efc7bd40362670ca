import { randomUUID } from 'node:crypto';
import type { LearningEvent } from '../../progress/events';

// Small factories of learning events for tests and the sync benchmark.

let clock = Date.parse('2025-03-01T08:00:00.000Z');
/** Increasing device times, a few seconds apart. */
export function nextAt(): string {
	clock += 7_000;
	return new Date(clock).toISOString();
}

const base = (learnerId: string, courseId: string) => ({
	id: randomUUID(),
	learnerId,
	at: nextAt(),
	courseId,
	courseVersion: '1.0.0'
});

export const lessonOpened = (
	learnerId: string,
	lessonId: string,
	courseId = 'ccs'
): LearningEvent => ({
	...base(learnerId, courseId),
	verb: 'lesson.opened',
	lessonId
});

export const lessonCompleted = (
	learnerId: string,
	lessonId: string,
	durationMs = 240_000,
	courseId = 'ccs'
): LearningEvent => ({
	...base(learnerId, courseId),
	verb: 'lesson.completed',
	lessonId,
	result: { durationMs }
});

export const quizStarted = (
	learnerId: string,
	quizId: string,
	courseId = 'ccs'
): LearningEvent => ({
	...base(learnerId, courseId),
	verb: 'quiz.started',
	quizId
});

export const quizAnswered = (
	learnerId: string,
	quizId: string,
	questionId: string,
	score: number,
	response: unknown = 'b',
	courseId = 'ccs'
): LearningEvent => ({
	...base(learnerId, courseId),
	verb: 'quiz.answered',
	quizId,
	questionId,
	result: { score, success: score >= 1, response: response as string }
});

export const quizCompleted = (
	learnerId: string,
	quizId: string,
	score: number,
	courseId = 'ccs'
): LearningEvent => ({
	...base(learnerId, courseId),
	verb: 'quiz.completed',
	quizId,
	result: { score, success: score >= 0.7, durationMs: 180_000 }
});

export const scenarioCompleted = (
	learnerId: string,
	scenarioId: string,
	courseId = 'ccs'
): LearningEvent => ({
	...base(learnerId, courseId),
	verb: 'scenario.completed',
	scenarioId,
	result: { score: 0.5, success: false, outcome: 'partial', path: ['a', 'c'], durationMs: 60_000 }
});

/**
 * What a learner's phone records over a study session: lessons opened and completed, a quiz
 * with its answers, a scenario. `count` events, all about `courseId`.
 */
export function studySession(learnerId: string, count: number, courseId = 'ccs'): LearningEvent[] {
	const events: LearningEvent[] = [];
	for (let i = 0; events.length < count; i++) {
		const lesson = `lecon-${(i % 12) + 1}`;
		const quiz = `quiz-${(i % 4) + 1}`;
		events.push(lessonOpened(learnerId, lesson, courseId));
		events.push(lessonCompleted(learnerId, lesson, 60_000 + i * 1000, courseId));
		events.push(quizStarted(learnerId, quiz, courseId));
		for (let q = 1; q <= 5; q++)
			events.push(
				quizAnswered(learnerId, quiz, `q${q}`, (i + q) % 3 === 0 ? 0 : 1, `choix-${q}`, courseId)
			);
		events.push(quizCompleted(learnerId, quiz, ((i % 5) + 5) / 10, courseId));
		if (i % 3 === 0) events.push(scenarioCompleted(learnerId, `scenario-${(i % 2) + 1}`, courseId));
	}
	return events.slice(0, count);
}
