import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { SourceFile } from '../src/lib/content/loader';

/** Every file under `dir`, with its path relative to `root` written with forward slashes. */
export function readCourseFiles(dir: string, root = join(dir, '..')): SourceFile[] {
	const out: SourceFile[] = [];
	const walk = (d: string) => {
		for (const name of readdirSync(d).sort()) {
			const full = join(d, name);
			if (statSync(full).isDirectory()) walk(full);
			else if (/\.(ya?ml|svx|md)$/.test(name))
				out.push({
					path: relative(root, full).split(sep).join('/'),
					text: readFileSync(full, 'utf8')
				});
		}
	};
	walk(dir);
	return out;
}
