import { courseProgress, emptyProgress, type Progress } from '$lib/progress/reduce';
import { catalog } from './catalog';
import type { Db } from './db';

export interface LearnerRow {
	id: string;
	displayName: string;
	serviceNumber: string | null;
	joinedAt: string;
	lastActivity: string | null;
	lastSyncAt: string | null;
	/** Share of each course of the cohort done, 0–100 (the shared fold's `courseProgress`). */
	percent: Record<string, number>;
}

/** The learners of a cohort with their progress, read from the aggregates (never the event log). */
export async function cohortLearners(
	db: Db,
	cohortId: string,
	courseIds: string[]
): Promise<LearnerRow[]> {
	const rows = await db
		.selectFrom('enrollments')
		.innerJoin('users', 'users.id', 'enrollments.user_id')
		.leftJoin('learner_progress', 'learner_progress.learner_id', 'users.id')
		.select([
			'users.id',
			'users.display_name',
			'users.service_number',
			'enrollments.joined_at',
			'learner_progress.progress',
			'learner_progress.last_event_at',
			'learner_progress.last_sync_at'
		])
		.where('enrollments.cohort_id', '=', cohortId)
		.orderBy('users.display_name')
		.execute();
	const courses = courseIds
		.map((id) => catalog.courses.find((c) => c.id === id))
		.filter((c) => !!c);
	return rows.map((row) => {
		const progress = row.progress ? (JSON.parse(row.progress) as Progress) : emptyProgress(row.id);
		return {
			id: row.id,
			displayName: row.display_name,
			serviceNumber: row.service_number,
			joinedAt: row.joined_at,
			lastActivity: row.last_event_at ?? null,
			lastSyncAt: row.last_sync_at ?? null,
			percent: Object.fromEntries(courses.map((c) => [c.id, courseProgress(progress, c).percent]))
		};
	});
}

/** Staff accounts, for the administrator. */
export async function listStaff(db: Db) {
	return db
		.selectFrom('users')
		.select(['id', 'username', 'display_name', 'role', 'created_at'])
		.where('role', 'in', ['admin', 'instructor'])
		.orderBy('display_name')
		.execute();
}
