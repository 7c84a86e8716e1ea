#!/usr/bin/env node
// Launcher for `casetrail`: runs the command line built by `npm run build:cli` (npm ci runs it too).
let cli;
try {
	cli = await import(new URL('../dist-cli/casetrail.mjs', import.meta.url).href);
} catch (e) {
	if (e?.code !== 'ERR_MODULE_NOT_FOUND') throw e;
	process.stderr.write('casetrail: the command line is not built yet; run `npm run build:cli` in the Casetrail folder.\n');
	process.exit(2);
}
process.exitCode = await cli.run(process.argv.slice(2));
