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
