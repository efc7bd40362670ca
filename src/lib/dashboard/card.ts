import type { CourseRecord } from '../progress/reduce';

// A learner's card for one course: everything the cohort page and the grid's CSV need to know
// about that learner in that course, reduced to what the course's outline names. The sync ingest
// writes one card per learner and course it touches (learner_course), so that a cohort page reads
// one small row per learner and course instead of grouping every lesson and quiz row of the cohort.
// Pure: the ingest builds cards from the learner's fold, tests from hand-made records.

/** Part of every outline key: a card stored in another format is rebuilt like a stale one. */
export const CARD_FORMAT = 1;

/** What a card counts: the course's lessons (with their checks) and graded assessments. */
export interface CardOutline {
	courseId: string;
	/** Changes whenever the outline does: a card built from another outline is rebuilt. */
	key: string;
	modules: readonly {
		lessons: readonly { lessonId: string; checkQuizId: string | null }[];
		assessment: string | null;
	}[];
}

/** An assessment on a card: attempts, best score (0–1, null if none), passed (1) or not (0). */
export type CardAssessment = [attempts: number, bestScore: number | null, passed: 0 | 1];

export interface CourseCard {
	/** Lessons completed plus assessments passed: the numerator of the course's percent. */
	itemsDone: number;
	/**
	 * One letter per lesson of the outline, in reading order: `c` completed, `i` opened (or its
	 * check begun) and not completed, `-` nothing yet.
	 */
	statuses: string;
	/**
	 * Best score (0–1) of each lesson's check, same order, comma-separated, empty when none (read
	 * with `checkScores`: only the grid's page of learners needs them).
	 */
	checks: string;
	/** The outline's assessments the learner has a record of, by quiz id. */
	assessments: Record<string, CardAssessment>;
	/** Lessons of the outline completed, by day of their first completion (YYYY-MM-DD). */
	perDay: Record<string, number>;
	/** The lesson opened longest ago and still not completed: [lesson id, first opened at]. */
	oldestOpen: [lessonId: string, since: string] | null;
}

const own = <T>(record: Record<string, T> | undefined, key: string): T | undefined =>
	record && Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;

/** The card of a course, from the learner's record of it (undefined: nothing done yet). */
export function courseCard(record: CourseRecord | undefined, outline: CardOutline): CourseCard {
	let itemsDone = 0;
	let statuses = '';
	const checks: string[] = [];
	const assessments: Record<string, CardAssessment> = {};
	const perDay: Record<string, number> = {};
	let oldestOpen: CourseCard['oldestOpen'] = null;
	for (const module of outline.modules) {
		for (const { lessonId, checkQuizId } of module.lessons) {
			const lesson = own(record?.lessons, lessonId);
			const check = checkQuizId === null ? undefined : own(record?.quizzes, checkQuizId);
			if (lesson?.status === 'completed') {
				itemsDone++;
				statuses += 'c';
				const day = lesson.completedAt?.slice(0, 10);
				if (day) perDay[day] = (perDay[day] ?? 0) + 1;
			} else if (lesson || check) {
				statuses += 'i';
				if (lesson && (oldestOpen === null || lesson.firstOpenedAt < oldestOpen[1]))
					oldestOpen = [lessonId, lesson.firstOpenedAt];
			} else statuses += '-';
			checks.push(check?.bestScore == null ? '' : String(check.bestScore));
		}
		const quiz = module.assessment === null ? undefined : own(record?.quizzes, module.assessment);
		if (quiz && module.assessment !== null) {
			assessments[module.assessment] = [quiz.attempts, quiz.bestScore, quiz.passed ? 1 : 0];
			if (quiz.passed) itemsDone++;
		}
	}
	return {
		itemsDone,
		statuses,
		checks: checks.some((c) => c !== '') ? checks.join(',') : '',
		assessments,
		perDay,
		oldestOpen
	};
}

/** The best score of each lesson's check, in the outline's order; null when none. */
export function checkScores(card: CourseCard, lessonCount: number): (number | null)[] {
	const parts = card.checks === '' ? [] : card.checks.split(',');
	return Array.from({ length: lessonCount }, (_, i) => {
		const part = parts[i];
		const score = part ? Number(part) : NaN;
		return Number.isFinite(score) ? score : null;
	});
}

/** The card as stored (learner_course.card), the items done aside in a column of their own. */
interface StoredCard {
	s: string;
	c?: string;
	a?: Record<string, CardAssessment>;
	d?: Record<string, number>;
	o?: [string, string];
}

export function encodeCard(card: CourseCard): string {
	const stored: StoredCard = {
		s: card.statuses,
		c: card.checks || undefined,
		a: card.assessments,
		d: card.perDay,
		o: card.oldestOpen ?? undefined
	};
	return JSON.stringify(stored);
}

/**
 * Reads a stored card; null when it cannot be read (it is then rebuilt). The stored form is the
 * card itself, parsed once: a cohort page reads thousands of them.
 */
export function decodeCard(
	itemsDone: number,
	text: string,
	lessonCount: number
): CourseCard | null {
	let raw: StoredCard | null;
	try {
		raw = JSON.parse(text) as StoredCard | null;
	} catch {
		return null;
	}
	if (typeof raw?.s !== 'string' || raw.s.length !== lessonCount) return null;
	return {
		itemsDone,
		statuses: raw.s,
		checks: typeof raw.c === 'string' ? raw.c : '',
		assessments: raw.a ?? {},
		perDay: raw.d ?? {},
		oldestOpen: raw.o ?? null
	};
}
