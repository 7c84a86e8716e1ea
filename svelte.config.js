import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { appVersion } from './scripts/app-version.mjs';

/** @type {import('@sveltejs/kit').Config} */
export default {
	preprocess: vitePreprocess(),
	kit: {
		// A single-page app: every route is rendered in the browser from the fallback page.
		adapter: adapter({ fallback: 'index.html' }),
		serviceWorker: { register: false },
		// The footer, _app/version.json and the service worker's cache show the same version that
		// vite.config.ts stamps into every event (scripts/app-version.mjs).
		version: { name: appVersion() }
	}
};
