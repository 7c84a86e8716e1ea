// Builds the benchmark page (bench/index.html + bench/bench.ts, which imports the store and core
// directly), without the app: `npm run bench` does not need the SvelteKit build. Also builds
// bench/tabs.html, the page the two-tab end-to-end test drives, and bench/exchange.html (npm run bench:exchange).
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

/** Where the built page goes; outside the checkout so nothing built is committed by mistake. */
export const outDir = process.env.BENCH_OUT_DIR ?? join(tmpdir(), 'casetrail-bench');

export default defineConfig({
	root: here,
	logLevel: 'warn',
	build: {
		outDir,
		emptyOutDir: true,
		target: 'es2022',
		// Readable stack traces if a step throws in the page.
		minify: false,
		sourcemap: true,
		rollupOptions: { input: { index: join(here, 'index.html'), tabs: join(here, 'tabs.html'), encrypted: join(here, 'encrypted.html'), exchange: join(here, 'exchange.html') } }
	}
});
