#!/usr/bin/env node
// The projection benchmark (issue 13): core `project()` over the bundles an attacker would craft to
// make replay quadratic, at 10,000 to 80,000 events, in Node. `npm run bench` runs it after the store
// benchmark and adds its rows to bench/results.json; `node bench/projection.mjs` runs it alone,
// prints the table and puts its rows in bench/results.json in place of the previous projection rows
// (BENCH_QUICK=1: 1,000 to 8,000 events, nothing written). A benchmark, not a timed test: nothing
// fails when a figure is slow; the table says whether the time per event stays flat (within 1.5x).
import { readFile, rename, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { createServer } from 'vite';

const repo = join(fileURLToPath(new URL('.', import.meta.url)), '..');

/** Sizes measured, smallest first: the time per event at the largest is compared with the smallest. */
export function projectionSizes(quick) {
	return quick ? [1000, 2000, 4000, 8000] : [10000, 20000, 40000, 80000];
}

const START = Date.UTC(2026, 0, 5, 8);
const stamp = (i) => new Date(START + i * 1000).toISOString();
const pad = (i) => String(i).padStart(8, '0');

/**
 * The crafted logs: one entity and `n` events on it. Each is valid and applies, so every event
 * changes the entity a replay carries along.
 */
const WORKLOADS = {
	// A household given n - 1 distinct members: the member list grows with every event.
	'add-member': (n) => [
		{ guid: `e-${pad(0)}`, entityGuid: 'g-1', type: 'create-group', data: { name: 'Crafted household' }, timestamp: stamp(0), userId: 'u-1' },
		...Array.from({ length: n - 1 }, (_, i) => ({ guid: `e-${pad(i + 1)}`, entityGuid: 'g-1', type: 'add-member', data: { memberGuid: `m-${pad(i)}`, role: 'child' }, timestamp: stamp(i + 1), userId: 'u-1' }))
	],
	// A person updated n - 1 times, each with a new field: the data object grows with every event.
	'update-new-field': (n) => [
		{ guid: `e-${pad(0)}`, entityGuid: 'p-1', type: 'create-individual', data: { givenName: 'Crafted' }, timestamp: stamp(0), userId: 'u-1', version: 3 },
		...Array.from({ length: n - 1 }, (_, i) => ({ guid: `e-${pad(i + 1)}`, entityGuid: 'p-1', type: 'update-individual', data: { [`f${i}`]: 'x' }, timestamp: stamp(i + 1), userId: 'u-1', version: 3 }))
	]
};

/**
 * Runs every workload at every size: the best of `rounds` timed `project()` calls, after one untimed
 * one per size. The machine is shared, so the rounds go over all sizes in turn (a busy moment does
 * not land on one size only), each timed call starts after a full garbage collection, and the best
 * is the least disturbed. Returns {name, n, value, unit} rows: `projection.<workload>.ms`,
 * `projection.<workload>.usPerEvent`, and `ratio.projection.<workload>.perEvent.largest.vs.smallest`.
 */
export async function runProjectionBench({ quick = false, rounds = 7, log = console.log } = {}) {
	v8.setFlagsFromString('--expose-gc');
	const gc = vm.runInNewContext('gc');
	const server = await createServer({ root: repo, configFile: false, logLevel: 'error', server: { middlewareMode: true, hmr: false }, appType: 'custom', optimizeDeps: { noDiscovery: true, include: [] } });
	try {
		const { project } = await server.ssrLoadModule('/src/lib/core/projection.ts');
		const sizes = projectionSizes(quick);
		const rows = [];
		for (const [workload, generate] of Object.entries(WORKLOADS)) {
			const logs = sizes.map((n) => generate(n));
			logs.forEach((events, i) => {
				const check = project(events);
				if (check.skipped.length !== 0 || check.entities.length !== 1) throw new Error(`The ${workload} workload at ${sizes[i]} events did not apply in full.`);
			});
			const best = sizes.map(() => Infinity);
			for (let r = 0; r < rounds; r++) {
				logs.forEach((events, i) => {
					gc();
					const t0 = performance.now();
					project(events);
					best[i] = Math.min(best[i], performance.now() - t0);
				});
			}
			const perEvent = sizes.map((n, i) => (best[i] * 1000) / n);
			sizes.forEach((n, i) => {
				rows.push({ name: `projection.${workload}.ms`, n, value: Math.round(best[i] * 10) / 10, unit: 'ms' });
				rows.push({ name: `projection.${workload}.usPerEvent`, n, value: Math.round(perEvent[i] * 100) / 100, unit: 'µs/event' });
				log(`[bench] project() ${workload} ${n}: ${best[i].toFixed(1)} ms (${perEvent[i].toFixed(2)} µs/event)`);
			});
			const ratio = perEvent[perEvent.length - 1] / perEvent[0];
			rows.push({ name: `ratio.projection.${workload}.perEvent.largest.vs.smallest`, n: sizes[sizes.length - 1], value: Math.round(ratio * 1000) / 1000, unit: 'x' });
		}
		return rows;
	} finally {
		await server.close();
	}
}

/** The table lines: time per event at the largest size over the smallest, target <= 1.5. */
export function projectionTargets(rows) {
	return rows
		.filter((r) => r.name.startsWith('ratio.projection.'))
		.map((r) => `  ${r.value <= 1.5 ? 'met   ' : 'MISSED'} ${`project() time per event, ${r.name.split('.')[2]}, largest vs smallest`.padEnd(54)} ${String(r.value).padStart(8)}  (target <= 1.5)`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
	const quick = process.env.BENCH_QUICK === '1';
	const rows = await runProjectionBench({ quick });
	console.log(rows.map((r) => `${r.name.padEnd(56)} ${String(r.n).padStart(7)}  ${String(r.value).padStart(10)} ${r.unit}`).join('\n'));
	console.log(projectionTargets(rows).join('\n'));
	if (!quick) {
		const file = join(repo, 'bench/results.json');
		const kept = JSON.parse(await readFile(file, 'utf8')).filter((r) => !r.name.startsWith('projection.') && !r.name.startsWith('ratio.projection.'));
		await writeFile(`${file}.tmp`, `${JSON.stringify([...kept, ...rows], null, '\t')}\n`);
		await rename(`${file}.tmp`, file);
		console.log(`Wrote ${file}.`);
	}
}
