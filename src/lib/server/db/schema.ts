import type { ColumnType, Insertable, Selectable } from 'kysely';

// One shape for both dialects: text ids, ISO-8601 text timestamps (UTC, `toISOString()`, so
// text order is time order), JSON as text, booleans as integers 0/1, counters and sequences as
// bigint (read back as numbers on PostgreSQL too, see the pool's type parser).

/** Columns filled by a default when a row is inserted. */
type Defaulted<T> = ColumnType<T, T | undefined, T>;

export type Role = 'admin' | 'instructor' | 'learner';
export const ROLES = ['admin', 'instructor', 'learner'] as const satisfies readonly Role[];

export interface UsersTable {
	id: string;
	role: Role;
	/** Staff sign-in name, lower case; null for learners (they sign in by cohort code and name). */
	username: string | null;
	display_name: string;
	service_number: string | null;
	password_hash: string | null;
	pin_hash: string | null;
	created_at: string;
	disabled: Defaulted<number>;
}

export interface SessionsTable {
	/** sha256 (hex) of the cookie's token: a stolen database does not hold live tokens. */
	id: string;
	user_id: string;
	created_at: string;
	expires_at: string;
	last_seen_at: string;
}

export interface CohortsTable {
	id: string;
	name: string;
	instructor_id: string;
	join_code: string;
	join_open: Defaulted<number>;
	/** JSON array of course ids. */
	courses: string;
	/** `YYYY-MM-DD` or null. */
	starts_on: string | null;
	ends_on: string | null;
	at_risk_days: Defaulted<number>;
	created_at: string;
}

export interface EnrollmentsTable {
	cohort_id: string;
	user_id: string;
	joined_at: string;
}

export interface EventsTable {
	id: string;
	learner_id: string;
	/** Rank in the learner's log (pull cursor): increasing in commit order, gaps allowed. */
	seq: number;
	course_id: string;
	course_version: string;
	verb: string;
	lesson_id: string | null;
	quiz_id: string | null;
	question_id: string | null;
	scenario_id: string | null;
	/** Device time. */
	at: string;
	/** Server time. */
	received_at: string;
	/** 1 when `at` was more than 24 h ahead of the server's clock on arrival. */
	future_flag: number;
	/** The whole event as JSON. */
	body: string;
}

export interface LearnerProgressTable {
	learner_id: string;
	/** JSON of the shared `Progress` fold. */
	progress: string;
	event_count: Defaulted<number>;
	/** Highest `events.seq` given to this learner. */
	last_seq: Defaulted<number>;
	last_event_at: string | null;
	last_sync_at: string | null;
}

export interface LearnerLessonTable {
	learner_id: string;
	course_id: string;
	lesson_id: string;
	status: string;
	completed_at: string | null;
	time_ms: number;
	last_at: string;
	/** First event of the lesson (migration 003; rows older than it hold their `last_at`). */
	first_at: string | null;
}

export interface LearnerQuizTable {
	learner_id: string;
	course_id: string;
	quiz_id: string;
	attempts: number;
	best_score: number | null;
	last_score: number | null;
	passed: number;
	last_at: string;
}

/** A learner's card for one course (migration 004; src/lib/dashboard/card.ts). */
export interface LearnerCourseTable {
	learner_id: string;
	course_id: string;
	/** The outline the card was built from; another key means the card must be rebuilt. */
	outline_key: string;
	/** Lessons completed plus assessments passed, in the outline. */
	items_done: number;
	/** The rest of the card, JSON (encodeCard). */
	card: string;
}

export interface QuestionStatsTable {
	learner_id: string;
	course_id: string;
	quiz_id: string;
	question_id: string;
	answers: number;
	/** JSON of the latest answer's response, null when it had none. */
	last_response: string | null;
	last_score: number | null;
	best_score: number | null;
	answered_at: string;
}

export interface RateLimitsTable {
	key: string;
	count: number;
	window_start: string;
}

export interface Database {
	users: UsersTable;
	sessions: SessionsTable;
	cohorts: CohortsTable;
	enrollments: EnrollmentsTable;
	events: EventsTable;
	learner_progress: LearnerProgressTable;
	learner_lesson: LearnerLessonTable;
	learner_quiz: LearnerQuizTable;
	learner_course: LearnerCourseTable;
	question_stats: QuestionStatsTable;
	rate_limits: RateLimitsTable;
	certificates: CertificatesTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type CohortRow = Selectable<CohortsTable>;
export type EventRow = Selectable<EventsTable>;
export type NewEvent = Insertable<EventsTable>;

/** A certificate of completion (migration 002): the signed payload, as issued, and its revocation. */
export interface CertificatesTable {
	/** The short code printed on it, e.g. `K7M2-9QXR`. */
	code: string;
	learner_id: string;
	cohort_id: string;
	course_id: string;
	course_version: string;
	/** The canonical JSON that was signed, byte for byte. */
	payload: string;
	/** Ed25519 signature of `payload`, base64url. */
	signature: string;
	/** The public key (base64url) that verifies it: certificates outlive a key change. */
	public_key: string;
	issued_at: string;
	revoked_at: string | null;
	revoked_by: string | null;
	revoked_reason: string | null;
}

export type CertificateRow = Selectable<CertificatesTable>;
