// Byte budgets of ARCHITECTURE.md (gzip). Checked by tests/e2e/budget.e2e.ts and printed by npm run bench.
export const BUDGETS = {
	preloadedJs: 45 * 1024,
	lessonAllJs: 90 * 1024,
	lessonWithQuizAllJs: 110 * 1024,
	coldLessonTotal: 120 * 1024,
	offlineCourse: 1024 * 1024
} as const;
