import { sveltekit } from '@sveltejs/kit/vite';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { defineConfig, type Plugin } from 'vitest/config';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Refuses to build broken content: runs the same checker as `npm run content:check`, so an author
 * reads the same list of problems (never a bundler stack trace) and the build stops.
 */
function validateCourses(): Plugin {
	return {
		name: 'kalan-validate-courses',
		apply: 'build',
		buildStart() {
			const run = spawnSync(
				process.execPath,
				['--import', 'tsx', 'scripts/content-check.ts', '--quiet'],
				{ stdio: 'inherit' }
			);
			if (run.status !== 0) {
				console.error(
					'\nConstruction arrêtée : le contenu de courses/ contient des erreurs (liste ci-dessus).\n'
				);
				process.exit(1);
			}
		}
	};
}

/** Files under `dir` (recursively) whose name ends with one of `ext`. */
function sources(dir: string, ext: string[]): string[] {
	return readdirSync(dir, { withFileTypes: true, recursive: true })
		.filter((e) => e.isFile() && ext.some((x) => e.name.endsWith(x)))
		.map((e) => join(e.parentPath, e.name));
}

/**
 * The runtime every page runs: Svelte, SvelteKit's client, Paraglide's runtime, and three small
 * modules that were a preloaded file each: the device state the root layout reads, the lesson
 * context's key (imported by the lesson page and by the lesson's parts), and the choice of a
 * text's language (`localize`, 0.1 KB, used by nearly every page).
 */
const SHELL =
	/node_modules[\\/](svelte|@sveltejs[\\/]kit|esm-env|devalue)[\\/]|src[\\/]lib[\\/](paraglide[\\/]runtime|content[\\/]localize\.ts|client[\\/]state\.svelte\.ts|components[\\/]lesson[\\/]context\.ts)|^\0/;

/** The quiz engine: loaded when a learner starts a check, a scenario or an assessment. */
const QUIZ = /node_modules[\\/]xstate[\\/]|src[\\/]lib[\\/](quiz|components[\\/]quiz)[\\/]/;

/**
 * What a page shows of a quiz before the quiz engine loads: the question view, the seeded draw,
 * and the reading of a saved attempt without Dexie. A check shows its first question in the
 * lesson's HTML, an assessment draws its first question as soon as it is started; both take
 * answers while the engine is on its way. One chunk, which the assessment page preloads and the
 * lesson's parts import. Whether a response counts as given (`answered.ts`), which the check and
 * the engine use and the assessment page does not, is a chunk of its own.
 */
const QUESTION =
	/src[\\/]lib[\\/](components[\\/]quiz[\\/](QuestionView\.svelte|handover\.ts)|quiz[\\/]shuffle\.ts|client[\\/]saved-attempt\.ts)/;

/**
 * The components a lesson places in its text (check, scenario, term, callout): one chunk, fetched
 * with the lesson's body. The lesson context stays out: the preloaded lesson page imports it.
 */
const LESSON_PARTS = /src[\\/]lib[\\/]components[\\/]lesson[\\/](?!context)/;

/** The assessment's page: it preloads the question view (it draws the first question itself). */
const ASSESSMENT_PAGE =
	/src[\\/]routes[\\/]cours[\\/]\[course\][\\/]\[module\][\\/]evaluation[\\/][^\\/]+\.svelte$/;

/**
 * Which chunk a module of the lesson's parts or of the quiz engine goes to: the question shown
 * before the engine, whether a response counts as given, the lesson's parts, then what every kind
 * of quiz runs (xstate, the session that saves steps, scoring), then what only a check or an
 * assessment, only an assessment, or only a scenario needs. A check fetches two more files when
 * answered, a scenario two, an assessment three, all at once.
 */
function quizPart(file: string): string | null {
	// `?svelte&type=style` modules go with their component.
	if (QUESTION.test(file)) return 'question';
	if (/src[\\/]lib[\\/]quiz[\\/]answered\.ts$/.test(file)) return 'answered';
	if (LESSON_PARTS.test(file)) return 'lesson-parts';
	if (!QUIZ.test(file)) return null;
	if (/xstate|[\\/](session\.svelte|scoring)\.ts$/.test(file)) return 'quiz-engine';
	if (/scenario/i.test(file)) return 'quiz-scenario';
	if (/assessment|ReviewItem/i.test(file)) return 'quiz-assessment';
	return 'quiz';
}

/** A course's own pages, where a learner spends their data: the course, a lesson, an assessment. */
const COURSE_PAGES =
	/src[\\/]routes[\\/]cours[\\/]\[course\][\\/](\[lesson\][\\/]|\[module\][\\/]evaluation[\\/])?\+page\.svelte$/;

