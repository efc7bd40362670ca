/**
 * Quizzes and branching scenarios as xstate machines, and the pure scoring rules they use.
 * Owns: scoring per question type, the seeded draw and shuffle, `quizMachine`, and
 * `createScenarioMachine`. The machines emit learning-event drafts (see $lib/progress); the
 * caller records them and persists snapshots. Pure TypeScript, run in the browser and in Node:
 * imports no Svelte, no DOM or browser API, no Dexie, no node: module, nothing from
 * $lib/client, $lib/server or $lib/components; no clock and no randomness (seeds and times are
 * given in input and events).
 */
export {
	correctResponse,
	isAnswered,
	isFullMarks,
	meanScore,
	normalizeText,
	scoreQuestion,
	type QuestionResponse,
	type Response,
	type ResponseByType,
	type ResponseOf
} from './scoring';
export {
	deriveSeed,
	drawQuestions,
	mulberry32,
	optionOrder,
	pageSeed,
	questionsAsked,
	shuffle,
	type Draw
} from './shuffle';
export {
	currentQuestion,
	currentQuestionId,
	questionById,
	quizMachine,
	remainingMs,
	revealedHints,
	reviewOf,
	shownOptions,
	type QuizContext,
	type QuizEmitted,
	type QuizEvent,
	type QuizInput,
	type QuizMachine,
	type ReviewItem
} from './quiz-machine';
export {
	createScenarioMachine,
	currentNodeId,
	nodeById,
	type ScenarioContext,
	type ScenarioEmitted,
	type ScenarioEvent,
	type ScenarioInput,
	type ScenarioMachine
} from './scenario-machine';
