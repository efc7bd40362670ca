// npm run bench — after the build, runs every `bench:<name>` script of package.json (known benches
// first, then any other one, e.g. those other issues add), keeps going when one fails, then merges
// the part files into bench/results/latest.{json,md} (bench:report). BENCH_ONLY=size,field runs a
// subset; BENCH_RUNS lowers the number of field runs.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const ORDER = ['size', 'field', 'lighthouse', 'sync', 'dashboard', 'load'];
const scripts = Object.keys(
	(JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts
)
	.filter((s) => s.startsWith('bench:') && s !== 'bench:report')
	.map((s) => s.slice('bench:'.length));
const rank = (n: string) => (ORDER.includes(n) ? ORDER.indexOf(n) : ORDER.length);
const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
const benches = scripts
	.filter((n) => !only || only.includes(n))
	.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));

const failed: string[] = [];
const t0 = performance.now();
for (const name of benches) {
	const start = performance.now();
	console.log(`\n——— bench:${name} ———`);
	const run = spawnSync('npm', ['run', '--silent', `bench:${name}`], { stdio: 'inherit' });
	const seconds = ((performance.now() - start) / 1000).toFixed(0);
	if (run.status !== 0) failed.push(name);
	console.log(`——— bench:${name}: ${run.status === 0 ? 'done' : 'FAILED'} in ${seconds} s`);
}
console.log(`\n——— bench:report ———`);
spawnSync('npm', ['run', '--silent', 'bench:report'], { stdio: 'inherit' });
console.log(
	`all benches: ${((performance.now() - t0) / 1000).toFixed(0)} s${failed.length ? `; failed: ${failed.join(', ')} (their part files, if any, are from an earlier run)` : ''}`
);
process.exit(failed.length ? 1 : 0);
