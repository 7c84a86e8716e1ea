// What every Chromium benchmark runner does the same way: serve the built bench pages on localhost
// (scripts/serve.mjs) and open a page in Chromium with a profile on disk, as an installed app's
// storage is (a fresh context would keep IndexedDB in memory, which flatters reads and hides the
// cost of writes). Debian's /usr/bin/chromium, or CHROMIUM_PATH.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const repo = fileURLToPath(new URL('..', import.meta.url));

/** Serves `dir` on `port`; resolves once the server listens. Kill the returned process when done. */
export async function serveBench(dir, port) {
	const server = spawn(process.execPath, [join(repo, 'scripts/serve.mjs'), '--dir', dir, '--port', String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.stdout.once('data', resolve);
	});
	return server;
}

/**
 * Chromium with the profile folder `profile` and its first page, whose `[bench]` console lines go to
 * `log` and whose errors to stderr. `args` adds switches to the headless set the tests use.
 */
export async function launchBench(profile, { log = console.log, args = [] } = {}) {
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...args]
	});
	const page = context.pages()[0] ?? (await context.newPage());
	page.on('console', (message) => {
		if (message.text().startsWith('[bench]')) log(message.text());
	});
	page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
	return { context, page };
}
