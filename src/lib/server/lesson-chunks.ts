import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// At build time (prerendering), the client build's manifest says which chunk holds each lesson's
// body: the lesson page then imports that one file by URL, and ships no map of every lesson.
// In development there is no manifest, and the page falls back to $lib/lesson-bodies.
let chunks: Record<string, string> | undefined;

function manifest(): Record<string, string> {
	if (chunks) return chunks;
	const file = join(process.cwd(), '.svelte-kit/output/client/.vite/manifest.json');
	const entries = existsSync(file)
		? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, { file: string }>)
		: {};
	chunks = Object.fromEntries(
		Object.entries(entries)
			.filter(([src]) => src.endsWith('.svx'))
			.map(([src, e]) => [src, `/${e.file}`])
	);
	return chunks;
}

/** The URL of a lesson body's chunk, when the client build is there to say it. */
export function lessonChunk(
	courseId: string,
	lessonId: string,
	lang: 'fr' | 'en'
): string | undefined {
	return manifest()[`courses/${courseId}/lessons/${lessonId}.${lang}.svx`];
}
