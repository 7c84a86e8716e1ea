/**
 * Issue 4: several tabs appending to one log at once must not corrupt it. Two pages of one origin
 * append batches to the same IndexedDB database concurrently, each through its own connection; every
 * event lands once, and the stored root is the RFC 6962 root of the sequence as stored.
 *
 * Drives the store directly through bench/tabs.html (built here with the bench's Vite config), so
 * it exercises real Chromium IndexedDB transactions rather than fake-indexeddb's.
 */
/// <reference path="../../bench/tabs.ts" />
import { spawn, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { build } from 'vite';

const port = 4195;
const outDir = join(tmpdir(), 'casetrail-store-tabs');
let server: ChildProcess | undefined;

test.beforeAll(async () => {
	test.setTimeout(120_000);
	process.env.BENCH_OUT_DIR = outDir;
	await build({ configFile: join(process.cwd(), 'bench/vite.config.ts'), mode: 'production' });
	server = spawn(process.execPath, [join(process.cwd(), 'scripts/serve.mjs'), '--dir', outDir, '--port', String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
	await new Promise((resolve, reject) => {
		server?.once('error', reject);
		server?.stdout?.once('data', resolve);
	});
});

test.afterAll(() => {
	server?.kill();
});

test('two tabs appending at once both land, and the root is that of the final sequence', async ({ context }) => {
	const pages = await Promise.all([context.newPage(), context.newPage()]);
	for (const page of pages) {
		await page.goto(`http://localhost:${port}/tabs.html`);
		await page.waitForFunction(() => typeof window.tabAppend === 'function');
	}
	const name = `casetrail-two-tabs-${Date.now()}`;
	const [a, b] = await Promise.all(pages.map((page, i) => page.evaluate(([db, tab]) => window.tabAppend(db, tab, 240, 4), [name, i === 0 ? 'a' : 'b'] as const)));
	expect(a).toBe(240);
	expect(b).toBe(240);

	const check = await pages[1]!.evaluate((db) => window.tabCheck(db), name);
	expect(check.size).toBe(480);
	expect(new Set(check.guids).size).toBe(480);
	expect(check.root).toBe(check.recomputed);
	expect(check.integrityOk).toBe(true);
	// The appends really interleaved: the log switches between the tabs' batches many times.
	const switches = check.guids.filter((g, i) => i > 0 && g[0] !== check.guids[i - 1]![0]).length;
	expect(switches).toBeGreaterThan(4);
	// Each tab's events are in its own order, whatever the interleaving.
	for (const tab of ['a', 'b']) {
		const own = check.guids.filter((g) => g.startsWith(`${tab}-`));
		expect(own).toEqual([...own].sort());
	}
});
