/**
 * The exchange benchmark (issue 20, points 1 and 5), run in a Chromium page by bench/exchange.run.mjs
 * (`npm run bench:exchange`): a colleague's bundle of n events imported into the encrypted store the
 * app ships (and into the plain store beside it), against bare Dexie `bulkAdd` of the same rows; the
 * same bundle imported again; then, on the encrypted device holding those n events, the export of the
 * whole log, the integrity check and the rebuild when every record was lost, each against a bare
 * read-all of n rows measured in the same run, interleaved. A second tab (exchange.html?probe=...)
 * reads the database all along and reports the longest it was held. See bench/README.md.
 */
import Dexie from 'dexie';
import type { User } from '../src/lib/core/access';
import { buildBundleFrom } from '../src/lib/core/bundle/build';
import { verifyReceivedBundle } from '../src/lib/core/bundle/limits';
import { bundleNodes } from '../src/lib/core/bundle/nodes';
import type { CasetrailEvent } from '../src/lib/core/event';
import { installFastSha256 } from '../src/lib/crypto/fast-sha256';
import { generateDataKey } from '../src/lib/crypto/keys';
import { openDb, type CasetrailDb } from '../src/lib/store/db';
import { eventChunks } from '../src/lib/store/event-reader';
import { checkIntegrity } from '../src/lib/store/integrity';
import { importVerifiedBundle } from '../src/lib/store/peers';
import { rebuildProjections } from '../src/lib/store/rebuild';
import { openVaultDb } from '../src/lib/store/vault';
import { vaultCostEvents } from '../src/lib/store/vault-cost';
import { idbOpen } from './store-bytes';
import { createWorkerApi } from '../src/lib/worker/api';
import { deviceSigner } from '../src/lib/worker/device';

export interface Row {
	name: string;
	n: number;
	value: number;
	unit: string;
}

export interface ExchangeConfig {
	events: number;
	/** Samples of each whole-log figure (export, integrity check) and of the read-all between them. */
	samples: number;
	/** Samples of the rebuild when every record was lost (each rewrites every record). */
	rebuildSamples: number;
	/** Events per append transaction of the import, fixed (default the app's: sized by time). */
	chunk?: number;
	/** Only these whole-log parts after the imports ('reimport', 'export', 'verify', 'rebuild'); default all. */
	sections?: string[];
}

let importChunk: number | undefined;

const log = (message: string): void => console.log(`[bench] ${message}`);
const USER: User = { id: 'u-bench', name: 'Bench', role: 'administrator', createdAt: '2026-01-01T00:00:00.000Z', createdBy: 'u-bench' };

