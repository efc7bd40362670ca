import { certificateStatus } from '$lib/server/certificates';
import { getDb } from '$lib/server/db';
import { answer, api } from '$lib/server/http';
import type { RequestHandler } from './$types';

export const prerender = false;

/** What a code is worth, for programs: `{ status: 'valid' | 'revoked' | 'unknown', … }`. */
export const GET: RequestHandler = api(async ({ params }) => {
	const result = await certificateStatus(await getDb(), params.code);
	if (result.status === 'unknown')
		return answer(
			{
				status: 'unknown',
				code: result.code,
				error: `Aucun certificat ne porte le code ${result.code}.`
			},
			404
		);
	const { payload, token, issuedAt, revoked } = result.certificate;
	return answer({ status: result.status, code: payload.code, payload, token, issuedAt, revoked });
});
