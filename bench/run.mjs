#!/usr/bin/env node
// `npm run bench`: builds the benchmark page with Vite, serves it on localhost with
// scripts/serve.mjs, runs it in headless Chromium (Debian's /usr/bin/chromium, or CHROMIUM_PATH)
// and writes bench/results.json: an array of {name, n, value, unit}. Prints a short table with the
// targets of issue 4 (store) and issue 5 (entity lists), then the projection benchmark of issue 13
// (bench/projection.mjs, in Node), then the encrypted store as the app runs it (bench/encrypted.run.mjs).
// BENCH_QUICK=1 runs small sizes, to try the harness in a few seconds.
// BENCH_ONLY=photos runs only the photo figures (issue 17) and writes them beside the build
// (results.photos.json), not into bench/results.json.
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { build } from 'vite';
import { launchBench, serveBench } from './browser.mjs';
import { projectionTargets, runProjectionBench } from './projection.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const configFile = join(here, 'vite.config.ts');
const outDir = process.env.BENCH_OUT_DIR ?? join((await import('node:os')).tmpdir(), 'casetrail-bench');
const port = Number(process.env.BENCH_PORT ?? 4191);
const quick = process.env.BENCH_QUICK === '1';
const config = quick
	? { sizes: [200, 1000, 3000], batch: 100, singles: 50, naive: 100, proofSamples: 20, rounds: 1, listRuns: 5, vault: 500, photos: 10 }
	: { sizes: [1000, 10000, 100000], batch: 1000, singles: 1000, naive: 1000, proofSamples: 200, rounds: 2, listRuns: 20, vault: 100000, photos: 50 };

const started = Date.now();
process.env.BENCH_OUT_DIR = outDir;
await build({ configFile, mode: 'production' });
console.log(`Built the bench page into ${outDir}.`);

const server = await serveBench(outDir, port);

