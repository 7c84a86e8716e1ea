// End-to-end tests in a real Chromium against the production build, served as `npm start` serves it.
// Debian's Chromium by default; CHROMIUM_PATH points elsewhere (e.g. Playwright's own browser).
import { defineConfig } from '@playwright/test';

// E2E_PORT lets a second checkout run its tests beside a running `npm start`.
const port = Number(process.env.E2E_PORT ?? 4173);

export default defineConfig({
	testDir: 'tests/e2e',
	// Checks that the server on the port serves build/, the build this run just made.
	globalSetup: './tests/e2e/global-setup.ts',
	fullyParallel: false,
	workers: 1,
	retries: 0,
	timeout: 60_000,
	expect: { timeout: 10_000 },
	reporter: 'list',
	use: {
		baseURL: `http://localhost:${port}`,
		trace: 'retain-on-failure',
		serviceWorkers: 'allow',
		launchOptions: {
			executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync'
			]
		}
	},
	webServer: {
		command: `node scripts/serve.mjs --dir build --port ${port}`,
		url: `http://localhost:${port}/`,
		// Never reused: a server already on the port may be another checkout's or an older build's,
		// and the tests would pass or fail for code they did not build. The port in use fails the run.
		reuseExistingServer: false,
		timeout: 30_000
	}
});
