/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/**
 * The service worker: precaches exactly the built app (every asset of this build, the static files
 * and the fallback page) so Casetrail starts and works with no network, and answers every
 * navigation with the app shell. It caches nothing else: records live in IndexedDB, never here,
 * and requests to other origins are left alone.
 *
 * A new version installs in the background and waits. The page (src/lib/client/pwa.svelte.ts)
 * offers "reload"; only when the case worker accepts does it post SKIP_WAITING (workbox-window's
 * messageSkipWaiting), so no version is swapped under an open form. docs/decisions/0001 says why
 * this is SvelteKit's own service worker rather than a Workbox-generated one.
 */
import { base, build, files, version } from '$service-worker';

const sw = self as unknown as ServiceWorkerGlobalScope;

// Cache names carry the build version; `activate` deletes every other version's cache.
const CACHE_PREFIX = 'casetrail-app-';
const CACHE = `${CACHE_PREFIX}${version}`;
const SHELL = `${base}/index.html`;
// Content-hashed build output: a URL here never changes its bytes, so the HTTP cache may serve it.
const IMMUTABLE = `${base}/_app/immutable/`;
const APP = [...new Set([...build, ...files, SHELL])];
const precached = new Set(APP);

sw.addEventListener('install', (event) => {
	event.waitUntil(
		(async () => {
			const cache = await caches.open(CACHE);
			// Files whose URL does not change between builds (the shell, the manifest, icons) are
			// revalidated with the server, so a new version never precaches the old version's shell
			// out of the HTTP cache.
			await cache.addAll(
				APP.map((path) => new Request(path, { cache: path.startsWith(IMMUTABLE) ? 'default' : 'no-cache' }))
			);
		})()
	);
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		(async () => {
			for (const key of await caches.keys()) {
				if (key.startsWith(CACHE_PREFIX) && key !== CACHE) await caches.delete(key);
			}
			// The first install takes control at once, so the first visit already works offline. An
			// update only gets here after the page asked for it (SKIP_WAITING) or every tab closed.
			await sw.clients.claim();
		})()
	);
});

sw.addEventListener('message', (event) => {
	const data: unknown = event.data;
	if (typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'SKIP_WAITING') {
		event.waitUntil(sw.skipWaiting());
	}
});

sw.addEventListener('fetch', (event) => {
	const request = event.request;
	if (request.method !== 'GET') return;
	const url = new URL(request.url);
	if (url.origin !== sw.location.origin) return;

	if (precached.has(url.pathname)) {
		event.respondWith(cacheFirst(url.pathname, request));
	} else if (url.pathname.startsWith(IMMUTABLE)) {
		// Build output that SvelteKit's list does not name (chunks imported by a web worker):
		// still this version's app, so kept on first use.
		event.respondWith(cacheFirst(url.pathname, request, true));
	} else if (request.mode === 'navigate') {
		// Every route of the single-page app is the same shell.
		event.respondWith(cacheFirst(SHELL, request));
	}
});

/**
 * The cached response for `key`, else the network's answer to `request` (stored under `key` when
 * `keep` is set and the answer is a success). A miss happens only if the browser evicted the cache.
 */
async function cacheFirst(key: string, request: Request, keep = false): Promise<Response> {
	const cache = await caches.open(CACHE);
	const hit = await cache.match(key);
	if (hit) return hit;
	const response = await fetch(request);
	if (keep && response.ok) await cache.put(key, response.clone());
	return response;
}
