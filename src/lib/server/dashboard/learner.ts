import { error } from '@sveltejs/kit';
import type { LearningEvent } from '$lib/progress/events';
import {
	courseProgress,
	emptyProgress,
	type CourseProgress,
	type Progress
} from '$lib/progress/reduce';
import { catalog } from '../catalog';
import type { Cohort } from '../cohorts';
import type { Db } from '../db';
import { cohortStructure, type CohortStructure } from './structure';

// One learner of a cohort: progress per course (the shared fold of the server's copy of their
// events), every graded attempt, and the timeline of their events, newest first, page by page.
// Reads this learner's rows only.

export const TIMELINE_PAGE = 50;

export interface Attempt {
	courseId: string;
	quizId: string;
	title: string;
	score: number | null;
	passed: boolean;
	at: string;
}

export interface TimelineEntry {
	seq: number;
	at: string;
	receivedAt: string;
	future: boolean;
	text: string;
}

export interface LearnerDetail {
	learner: { id: string; displayName: string; serviceNumber: string | null; joinedAt: string };
	lastSyncAt: string | null;
	lastActivity: string | null;
	eventCount: number;
	courses: { id: string; title: string; progress: CourseProgress }[];
	attempts: Attempt[];
	timeline: TimelineEntry[];
	/** `seq` to ask for the next (older) page, null at the start of the log. */
	olderThan: number | null;
}

const percent = (score: number | undefined) =>
	score === undefined ? '' : ` — ${Math.round(score * 100)} %`;

function describe(event: LearningEvent, structure: CohortStructure): string {
	const course = catalog.courses.find((c) => c.id === event.courseId);
	const lesson = event.lessonId
		? (course?.lessons[event.lessonId]?.fr.title ?? event.lessonId)
		: '';
	const quiz = event.quizId ? course?.quizzes[event.quizId] : undefined;
	const quizTitle = quiz ? quiz.title.fr : (event.quizId ?? '');
	const graded = structure.assessments.some(
		(a) => a.courseId === event.courseId && a.quizId === event.quizId
	);
	const kind = graded ? 'Évaluation' : 'Vérification';
	switch (event.verb) {
		case 'lesson.opened':
			return `Leçon ouverte : ${lesson}`;
		case 'lesson.completed':
			return `Leçon terminée : ${lesson}`;
		case 'quiz.started':
			return `${kind} commencée : ${quizTitle}`;
		case 'quiz.answered': {
			const n = quiz ? quiz.questions.findIndex((q) => q.id === event.questionId) + 1 : 0;
			return `Réponse à la question ${n > 0 ? n : event.questionId} de « ${quizTitle} »${percent(event.result?.score)}`;
		}
		case 'quiz.completed':
			return `${kind} terminée : ${quizTitle}${percent(event.result?.score)}${
				graded ? (event.result?.success ? ' (réussie)' : ' (non réussie)') : ''
			}`;
		case 'scenario.completed': {
			const scenario = event.scenarioId ? course?.scenarios[event.scenarioId]?.title.fr : undefined;
			const outcome = { success: 'réussite', partial: 'réussite partielle', failure: 'échec' }[
				event.result?.outcome ?? 'partial'
			];
			return `Mise en situation terminée : ${scenario ?? event.scenarioId} (${outcome})`;
		}
	}
}

const parseBody = (body: string): LearningEvent | undefined => {
	try {
		return JSON.parse(body) as LearningEvent;
	} catch {
		return undefined;
	}
};

export async function learnerDetail(
	db: Db,
	cohort: Cohort,
	learnerId: string,
	olderThan?: number
): Promise<LearnerDetail> {
	const learner = await db
		.selectFrom('enrollments')
		.innerJoin('users', 'users.id', 'enrollments.user_id')
		.leftJoin('learner_progress', 'learner_progress.learner_id', 'users.id')
		.select([
			'users.id',
			'users.display_name',
			'users.service_number',
			'enrollments.joined_at',
			'learner_progress.progress',
			'learner_progress.last_sync_at',
			'learner_progress.last_event_at',
			'learner_progress.event_count'
		])
		.where('enrollments.cohort_id', '=', cohort.id)
		.where('enrollments.user_id', '=', learnerId)
		.executeTakeFirst();
	if (!learner) error(404, 'Apprenant introuvable dans cette promotion.');
	const structure = cohortStructure(cohort.courses);
	let progress: Progress;
	try {
		progress = learner.progress
			? (JSON.parse(learner.progress) as Progress)
			: emptyProgress(learner.id);
	} catch {
		progress = emptyProgress(learner.id);
	}

	const assessmentIds = structure.assessments.map((a) => a.quizId);
	const [completions, page] = await Promise.all([
		assessmentIds.length
			? db
					.selectFrom('events')
					.select(['course_id', 'quiz_id', 'at', 'body'])
					.where('learner_id', '=', learner.id)
					.where('verb', '=', 'quiz.completed')
					.where('quiz_id', 'in', assessmentIds)
					.orderBy('at')
					.orderBy('id')
					.execute()
			: Promise.resolve([]),
		db
			.selectFrom('events')
			.select(['seq', 'at', 'received_at', 'future_flag', 'body'])
			.where('learner_id', '=', learner.id)
			.$if(olderThan !== undefined, (qb) => qb.where('seq', '<', olderThan!))
			.orderBy('seq', 'desc')
			.limit(TIMELINE_PAGE + 1)
			.execute()
	]);

	const attempts = completions.flatMap((row): Attempt[] => {
		const a = structure.assessments.find(
			(x) => x.courseId === row.course_id && x.quizId === row.quiz_id
		);
		const event = parseBody(row.body);
		return a && event
			? [
					{
						courseId: a.courseId,
						quizId: a.quizId,
						title: a.title,
						score: event.result?.score ?? null,
						passed: event.result?.success === true,
						at: row.at
					}
				]
			: [];
	});
	const shown = page.slice(0, TIMELINE_PAGE);
	return {
		learner: {
			id: learner.id,
			displayName: learner.display_name,
			serviceNumber: learner.service_number,
			joinedAt: learner.joined_at
		},
		lastSyncAt: learner.last_sync_at ?? null,
		lastActivity: learner.last_event_at ?? null,
		eventCount: Number(learner.event_count ?? 0),
		courses: structure.courses.map((c) => {
			const course = catalog.courses.find((x) => x.id === c.id)!;
			return { id: c.id, title: c.title, progress: courseProgress(progress, course) };
		}),
		attempts,
		timeline: shown.flatMap((row) => {
			const event = parseBody(row.body);
			return event
				? [
						{
							seq: Number(row.seq),
							at: row.at,
							receivedAt: row.received_at,
							future: row.future_flag === 1,
							text: describe(event, structure)
						}
					]
				: [];
		}),
		olderThan: page.length > TIMELINE_PAGE ? Number(shown[shown.length - 1]!.seq) : null
	};
}
