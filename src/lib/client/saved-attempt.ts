import type { AttemptRow, ProfileRow, SettingRow } from './db';

/**
 * Whether this phone's current learner has a saved attempt (live or finished, not abandoned) at a
 * quiz or a scenario, read with the browser's own IndexedDB: a page asks as soon as it is
 * interactive, without waiting for Dexie (about 30 KB gzip, a second on a 3G link). It reads the
 * database Dexie keeps (`db.ts`, same stores and indexes) and never creates or changes it. The
 * current learner is found as `currentProfile` in store.ts finds it; with no database, no profile
 * or no row, there is nothing saved.
 */
export function hasSavedAttempt(
	kind: AttemptRow['kind'],
	targetId: string,
	name = 'kalan',
	idb: IDBFactory = indexedDB
): Promise<boolean> {
	return new Promise((resolve, reject) => {
		const request = idb.open(name);
		let missing = false;
		// No database yet (a first visit): leave its creation to Dexie.
		request.onupgradeneeded = () => {
			missing = true;
			request.transaction?.abort();
		};
		request.onerror = (event) => {
			if (!missing) return reject(request.error);
			event.preventDefault();
			resolve(false);
		};
		request.onblocked = () => reject(new Error('IndexedDB blocked'));
		request.onsuccess = () => {
			const db = request.result;
			// Dexie may upgrade the database in another tab: never stand in its way.
			db.onversionchange = () => db.close();
			const stores = ['attempts', 'profiles', 'settings'];
			if (!stores.every((s) => db.objectStoreNames.contains(s))) {
				db.close();
				return resolve(false);
			}
			const tx = db.transaction(stores, 'readonly');
			let found = false;
			tx.oncomplete = () => {
				db.close();
				resolve(found);
			};
			tx.onerror = tx.onabort = () => {
				db.close();
				reject(tx.error);
			};
			const attemptsOf = (learnerId: string) => {
				const rows = tx
					.objectStore('attempts')
					.index('[learnerId+targetId]')
					.getAll([learnerId, targetId]);
				rows.onsuccess = () => {
					found = (rows.result as AttemptRow[]).some(
						(r) => r.kind === kind && r.status !== 'abandoned'
					);
				};
			};
			const current = tx.objectStore('settings').get('currentProfile');
			current.onsuccess = () => {
				const id = (current.result as SettingRow | undefined)?.value;
				const profile =
					typeof id === 'string'
						? tx.objectStore('profiles').get(id)
						: tx.objectStore('profiles').index('name').openCursor();
				profile.onsuccess = () => {
					const row = (
						typeof id === 'string'
							? profile.result
							: (profile.result as IDBCursorWithValue | null)?.value
					) as ProfileRow | undefined;
					if (row) return attemptsOf(row.id);
					// The setting names a profile that is gone: store.ts falls back to the first by name.
					if (typeof id !== 'string') return;
					const first = tx.objectStore('profiles').index('name').openCursor();
					first.onsuccess = () => {
						if (first.result) attemptsOf((first.result.value as ProfileRow).id);
					};
				};
			};
		};
	});
}
