import QRCode from 'qrcode';
import { verificationLink } from '../../certificates';
import type { Certificate } from './queries';

/** A certificate as the learner's device keeps it: what it says, its link and its QR code. */
export interface DeliveredCertificate {
	code: string;
	courseId: string;
	payload: Certificate['payload'];
	token: string;
	/** `/verifier/<code>#<token>`: the QR code opens it; the fragment never reaches a server. */
	link: string;
	/** The QR code as SVG, drawn here so that phones do not download a QR library. */
	qrSvg: string;
	issuedAt: string;
	revoked: Certificate['revoked'];
}

export async function deliver(origin: string, c: Certificate): Promise<DeliveredCertificate> {
	const link = verificationLink(origin, c.code, c.token);
	return {
		code: c.code,
		courseId: c.courseId,
		payload: c.payload,
		token: c.token,
		link,
		qrSvg: await QRCode.toString(link, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' }),
		issuedAt: c.issuedAt,
		revoked: c.revoked
	};
}
