import type { KalanDB } from './db';
import { refreshCertificates } from './certificates';
import type { SyncStatus } from './sync';

// What app.ts loads for a learner who joined a cohort: the sync engine, and the certificates the
// server issues, fetched after each successful sync. Kept out of app.ts so that a learner who
// studies alone downloads neither.
export { SyncEngine, statusMessage } from './sync';

/** A sync status listener that fetches the learner's certificates after each successful run. */
export function afterSync(db: KalanDB, learnerId: string): (status: SyncStatus) => void {
	let last: string | null = null;
	return (status) => {
		if (!status.lastSuccessAt || status.lastSuccessAt === last) return;
		last = status.lastSuccessAt;
		refreshCertificates(db, learnerId).catch(() => undefined);
	};
}
