import type { CertificateRow } from '$lib/client/db';

// The certificate pages' access to the device: the learner's certificates, live, and whether the
// profile belongs to a cohort. Loaded after first paint (Dexie stays off the critical path).

export async function watchCertificates(
	learnerId: string,
	onRows: (rows: CertificateRow[]) => void
): Promise<() => void> {
	const [{ liveQuery }, store, { certificatesOf }] = await Promise.all([
		import('dexie'),
		import('$lib/client/store'),
		import('$lib/client/certificates')
	]);
	const db = store.database();
	const subscription = liveQuery(() => certificatesOf(db, learnerId)).subscribe({
		next: onRows,
		error: () => onRows([])
	});
	return () => subscription.unsubscribe();
}

export async function hasAccount(learnerId: string): Promise<boolean> {
	const { accountOf } = await import('$lib/client/account');
	return !!(await accountOf(learnerId));
}

export async function refresh(learnerId: string) {
	const [store, { refreshCertificates }] = await Promise.all([
		import('$lib/client/store'),
		import('$lib/client/certificates')
	]);
	return refreshCertificates(store.database(), learnerId);
}
