import Dexie, { type EntityTable } from 'dexie';
import type { LearningEvent } from '$lib/progress/events';

/** The live or past attempt of one learner at one quiz or scenario, as the actor's snapshot. */
export interface AttemptRow {
	id: string;
	learnerId: string;
	kind: 'quiz' | 'scenario';
	/** The quiz or scenario id. */
	targetId: string;
	courseId: string;
	/** Fingerprint of the definition the attempt was taken on: a changed quiz restarts. */
	contentVersion: string;
	/** active: resumable; finished: ended (results kept); abandoned: the quiz changed under it. */
	status: 'active' | 'finished' | 'abandoned';
	/** `actor.getPersistedSnapshot()`, plain JSON. */
	snapshot: unknown;
	startedAt: string;
	updatedAt: string;
}

/** A learning event as stored on the device; `syncedAt` is 0 while it waits to be sent. */
export interface EventRow extends LearningEvent {
	syncedAt: number;
}

/** One person using this phone. */
export interface ProfileRow {
	id: string;
	name: string;
	/** PBKDF2 hash of an optional PIN, for a shared phone. */
	pin?: { salt: string; hash: string };
	createdAt: string;
}

/** The fold of a learner's events, kept up to date by each insert; rebuildable from `events`. */
export interface ProgressRow {
	learnerId: string;
	progress: unknown;
	/** How many rows of the log the fold has seen (a rebuild is due when it differs). */
	eventCount: number;
	/** Rows of the log that could not be read at the last rebuild. */
	unreadable?: number;
}

/** A certificate the server issued to a learner, kept so that it shows and prints offline. */
export interface CertificateRow {
	/** Its short code, e.g. `K7M2-9QXR`. */
	code: string;
	learnerId: string;
	courseId: string;
	/** What it says (see $lib/certificates `CertificatePayload`). */
	payload: unknown;
	/** The signed token the QR code carries. */
	token: string;
	/** The verification link (`/verifier/<code>#<token>`). */
	link: string;
	/** The QR code, an SVG drawn by the server. */
	qrSvg: string;
	issuedAt: string;
	revoked: { at: string; reason: string } | null;
	/** When the device last heard about it from the server. */
	fetchedAt: string;
}

export interface SettingRow {
	key: string;
	value: unknown;
}

/**
 * Kalan's IndexedDB database. Every version stays declared with its upgrade: a phone that skipped
 * releases upgrades step by step, and no version may drop a learner's rows.
 */
export class KalanDB extends Dexie {
	attempts!: EntityTable<AttemptRow, 'id'>;
	events!: EntityTable<EventRow, 'id'>;
	profiles!: EntityTable<ProfileRow, 'id'>;
	settings!: EntityTable<SettingRow, 'key'>;
	progress!: EntityTable<ProgressRow, 'learnerId'>;
	certificates!: EntityTable<CertificateRow, 'code'>;

	constructor(name = 'kalan', options?: ConstructorParameters<typeof Dexie>[1]) {
		super(name, options);
		// v1 (quiz engine): resumable attempts.
		this.version(1).stores({ attempts: 'id, [learnerId+targetId], updatedAt' });
		// v2 (offline progress): the event log, local profiles and settings. Attempts made before
		// profiles existed belonged to the one anonymous learner, whose id they already carry.
		this.version(2).stores({
			events: 'id, learnerId, [learnerId+syncedAt], [learnerId+courseId], at',
			profiles: 'id, name',
			settings: 'key',
			progress: 'learnerId'
		});
		// v3 (certificates): the learner's certificates, fetched after a sync, shown offline. A new
		// table only: every earlier row stays as it is.
		this.version(3).stores({ certificates: 'code, learnerId' });
	}
}
