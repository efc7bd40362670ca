import { defineConfig } from '@playwright/test';

const PORT = Number(process.env.E2E_PORT ?? 4173);

export default defineConfig({
	testDir: 'tests/e2e',
	testMatch: '**/*.e2e.ts',
	fullyParallel: true,
	workers: process.env.CI ? 2 : undefined,
	retries: 0,
	reporter: process.env.CI ? 'list' : 'line',
	timeout: 30_000,
	webServer: {
		// A fresh data directory each run: the first-run page must find no administrator.
		command: 'rm -rf test-results/e2e-data && npm run build && node build',
		url: `http://127.0.0.1:${PORT}/`,
		env: {
			PORT: String(PORT),
			HOST: '127.0.0.1',
			ORIGIN: `http://127.0.0.1:${PORT}`,
			DATA_DIR: 'test-results/e2e-data'
		},
		reuseExistingServer: !process.env.CI,
		timeout: 240_000
	},
	// certificates.e2e.ts signs in with the administrator cohort.e2e.ts creates on the fresh
	// server's first-run page, so it runs after that file; every other file runs alongside.
	projects: [
		{ name: 'cohort', testMatch: /cohort\.e2e\.ts$/ },
		{ name: 'certificates', testMatch: /certificates\.e2e\.ts$/, dependencies: ['cohort'] },
		{ name: 'journeys', testIgnore: /(cohort|certificates)\.e2e\.ts$/ }
	],
	use: {
		baseURL: `http://127.0.0.1:${PORT}`,
		locale: 'fr-FR',
		launchOptions: {
			executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
			args: [
				'--headless',
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync'
			]
		}
	}
});