function quantile(values: number[], q: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

function median(values: number[]): number {
	return quantile(values, 0.5);
}

async function timed<T>(run: () => Promise<T>): Promise<[number, T]> {
	const t = performance.now();
	const value = await run();
	return [performance.now() - t, value];
}

async function drop(name: string): Promise<void> {
	await Dexie.delete(name);
}

/** The JS heap of this page, where Chromium reports it; 0 elsewhere. */
function heapBytes(): number {
	return (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0;
}

/** Bare Dexie: the bundle's events as rows with the event table's four secondary indexes, `bulkAdd` 1000 at a time. */
async function bareBulkAdd(name: string, events: readonly CasetrailEvent[]): Promise<number> {
	await drop(name);
	const db = new Dexie(name);
	db.version(1).stores({ events: 'seq, &guid, [entityGuid+instant+guid], type, instant' });
	const rows = events.map((e, seq) => ({ seq, instant: Date.parse(e.timestamp), ...e }));
	try {
		const [ms] = await timed(async () => {
			for (let i = 0; i < rows.length; i += 1000) await db.table('events').bulkAdd(rows.slice(i, i + 1000));
		});
		return ms;
	} finally {
		db.close();
	}
}

/**
 * The rebuild's own writes and nothing else: the entity and snapshot rows `source` holds, as stored
 * (read below Dexie, so sealed on the encrypted store), written by bare Dexie into an empty database
 * with the same two tables and indexes, in one read-write transaction, 5,000 rows a `bulkPut` as the
 * rebuild writes them. With a read-all of the log, the floor of a rebuild when every record was lost.
 */
async function bareRebuildWrites(source: string, name: string): Promise<number> {
	const idb = await idbOpen(source);
	const all = (store: string) =>
		new Promise<unknown[]>((resolve, reject) => {
			const req = idb.transaction(store, 'readonly').objectStore(store).getAll();
			req.onsuccess = () => resolve(req.result);
			req.onerror = () => reject(req.error);
		});
	const [entities, snapshots] = [await all('entities'), await all('snapshots')];
	idb.close();
	await drop(name);
	const db = new Dexie(name);
	db.version(1).stores({ entities: 'guid, sortName, updatedAt, *words, *memberGuids', snapshots: '[entityGuid+position]' });
	try {
		const [ms] = await timed(() =>
			db.transaction('rw', ['entities', 'snapshots'], async () => {
				if (snapshots.length > 0) await db.table('snapshots').bulkPut(snapshots);
				for (let i = 0; i < entities.length; i += 5000) await db.table('entities').bulkPut(entities.slice(i, i + 5000));
			})
		);
		return ms;
	} finally {
		db.close();
		await drop(name);
	}
}

/** Bare read-all of the baseline table (one getAll). */
async function bareReadAll(name: string): Promise<number> {
	const db = new Dexie(name);
	db.version(1).stores({ events: 'seq, &guid, [entityGuid+instant+guid], type, instant' });
	try {
		const [ms] = await timed(() => db.table('events').toArray());
		return ms;
	} finally {
		db.close();
	}
}

const dataKeys = new Map<string, Uint8Array>();

/** Opens the receiving device: the app's encrypted store (unlocked with its own data key) or the plain one. */
function receiver(name: string, encrypted: boolean): CasetrailDb {
	if (!encrypted) return openDb(name);
	const { db, vault } = openVaultDb(name);
	if (!dataKeys.has(name)) dataKeys.set(name, generateDataKey());
	vault.unlock(USER, dataKeys.get(name) as Uint8Array);
	return db;
}

/** Verifies and imports `text` as the worker does (verify, nodes, chunked import); logs where the time went. */
async function importText(db: CasetrailDb, text: string): Promise<{ appended: number; skipped: number; nodes: [number, number]; events: [number, number] }> {
	const heap0 = heapBytes();
	const t0 = performance.now();
	const verified = await verifyReceivedBundle(text);
	const t1 = performance.now();
	// When the nodes were staged (epoch ms), for the runner's nodes-only figure.
	const staging: [number, number] = [Date.now(), 0];
	const heap1 = heapBytes();
	const nodes = bundleNodes(verified.from, verified.prefix, verified.leafHashes);
	const phases = new Map<string, number>();
	// The events of each append transaction, and how long each took (from the progress told after each).
	const chunks: [number, number][] = [];
	let last = { done: 0, at: 0 };
	// When the chunks of events began and ended (epoch ms): the window of the runner's events-only figure.
	const events: [number, number] = [0, 0];
	const outcome = await importVerifiedBundle(db, verified, {
		ownDeviceId: 'bench-receiver',
		nodes,
		now: new Date().toISOString(),
		...(importChunk ? { chunkSize: importChunk } : {}),
		onProgress: (p) => {
			const now = performance.now();
			if (p.phase === 'events') {
				if (last.at > 0) chunks.push([p.done - last.done, now - last.at]);
				last = { done: p.done, at: now };
			} else {
				if (p.phase === 'publishing') events[1] = Date.now();
				else events[0] = staging[1] = Date.now();
				last = { done: 0, at: now };
			}
			phases.set(p.phase, now);
		}
	});
	const t2 = performance.now();
	if (chunks.length > 0) {
		const sizes = chunks.map(([size]) => size);
		const times = chunks.map(([, ms]) => ms);
		log(`  ${chunks.length} chunks of ${Math.min(...sizes)} to ${Math.max(...sizes)} events (median ${median(sizes)}), ${Math.min(...times).toFixed(0)} to ${Math.max(...times).toFixed(0)} ms each (median ${median(times).toFixed(0)}): ${sizes.join(' ')}`);
	}
	const at = (phase: string) => phases.get(phase) ?? t1;
	log(
		`  verify ${(t1 - t0).toFixed(0)} ms (JS heap ${(heap0 / 1e6).toFixed(0)} MB before, ${(heap1 / 1e6).toFixed(0)} MB after), nodes ${(at('nodes') - t1).toFixed(0)} ms, events ${(at('events') - (phases.has('nodes') ? at('nodes') : t1)).toFixed(0)} ms, publish ${(t2 - at('publishing')).toFixed(0)} ms`
	);
	return { appended: outcome.append.appended, skipped: outcome.append.duplicates, nodes: staging, events };
}

/** The worker API over `db`, as the app's worker builds it, for the export. */
function workerApi(db: CasetrailDb) {
	let guid = 0;
	return createWorkerApi({
		db,
		now: () => new Date(),
		newGuid: () => `0190c0de-ffff-7000-8000-${String(guid++).padStart(12, '0')}`,
		appVersion: 'bench',
		user: () => USER,
		deviceId: async () => undefined,
		announce: () => undefined
	});
}

export async function runExchangeBench(config: ExchangeConfig): Promise<Row[]> {
	await installFastSha256();
	importChunk = config.chunk;
	const n = config.events;
	const runs = (section: string): boolean => config.sections === undefined || config.sections.includes(section);
	const rows: Row[] = [];
	const add = (name: string, value: number, unit: string, count = n): void => {
		rows.push({ name, n: count, value: Number(value.toFixed(unit === 'ms' || unit === 'ms p50' ? 1 : 3)), unit });
		log(`${name} = ${value.toFixed(1)} ${unit}`);
	};

	// The colleague's bundle: their whole log, signed by their device key.
	// Released once the bare bulkAdds no longer need them: the app's worker holds no second copy of a
	// bundle's events, so the later figures are not taken beside a heap the app would not have.
	let events: CasetrailEvent[] = vaultCostEvents(n, 'u-colleague');
	const senderDb = openDb('bench-exchange-sender');
	const signer = await deviceSigner(senderDb);
	let text = JSON.stringify(await buildBundleFrom({ log: events, from: 0, signer, issuedAt: new Date().toISOString() }));
	senderDb.close();
	await drop('bench-exchange-sender');
	add('exchange.bundle.bytes', new TextEncoder().encode(text).length, 'bytes');
	log(`bundle of ${n} events, ${(text.length / 1e6).toFixed(1)} MB`);

	// Import: bare bulkAdd before and after each import, the encrypted store first.
	const bare: number[] = [];
	const imports: Record<'encrypted' | 'plain', number> = { encrypted: 0, plain: 0 };
	const heapPeak: Record<'encrypted' | 'plain', number> = { encrypted: 0, plain: 0 };
	const windows: Row[] = [];
	bare.push(await bareBulkAdd('bench-exchange-bare', events));
	for (const kind of ['encrypted', 'plain'] as const) {
		const name = `bench-exchange-${kind}`;
		await drop(name);
		const db = receiver(name, kind === 'encrypted');
		await db.open();
		const heap0 = heapBytes();
		let peak = heap0;
		const sampler = setInterval(() => (peak = Math.max(peak, heapBytes())), 100);
		const start = Date.now();
		const [ms, done] = await timed(() => importText(db, text));
		clearInterval(sampler);
		windows.push({ name: `window.import.${kind}`, n: start, value: Date.now(), unit: 'epoch ms' });
		windows.push({ name: `window.nodes.${kind}`, n: done.nodes[0], value: done.nodes[1], unit: 'epoch ms' });
		windows.push({ name: `window.events.${kind}`, n: done.events[0], value: done.events[1], unit: 'epoch ms' });
		imports[kind] = ms;
		heapPeak[kind] = peak;
		log(`import ${kind}: ${done.appended} appended in ${(ms / 1000).toFixed(1)} s; JS heap peak ${(peak / 1e6).toFixed(0)} MB`);
		if (done.appended !== n) throw new Error(`import ${kind} appended ${done.appended} of ${n}`);
		db.close();
		bare.push(await bareBulkAdd('bench-exchange-bare', events));
	}
	events = [];
	const bareMs = median(bare);
	add('baseline.dexie.bulkAdd.eventsPerSec', (n * 1000) / bareMs, 'events/s');
	for (const kind of ['encrypted', 'plain'] as const) {
		add(`exchange.import.${kind}.ms`, imports[kind], 'ms');
		add(`exchange.import.${kind}.eventsPerSec`, (n * 1000) / imports[kind], 'events/s');
		add(`ratio.exchange.import.${kind}.vs.bulkAdd`, bareMs / imports[kind], 'x throughput');
		add(`exchange.import.${kind}.heapPeakMB`, heapPeak[kind] / 1e6, 'MB');
	}

	// The same bundle again, into the encrypted device: every event already there.
	const db = receiver('bench-exchange-encrypted', true);
	await db.open();
	const again: number[] = [];
	for (let i = 0; i < (runs('reimport') ? 3 : 0); i++) {
		const [ms, done] = await timed(() => importText(db, text));
		if (done.appended !== 0 || done.skipped !== n) throw new Error('re-import appended events');
		again.push(ms);
	}
	const api = workerApi(db);
	if (again.length > 0) {
		add('exchange.reimport.encrypted.ms', median(again), 'ms');
		add('ratio.exchange.reimport.vs.import.encrypted', median(again) / imports.encrypted, 'x time');

		// As the Exchange page does it, through the worker API: "verify before import", then the import
		// of the same bytes, which takes the bundle the verification kept instead of verifying again.
		const [inspectMs, summary] = await timed(() => api.inspectBundle(new Blob([text])));
		if (!summary.ok || !summary.value.valid) throw new Error('verify before import failed');
		const [afterMs, reimported] = await timed(() => api.importBundle(new Blob([text])));
		if (!reimported.ok || reimported.value.skipped !== n) throw new Error('re-import after verifying appended events or failed');
		add('exchange.reimport.encrypted.verifyBeforeImport.ms', inspectMs, 'ms');
		add('exchange.reimport.encrypted.afterVerify.ms', afterMs, 'ms');
		add('ratio.exchange.reimport.afterVerify.vs.import.encrypted', afterMs / imports.encrypted, 'x time');
	}
	text = '';

	// Whole-log passes on the encrypted device of n events, each between two bare read-alls.
	const readAll: number[] = [await bareReadAll('bench-exchange-bare')];
	const exports: number[] = [];
	const checks: number[] = [];
	const checksPlain: number[] = [];
	// The floor of both passes on the encrypted store: every row read below the vault and opened with
	// WebCrypto (store/event-reader.ts), in the chunks the export and the check read, and nothing else.
	const opens: number[] = [];
	const readOpen = async (): Promise<number> =>
		(
			await timed(async () => {
				for await (const chunk of eventChunks(db, 0, n, 5000)) if (chunk.rows.length !== chunk.end - chunk.begin) throw new Error('rows missing');
			})
		)[0];
	const plainDb = receiver('bench-exchange-plain', false);
	for (let i = 0; i < (runs('export') || runs('verify') ? config.samples : 0); i++) {
		const [ex, result] = await timed(() => api.exportBundle());
		if (!result.ok || result.value.events !== n) throw new Error(`export failed: ${JSON.stringify(result.ok ? result.value.events : result.error)}`);
		exports.push(ex);
		readAll.push(await bareReadAll('bench-exchange-bare'));
		opens.push(await readOpen());
		const [check, report] = await timed(() => checkIntegrity(db));
		if (!report.ok) throw new Error('integrity check failed');
		checks.push(check);
		readAll.push(await bareReadAll('bench-exchange-bare'));
		checksPlain.push((await timed(() => checkIntegrity(plainDb)))[0]);
		readAll.push(await bareReadAll('bench-exchange-bare'));
	}
	const rebuilds: number[] = [];
	const rebuildsPlain: number[] = [];
	const rebuildWrites: Record<'encrypted' | 'plain', number[]> = { encrypted: [], plain: [] };
	const rebuildOpens: number[] = [];
	const rebuildHeap: Record<'encrypted' | 'plain', number> = { encrypted: 0, plain: 0 };
	for (let i = 0; i < (runs('rebuild') ? config.rebuildSamples : 0); i++) {
		for (const [target, list] of [
			[db, rebuilds],
			[plainDb, rebuildsPlain]
		] as const) {
			await target.transaction('rw', [target.entities, target.snapshots], async () => {
				await target.entities.clear();
				await target.snapshots.clear();
			});
			const kind = target === db ? 'encrypted' : 'plain';
			log(`rebuild ${kind} starts`);
			const heap0 = heapBytes();
			let peak = heap0;
			const sampler = setInterval(() => (peak = Math.max(peak, heapBytes())), 100);
			const [ms, rebuilt] = await timed(() => rebuildProjections(target));
			clearInterval(sampler);
			rebuildHeap[kind] = Math.max(rebuildHeap[kind], peak - heap0);
			log(`rebuild ${kind}: ${ms.toFixed(0)} ms; JS heap ${(heap0 / 1e6).toFixed(0)} MB before, peak ${(peak / 1e6).toFixed(0)} MB`);
			if (rebuilt.entities === 0) throw new Error('rebuild produced nothing');
			list.push(ms);
			const writes = await bareRebuildWrites(target.name, 'bench-exchange-rows');
			log(`rebuild ${kind}: its rows written by bare Dexie ${writes.toFixed(0)} ms`);
			rebuildWrites[kind].push(writes);
			if (target === db) rebuildOpens.push(await readOpen());
			readAll.push(await bareReadAll('bench-exchange-bare'));
		}
	}
	const readMs = median(readAll);
	add('baseline.dexie.readAll.ms', readMs, 'ms');
	if (exports.length > 0) {
		add('exchange.export.encrypted.p50Ms', median(exports), 'ms');
		add('exchange.export.encrypted.p95Ms', quantile(exports, 0.95), 'ms');
		add('ratio.exchange.export.encrypted.vs.readAll', median(exports) / readMs, 'x time');
		add('exchange.readOpen.encrypted.p50Ms', median(opens), 'ms');
		add('ratio.exchange.readOpen.encrypted.vs.readAll', median(opens) / readMs, 'x time');
		add('ratio.exchange.export.encrypted.vs.readOpen', median(exports) / median(opens), 'x time');
		add('ratio.exchange.verify.encrypted.vs.readOpen', median(checks) / median(opens), 'x time');
		add('exchange.verify.encrypted.p50Ms', median(checks), 'ms');
		add('exchange.verify.encrypted.p95Ms', quantile(checks, 0.95), 'ms');
		add('ratio.exchange.verify.encrypted.vs.readAll', median(checks) / readMs, 'x time');
		add('exchange.verify.plain.p50Ms', median(checksPlain), 'ms');
		add('ratio.exchange.verify.plain.vs.readAll', median(checksPlain) / readMs, 'x time');
	}
	if (rebuilds.length > 0) {
		add('exchange.rebuildLost.encrypted.p50Ms', median(rebuilds), 'ms');
		add('exchange.rebuildLost.encrypted.heapGrowthMB', rebuildHeap.encrypted / 1e6, 'MB');
		add('ratio.exchange.rebuildLost.encrypted.vs.readAll', median(rebuilds) / readMs, 'x time');
		add('exchange.rebuildLost.plain.p50Ms', median(rebuildsPlain), 'ms');
		add('exchange.rebuildLost.plain.heapGrowthMB', rebuildHeap.plain / 1e6, 'MB');
		add('ratio.exchange.rebuildLost.plain.vs.readAll', median(rebuildsPlain) / readMs, 'x time');
		for (const kind of ['encrypted', 'plain'] as const) {
			add(`exchange.rebuildLost.${kind}.bareWrites.p50Ms`, median(rebuildWrites[kind]), 'ms');
			add(`ratio.exchange.rebuildLost.${kind}.floor.vs.readAll`, (readMs + median(rebuildWrites[kind])) / readMs, 'x time');
		}
		// On the encrypted store the log must be opened too: reading and opening it, then the writes.
		add('ratio.exchange.rebuildLost.encrypted.floorOpened.vs.readAll', (median(rebuildOpens) + median(rebuildWrites.encrypted)) / readMs, 'x time');
	}
	db.close();
	plainDb.close();
	for (const name of ['bench-exchange-encrypted', 'bench-exchange-plain', 'bench-exchange-bare']) await drop(name);
	return [...rows, ...windows];
}

/**
 * The second tab: reads `users`, `entities` and the head of each database in `names` that exists, in
 * one read transaction, every 50 ms, as a tab that signs in and lists does; keeps each wait with the
 * time it ended, for the runner to take the longest during each import.
 */
export async function probe(names: string[]): Promise<void> {
	const state = window as unknown as { probeSamples: [number, number][]; probeStop: boolean };
	state.probeSamples = [];
	state.probeStop = false;
	while (!state.probeStop) {
		const existing = new Set((await indexedDB.databases()).map((d) => d.name));
		for (const name of names) {
			if (!existing.has(name)) continue;
			const t = performance.now();
			try {
				const idb = await new Promise<IDBDatabase>((resolve, reject) => {
					const req = indexedDB.open(name);
					req.onsuccess = () => resolve(req.result);
					req.onerror = () => reject(req.error);
				});
				if (idb.objectStoreNames.contains('users')) {
					await new Promise<void>((resolve, reject) => {
						const tx = idb.transaction(['users', 'entities', 'meta'], 'readonly');
						tx.objectStore('users').getAll();
						tx.objectStore('entities').count();
						tx.objectStore('meta').get('head');
						tx.oncomplete = () => resolve();
						tx.onerror = () => reject(tx.error);
					});
					state.probeSamples.push([Date.now(), performance.now() - t]);
				}
				idb.close();
			} catch {
				// The database is being deleted or created between runs: try again.
			}
		}
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

declare global {
	interface Window {
		runExchangeBench: typeof runExchangeBench;
		probe: typeof probe;
	}
}
window.runExchangeBench = runExchangeBench;
window.probe = probe;
