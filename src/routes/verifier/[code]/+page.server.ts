import { isHttpError } from '@sveltejs/kit';
import { getLocale } from '$lib/paraglide/runtime';
import { certificateStatus, getSigner } from '$lib/server/certificates';
import { courseSummaries } from '$lib/server/certificates/courses';
import { getDb } from '$lib/server/db';
import type { PageServerLoad } from './$types';

export const prerender = false;
// A status page: works without JavaScript, and ships none.
export const csr = false;

export const load = (async ({ params, url }) => {
	const courses = courseSummaries(getLocale());
	const publicKey = getSigner().publicKey;
	// `/verifier/code?code=…` is what the code form sends without JavaScript.
	const typed = params.code === 'code' ? (url.searchParams.get('code') ?? '') : params.code;
	try {
		const result = await certificateStatus(await getDb(), typed);
		if (result.status === 'unknown')
			return { state: 'unknown' as const, code: result.code, courses, publicKey };
		const { payload, revoked } = result.certificate;
		return { state: result.status, code: payload.code, payload, revoked, courses, publicKey };
	} catch (caught) {
		if (!isHttpError(caught)) throw caught;
		return {
			state: 'malformed' as const,
			code: typed.slice(0, 40),
			message: caught.body.message,
			courses,
			publicKey
		};
	}
}) satisfies PageServerLoad;