/**
 * Where UI strings go instead of one tiny chunk each: the root layout's to the shell (every page
 * loads the layout, so they cost no page anything, and a lesson preloads three files fewer), and
 * those two of a course's pages share (a few dozen bytes on other pages, one preload fewer on
 * these); those
 * used by the lesson's parts and the quiz components and by nothing else to the chunk of the
 * components that use them (to the lesson parts' when they share them with the question view or a
 * lesson component, else to the engine's). The assessment page preloads the question view's chunk:
 * a string it shares with the quiz components goes there too (three tiny preloads fewer).
 */
function messageChunks(): Map<string, string> {
	const uses = new Map<string, Set<string | null>>();
	const coursePages = new Map<string, Set<string>>();
	for (const file of sources('src', ['.svelte', '.ts'])) {
		// Server code does not count: its strings never reach the browser through it.
		if (file.includes('paraglide') || /\.server\.ts$|[\\/]lib[\\/]server[\\/]/.test(file)) continue;
		const part = /src[\\/]routes[\\/]\+layout\.svelte$/.test(file)
			? 'shell'
			: ASSESSMENT_PAGE.test(file)
				? 'assessment-page'
				: quizPart(file);
		for (const [, key] of readFileSync(file, 'utf8').matchAll(/\bm\.(\w+)/g)) {
			(uses.get(key!) ?? uses.set(key!, new Set()).get(key!)!).add(part);
			if (COURSE_PAGES.test(file))
				(coursePages.get(key!) ?? coursePages.set(key!, new Set()).get(key!)!).add(file);
		}
	}
	const parts = new Map<string, string>();
	for (const [key, by] of uses) {
		if (by.has('shell') || (coursePages.get(key)?.size ?? 0) > 1) parts.set(key, 'shell');
		if (by.has(null) || by.has('shell')) continue;
		if (by.has('assessment-page')) {
			if (by.size > 1) parts.set(key, 'question');
			continue;
		}
		// Every quiz loads the question view: a string it shares goes with it.
		parts.set(
			key,
			by.size === 1
				? [...by][0]!
				: by.has('question')
					? 'question'
					: by.has('lesson-parts')
						? 'lesson-parts'
						: 'quiz-engine'
		);
	}
	return parts;
}

/**
 * Client chunks grouped so that a page needs fewer requests: on a 300 ms link each wave of
 * requests costs a round trip, and the automatic chunking made a chunk of every UI string shared
 * by a different set of pages (docs/performance.md). Modules no group names are left to Rolldown's
 * automatic chunking (`includeDependenciesRecursively: false`).
 */
function clientChunks() {
	const messages = messageChunks();
	const message = /src[\\/]lib[\\/]paraglide[\\/]messages[\\/](\w+)\.js$/;
	return {
		groups: [
			{
				// The runtime every page runs, and the root layout's strings.
				name: 'shell',
				test: (id: string) =>
					SHELL.test(id) || messages.get(message.exec(id)?.[1] ?? '') === 'shell',
				includeDependenciesRecursively: false,
				priority: 20
			},
			{
				name: (id: string) => {
					const part = quizPart(id) ?? messages.get(message.exec(id)?.[1] ?? '') ?? null;
					return part === 'shell' ? null : part;
				},
				includeDependenciesRecursively: false,
				priority: 10
			}
		]
	};
}

/**
 * Applies `clientChunks` to the browser build only. Rolldown refuses groups that leave shared
 * dependencies out while entry signatures are 'strict' (SvelteKit's setting): 'allow-extension'
 * keeps every export an entry declares and only lets an entry chunk export more.
 */
function clientChunking(): Plugin {
	return {
		name: 'kalan-client-chunking',
		enforce: 'post',
		configEnvironment(name) {
			if (name !== 'client') return;
			return {
				build: {
					rolldownOptions: {
						preserveEntrySignatures: 'allow-extension',
						output: { codeSplitting: clientChunks() }
					}
				}
			};
		}
	};
}

export default defineConfig({
	plugins: [
		validateCourses(),
		clientChunking(),
		sveltekit(),
		paraglideVitePlugin({
			project: './project.inlang',
			outdir: './src/lib/paraglide',
			strategy: ['url', 'cookie', 'baseLocale']
		})
	],
	server: { fs: { allow: ['courses'] } },
	test: {
		include: ['src/**/*.{test,spec}.ts', 'scripts/**/*.test.ts', 'bench/**/*.test.ts'],
		environment: 'node',
		setupFiles: ['./vitest-setup.ts'],
		expect: { requireAssertions: true }
	}
});
