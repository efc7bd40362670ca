import { error } from '@sveltejs/kit';
import * as v from 'valibot';
import { normalizeCode, type CertificatePayload } from '../../certificates';
import type { AuthUser } from '../auth';
import type { CertificateRow, Db } from '../db';
import { parseInput } from '../http';

// Certificates as the verification page, the learner's device and the staff page read them;
// and their revocation.

export interface Certificate {
	code: string;
	learnerId: string;
	cohortId: string;
	courseId: string;
	payload: CertificatePayload;
	/** `base64url(payload).base64url(signature)`: what the QR code carries. */
	token: string;
	publicKey: string;
	issuedAt: string;
	revoked: { at: string; reason: string } | null;
}

const base64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

export function toCertificate(row: CertificateRow): Certificate {
	return {
		code: row.code,
		learnerId: row.learner_id,
		cohortId: row.cohort_id,
		courseId: row.course_id,
		payload: JSON.parse(row.payload) as CertificatePayload,
		token: `${base64url(row.payload)}.${row.signature}`,
		publicKey: row.public_key,
		issuedAt: row.issued_at,
		revoked: row.revoked_at ? { at: row.revoked_at, reason: row.revoked_reason ?? '' } : null
	};
}

export type CertificateStatus =
	| { status: 'valid'; certificate: Certificate }
	| { status: 'revoked'; certificate: Certificate }
	| { status: 'unknown'; code: string };

/**
 * What `/verifier/<code>` says about a code as typed: valid, revoked or unknown. A text that
 * cannot be a code is refused with 400 and a message saying what a code looks like.
 */
export async function certificateStatus(db: Db, typed: string): Promise<CertificateStatus> {
	const code = normalizeCode(typed);
	if (!code)
		error(
			400,
			'Ce code de certificat est mal formé : il a 8 caractères, lettres et chiffres, comme K7M2-9QXR.'
		);
	const row = await db
		.selectFrom('certificates')
		.selectAll()
		.where('code', '=', code)
		.executeTakeFirst();
	if (!row) return { status: 'unknown', code };
	const certificate = toCertificate(row);
	return certificate.revoked
		? { status: 'revoked', certificate }
		: { status: 'valid', certificate };
}

/** A learner's certificates, newest first. */
export async function certificatesOfLearner(db: Db, learnerId: string): Promise<Certificate[]> {
	const rows = await db
		.selectFrom('certificates')
		.selectAll()
		.where('learner_id', '=', learnerId)
		.orderBy('issued_at', 'desc')
		.orderBy('code')
		.execute();
	return rows.map(toCertificate);
}

const isStaff = (user: AuthUser | null): user is AuthUser =>
	user?.role === 'instructor' || user?.role === 'admin';

export interface StaffCertificate extends Certificate {
	cohortName: string;
}

/** Certificates of an instructor's cohorts (every certificate for an administrator), newest first. */
export async function certificatesForStaff(
	db: Db,
	user: AuthUser | null,
	limit = 500
): Promise<StaffCertificate[]> {
	if (!isStaff(user)) error(403, 'Réservé aux formateurs.');
	const rows = await db
		.selectFrom('certificates')
		.innerJoin('cohorts', 'cohorts.id', 'certificates.cohort_id')
		.selectAll('certificates')
		.select('cohorts.name as cohort_name')
		.$if(user.role !== 'admin', (qb) => qb.where('cohorts.instructor_id', '=', user.id))
		.orderBy('certificates.issued_at', 'desc')
		.orderBy('certificates.code')
		.limit(limit)
		.execute();
	return rows.map((row) => ({ ...toCertificate(row), cohortName: row.cohort_name }));
}

const revokeSchema = v.object({
	code: v.string('le code du certificat'),
	reason: v.pipe(
		v.string('le motif de la révocation'),
		v.transform((s) => s.replace(/\s+/g, ' ').trim()),
		v.minLength(3, 'un motif de révocation (au moins 3 caractères)'),
		v.maxLength(500, 'un motif d’au plus 500 caractères'),
		v.regex(/^[^<>\p{Cc}]*$/u, 'un motif sans < > ni caractère de contrôle')
	)
});

/**
 * Revokes a certificate, with a reason: an instructor for their own cohorts, an administrator
 * for any. A certificate of another instructor's cohort is "not found" (never says it exists).
 */
export async function revokeCertificate(
	db: Db,
	user: AuthUser | null,
	input: { code: unknown; reason: unknown },
	now: Date = new Date()
): Promise<Certificate> {
	if (!isStaff(user))
		error(403, 'Seul un formateur ou un administrateur peut révoquer un certificat.');
	const fields = parseInput(revokeSchema, input, 'Révocation refusée');
	const code = normalizeCode(fields.code);
	if (!code) error(400, 'Révocation refusée — code de certificat mal formé (ex. : K7M2-9QXR).');
	const row = await db
		.selectFrom('certificates')
		.innerJoin('cohorts', 'cohorts.id', 'certificates.cohort_id')
		.selectAll('certificates')
		.select('cohorts.instructor_id')
		.where('certificates.code', '=', code)
		.executeTakeFirst();
	if (!row || (user.role !== 'admin' && row.instructor_id !== user.id))
		error(404, `Certificat ${code} introuvable parmi ceux de vos promotions.`);
	if (row.revoked_at) error(409, `Le certificat ${code} est déjà révoqué.`);
	await db
		.updateTable('certificates')
		.set({ revoked_at: now.toISOString(), revoked_by: user.id, revoked_reason: fields.reason })
		.where('code', '=', code)
		.where('revoked_at', 'is', null)
		.execute();
	const updated = await db
		.selectFrom('certificates')
		.selectAll()
		.where('code', '=', code)
		.executeTakeFirstOrThrow();
	return toCertificate(updated);
}
