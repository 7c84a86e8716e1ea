#!/usr/bin/env node
// `npm run bench:exchange`: the exchange benchmark (bench/exchange.ts, issue 20 points 1 and 5) in
// headless Chromium with a profile on disk, as `npm run bench` runs the store benchmark. A second tab
// reads the database all along (the longest it waited during each import is reported), and the
// renderer processes' memory (PSS) is sampled every 200 ms (its peak during each import, both tabs).
// BENCH_EVENTS (default 100000), BENCH_EXCHANGE_OUT (default bench/exchange-results.json),
// BENCH_PORT (default 4192), BENCH_IMPORT_CHUNK (a fixed number of events per import transaction; default the app's, sized by time),
// BENCH_SECTIONS (only these parts after the imports, comma-separated: reimport, export, verify, rebuild; none: the imports only), BENCH_REBUILD_SAMPLES (rebuilds of each store, 2). Also run by `npm run bench` after the store benchmark.
import { mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { build } from 'vite';
import { launchBench, serveBench } from './browser.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * Proportional set size (bytes: resident memory, shared pages divided among their users) of every
 * renderer process under the browser whose profile is `profile`: the two tabs and their workers.
 */
async function rendererRss(profile) {
	const parent = new Map();
	const cmd = new Map();
	for (const name of await readdir('/proc')) {
		if (!/^\d+$/.test(name)) continue;
		try {
			const stat = await readFile(`/proc/${name}/stat`, 'utf8');
			parent.set(name, stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			cmd.set(name, (await readFile(`/proc/${name}/cmdline`, 'utf8')).replaceAll('\0', ' '));
		} catch {
			// The process ended meanwhile.
		}
	}
	const browser = [...cmd].find(([, c]) => c.includes(profile) && !c.includes('--type='))?.[0];
	if (!browser) return 0;
	const under = (pid) => {
		for (let p = pid; p && p !== '1' && p !== '0'; p = parent.get(p)) if (p === browser) return true;
		return false;
	};
	let total = 0;
	for (const [pid, c] of cmd) {
		if (!c.includes('--type=renderer') || !under(pid)) continue;
		try {
			const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8');
			total += Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0) * 1024;
		} catch {
			// Ended meanwhile.
		}
	}
	return total;
}

export async function runExchange({ events, port, out, log = console.log }) {
	const outDir = process.env.BENCH_OUT_DIR ?? join(tmpdir(), 'casetrail-bench');
	process.env.BENCH_OUT_DIR = outDir;
	await build({ configFile: join(here, 'vite.config.ts'), mode: 'production' });
	const server = await serveBench(outDir, port);
	const profile = await mkdtemp(join(tmpdir(), 'casetrail-bench-profile-'));
	let context;
	const rss = [];
	let sampling;
	try {
		let page;
		({ context, page } = await launchBench(profile, { log, args: ['--enable-precise-memory-info'] }));
		page.on('crash', () => console.error('the bench page crashed'));
		await page.goto(`http://localhost:${port}/exchange.html`);
		await page.waitForFunction(() => typeof window.runExchangeBench === 'function');
		const other = await context.newPage();
		await other.goto(`http://localhost:${port}/exchange.html`);
		await other.waitForFunction(() => typeof window.probe === 'function');
		void other.evaluate(() => window.probe(['bench-exchange-encrypted', 'bench-exchange-plain'])).catch(() => undefined);
		sampling = setInterval(() => void rendererRss(profile).then((bytes) => rss.push([Date.now(), bytes])), 200);
		const started = Date.now();
		const quick = events < 10000;
		const rows = await page.evaluate((c) => window.runExchangeBench(c), { events, samples: quick ? 3 : 5, rebuildSamples: Number(process.env.BENCH_REBUILD_SAMPLES ?? 2), ...(process.env.BENCH_IMPORT_CHUNK ? { chunk: Number(process.env.BENCH_IMPORT_CHUNK) } : {}), ...(process.env.BENCH_SECTIONS ? { sections: process.env.BENCH_SECTIONS.split(',') } : {}) });
		clearInterval(sampling);
		const samples = await other.evaluate(() => {
			window.probeStop = true;
			return window.probeSamples;
		});
		const result = rows.filter((r) => !r.name.startsWith('window.'));
		for (const w of rows.filter((r) => r.name.startsWith('window.import.'))) {
			const kind = w.name.slice('window.import.'.length);
			const inside = (t) => t >= w.n && t <= w.value;
			const waits = samples.filter(([t]) => inside(t)).map(([, ms]) => ms);
			const peak = Math.max(0, ...rss.filter(([t]) => inside(t)).map(([, b]) => b));
			result.push({ name: `exchange.import.${kind}.otherTab.maxWaitMs`, n: events, value: Math.round(Math.max(0, ...waits)), unit: 'ms' });
			result.push({ name: `exchange.import.${kind}.otherTab.reads`, n: events, value: waits.length, unit: 'reads' });
			result.push({ name: `exchange.import.${kind}.rendererPssPeakMB`, n: events, value: Math.round(peak / 1e6), unit: 'MB' });
			log(`[bench] import ${kind}: other tab read ${waits.length} times, longest wait ${Math.round(Math.max(0, ...waits))} ms; renderers' PSS peak ${Math.round(peak / 1e6)} MB`);
		}
		// The same while the nodes were staged, and while the events were appended (the reads that ended then).
		for (const w of rows.filter((r) => /^window\.(nodes|events)\./.test(r.name) && r.n > 0 && r.value > 0)) {
			const [, step, kind] = w.name.split('.');
			const waits = samples.filter(([t]) => t >= w.n && t <= w.value).map(([, ms]) => ms);
			result.push({ name: `exchange.import.${kind}.${step}.otherTab.maxWaitMs`, n: events, value: Math.round(Math.max(0, ...waits)), unit: 'ms' });
			log(`[bench] import ${kind}, ${step === 'nodes' ? 'staging the nodes' : 'appending the events'}: other tab read ${waits.length} times, longest wait ${Math.round(Math.max(0, ...waits))} ms`);
		}
		const browserVersion = context.browser()?.version() ?? 'Chromium';
		await writeFile(`${out}.tmp`, `${JSON.stringify(result, null, '\t')}\n`);
		await rename(`${out}.tmp`, out);
		log(`\nCasetrail exchange benchmark (${browserVersion}, ${events} events, ${Math.round((Date.now() - started) / 1000)} s)\n`);
		log(result.map((r) => `${r.name.padEnd(52)} ${String(r.value).padStart(12)} ${r.unit}`).join('\n'));
		log(`\nWrote ${out}.`);
		return result;
	} finally {
		clearInterval(sampling);
		await context?.close();
		await rm(profile, { recursive: true, force: true });
		server.kill();
	}
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
	const events = Number(process.env.BENCH_EVENTS ?? 100_000);
	const quick = events < 10000;
	await runExchange({
		events,
		port: Number(process.env.BENCH_PORT ?? 4192),
		out: process.env.BENCH_EXCHANGE_OUT ?? (quick ? join(tmpdir(), 'exchange-results.quick.json') : join(here, 'exchange-results.json'))
	});
}
