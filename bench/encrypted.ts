/**
 * The encrypted store as the app runs it (issue 20, points 2, 3, 4, 6 and 7), run in a Chromium page
 * by bench/encrypted.run.mjs (or by bench/run.mjs after the store benchmark). One database set up as
 * the app sets one up (an administrator with a passphrase, the vault, the device key), holding the
 * store benchmark's generated events, and a plain database with the same events beside it:
 * - sign-in (the real passphrase unwrap) to the first page of 50 by name, rendered;
 * - search as you type: early, late, common and absent prefixes, queried and rendered;
 * - the duplicate check of a registration with a common name;
 * - single appends of new events at the end of the 100,000-event log and of a 1,000-event one, taking turns;
 * - the bytes stored, by table and kind, against the events' canonical bytes.
 * See bench/README.md, "Encrypted store".
 */
import Dexie from 'dexie';
import type { CasetrailEvent } from '../src/lib/core/event';
import { appendEvents, listEntities, openDb, type CasetrailDb, type EntityPage, type EntityQuery } from '../src/lib/store/index';
import { displayName } from '../src/lib/store/search';
import { installFastSha256 } from '../src/lib/crypto/fast-sha256';
import { openVaultDb, type Vault } from '../src/lib/store/vault';
import { lastSource, nameIndexSaved } from '../src/lib/store/name-index';
import { setUp, signIn } from '../src/lib/store/users';
import { duplicateCandidates, duplicateReasons, type DuplicateQuery } from '../src/lib/worker/duplicates';
import type { HeadValue } from '../src/lib/store/db';
import { generateEvents } from './bench';
import { idbOpen, storeBytes } from './store-bytes';

export interface Row {
	name: string;
	n: number;
	value: number;
	unit: string;
}

export interface EncryptedBenchConfig {
	/** Events in the databases. */
	events: number;
	/** Timed samples of each figure (p50 and p95 are kept). */
	samples: number;
	/** Single appends timed at each end of the log. */
	singles: number;
	/** The parts to run (storage, signin, search, duplicates, append); all when absent. */
	sections?: string[] | undefined;
}

const PASSPHRASE = 'correct horse battery staple';
const log = (message: string): void => console.log(`[bench] ${message}`);

