/**
 * Issues 4 and 13: two tabs editing the same records at once must neither corrupt the log nor let
 * the records drift from it. Two pages of one origin open the store as the app's database worker
 * does (encrypted at rest, each with its own connection and the same data key) and append batches
 * to the same people and households concurrently, one tab's clock behind the other's so that many
 * of its events arrive late and re-project their entity. Every event lands once, the stored root
 * is the RFC 6962 root of the sequence as stored, the stored records are core's projection of the
 * log, and a rebuild from the log changes nothing.
 *
 * Drives the store through bench/tabs.html (built here with the bench's Vite config), so it
 * exercises real Chromium IndexedDB transactions rather than fake-indexeddb's. The page is served
 * by Playwright from the build folder, on a *.localhost origin (a secure context, which WebCrypto
 * needs), so the test needs no port of its own.
 */
/// <reference path="../../bench/tabs.ts" />
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { expect, test } from '@playwright/test';
import { build } from 'vite';

const ORIGIN = 'http://store-tabs.localhost';
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.map': 'application/json', '.wasm': 'application/wasm' };
let outDir: string | undefined;

test.beforeAll(async () => {
	test.setTimeout(120_000);
	// A folder of this run's own: other checkouts on the machine build the same page.
	outDir = await mkdtemp(join(tmpdir(), 'casetrail-store-tabs-'));
	process.env.BENCH_OUT_DIR = outDir;
	await build({ configFile: join(process.cwd(), 'bench/vite.config.ts'), mode: 'production' });
});

test.afterAll(async () => {
	if (outDir) await rm(outDir, { recursive: true, force: true });
});

test('two tabs editing the same people and households on the encrypted store keep the log whole and the records equal to its replay', async ({ context }) => {
	test.setTimeout(120_000);
	await context.route(`${ORIGIN}/**`, async (route) => {
		const path = normalize(new URL(route.request().url()).pathname);
		const body = await readFile(join(outDir as string, path)).catch(() => undefined);
		await (body ? route.fulfill({ body, contentType: TYPES[extname(path)] ?? 'application/octet-stream' }) : route.fulfill({ status: 404 }));
	});
	const pages = await Promise.all([context.newPage(), context.newPage()]);
	for (const page of pages) {
		await page.goto(`${ORIGIN}/tabs.html`);
		await page.waitForFunction(() => typeof window.tabAppend === 'function');
	}
	const name = `casetrail-two-tabs-${Date.now()}`;
	const key = [...crypto.getRandomValues(new Uint8Array(32))].map((b) => b.toString(16).padStart(2, '0')).join('');
	expect(await pages[0]!.evaluate(([db, k]) => window.tabSeed(db, k), [name, key] as const)).toBe(8);

	const [a, b] = await Promise.all(
		pages.map((page, i) => page.evaluate(([db, k, tab, lag]) => window.tabAppend(db, k, tab, 240, 4, lag), [name, key, i === 0 ? 'a' : 'b', i === 0 ? 0 : 30_000] as const))
	);
	expect(a).toBe(240);
	expect(b).toBe(240);

	const check = await pages[1]!.evaluate(([db, k]) => window.tabCheck(db, k), [name, key] as const);
	expect(check.size).toBe(488);
	expect(new Set(check.guids).size).toBe(488);
	expect(check.root).toBe(check.recomputed);
	expect(check.integrityOk).toBe(true);
	// Both tabs edited every shared record: 6 people and 2 households, no other entity.
	expect(check.entities).toBe(8);
	// Each person has about 80 events, so appends re-projected late events from snapshots.
	expect(check.snapshots).toBeGreaterThan(0);
	expect(check.entitiesMatchProjection).toBe(true);
	expect(check.rebuildChanged).toBe(0);
	// The appends really interleaved: the log switches between the tabs' batches many times.
	const switches = check.guids.filter((g, i) => i > 0 && g[0] !== check.guids[i - 1]![0]).length;
	expect(switches).toBeGreaterThan(4);
	// Each tab's events are in its own order, whatever the interleaving.
	for (const tab of ['a', 'b']) {
		const own = check.guids.filter((g) => g.startsWith(`${tab}-`));
		expect(own).toEqual([...own].sort());
	}
	// Encrypted at rest: no name or village either tab wrote is in any raw IndexedDB record.
	const raw = await pages[0]!.evaluate((db) => window.tabRawText(db), name);
	expect(raw).not.toMatch(/Person \d|Shared|village \d/);
});
