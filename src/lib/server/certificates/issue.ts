import { randomInt } from 'node:crypto';
import {
	CODE_ALPHABET,
	canonicalJson,
	encodeBase64url,
	percentOf,
	type CertificatePayload
} from '../../certificates';
import {
	courseProgress,
	fold,
	PROGRESS_VERSION,
	type CourseOutline,
	type Progress
} from '../../progress/reduce';
import { isUniqueViolation, type Db } from '../db';
import { storedEvents } from '../sync/ingest';
import type { Signer } from './keys';

/** What issuing needs of a course: its outline (for the shared fold), title and version. */
export interface CertifiableCourse extends CourseOutline {
	version: string;
	title: { fr: string };
}

export interface Issued {
	code: string;
	courseId: string;
	cohortId: string;
}

/** A fresh code: two groups of four unambiguous characters. */
export function generateCertificateCode(): string {
	let code = '';
	for (let i = 0; i < 8; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
	return `${code.slice(0, 4)}-${code.slice(4)}`;
}

const clean = (text: string) => text.normalize('NFC').replace(/\s+/g, ' ').trim().slice(0, 200);

/**
 * Issues the certificates a learner has earned and does not have yet: one per cohort they belong
 * to and course of that cohort that the shared fold of the server's copy of their events says is
 * complete (every lesson done, every module assessment passed). Safe to call again and from two
 * servers at once: (learner, cohort, course) is unique, so a certificate is issued once. A revoked
 * certificate is never issued again by itself.
 */
export async function issueDue(
	db: Db,
	learnerId: string,
	courses: readonly CertifiableCourse[],
	/** The signer, or a function giving it (called only when a certificate is due). */
	signer: Signer | (() => Signer),
	now: Date = new Date(),
	/** Only these courses can have become complete (see `completingCourses`); all when omitted. */
	only?: ReadonlySet<string>
): Promise<Issued[]> {
	const cohorts = await db
		.selectFrom('enrollments')
		.innerJoin('cohorts', 'cohorts.id', 'enrollments.cohort_id')
		.innerJoin('users as instructor', 'instructor.id', 'cohorts.instructor_id')
		.select([
			'cohorts.id as id',
			'cohorts.name as name',
			'cohorts.courses as courses',
			'instructor.display_name as instructor'
		])
		.where('enrollments.user_id', '=', learnerId)
		.execute();
	if (cohorts.length === 0) return [];
	const held = new Set(
		(
			await db
				.selectFrom('certificates')
				.select(['cohort_id', 'course_id'])
				.where('learner_id', '=', learnerId)
				.execute()
		).map((r) => `${r.cohort_id}\n${r.course_id}`)
	);
	const wanted = cohorts.flatMap((cohort) =>
		courseIds(cohort.courses)
			.filter((id) => !held.has(`${cohort.id}\n${id}`))
			.flatMap((id) => {
				const course = courses.find((c) => c.id === id);
				return course && (!only || only.has(id)) ? [{ cohort, course }] : [];
			})
	);
	if (wanted.length === 0) return [];

	const progress = await serverProgress(db, learnerId);
	const learner = await db
		.selectFrom('users')
		.select(['display_name', 'service_number'])
		.where('id', '=', learnerId)
		.executeTakeFirstOrThrow();
	const issued: Issued[] = [];
	let key: Signer | undefined;
	for (const { cohort, course } of wanted) {
		const summary = courseProgress(progress, course);
		if (!summary.completed) continue;
		const scores = Object.fromEntries(
			summary.modules.flatMap((m) =>
				m.assessment?.bestScore != null ? [[m.moduleId, percentOf(m.assessment.bestScore)]] : []
			)
		);
		for (let attempt = 0; ; attempt++) {
			const payload: CertificatePayload = {
				v: 1,
				code: generateCertificateCode(),
				name: clean(learner.display_name),
				...(learner.service_number ? { sn: clean(learner.service_number).slice(0, 40) } : {}),
				course: course.id,
				title: clean(course.title.fr),
				version: course.version,
				cohort: clean(cohort.name),
				date: now.toISOString().slice(0, 10),
				scores,
				instructor: clean(cohort.instructor)
			};
			const text = canonicalJson(payload);
			key ??= typeof signer === 'function' ? signer() : signer;
			try {
				const inserted = await db
					.insertInto('certificates')
					.values({
						code: payload.code,
						learner_id: learnerId,
						cohort_id: cohort.id,
						course_id: course.id,
						course_version: course.version,
						payload: text,
						signature: encodeBase64url(key.sign(new TextEncoder().encode(text))),
						public_key: key.publicKey,
						issued_at: now.toISOString()
					})
					.onConflict((oc) => oc.columns(['learner_id', 'cohort_id', 'course_id']).doNothing())
					.returning('code')
					.execute();
				if (inserted.length > 0)
					issued.push({ code: payload.code, courseId: course.id, cohortId: cohort.id });
				break;
			} catch (caught) {
				// the code was taken (one chance in billions): draw another
				if (!isUniqueViolation(caught) || attempt >= 5) throw caught;
			}
		}
	}
	return issued;
}

/**
 * The courses a push may have completed: only a lesson completion or a quiz completion can finish
 * a course, so a sync of other events (most of them) skips reading the learner's fold.
 */
export function completingCourses(
	pushed: readonly unknown[],
	accepted: readonly string[]
): Set<string> {
	const ids = new Set(accepted);
	const courses = new Set<string>();
	for (const raw of pushed) {
		const e = raw as { id?: unknown; verb?: unknown; courseId?: unknown } | null;
		if (
			typeof e?.id === 'string' &&
			ids.has(e.id) &&
			(e.verb === 'lesson.completed' || e.verb === 'quiz.completed') &&
			typeof e.courseId === 'string'
		)
			courses.add(e.courseId);
	}
	return courses;
}

function courseIds(text: string): string[] {
	try {
		const value: unknown = JSON.parse(text);
		return Array.isArray(value) ? value.filter((c): c is string => typeof c === 'string') : [];
	} catch {
		return [];
	}
}

/** The fold the ingest keeps for the learner; folded again from the log if it is not readable. */
async function serverProgress(db: Db, learnerId: string): Promise<Progress> {
	const row = await db
		.selectFrom('learner_progress')
		.select('progress')
		.where('learner_id', '=', learnerId)
		.executeTakeFirst();
	try {
		const value = row ? (JSON.parse(row.progress) as Partial<Progress>) : null;
		if (value?.version === PROGRESS_VERSION && value.learnerId === learnerId && value.courses)
			return value as Progress;
	} catch {
		// fall through to a fold of the log
	}
	return fold(learnerId, await storedEvents(db, learnerId));
}
