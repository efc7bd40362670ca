import { sveltekit } from '@sveltejs/kit/vite';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { defineConfig, type Plugin } from 'vitest/config';
import { spawnSync } from 'node:child_process';

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

export default defineConfig({
	plugins: [
		validateCourses(),
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
