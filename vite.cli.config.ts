/**
 * Builds the `casetrail` command line (cli/main.ts) into ES modules for Node 20 in dist-cli, whose
 * entry casetrail.mjs cli/bin.mjs loads. Core and its dependencies (jose, canonicalize,
 * @noble/hashes) are bundled in, so `verify` and `show` need nothing from node_modules at run time.
 * The registry's drivers stay imports from node_modules, loaded only by `ingest` and `export`:
 * PGlite reads its WebAssembly and data files from its own package folder.
 */
import { defineConfig } from 'vite';

export default defineConfig({
	// The app's public/ and static/ folders have nothing to do with the command line.
	publicDir: false,
	build: {
		ssr: 'cli/main.ts',
		outDir: 'dist-cli',
		emptyOutDir: true,
		target: 'node20',
		minify: false,
		copyPublicDir: false,
		rolldownOptions: {
			output: { format: 'es', entryFileNames: 'casetrail.mjs', chunkFileNames: '[name]-[hash].mjs' }
		}
	},
	ssr: { target: 'node', noExternal: true, external: ['@electric-sql/pglite', 'postgres', 'write-excel-file'] }
});