// A profile on disk, as an installed app has: a fresh browser context would keep IndexedDB in
// memory, which leaves out the storage and flatters reads (the search most of all).
const profile = await mkdtemp(join((await import('node:os')).tmpdir(), 'casetrail-bench-profile-'));
let context;
try {
	let page;
	({ context, page } = await launchBench(profile));
	await page.goto(`http://localhost:${port}/index.html`);
	await page.waitForFunction(() => typeof window.runBench === 'function');
	if (process.env.BENCH_ONLY === 'photos') {
		const photoRows = await page.evaluate((runs) => window.measurePhotoCost(runs), config.photos);
		await writeFile(join(outDir, 'results.photos.json'), `${JSON.stringify(photoRows, null, '\t')}\n`);
		for (const r of photoRows) console.log(`${r.name.padEnd(40)} ${String(r.n).padStart(7)}  ${String(r.value).padStart(12)} ${r.unit}`);
		await context.close();
		await rm(profile, { recursive: true, force: true });
		server.kill();
		process.exit(0);
	}
	const rows = await page.evaluate((c) => window.runBench(c), config);
	// Core projection over crafted logs (issue 13), in Node: bench/projection.mjs.
	rows.push(...(await runProjectionBench({ quick })));
	const browserVersion = context.browser()?.version() ?? 'Chromium';

	// A quick run only tries the harness: its figures stay out of the checkout.
	const file = quick ? join(outDir, 'results.quick.json') : join(here, 'results.json');
	await writeFile(`${file}.tmp`, `${JSON.stringify(rows, null, '\t')}\n`);
	await rename(`${file}.tmp`, file);

	const value = (name, n) => rows.find((r) => r.name === name && (n === undefined || r.n === n))?.value;
	const largest = Math.max(...config.sizes);
	const targets = [
		['batch append vs bare bulkAdd', value('ratio.append.batch.vs.bulkAdd', largest), '>= 0.5', (v) => v >= 0.5],
		[`throughput at ${largest} vs ${Math.min(...config.sizes)}`, value('ratio.append.batch.largest.vs.smallest', largest), '>= 0.8', (v) => v >= 0.8],
		['single append p50 vs bare put p50', value('ratio.append.single.p50.vs.put.p50', largest), '<= 2', (v) => v <= 2],
		['rebuild (replay all, write what differs) vs read-all', value('ratio.rebuild.vs.readAll', largest), '<= 3', (v) => v <= 3],
		['rebuild dropping and rewriting every row vs read-all', value('ratio.replace.vs.readAll', largest), '<= 3', (v) => v <= 3],
		['verify-all vs read-all', value('ratio.verify.vs.readAll', largest), '<= 2', (v) => v <= 2],
		['verify-all (WebCrypto) vs read-all', (value('verify.all.webcrypto.ms', largest) ?? NaN) / value('baseline.dexie.readAll.ms', largest), '<= 2', (v) => v <= 2],
		['inclusion proof (ms)', value('proof.inclusion.ms', largest), '<= 5', (v) => v <= 5],
		...[
			['list page by name', 'list.page.name.ms'],
			['list page deep by name', 'list.page.deep.ms'],
			['list page by last change', 'list.page.lastUpdated.ms'],
			['search, 1 letter', 'list.search.1.ms'],
			['search, 3 letters', 'list.search.3.ms']
		].map(([label, name]) => [`${label}, query + render (ms)`, value(name), '<= 100', (v) => v <= 100])
	];
	console.log(`\nCasetrail store benchmark (${browserVersion}, ${Math.round((Date.now() - started) / 1000)} s)\n`);
	console.log(rows.map((r) => `${r.name.padEnd(40)} ${String(r.n).padStart(7)}  ${String(r.value).padStart(12)} ${r.unit}`).join('\n'));
	console.log('\nTargets (issues 4, 5 and 13):');
	for (const [label, v, target, ok] of targets) console.log(`  ${ok(v) ? 'met   ' : 'MISSED'} ${label.padEnd(54)} ${String(Math.round(v * 1000) / 1000).padStart(8)}  (target ${target})`);
	console.log(projectionTargets(rows).join('\n'));
	// What the same requests and rows cost through Dexie with none of the store's work (bench.ts:
	// writeRows, rebuildReads): how close each target can come under invariant 2 and this schema.
	console.log('\nFloors (the store\'s rows and requests through bare Dexie, no store code):');
	for (const [label, name, unit] of [
		['batch append: the store\'s rows vs bare bulkAdd', 'ratio.floor.append.batch.vs.bulkAdd', 'x'],
		['single append: its five requests vs bare put', 'ratio.floor.append.single.p50.vs.put.p50', 'x'],
		['rebuild: its reads in its order, nothing else, vs read-all', 'ratio.floor.rebuild.reads.vs.readAll', 'x']
	]) console.log(`         ${label.padEnd(54)} ${String(Math.round(value(name, largest) * 1000) / 1000).padStart(8)} ${unit}`);
	console.log(`\nWrote ${file}.`);
	// The encrypted store as the app runs it (issue 20): bench/encrypted.run.mjs, in its own browser
	// profile, into bench/encrypted-results.json.
	await context.close();
	context = undefined;
	await (await import('./encrypted.run.mjs')).runEncrypted({ quick, port, serve: false });
} finally {
	await context?.close();
	await rm(profile, { recursive: true, force: true });
	server.kill();
}

// Issue 20: import, re-import, export, integrity check and rebuild on the encrypted store the app
// ships, beside the plain store (bench/exchange.run.mjs; BENCH_EXCHANGE=0 leaves it out).
if (process.env.BENCH_EXCHANGE !== '0') {
	const { runExchange } = await import('./exchange.run.mjs');
	await runExchange({ events: quick ? 3000 : 100_000, port: port + 1, out: quick ? join(outDir, 'exchange-results.quick.json') : join(here, 'exchange-results.json') });
}
