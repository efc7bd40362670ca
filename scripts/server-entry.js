// Kalan's server: SvelteKit's own (adapter-node, ./index.js), which also sends each prerendered page
// its Content-Security-Policy as a header. The build moved the policy out of the page's <meta>
// (scripts/csp-headers.ts copies this file to build/kalan.js; build/package.json makes it the entry
// of `node build`).
import { readFileSync } from 'node:fs';
import { server } from './index.js';

/** @type {Map<string, string>} */
const policies = new Map(
	Object.entries(JSON.parse(readFileSync(new URL('./csp-headers.json', import.meta.url), 'utf8')))
);

/** @param {string | undefined} url */
function pathOf(url) {
	const path = (url ?? '/').split('?')[0];
	try {
		return decodeURIComponent(path.length > 1 ? path.replace(/\/$/, '') : path);
	} catch {
		return path;
	}
}

// Before SvelteKit's own listener: the static file server then answers with the header already set.
// A page SvelteKit renders sets its own policy, which takes precedence.
server.server?.prependListener('request', (req, res) => {
	const policy = policies.get(pathOf(req.url));
	if (policy) res.setHeader('content-security-policy', policy);
});
