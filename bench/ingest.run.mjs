#!/usr/bin/env node
// `npm run bench:ingest`: builds bench/ingest.ts for Node with Vite (into node_modules/.cache, so the
// database drivers resolve from node_modules) and runs it. BENCH_EVENTS (default 1000000) events in
// BENCH_BUNDLES (default 1000) bundles, 10 per device; BENCH_TARGETS=embedded,server (default both).
// Writes bench/ingest-results.json, or BENCH_INGEST_OUT.
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'vite';

const repo = fileURLToPath(new URL('..', import.meta.url));
const outDir = join(repo, 'node_modules/.cache/casetrail-bench-ingest');
await build({
	root: repo,
	configFile: join(repo, 'vite.cli.config.ts'),
	logLevel: 'warn',
	build: { ssr: join(repo, 'bench/ingest.ts'), outDir, rolldownOptions: { output: { format: 'es', entryFileNames: 'ingest.mjs' } } }
});
const bench = await import(pathToFileURL(join(outDir, 'ingest.mjs')).href);
const events = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const bundles = Number(process.env.BENCH_BUNDLES ?? 1000);
const targets = (process.env.BENCH_TARGETS ?? 'embedded,server').split(',');
const started = Date.now();
const records = await bench.runIngestBench({ events, bundles, bundlesPerDevice: 10, targets, log: (line) => console.log(line) });
const out = process.env.BENCH_INGEST_OUT ?? join(repo, 'bench/ingest-results.json');
bench.writeRecords(out, records);
console.log(`Wrote ${out} after ${Math.round((Date.now() - started) / 1000)} s.`);
