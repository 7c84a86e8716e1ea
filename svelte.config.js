import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { createHash } from 'node:crypto';
import { appVersion } from './scripts/app-version.mjs';

// The one inline style the app has: the style attribute of SvelteKit's route announcer (its generated
// root.svelte), which keeps the announcement off screen. 'unsafe-hashes' with this hash allows exactly
// that attribute value and no other inline style; should SvelteKit change it, tests/e2e/csp.spec.ts
// reports the violation (with the new hash).
const ANNOUNCER_STYLE =
	'position: absolute; left: 0; top: 0; clip: rect(0 0 0 0); clip-path: inset(50%); overflow: hidden; white-space: nowrap; width: 1px; height: 1px';
const announcerStyleHash = /** @type {`sha256-${string}`} */ (`sha256-${createHash('sha256').update(ANNOUNCER_STYLE).digest('base64')}`);

/** @type {import('@sveltejs/kit').Config} */
export default {
	preprocess: vitePreprocess(),
	kit: {
		// A single-page app: every route is rendered in the browser from the fallback page.
		adapter: adapter({ fallback: 'index.html' }),
		serviceWorker: { register: false },
		// The footer, _app/version.json and the service worker's cache show the same version that
		// vite.config.ts stamps into every event (scripts/app-version.mjs).
		version: { name: appVersion() },
		// Content-Security-Policy: only this origin's scripts, styles, images and connections. The
		// fallback page's inline bootstrap script is allowed by its hash ('hash' mode), never by
		// 'unsafe-inline'. 'wasm-unsafe-eval' lets the database worker compile hash-wasm's SHA-256
		// (docs/decisions/0004-webassembly-sha256.md) and allows no JavaScript eval. SvelteKit writes
		// the policy into the page as a <meta>; scripts/serve.mjs also sends it as a header, which is
		// what the database worker and the service worker run under.
		csp: {
			mode: 'hash',
			directives: {
				'default-src': ['self'],
				'script-src': ['self', 'wasm-unsafe-eval'],
				'style-src': ['self', 'unsafe-hashes', announcerStyleHash],
				// blob: only for photos and signatures the page shows from bytes the worker gives it
				// (object URLs made by this page; no other origin can mint one).
				'img-src': ['self', 'blob:'],
				'font-src': ['self'],
				'connect-src': ['self'],
				'worker-src': ['self'],
				'manifest-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['none'],
				'form-action': ['self']
			}
		}
	}
};
