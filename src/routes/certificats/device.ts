// The certificate pages' access to the device, loaded after first paint (Dexie stays off the
// critical path). Only modules that already import the store: importing Dexie on its own would
// split it from the store in the bundle, and every page would pay for the split.

export async function watchCertificates(
	learnerId: string,
	onRows: (rows: import('$lib/client/db').CertificateRow[]) => void
): Promise<() => void> {
	const { watchCertificates } = await import('$lib/client/certificates');
	return watchCertificates(learnerId, onRows);
}

export async function hasAccount(learnerId: string): Promise<boolean> {
	const { accountOf } = await import('$lib/client/account');
	return !!(await accountOf(learnerId));
}

export async function refresh(learnerId: string) {
	const { refreshMine } = await import('$lib/client/certificates');
	return refreshMine(learnerId);
}
