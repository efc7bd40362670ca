// Who an instructor should call first. Pure: the server feeds it aggregate rows, tests feed it
// hand-made ones. Three rules, each with its reason, N (`days`) set per cohort:
// - inactive: no activity for N days (since joining, for a learner who never did anything);
// - failed: a graded assessment completed at least twice and never passed;
// - stuck: a lesson opened N days ago or more and still not finished, while the learner has been
//   active meanwhile (an inactive learner is already listed as inactive).

export const DAY_MS = 86_400_000;

export interface RiskInput {
	joinedAt: string;
	/** Latest event of the learner, null when they have done nothing yet. */
	lastActivity: string | null;
	/** Graded assessments the learner has completed, with their result so far. */
	assessments: readonly { courseId: string; quizId: string; attempts: number; passed: boolean }[];
	/** Lessons opened and not completed, with when they were first opened. */
	openLessons: readonly { courseId: string; lessonId: string; firstAt: string }[];
}

export type RiskReason =
	| { kind: 'inactive'; days: number; since: string }
	| { kind: 'failed'; courseId: string; quizId: string; attempts: number }
	| { kind: 'stuck'; courseId: string; lessonId: string; days: number; since: string };

const wholeDays = (from: string, now: number) => Math.floor((now - Date.parse(from)) / DAY_MS);

/** Every reason the learner is at risk, inactivity first; empty when none. */
export function riskReasons(input: RiskInput, days: number, now: number): RiskReason[] {
	const reasons: RiskReason[] = [];
	const since = input.lastActivity ?? input.joinedAt;
	const idle = wholeDays(since, now);
	const inactive = idle >= days;
	if (inactive) reasons.push({ kind: 'inactive', days: idle, since });
	for (const a of input.assessments)
		if (a.attempts >= 2 && !a.passed)
			reasons.push({
				kind: 'failed',
				courseId: a.courseId,
				quizId: a.quizId,
				attempts: a.attempts
			});
	if (!inactive) {
		const oldest = [...input.openLessons]
			.filter((l) => wholeDays(l.firstAt, now) >= days)
			.sort((a, b) => a.firstAt.localeCompare(b.firstAt))[0];
		if (oldest)
			reasons.push({
				kind: 'stuck',
				courseId: oldest.courseId,
				lessonId: oldest.lessonId,
				days: wholeDays(oldest.firstAt, now),
				since: oldest.firstAt
			});
	}
	return reasons;
}
