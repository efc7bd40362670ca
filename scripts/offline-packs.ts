// Runs after `vite build`: lists what the service worker precaches (the app shell) and, per course
// and language, every file a learner needs to study that course offline, with its size. Written to
// build/client/offline-manifest.json, read by the service worker and the download button.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { loadCourses, type Course } from '../src/lib/content';
import { filesUnder } from './files';
import { readCourseFiles } from './read-courses';

export interface PackFile {
	url: string;
	/** Bytes on disk, and as sent compressed (brotli, else gzip, else raw). */
	raw: number;
	wire: number;
}
export interface Pack {
	files: PackFile[];
	raw: number;
	wire: number;
}
export interface OfflineManifest {
	version: string;
	shell: Pack;
	courses: Record<string, Record<'fr' | 'en', Pack>>;
}

const LOCALES = ['fr', 'en'] as const;

function sizeOf(file: string): { raw: number; wire: number } {
	const raw = statSync(file).size;
	const compressed = [`${file}.br`, `${file}.gz`].find(existsSync);
	return { raw, wire: compressed ? statSync(compressed).size : raw };
}

export function buildManifest(root = '.'): OfflineManifest {
	const client = resolve(root, 'build/client');
	const prerendered = resolve(root, 'build/prerendered');
	const vite = JSON.parse(
		readFileSync(resolve(root, '.svelte-kit/output/client/.vite/manifest.json'), 'utf8')
	) as Record<string, { file: string; imports?: string[]; css?: string[] }>;
	const { version } = JSON.parse(readFileSync(join(client, '_app/version.json'), 'utf8')) as {
		version: string;
	};
	const { catalog } = loadCourses(readCourseFiles(resolve(root, 'courses')));

	/** A page's HTML and its data file, by URL path (`/cours/x`). */
	const page = (path: string): PackFile[] => {
		const base = path === '/' ? 'index' : path.slice(1);
		const html = join(prerendered, `${base}.html`);
		const data = join(prerendered, path === '/' ? '__data.json' : `${base}/__data.json`);
		return [
			existsSync(html) ? { url: path, ...sizeOf(html) } : undefined,
			existsSync(data)
				? { url: path === '/' ? '/__data.json' : `${path}/__data.json`, ...sizeOf(data) }
				: undefined
		].filter((f): f is PackFile => !!f);
	};
	const asset = (file: string): PackFile => ({ url: `/${file}`, ...sizeOf(join(client, file)) });
	const pack = (files: PackFile[]): Pack => {
		const unique = [...new Map(files.map((f) => [f.url, f])).values()];
		return {
			files: unique,
			raw: unique.reduce((n, f) => n + f.raw, 0),
			wire: unique.reduce((n, f) => n + f.wire, 0)
		};
	};

	// Lesson bodies are the bulk of the JavaScript: they travel with their course, not the shell.
	const lessonChunks = new Set(
		Object.entries(vite)
			.filter(([src]) => src.endsWith('.svx'))
			.map(([, c]) => c.file)
	);
	const shellAssets = filesUnder(join(client, '_app'))
		.map((f) => relative(client, f))
		.filter((f) => /\.(js|css)$/.test(f) && !lessonChunks.has(f));
	const statics = filesUnder(client)
		.map((f) => relative(client, f))
		.filter(
			(f) => !f.startsWith('_app/') && !/\.(br|gz)$/.test(f) && f !== 'offline-manifest.json'
		);
	const shellPages = LOCALES.flatMap((l) =>
		[
			'/',
			'/glossaire',
			'/a-propos',
			'/hors-ligne',
			'/progres',
			'/profil',
			'/rejoindre',
			// certificates print and verify with no network
			'/certificats',
			'/certificats/voir',
			'/certificats/attestation',
			'/verifier'
		].map((p) => prefix(l, p))
	);
	const shell = pack([
		...shellPages.flatMap(page),
		...shellAssets.map(asset),
		...statics.map(asset),
		asset('_app/version.json')
	]);

	const courses: OfflineManifest['courses'] = {};
	for (const course of catalog.courses) {
		courses[course.id] = Object.fromEntries(
			LOCALES.map((locale) => [locale, pack(coursePack(course, locale))])
		) as Record<'fr' | 'en', Pack>;
	}
	return { version, shell, courses };

	function coursePack(course: Course, locale: 'fr' | 'en'): PackFile[] {
		const paths = [
			`/cours/${course.id}`,
			...Object.keys(course.lessons).map((l) => `/cours/${course.id}/${l}`),
			...course.modules
				.filter((m) => m.assessment)
				.map((m) => `/cours/${course.id}/${m.id}/evaluation`)
		];
		const chunks = Object.values(course.lessons).flatMap((lesson) => {
			const lang = locale === 'en' && lesson.en ? 'en' : 'fr';
			const entry = vite[`courses/${course.id}/lessons/${lesson.id}.${lang}.svx`];
			if (!entry) return [];
			const imports = (entry.imports ?? [])
				.map((k) => vite[k]?.file)
				.filter((f): f is string => !!f && lessonChunks.has(f));
			return [entry.file, ...imports, ...(entry.css ?? [])].map(asset);
		});
		return [...paths.map((p) => prefix(locale, p)).flatMap(page), ...chunks];
	}
}

function prefix(locale: 'fr' | 'en', path: string): string {
	return locale === 'fr' ? path : path === '/' ? '/en' : `/en${path}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const manifest = buildManifest();
	writeFileSync('build/client/offline-manifest.json', JSON.stringify(manifest));
	const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
	console.log(
		`offline: shell ${manifest.shell.files.length} files, ${kb(manifest.shell.wire)} compressed (${kb(manifest.shell.raw)} raw)`
	);
	for (const [id, packs] of Object.entries(manifest.courses))
		console.log(
			`offline: ${id} fr ${kb(packs.fr.wire)} (${packs.fr.files.length} files), en ${kb(packs.en.wire)}`
		);
}
