import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
export default {
	preprocess: vitePreprocess(),
	kit: {
		// A single-page app: every route is rendered in the browser from the fallback page.
		adapter: adapter({ fallback: 'index.html' }),
		serviceWorker: { register: false }
	}
};
