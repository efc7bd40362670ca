/**
 * Browser-only code: the IndexedDB store (Dexie), the learner's local profile, event recording,
 * and (later) the sync engine and offline downloads. Never imported by server code nor by the
 * pure layers ($lib/content, $lib/quiz, $lib/progress); import it lazily from components so that
 * Dexie stays off a lesson page's critical path.
 */
export {
	KalanDB,
	type AttemptRow,
	type CertificateRow,
	type EventRow,
	type ProfileRow,
	type ProgressRow,
	type SettingRow
} from './db';
