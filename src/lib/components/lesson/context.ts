import type { QuizFile, ScenarioFile } from '$lib/content/schema';

export const LESSON_CONTEXT = 'kalan-lesson';

/** What a lesson page gives the components placed in its text. */
export interface LessonContext {
	readonly glossary: Record<string, { id: string; term: string; definition: string }>;
	readonly quizzes: Record<string, { quiz: QuizFile; version: string }>;
	readonly scenarios: Record<string, { scenario: ScenarioFile; version: string }>;
	readonly course: { id: string; version: string; title: string };
	readonly lessonId: string;
}
