#!/usr/bin/env node
// The encrypted store benchmark (bench/encrypted.ts; issue 20): builds the bench pages with Vite,
// serves them, runs bench/encrypted.html in headless Chromium with a profile on disk and writes
// bench/encrypted-results.json ({name, n, value, unit} rows). `npm run bench` runs it after the store
// benchmark; `node bench/encrypted.run.mjs` runs it alone. BENCH_EVENTS sets the size (100,000);
// BENCH_PROFILE keeps the browser profile (and the databases it built) in that folder for a rerun;
// BENCH_SAMPLES sets the samples per figure (20); BENCH_SECTIONS=search,duplicates runs only those parts (storage, signin, search, duplicates, append);
// BENCH_QUICK=1 runs 2,000 events and keeps the results out of the checkout.
import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { build } from 'vite';
import { launchBench, serveBench } from './browser.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));

/** Runs the page at `port` (already built into `outDir` and served, or not when `serve` is true). */
export async function runEncrypted({ quick = process.env.BENCH_QUICK === '1', port = Number(process.env.BENCH_PORT ?? 4191), serve = true } = {}) {
	const outDir = process.env.BENCH_OUT_DIR ?? join(tmpdir(), 'casetrail-bench');
	const config = quick ? { events: 2000, samples: 10, singles: 40 } : { events: Number(process.env.BENCH_EVENTS ?? 100000), samples: 20, singles: 300 };
	if (process.env.BENCH_SAMPLES) config.samples = Number(process.env.BENCH_SAMPLES);
	if (process.env.BENCH_SECTIONS) config.sections = process.env.BENCH_SECTIONS.split(',');
	let server;
	if (serve) {
		process.env.BENCH_OUT_DIR = outDir;
		await build({ configFile: join(here, 'vite.config.ts'), mode: 'production' });
		server = await serveBench(outDir, port);
	}
	const keep = process.env.BENCH_PROFILE;
	const profile = keep ?? (await mkdtemp(join(tmpdir(), 'casetrail-bench-profile-')));
	let context;
	try {
		let page;
		({ context, page } = await launchBench(profile));
		await page.goto(`http://localhost:${port}/encrypted.html`);
		await page.waitForFunction(() => typeof window.runEncryptedBench === 'function');
		page.setDefaultTimeout(0);
		const rows = await page.evaluate((c) => window.runEncryptedBench(c), config);
		const file = quick ? join(outDir, 'encrypted-results.quick.json') : join(here, 'encrypted-results.json');
		// Some sections only: their rows replace the same rows of the last run, the others stay.
		let all = rows;
		if (config.sections) {
			const before = JSON.parse(await readFile(file, 'utf8').catch(() => '[]'));
			const key = (r) => `${r.name}@${r.n}`;
			const fresh = new Set(rows.map(key));
			all = [...before.filter((r) => !fresh.has(key(r))), ...rows];
		}
		await writeFile(`${file}.tmp`, `${JSON.stringify(all, null, '\t')}\n`);
		await rename(`${file}.tmp`, file);
		console.log(`Wrote ${file}.`);
		return rows;
	} finally {
		await context?.close();
		if (!keep) await rm(profile, { recursive: true, force: true });
		server?.kill();
	}
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await runEncrypted();
