// Runs after `vite build`, before the offline packs: a prerendered page's Content-Security-Policy
// moves from its <meta> to an HTTP header (docs/decisions.md « A prerendered page's security policy
// is a header »).
//
// SvelteKit writes the policy of a prerendered page into a <meta http-equiv>, since a static file has
// no headers of its own. In Chromium, a page holding such a <meta>, even a one-directive one, costs
// about 30 ms more main-thread parsing before its first paint with the CPU slowed 4× (measured in
// docs/performance.md, sixth round); the same policy sent as a header does not.
//
// For every page in build/prerendered this removes the <meta>, compresses the page again (.br, .gz,
// as the adapter did), and writes the policy into build/csp-headers.json, keyed by the page's path.
// build/kalan.js, the server's entry (`node build` runs it through build/package.json), sends it.
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { pagePath, takePolicy } from './csp-policy';
import { filesUnder } from './files';

const build = resolve(process.argv[2] ?? 'build');
const prerendered = join(build, 'prerendered');
const mapFile = join(build, 'csp-headers.json');

if (!existsSync(prerendered)) {
	console.error(`csp-headers: ${prerendered} is missing: run vite build first`);
	process.exit(1);
}

// Run twice on one build, the pages no longer hold a policy: the first run's map keeps it.
const policies: Record<string, string> = existsSync(mapFile)
	? JSON.parse(readFileSync(mapFile, 'utf8'))
	: {};
let moved = 0;
const missing: string[] = [];
for (const file of filesUnder(prerendered).filter((f) => f.endsWith('.html'))) {
	const path = pagePath(relative(prerendered, file));
	const { html, policy } = takePolicy(readFileSync(file, 'utf8'));
	if (policy === null) {
		if (!policies[path]) missing.push(path);
		continue;
	}
	policies[path] = policy;
	writeFileSync(file, html);
	writeFileSync(
		`${file}.br`,
		brotliCompressSync(html, {
			params: {
				[constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
				[constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
				[constants.BROTLI_PARAM_SIZE_HINT]: Buffer.byteLength(html)
			}
		})
	);
	writeFileSync(`${file}.gz`, gzipSync(html, { level: constants.Z_BEST_COMPRESSION }));
	moved++;
}
if (missing.length > 0) {
	// A page without a policy would be served without one: refuse to finish the build.
	console.error(`csp-headers: no security policy found for ${missing.join(', ')}`);
	process.exit(1);
}
writeFileSync(mapFile, JSON.stringify(policies));
copyFileSync(new URL('./server-entry.js', import.meta.url), join(build, 'kalan.js'));
writeFileSync(
	join(build, 'package.json'),
	JSON.stringify({ type: 'module', main: 'kalan.js', private: true }, null, '\t') + '\n'
);
console.log(
	`csp-headers: ${moved} prerendered pages send their security policy as a header (${Object.keys(policies).length} in build/csp-headers.json)`
);
