import { fail } from '@sveltejs/kit';
import { failFrom } from './http';

/** A refused form action: the server module's message, and what the person typed (never secrets). */
export function refuse<K extends Record<string, string>>(caught: unknown, kept?: K) {
	const failure = failFrom(caught);
	return fail(failure.status, { message: failure.data.message, ...(kept ?? ({} as K)) });
}

export const field = (form: FormData, name: string) => String(form.get(name) ?? '').trim();
