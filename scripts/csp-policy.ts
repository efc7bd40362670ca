// The two rules scripts/csp-headers.ts applies to a prerendered page, kept apart to be tested.

const META = /[ \t]*<meta http-equiv="content-security-policy" content="([^"]*)">[ \t]*\n?/g;

/**
 * The page without its Content-Security-Policy <meta>, and that policy (null when it has none).
 * Several <meta> policies all apply: as a header they are joined by commas, which means the same.
 */
export function takePolicy(html: string): { html: string; policy: string | null } {
	const policies = [...html.matchAll(META)].map((m) =>
		m[1].replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&amp;', '&')
	);
	if (policies.length === 0) return { html, policy: null };
	return { html: html.replace(META, ''), policy: policies.join(', ') };
}

/** The path a prerendered file answers: `cours/ccs.html` → `/cours/ccs`, `index.html` → `/`. */
export function pagePath(file: string): string {
	const path = file
		.replaceAll('\\', '/')
		.replace(/\.html$/, '')
		.replace(/(^|\/)index$/, '');
	return `/${path}`;
}
