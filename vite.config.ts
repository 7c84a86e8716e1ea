import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import { appVersion } from './scripts/app-version.mjs';

export default defineConfig({
	plugins: [sveltekit()],
	// src/lib/version.ts: the version every event's metadata carries, also in the database worker's
	// bundle; the same name as SvelteKit's (svelte.config.js), which the page footer shows.
	define: { __APP_VERSION__: JSON.stringify(appVersion()) },
	worker: { format: 'es' },
	test: {
		include: ['tests/unit/**/*.test.ts'],
		environment: 'node',
		testTimeout: 30_000
	}
});
