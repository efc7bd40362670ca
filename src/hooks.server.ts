import type { Handle } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { sessionHandle } from '$lib/server/auth';
import { formGuardHandle, securityHeadersHandle } from '$lib/server/http';
import { earlyStartHandle } from '$lib/server/early-start';
import { partStylesHandle } from '$lib/server/part-styles';
import { firstFrameHandle } from '$lib/server/first-frame';
import { building } from '$app/environment';
import { getDb } from '$lib/server/db';
import { getSigner } from '$lib/server/certificates';
import type { ServerInit } from '@sveltejs/kit';

const i18n: Handle = ({ event, resolve }) =>
	paraglideMiddleware(event.request, ({ request, locale }) => {
		event.request = request;
		return resolve(event, {
			transformPageChunk: ({ html }) => html.replace('%paraglide.lang%', locale)
		});
	});

// Security headers wrap everything (redirects included); form posts Kit would answer with a 500
// are refused next (before i18n: placed after it, prerendered English pages came out in French);
// the session is read only when a cookie is sent, so prerendering never opens the database; an
// assessment page's early start goes into its HTML, then the styles of the parts a page shows before
// their code has loaded. A page's start waits for its first frame: its transform runs after those of
// the handles after it (SvelteKit applies them in reverse order), on the finished page.
export const handle = sequence(
	securityHeadersHandle,
	formGuardHandle,
	i18n,
	sessionHandle,
	firstFrameHandle,
	earlyStartHandle,
	partStylesHandle
);

// Migrations run when the server starts (not while prerendering at build time), and the
// certificate signing key is read (or made, on first start): a bad KALAN_SIGNING_KEY stops the
// start with its message rather than failing later.
export const init: ServerInit = async () => {
	if (building) return;
	await getDb();
	getSigner();
};
