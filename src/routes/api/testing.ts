import { isActionFailure, isHttpError, isRedirect, type Cookies } from '@sveltejs/kit';
import type { RequestEvent } from '@sveltejs/kit';
import { sessionHandle } from '$lib/server/auth';
import { formGuardHandle, securityHeadersHandle } from '$lib/server/http';

// For tests only: a client that calls endpoints and form actions behind the handles
// hooks.server.ts chains (security headers, the form guard, the session), with a cookie jar.

export type Handler = (event: never) => Response | Promise<Response>;
export type Action = (event: never) => unknown;

let addresses = 0;
const nextAddress = () => {
	const n = ++addresses;
	return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
};

export class Client {
	jar = new Map<string, string>();

	/**
	 * Each request comes from an address of its own unless one is given: the per-address limits
	 * (and their slowdown) are tested where they are meant, not spent by every hostile payload.
	 */
	event(request: Request, params: Record<string, string> = {}, address = nextAddress()) {
		const jar = this.jar;
		const cookies = {
			get: (name: string) => jar.get(name),
			getAll: () => [...jar].map(([name, value]) => ({ name, value })),
			set: (name: string, value: string) => void jar.set(name, value),
			delete: (name: string) => void jar.delete(name),
			serialize: () => ''
		} as unknown as Cookies;
		return {
			request,
			url: new URL(request.url),
			cookies,
			locals: {},
			params,
			route: { id: new URL(request.url).pathname },
			platform: undefined,
			isDataRequest: false,
			isSubRequest: false,
			isRemoteRequest: false,
			getClientAddress: () => address,
			setHeaders: () => undefined,
			fetch
		} as unknown as RequestEvent;
	}

	/** An API endpoint behind the handles: status and the `{ error }` message. */
	async call(handler: Handler, raw: string, address?: string) {
		const request = new Request('http://kalan.test/api/x', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: raw
		});
		const response = await chain(this.event(request, {}, address), (e) => handler(e as never));
		const json = (await response.json().catch(() => ({}))) as { error?: unknown };
		return { status: response.status, error: json.error };
	}

	/** A GET endpoint behind the handles: status and JSON. */
	async get(handler: Handler, path: string) {
		const request = new Request(`http://kalan.test${path}`);
		const response = await chain(this.event(request), (e) => handler(e as never));
		const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
		return { status: response.status, json };
	}

	/** A page's load behind the handles: 'ok', or the status it threw (a redirect's too). */
	async load(
		load: (event: never) => unknown,
		path: string,
		params: Record<string, string> = {}
	): Promise<number | 'ok'> {
		let outcome: number | 'ok' = 'ok';
		await chain(this.event(new Request(`http://kalan.test${path}`), params), async (e) => {
			try {
				await load(e as never);
			} catch (thrown) {
				if (isRedirect(thrown)) outcome = thrown.status;
				else if (isHttpError(thrown)) outcome = thrown.status;
				else throw thrown;
			}
			return new Response(null, { status: 204 });
		});
		return outcome;
	}

	/** A form action behind the handles, as Kit calls it: its status and message. */
	async submit(
		action: Action,
		path: string,
		body: BodyInit,
		type: string | null,
		params: Record<string, string> = {}
	): Promise<{ status: number; message?: unknown }> {
		const headers = new Headers();
		if (type) headers.set('content-type', type);
		const request = new Request(`http://kalan.test${path}`, { method: 'POST', headers, body });
		let outcome: { status: number; message?: unknown } = { status: 0 };
		const response = await chain(this.event(request, params), async (e) => {
			try {
				const value = await action(e as never);
				outcome = isActionFailure(value)
					? {
							status: value.status,
							message: (value.data as { message?: unknown } | undefined)?.message
						}
					: { status: 200 };
			} catch (thrown) {
				if (isRedirect(thrown)) outcome = { status: thrown.status };
				else if (isHttpError(thrown))
					outcome = { status: thrown.status, message: thrown.body.message };
				else throw thrown; // a crash: Kit would answer 500
			}
			return new Response(null, { status: 204 });
		});
		if (response.status !== 204) return { status: response.status, message: await response.text() };
		return outcome;
	}
}

export function chain(
	event: RequestEvent,
	last: (e: RequestEvent) => Response | Promise<Response>
) {
	return securityHeadersHandle({
		event,
		resolve: (a) =>
			formGuardHandle({
				event: a,
				resolve: (b) => sessionHandle({ event: b, resolve: async (c) => last(c) })
			})
	});
}
