import {
	error,
	fail,
	isHttpError,
	json,
	type ActionFailure,
	type Handle,
	type RequestEvent
} from '@sveltejs/kit';
import * as v from 'valibot';

// HTTP edges shared by the API routes and the form actions: bodies read with a size limit,
// inputs checked against a schema, and every refusal answered as `{ error: 'message' }` with
// its 4xx — a message in French that the person can act on. Server modules refuse with Kit's
// `error(status, message)`; `api()` turns that into JSON, `failFrom()` into a form failure.

export const KB = 1024;

/** Sent with every response the server builds (the CSP is set in svelte.config.js). */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
	'x-content-type-options': 'nosniff',
	'referrer-policy': 'strict-origin-when-cross-origin',
	'x-frame-options': 'DENY',
	'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()'
};

/** Adds SECURITY_HEADERS to every response that does not set its own. */
export const securityHeadersHandle: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
		try {
			if (!response.headers.has(name)) response.headers.set(name, value);
		} catch {
			// a response with immutable headers (fetched from elsewhere) is passed on as it is
		}
	}
	return response;
};

/** A JSON answer that no cache keeps (answers depend on the session). */
export function answer(
	data: unknown,
	status = 200,
	headers: Record<string, string> = {}
): Response {
	return json(data, { status, headers: { 'cache-control': 'no-store', ...headers } });
}

export function errorAnswer(status: number, message: string): Response {
	return answer({ error: message }, status);
}

/**
 * Wraps an endpoint: a refusal thrown with `error(4xx, message)` becomes `{ error: message }`,
 * anything unexpected is logged and answered with a plain 500 that leaks nothing.
 */
export function api<E extends RequestEvent>(
	handler: (event: E) => Promise<Response>
): (event: E) => Promise<Response> {
	return async (event) => {
		try {
			return await handler(event);
		} catch (caught) {
			if (isHttpError(caught)) return errorAnswer(caught.status, caught.body.message);
			console.error(`${event.request.method} ${event.url.pathname}`, caught);
			return errorAnswer(500, 'Erreur du serveur. Réessayez dans un moment.');
		}
	};
}

/** For form actions: a refusal from a server module as `fail(status, { message })`. */
export function failFrom(caught: unknown): ActionFailure<{ message: string }> {
	if (isHttpError(caught)) return fail(caught.status, { message: caught.body.message });
	throw caught;
}

/**
 * The request's JSON body, refused with 413 past `limit` bytes (counted while reading, whatever
 * Content-Length says), 415 when it is not declared as JSON and 400 when it does not parse.
 */
export async function readJson(request: Request, limit: number): Promise<unknown> {
	const type = request.headers.get('content-type') ?? '';
	if (!/^application\/([a-z.+-]*\+)?json\b/i.test(type))
		error(415, 'Le corps de la requête doit être du JSON (Content-Type: application/json).');
	const tooBig = () =>
		error(413, `Requête trop volumineuse : ${Math.floor(limit / KB)} Ko au plus.`);
	const declared = Number(request.headers.get('content-length'));
	if (Number.isFinite(declared) && declared > limit) tooBig();
	if (!request.body) error(400, 'Le corps de la requête est vide : JSON attendu.');

	const reader = request.body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	for (;;) {
		let chunk: ReadableStreamReadResult<Uint8Array>;
		try {
			chunk = await reader.read();
		} catch (caught) {
			// adapter-node stops a body past BODY_SIZE_LIMIT with a 413 error of its own
			if ((caught as { status?: unknown } | null)?.status === 413) tooBig();
			error(400, 'Le corps de la requête est arrivé incomplet. Réessayez.');
		}
		if (chunk.done) break;
		size += chunk.value.byteLength;
		if (size > limit) {
			await reader.cancel().catch(() => undefined);
			tooBig();
		}
		chunks.push(chunk.value);
	}
	if (size === 0) error(400, 'Le corps de la requête est vide : JSON attendu.');

	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
	} catch {
		error(400, "Le corps de la requête n'est pas du texte UTF-8 valide.");
	}
	try {
		return JSON.parse(text) as unknown;
	} catch {
		error(400, "Le corps de la requête n'est pas du JSON valide.");
	}
}

/** One readable line for the first problem valibot found, with where it is. */
export function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string {
	const issue = issues[0];
	if (!issue) return 'valeur invalide';
	const path = v.getDotPath(issue);
	const isObject = /object$/.test(issue.type);
	if (isObject && issue.expected === 'never' && path) return `champ inconnu : ${path}`;
	if (issue.received === 'undefined' && path) return `${path} : champ manquant`;
	// valibot's own messages are in English: a schema without a French one gets a neutral line
	const message = issue.message.startsWith('Invalid ')
		? `valeur invalide, attendu : ${issue.expected ?? '?'}`
		: issue.message;
	const received =
		issue.received && issue.received.length <= 40 ? ` (reçu : ${issue.received})` : '';
	return `${path ? `${path} : ` : ''}${message}${received}`;
}

/** `value` checked against `schema`, or a 400 whose message says what is wrong. */
export function parseInput<S extends v.GenericSchema>(
	schema: S,
	value: unknown,
	prefix = 'Données invalides'
): v.InferOutput<S> {
	const parsed = v.safeParse(schema, value);
	if (!parsed.success) error(400, `${prefix} — ${describeIssues(parsed.issues)}`);
	return parsed.output;
}

/** The caller's address, for rate limits; never throws (tests and some adapters have none). */
export function clientAddress(event: Pick<RequestEvent, 'getClientAddress'>): string {
	try {
		return event.getClientAddress();
	} catch {
		return 'unknown';
	}
}

const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data|text\/plain)\b/i;
const ACTION_NAME = /^[a-z][a-z0-9_-]{0,39}$/i;

/**
 * Guards the staff pages' form actions from requests that Kit would answer with a 500: an action
 * name that is not a plain word (`?/default`, `?/constructor`, `?/__proto__`) and a body that does
 * not parse as a form (a broken multipart body, `text/plain`). Answered with a 4xx in French.
 */
export const formGuardHandle: Handle = async ({ event, resolve }) => {
	const { request, url } = event;
	const type = request.headers.get('content-type') ?? '';
	if (request.method !== 'POST' || !FORM_TYPES.test(type) || url.pathname.startsWith('/api/'))
		return resolve(event);
	const named = [...url.searchParams.keys()].find((key) => key.startsWith('/'));
	const name = named?.slice(1);
	if (
		name !== undefined &&
		(!ACTION_NAME.test(name) || name === 'default' || name in Object.prototype)
	)
		return refusedForm(
			404,
			'Cette action n’existe pas sur cette page. Revenez à la page et réessayez.'
		);
	try {
		// Read a copy: Kit reads the original again for the action.
		await request.clone().formData();
	} catch (caught) {
		if ((caught as { status?: unknown } | null)?.status === 413)
			return refusedForm(413, 'Formulaire trop volumineux. Raccourcissez ce que vous avez saisi.');
		return refusedForm(
			400,
			'Le formulaire envoyé est illisible ou incomplet. Revenez à la page et envoyez-le à nouveau.'
		);
	}
	return resolve(event);
};

function refusedForm(status: number, message: string): Response {
	return new Response(message, {
		status,
		headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }
	});
}
