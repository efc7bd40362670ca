import { device } from './state.svelte';

/**
 * Tells the learner, in the storage banner, that this device could not save: never swallowed.
 * Dexie wraps the browser's errors; their names say which plain-words message applies.
 */
export function storageProblem(error: unknown): void {
	const name = (error as { name?: string })?.name ?? '';
	const inner = (error as { inner?: { name?: string } })?.inner?.name ?? '';
	const detail = error instanceof Error ? error.message : String(error);
	if (name === 'QuotaExceededError' || inner === 'QuotaExceededError')
		device.storage = { problem: 'full', detail };
	else if (
		[
			'MissingAPIError',
			'OpenFailedError',
			'InvalidStateError',
			'SecurityError',
			'DatabaseClosedError',
			'UnknownError'
		].includes(name)
	)
		device.storage = { problem: 'unavailable', detail };
	else device.storage = { problem: 'error', detail };
	console.error('Kalan storage:', error);
}

/** A write went through: a past "full" problem is over (space was freed). */
export function storageRecovered(): void {
	if (device.storage.problem === 'full' || device.storage.problem === 'error')
		device.storage = { problem: null, detail: '' };
}

/** How soon a write that failed (a full disk, a blocked database) is tried again. */
export const STORAGE_RETRY_MS = 3000;

/**
 * Runs a write; when it fails, tells the learner and tries it again every few seconds until it
 * succeeds (space was freed), then clears the banner. The write must be idempotent (events carry
 * their id, so storing one twice keeps one). Resolves when the write finally succeeded.
 */
export function storeOrRetry(write: () => Promise<unknown>): Promise<void> {
	return new Promise((resolve) => {
		const attempt = () =>
			write().then(
				() => {
					storageRecovered();
					resolve();
				},
				(error: unknown) => {
					storageProblem(error);
					setTimeout(attempt, STORAGE_RETRY_MS);
				}
			);
		void attempt();
	});
}
