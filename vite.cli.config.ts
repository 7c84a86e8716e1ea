/**
 * Builds the `casetrail` command line (cli/main.ts) into one ES module for Node 20,
 * dist-cli/casetrail.mjs, which cli/bin.mjs loads. Core and its dependencies (jose, canonicalize,
 * @noble/hashes) are bundled in, so the built file needs nothing from node_modules at run time; only
 * Node's own modules stay imports.
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
			output: { format: 'es', entryFileNames: 'casetrail.mjs' }
		}
	},
	ssr: { target: 'node', noExternal: true }
});
