import { fail } from '@sveltejs/kit';
import { failFrom } from './http';

/** A refused form action: the server module's message, and what the person typed (never secrets). */
export function refuse<K extends Record<string, string>>(caught: unknown, kept?: K) {
	const failure = failFrom(caught);
	return fail(failure.status, { message: failure.data.message, ...(kept ?? ({} as K)) });
}

/** A text field, trimmed; '' when missing or when a file was sent in its place. */
export function field(form: FormData, name: string): string {
	const value = form.get(name);
	return typeof value === 'string' ? value.trim() : '';
}