function percentile(values: number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

const round = (v: number): number => Number(v.toFixed(v < 10 ? 2 : 1));

/** The list as a page shows it: a table whose body each page replaces; returns its height (forces layout). */
function listTable(): (page: EntityPage) => number {
	const table = document.createElement('table');
	document.body.append(table);
	return (page) => {
		const body = document.createElement('tbody');
		for (const entity of page.entities) {
			const row = body.insertRow();
			row.insertCell().textContent = displayName(entity);
			row.insertCell().textContent = entity.type;
			row.insertCell().textContent = entity.lastUpdated;
		}
		table.tBodies[0]?.remove();
		table.append(body);
		return table.offsetHeight;
	};
}

async function usage(): Promise<number> {
	return (await navigator.storage.estimate()).usage ?? 0;
}

/** One stored row, read below Dexie and the vault. */
function rawGet(idb: IDBDatabase, store: string, key: IDBValidKey): Promise<Record<string, unknown>> {
	return new Promise((resolve, reject) => {
		const req = idb.transaction(store, 'readonly').objectStore(store).get(key);
		req.onsuccess = () => resolve(req.result as Record<string, unknown>);
		req.onerror = () => reject(req.error);
	});
}

const FLOOR_SEQ = 10_000_000;

/** One log's single appends: its encrypted and plain databases and what was measured on them. */
interface Singles {
	db: CasetrailDb;
	idb: IDBDatabase;
	plain: CasetrailDb;
	enc: number[];
	plainMs: number[];
	floor: number[];
	floorKeys: { seq: number; guid: string }[];
}

async function singlesOn(db: CasetrailDb, name: string, plain: CasetrailDb): Promise<Singles> {
	return { db, idb: await idbOpen(name), plain, enc: [], plainMs: [], floor: [], floorKeys: [] };
}

/**
 * One single append of `e` into `s.db` (encrypted), followed by its floor and by the same append
 * into `s.plain`. The floor: the rows the encrypted append stored (event row, entity row, head; read
 * back below the vault), written again into `plain` (a log of the same size) with the append's own
 * requests in one transaction (head and entity read, then event added, entity and head put), under
 * keys of their own (seq + 10,000,000, guids prefixed, head 'head-floor'), removed afterwards
 * ({@link endSingles}). An event already stored would time the no-op of a duplicate (a refused write,
 * then a lookup): the run fails instead.
 */
async function singleAppend(s: Singles, e: CasetrailEvent, i: number): Promise<void> {
	const { db, idb, plain } = s;
	let t = performance.now();
	const { seqs, appended } = await appendEvents(db, [e]);
	s.enc.push(performance.now() - t);
	if (appended !== 1) throw new Error(`Single append ${i}: event ${e.guid} was stored already; the single appends must be new events.`);
	const seq = seqs[0] as number;
	const event = await rawGet(idb, 'events', seq);
	const entity = await rawGet(idb, 'entities', String(event.entityGuid));
	const head = await rawGet(idb, 'meta', 'head');
	const floorEvent = { ...event, seq: seq + FLOOR_SEQ, guid: `floor-${String(event.guid)}`, entityGuid: `floor-${String(event.entityGuid)}` };
	const floorEntity = { ...entity, guid: `floor-${String(entity.guid)}` };
	const step = async () => {
		const start = performance.now();
		await plain.transaction('rw', [plain.events, plain.entities, plain.snapshots, plain.meta], async () => {
			await Promise.all([plain.meta.get('head-floor' as 'head'), plain.entities.bulkGet([floorEntity.guid])]);
			await Promise.all([plain.events.add(floorEvent as never), plain.entities.put(floorEntity as never), plain.meta.put({ key: 'head-floor', value: head.value } as never)]);
		});
		s.floor.push(performance.now() - start);
	};
	const plainStep = async () => {
		t = performance.now();
		const r = await appendEvents(plain, [e]);
		s.plainMs.push(performance.now() - t);
		if (r.appended !== 1) throw new Error(`Single append ${i}: event ${e.guid} was stored already in the plain database.`);
	};
	if (i % 2 === 0) {
		await step();
		await plainStep();
	} else {
		await plainStep();
		await step();
	}
	s.floorKeys.push({ seq: floorEvent.seq, guid: floorEntity.guid });
}

/** Removes the floor's rows from the plain database. */
async function endSingles(s: Singles): Promise<void> {
	s.idb.close();
	const { plain, floorKeys } = s;
	await plain.transaction('rw', [plain.events, plain.entities, plain.meta], async () => {
		await plain.events.bulkDelete(floorKeys.map((k) => k.seq));
		await plain.entities.bulkDelete(floorKeys.map((k) => k.guid));
		await plain.meta.delete('head-floor' as 'head');
	});
}

export async function runEncryptedBench(config: EncryptedBenchConfig): Promise<Row[]> {
	installFastSha256();
	const n = config.events;
	const rows: Row[] = [];
	const add = (name: string, value: number, unit: string, size = n) => {
		rows.push({ name, n: size, value: round(value), unit });
		log(`${name.padEnd(44)} ${String(round(value)).padStart(10)} ${unit}`);
	};
	const plainName = `enc-bench-plain-${n}`;
	const vaultName = `enc-bench-vault-${n}`;
	let { db, vault } = openVaultDb(vaultName);
	let plain = openDb(plainName);
	const existing = await db.meta.get('head').catch(() => undefined);
	let userId: string;
	if (((existing?.value as HeadValue | undefined)?.size ?? 0) < n) {
		db.close();
		plain.close();
		await Promise.all([Dexie.delete(vaultName), Dexie.delete(plainName)]);
		({ db, vault } = openVaultDb(vaultName));
		plain = openDb(plainName);
		const before = await usage();
		const { user } = await setUp(db, { name: 'Bench Admin', passphrase: PASSPHRASE });
		userId = user.id;
		localStorage.setItem(`${vaultName}-user`, userId);
		const events = generateEvents(n, 42).map((e): CasetrailEvent => ({ ...e, userId }));
		const t = performance.now();
		for (let i = 0; i < events.length; i += 1000) {
			await appendEvents(db, events.slice(i, i + 1000));
			await appendEvents(plain, events.slice(i, i + 1000));
			if (i % 20000 === 0) log(`  appended ${i + 1000} of ${n} (${Math.round((performance.now() - t) / 1000)} s)`);
		}
		// Let the storage settle (compaction), then the origin's usage for both.
		await new Promise((resolve) => setTimeout(resolve, 5000));
		add('encrypted.storage.origin.bytes.both', (await usage()) - before, 'bytes');
	} else {
		userId = localStorage.getItem(`${vaultName}-user`) ?? '';
	}
	const head = (await plain.meta.get('head'))?.value as HeadValue;
	add('encrypted.events.canonical.bytes', head.bytes, 'bytes');

	const run = (section: string): boolean => config.sections === undefined || config.sections.includes(section);
	// Storage, by table: what the rows and their index entries hold, encrypted and plain.
	for (const [label, name] of !run('storage') ? [] : [
		['encrypted', vaultName],
		['plain', plainName]
	] as const) {
		let total = 0;
		for (const [store, f] of await storeBytes(name)) {
			if (f.rows === 0) continue;
			add(`${label}.storage.${store}.values.bytes`, f.values, 'bytes');
			add(`${label}.storage.${store}.indexes.bytes`, f.indexes, 'bytes');
			total += f.values + f.indexes;
		}
		add(`${label}.storage.logical.bytes`, total, 'bytes');
		add(`ratio.${label}.storage.logical.vs.canonical`, total / head.bytes, 'x');
	}
	add('encrypted.storage.origin.usage.bytes', await usage(), 'bytes');

	const render = listTable();
	const timed = async (run: () => Promise<EntityPage>): Promise<number> => {
		const t = performance.now();
		render(await run());
		return performance.now() - t;
	};
	const p = (name: string, values: number[], unit = 'ms', size = n) => {
		add(`${name}.p50`, percentile(values, 50), unit, size);
		add(`${name}.p95`, percentile(values, 95), unit, size);
	};

	// Point 2: sign-in (passphrase unwrap, session) to the first page by name, rendered.
	const signins: number[] = [];
	const unwraps: number[] = [];
	const firstPages: number[] = [];
	const fromRows: number[] = [];
	for (let i = 0; i < (run('signin') ? config.samples + 2 : 1); i++) {
		vault.lock();
		// Two samples without the snapshot on disk: the order built by opening every row, as before.
		if (i < 2) await db.meta.delete('names');
		const t = performance.now();
		await signIn(db, userId, PASSPHRASE);
		const signedIn = performance.now();
		render(await listEntities(db, { limit: 50 }));
		const ended = performance.now();
		const source = lastSource.get(db);
		if (source === 'rows') fromRows.push(ended - signedIn);
		else {
			signins.push(ended - t);
			unwraps.push(signedIn - t);
			firstPages.push(ended - signedIn);
		}
		// The snapshot is saved in the background after a build from the rows: wait for it.
		await new Promise((resolve) => setTimeout(resolve, i < 2 ? 3000 : 50));
	}
	if (run('signin')) {
	p('encrypted.signin.firstPage.ms', signins);
	p('encrypted.signin.unwrap.ms', unwraps);
	p('encrypted.firstPage.afterUnlock.ms', firstPages);
	add('encrypted.firstPage.afterUnlock.fromRows.ms', fromRows.reduce((a, b) => a + b, 0) / Math.max(1, fromRows.length), 'ms');
	}
	const entities = await plain.entities.count();

	// Point 3: search as you type, interleaved encrypted and plain.
	const prefixes: [string, string][] = [
		['early', 'ami'],
		['late', 'pen'],
		['common', 'a'],
		['common2', 'ba'],
		['absent', 'xq'],
		['twoWords', 'ami ba']
	];
	for (const [label, text] of run('search') ? prefixes : []) {
		const enc: number[] = [];
		const pl: number[] = [];
		const query: EntityQuery = { text, limit: 50 };
		await listEntities(db, query);
		await listEntities(plain, query);
		for (let i = 0; i < config.samples; i++) {
			if (i % 2 === 0) {
				enc.push(await timed(() => listEntities(db, query)));
				pl.push(await timed(() => listEntities(plain, query)));
			} else {
				pl.push(await timed(() => listEntities(plain, query)));
				enc.push(await timed(() => listEntities(db, query)));
			}
		}
		p(`encrypted.search.${label}.ms`, enc, 'ms', entities);
		p(`plain.search.${label}.ms`, pl, 'ms', entities);
	}

	// Point 4: the duplicate check of a registration with common names (every given and family name
	// of the generated people is carried by thousands), as the worker runs it.
	const dupQueries: DuplicateQuery[] = [
		{ givenName: 'Amina', familyName: 'Banda', dateOfBirth: '1980-03-14', sex: 'female' } as DuplicateQuery,
		{ givenName: 'Penda', familyName: 'Ndlovu', dateOfBirth: '1975-05-12', nationalId: 'ID-123' } as DuplicateQuery,
		{ givenName: 'Hassan', familyName: 'Mensah', dateOfBirth: '1962-01-11' } as DuplicateQuery
	];
	const check = async (database: CasetrailDb, query: DuplicateQuery): Promise<number> => {
		const t = performance.now();
		const found = await duplicateCandidates(database, query, 5000);
		for (const row of found) if (row.entity) duplicateReasons(query, row.entity);
		return performance.now() - t;
	};
	const dups: number[] = [];
	for (let i = 0; i < (run('duplicates') ? config.samples : 0); i++) dups.push(await check(db, dupQueries[i % dupQueries.length] as DuplicateQuery));
	if (run('duplicates')) p('encrypted.duplicates.ms', dups, 'ms', entities);
	if (!run('append')) {
		db.close();
		plain.close();
		return rows;
	}

	// Point 7: single appends at the end of the 100,000-event log and of a 1,000-event one, each
	// encrypted append followed by its floor and by the plain append, the two logs taking turns append
	// by append (the one that goes first alternates), so a change of the machine's load falls on both.
	// New events on every run: the seed follows the log's size, which each run's appends move on (the
	// same events again would time the no-op of a stored event instead).
	const singlesSeed = 7 + head.size;
	const singles = generateEvents(config.singles * 2, singlesSeed).filter((e) => e.type === 'create-individual').slice(0, config.singles).map((e): CasetrailEvent => ({ ...e, userId }));
	const smallName = `enc-bench-vault-1k`;
	const smallPlainName = `enc-bench-plain-1k`;
	await Promise.all([Dexie.delete(smallName), Dexie.delete(smallPlainName)]);
	const small = openVaultDb(smallName).db;
	const smallPlain = openDb(smallPlainName);
	try {
		const { user } = await setUp(small, { name: 'Bench Admin', passphrase: PASSPHRASE });
		const first = generateEvents(1000, 43).map((e): CasetrailEvent => ({ ...e, userId: user.id }));
		await appendEvents(small, first);
		await appendEvents(smallPlain, first);
		// The name order in memory, as on the large log (its sign-in above) and in the app after the first list.
		await listEntities(small, { limit: 50 });
		await nameIndexSaved(small);
		const large = await singlesOn(db, vaultName, plain);
		const smallRun = await singlesOn(small, smallName, smallPlain);
		try {
			for (const [i, e] of singles.entries()) {
				const other: CasetrailEvent = { ...e, userId: user.id };
				if (i % 2 === 0) {
					await singleAppend(large, e, i);
					await singleAppend(smallRun, other, i);
				} else {
					await singleAppend(smallRun, other, i);
					await singleAppend(large, e, i);
				}
			}
		} finally {
			await endSingles(large);
			await endSingles(smallRun);
		}
		log(`  single appends: new events of seed ${singlesSeed}, the two logs interleaved`);
		p('encrypted.append.single.ms', large.enc);
		p('plain.append.single.ms', large.plainMs);
		p('floor.encrypted.append.single.ms', large.floor);
		add('ratio.encrypted.append.single.p50.vs.floor', percentile(large.enc, 50) / percentile(large.floor, 50), 'x');
		p('encrypted.append.single.ms', smallRun.enc, 'ms', 1000);
		p('plain.append.single.ms', smallRun.plainMs, 'ms', 1000);
		p('floor.encrypted.append.single.ms', smallRun.floor, 'ms', 1000);
		add('ratio.encrypted.append.single.p50.vs.floor', percentile(smallRun.enc, 50) / percentile(smallRun.floor, 50), 'x', 1000);
		const perSec = (ms: number[]) => (1000 * ms.length) / ms.reduce((a, b) => a + b, 0);
		add('encrypted.append.single.eventsPerSec', perSec(large.enc), 'events/s');
		add('encrypted.append.single.eventsPerSec', perSec(smallRun.enc), 'events/s', 1000);
		add('ratio.encrypted.append.single.largest.vs.smallest', perSec(large.enc) / perSec(smallRun.enc), 'x throughput');
		add('plain.append.single.eventsPerSec', perSec(large.plainMs), 'events/s');
		add('plain.append.single.eventsPerSec', perSec(smallRun.plainMs), 'events/s', 1000);
		add('ratio.plain.append.single.largest.vs.smallest', perSec(large.plainMs) / perSec(smallRun.plainMs), 'x throughput');
		add('floor.encrypted.append.single.eventsPerSec', perSec(large.floor), 'events/s');
		add('floor.encrypted.append.single.eventsPerSec', perSec(smallRun.floor), 'events/s', 1000);
	} finally {
		small.close();
		smallPlain.close();
		await Promise.all([Dexie.delete(smallName), Dexie.delete(smallPlainName)]);
	}
	db.close();
	plain.close();
	void (vault as Vault);
	return rows;
}

declare global {
	interface Window {
		runEncryptedBench: typeof runEncryptedBench;
	}
}
window.runEncryptedBench = runEncryptedBench;
