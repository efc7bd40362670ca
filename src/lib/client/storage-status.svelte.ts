/**
 * What the learner must know about this device's storage: shown by the storage banner, never
 * swallowed. `kind` tells which plain-words message to show.
 */
export const storage = $state<{ problem: null | 'unavailable' | 'full' | 'error'; detail: string }>(
	{ problem: null, detail: '' }
);

export function storageProblem(error: unknown): void {
	const name = (error as { name?: string; inner?: { name?: string } })?.name ?? '';
	const inner = (error as { inner?: { name?: string } })?.inner?.name ?? '';
	const detail = error instanceof Error ? error.message : String(error);
	if (name === 'QuotaExceededError' || inner === 'QuotaExceededError') storage.problem = 'full';
	else if (
		[
			'MissingAPIError',
			'OpenFailedError',
			'InvalidStateError',
			'SecurityError',
			'DatabaseClosedError'
		].includes(name)
	)
		storage.problem = 'unavailable';
	else storage.problem = 'error';
	storage.detail = detail;
	console.error('Kalan storage:', error);
}
