/**
 * The name order of an encrypted store, kept on disk as a sealed, chunked snapshot so that the first
 * name-sorted list after unlock does not open every entity row (issue 20: 7 to 9 s at 100,000 events
 * when it did).
 *
 * There is no name index on disk in clear (names are encrypted there, and have no blind tokens): the
 * vault keeps the order of [sortName, guid] in worker memory (vault.ts), with the name words a sort
 * name does not hold beside it, and a search and the duplicate check match names on it. This module
 * builds it after unlock from, in order of preference:
 * 1. the snapshot in `meta` ('names' and 'names:<i>'), current for the log size and rebuild count it
 *    names, opened with WebCrypto, plus the entities touched by the events appended since (read
 *    from the clear `entityGuid` of those event rows; only their rows are opened);
 * 2. otherwise every entity row, opened with WebCrypto (what it always did before).
 * A rebuild of an encrypted store, which holds every row it projects, gives the vault their order
 * when it commits ({@link keepNamesOnCommit}): the next list finds it in memory, and it is saved.
 * Both read what they need in one read transaction with the head, so the order is exactly the one of
 * the log size it is recorded for.
 *
 * The snapshot is the JSON of the whole order ([sortName, guid], or [sortName, guid, extra name
 * words] for the few records that have some; {@link NAME_INDEX_FORMAT}), cut into
 * {@link CHUNK_BYTES}-byte chunks (the last one padded with spaces), each sealed with AES-256-GCM
 * under the sealing key, its associated data binding it to the format, the snapshot's random id, its
 * position, the number of chunks, the log size and the rebuild count. So a chunk of another snapshot, an edited header, or chunks rolled back to an older
 * snapshot either do not open (the order is then built from the rows, and saved again) or open as
 * the older snapshot they are, which the events appended since bring up to date. A data key
 * rotation leaves it under the old key: it no longer opens, and the first list after rebuilds it.
 * What a copy of the disk shows of it without the key: its total length in 64 KiB steps (about the
 * number of entities, which the counts show anyway), the log size it reflects and when it changed.
 *
 * It is rewritten, outside any transaction, when the order in memory is current and the snapshot is
 * missing, unusable or {@link SAVE_LAG} or more events behind: so an unlock catches up at most that
 * many events, or those of the last session.
 */
import Dexie, { cmp } from 'dexie';
import type { DBCoreKeyRange, DBCoreTransaction } from 'dexie';
import { CasetrailError } from '../core/errors';
import { NONCE_BYTES } from '../crypto/seal';
import type { CasetrailDb, EntityRow, HeadValue, ProjectionsValue } from './db';
import type { Entity } from '../core/appliers/entity';
import { extraNameWords, sortNameOf } from './search';
import { entityAad, openEntityRow, vaultOf, type NameEntry, type Physical, type Vault } from './vault';

/** Plaintext bytes of one sealed chunk of the snapshot. */
export const CHUNK_BYTES = 64 * 1024;
/** Events appended since the snapshot after which the next current order is saved again. */
export const SAVE_LAG = 1000;

/**
 * The snapshot format written now: 2, whose entries may carry a third member, the name words the sort
 * name does not hold (store/search.ts `extraNameWords`), so that search matches every name word on
 * the order. A snapshot without a format (1: [sortName, guid] only) is not used: the order is built
 * from the rows once, and saved again in this format.
 */
export const NAME_INDEX_FORMAT = 2;

/** The clear header of the snapshot (meta 'names'). */
export interface NameIndexValue {
	/** {@link NAME_INDEX_FORMAT}; absent before it. */
	format?: number;
	/** Random id of this snapshot: its chunks carry it in their associated data. */
	id: string;
	/** Number of chunks, 'names:0' to 'names:<chunks - 1>'. */
	chunks: number;
	/** The log size and the rebuild count the order reflects. */
	size: number;
	rebuilt: number;
}

/** One sealed chunk of the snapshot (meta 'names:<i>'). */
export interface NameChunkValue {
	sealed: Uint8Array;
}

const HEADER = 'names';
const chunkKey = (i: number): `names:${number}` => `names:${i}`;
const utf8 = new TextEncoder();
// Dexie's DBCoreRangeType is a const enum, which isolated modules cannot read: its values.
const RANGE_RANGE = 2;
const RANGE_ANY = 3;

function chunkAad(head: NameIndexValue, i: number): Uint8Array<ArrayBuffer> {
	return utf8.encode(`names:v${String(head.format)}:${head.id}:${i}/${head.chunks}:${head.size}:${head.rebuilt}`);
}

/** What one read transaction found: the head, and either a usable snapshot with the rows changed since, or every row. */
interface Found {
	size: number;
	rebuilt: number;
	snapshot: { head: NameIndexValue; chunks: Uint8Array[] } | undefined;
	/** Entity rows to open: those touched since the snapshot, or all of them without one. */
	rows: Physical[];
	/** Guids touched since the snapshot (some may have no row: lost on disk). */
	touched: Set<string> | undefined;
}

/** An order and the extra name words of its entities that have some (guid -> words). */
interface Order {
	names: NameEntry[];
	extras: Map<string, string>;
}

/** Where the order came from, for tests and the benchmark. */
export type NameOrderSource = 'memory' | 'snapshot' | 'rows';

/** @internal How the last {@link nameOrder} call of a database found its order. */
export const lastSource = new WeakMap<CasetrailDb, NameOrderSource>();

/**
 * The [sortName, guid] of every entity with a projection, in IndexedDB key order, for the name list
 * of a vault database; undefined for a database without a vault. From memory when current, else
 * from the sealed snapshot and the events since, else from every row (see the module comment).
 * Call it outside any transaction: inside one (which would commit while WebCrypto is awaited) it
 * opens every row synchronously instead.
 */
export async function nameOrder(db: CasetrailDb): Promise<readonly NameEntry[] | undefined> {
	const vault = vaultOf(db);
	if (!vault) return undefined;
	vault.keys();
	const epoch = vault.currentEpoch();
	const [head, projections] = await db.meta.bulkGet(['head', 'projections']);
	const size = (head?.value as HeadValue | undefined)?.size ?? 0;
	const rebuilt = (projections?.value as ProjectionsValue | undefined)?.rebuilt ?? 0;
	const cached = vault.cachedNames(size, rebuilt);
	if (cached) {
		lastSource.set(db, 'memory');
		if (!Dexie.currentTransaction) maybeSave(db, vault, { names: cached, extras: vault.extraNames() }, size, rebuilt, epoch);
		return cached;
	}
	if (Dexie.currentTransaction) {
		const order = await buildInTransaction(db, vault);
		vault.setNames(order.names, size, rebuilt, epoch, order.extras);
		lastSource.set(db, 'rows');
		return order.names;
	}
	let found = await readState(db, vault, true);
	let order = found.snapshot ? await fromSnapshot(vault, found) : undefined;
	const saved = order !== undefined ? found.snapshot?.head : undefined;
	if (order === undefined) {
		// No snapshot, or one that does not open (another data key, edited on disk): every row.
		if (found.snapshot) found = await readState(db, vault, false);
		order = await openAll(vault, found.rows);
	}
	vault.setNames(order.names, found.size, found.rebuilt, epoch, order.extras);
	vault.setSavedNames(saved, epoch);
	lastSource.set(db, saved ? 'snapshot' : 'rows');
	maybeSave(db, vault, order, found.size, found.rebuilt, epoch);
	return order.names;
}

/**
 * The name order built again from every entity row, the snapshot and the order in memory left aside,
 * and saved as the snapshot: for a caller that found the order in memory short of a record (the
 * duplicate check, which must not miss one). Outside any transaction.
 */
export async function nameOrderFromRows(db: CasetrailDb): Promise<readonly NameEntry[] | undefined> {
	const vault = vaultOf(db);
	if (!vault) return undefined;
	vault.keys();
	const epoch = vault.currentEpoch();
	const found = await readState(db, vault, false);
	const order = await openAll(vault, found.rows);
	vault.setNames(order.names, found.size, found.rebuilt, epoch, order.extras);
	vault.setSavedNames(undefined, epoch);
	lastSource.set(db, 'rows');
	maybeSave(db, vault, order, found.size, found.rebuilt, epoch);
	return order.names;
}

/** One read transaction: head, rebuild count, the snapshot if it can serve, and the rows to open. */
async function readState(db: CasetrailDb, vault: Vault, useSnapshot: boolean): Promise<Found> {
	const core = vault.rawCore;
	if (!core) throw new CasetrailError('storage-failed', 'The vault has not been opened with its database.');
	return db.transaction('r', [db.meta, db.events, db.entities], async (tx) => {
		const trans = tx.idbtrans as unknown as DBCoreTransaction;
		const [head, projections, header] = await db.meta.bulkGet(['head', 'projections', HEADER]);
		const size = (head?.value as HeadValue | undefined)?.size ?? 0;
		const rebuilt = (projections?.value as ProjectionsValue | undefined)?.rebuilt ?? 0;
		const entities = core.table('entities');
		const snapHead = useSnapshot ? usableHeader(header?.value, size, rebuilt) : undefined;
		if (snapHead) {
			const stored = await db.meta.bulkGet(Array.from({ length: snapHead.chunks }, (_, i) => chunkKey(i)));
			const chunks = stored.map((row) => (row?.value as Partial<NameChunkValue> | undefined)?.sealed);
			if (chunks.every((c): c is Uint8Array => c instanceof Uint8Array)) {
				// The entities the events since the snapshot touched, from the clear entityGuid of their rows.
				const events = core.table('events');
				const range: DBCoreKeyRange = { type: RANGE_RANGE, lower: snapHead.size, upper: size, lowerOpen: false, upperOpen: true };
				const since = snapHead.size < size ? ((await events.query({ trans, values: true, query: { index: events.schema.primaryKey, range } })).result as Physical[]) : [];
				const touched = new Set(since.map((row) => String(row.entityGuid)));
				const keys = [...touched];
				const rows = keys.length > 0 ? ((await entities.getMany({ trans, keys })) as (Physical | undefined)[]) : [];
				return { size, rebuilt, snapshot: { head: snapHead, chunks }, rows: rows.filter((r): r is Physical => r !== undefined), touched };
			}
		}
		await db.entities.count();
		const all = await entities.query({ trans, values: true, query: { index: entities.schema.primaryKey, range: { type: RANGE_ANY, lower: undefined, upper: undefined } } });
		return { size, rebuilt, snapshot: undefined, rows: all.result as Physical[], touched: undefined };
	});
}

/** The stored header when it describes a snapshot this log can extend: same rebuild count, not ahead of the log. */
function usableHeader(value: unknown, size: number, rebuilt: number): NameIndexValue | undefined {
	if (typeof value !== 'object' || value === null) return undefined;
	const v = value as Partial<NameIndexValue>;
	if (v.format !== NAME_INDEX_FORMAT) return undefined;
	if (typeof v.id !== 'string' || !Number.isSafeInteger(v.chunks) || !Number.isSafeInteger(v.size) || !Number.isSafeInteger(v.rebuilt)) return undefined;
	if ((v.chunks as number) < 1 || (v.chunks as number) > 1 << 16 || v.rebuilt !== rebuilt || (v.size as number) < 0 || (v.size as number) > size) return undefined;
	return v as NameIndexValue;
}

/**
 * The snapshot's order with the touched entities moved to their current names (or removed when they
 * have no projection), or undefined when a chunk does not open or does not parse (then the rows are
 * read instead).
 */
async function fromSnapshot(vault: Vault, found: Found): Promise<Order | undefined> {
	const snapshot = found.snapshot as NonNullable<Found['snapshot']>;
	const key = await vault.webKey();
	let base: Order;
	try {
		const parts = await Promise.all(
			snapshot.chunks.map((sealed, i) =>
				crypto.subtle.decrypt({ name: 'AES-GCM', iv: sealed.slice(0, NONCE_BYTES), additionalData: chunkAad(snapshot.head, i) }, key, sealed.slice(NONCE_BYTES))
			)
		);
		const bytes = new Uint8Array(parts.reduce((sum, p) => sum + p.byteLength, 0));
		let at = 0;
		for (const p of parts) {
			bytes.set(new Uint8Array(p), at);
			at += p.byteLength;
		}
		base = parseOrder(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
	} catch {
		return undefined;
	}
	const touched = found.touched as Set<string>;
	if (touched.size === 0) return base;
	const added = await openAll(vault, found.rows);
	const kept = base.names.filter((entry) => !touched.has(entry[1]));
	for (const guid of touched) base.extras.delete(guid);
	for (const [guid, words] of added.extras) base.extras.set(guid, words);
	return { names: merge(kept, added.names), extras: base.extras };
}

/**
 * The order in a snapshot's text, checked entry by entry: [sortName, guid], or [sortName, guid,
 * extra name words] for an entity that has some.
 */
function parseOrder(text: string): Order {
	const value: unknown = JSON.parse(text);
	if (!Array.isArray(value)) throw new Error('not a name order');
	const extras = new Map<string, string>();
	for (const entry of value) {
		if (!Array.isArray(entry) || entry.length < 2 || entry.length > 3 || typeof entry[0] !== 'string' || typeof entry[1] !== 'string') throw new Error('not a name order');
		if (entry.length === 3) {
			if (typeof entry[2] !== 'string') throw new Error('not a name order');
			extras.set(entry[1], entry[2]);
			entry.length = 2;
		}
	}
	return { names: value as NameEntry[], extras };
}

/** @internal The JSON of an order as a snapshot holds it (see {@link parseOrder}). */
export function orderText(order: { names: readonly NameEntry[]; extras: ReadonlyMap<string, string> }): string {
	if (order.extras.size === 0) return JSON.stringify(order.names);
	return JSON.stringify(order.names.map((entry) => {
		const extra = order.extras.get(entry[1]);
		return extra === undefined || extra === '' ? entry : [entry[0], entry[1], extra];
	}));
}

/** Two sorted orders as one. */
function merge(a: NameEntry[], b: NameEntry[]): NameEntry[] {
	if (b.length === 0) return a;
	const out: NameEntry[] = new Array<NameEntry>(a.length + b.length);
	let i = 0;
	let j = 0;
	let k = 0;
	while (i < a.length && j < b.length) out[k++] = cmp(a[i], b[j]) <= 0 ? (a[i++] as NameEntry) : (b[j++] as NameEntry);
	while (i < a.length) out[k++] = a[i++] as NameEntry;
	while (j < b.length) out[k++] = b[j++] as NameEntry;
	return out;
}

/**
 * [sortName, guid] of the given stored rows that hold a projection, sorted. Opens them with
 * WebCrypto in parallel, outside any transaction: native AES-GCM opens a row about 4x faster than
 * noble does (measured in Chromium 156), and nothing here needs it to be synchronous.
 */
async function openAll(vault: Vault, stored: Physical[]): Promise<Order> {
	const key = await vault.webKey();
	const decoder = new TextDecoder('utf-8', { fatal: true });
	const names: NameEntry[] = [];
	const extras = new Map<string, string>();
	const openOne = async (row: Physical): Promise<void> => {
		const sealed = row.sealed;
		if (!(sealed instanceof Uint8Array)) return;
		const guid = String(row.guid);
		const decrypt = (aad: string) => crypto.subtle.decrypt({ name: 'AES-GCM', iv: sealed.slice(0, NONCE_BYTES), additionalData: utf8.encode(aad) }, key, sealed.slice(NONCE_BYTES));
		let plain: ArrayBuffer;
		try {
			// A row sealed before the count was bound opens with the guid alone (see entityAad).
			plain = await decrypt(entityAad(guid, row.count)).catch(() => decrypt(entityAad(guid)));
		} catch {
			throw new CasetrailError('decryption-failed', `The stored record ${guid} does not decrypt: it was changed outside Casetrail. A supervisor repairs it with "Rebuild records from the log" on the Integrity page.`);
		}
		const { entity, sortName } = JSON.parse(decoder.decode(plain)) as { entity?: Entity; sortName?: unknown };
		addEntry(names, extras, guid, entity, sortName);
	};
	// In slices, so a large device does not hold every pending decryption at once.
	for (let i = 0; i < stored.length; i += 2000) await Promise.all(stored.slice(i, i + 2000).map(openOne));
	return { names: names.sort((a, b) => cmp(a, b)), extras };
}

/**
 * Adds the entry of one entity row (its guid, and its projection and sort name as stored) to an order
 * being built, with its extra name words: nothing for a row without a projection.
 */
function addEntry(names: NameEntry[], extras: Map<string, string>, guid: string, entity: Entity | undefined, sortName: unknown): void {
	if (entity === undefined) return;
	// A record sealed without its sort name (vault.ts, `$derived`) gives it from its projection.
	const name = typeof sortName === 'string' ? sortName : sortNameOf(entity);
	names.push([name, guid]);
	const extra = extraNameWords(entity, name);
	if (extra !== '') extras.set(guid, extra);
}

/**
 * The entries of entity rows as they are stored (their guid, projection and sort name), gathered one
 * by one without holding the rows: those a rebuild produces, before they are written.
 */
export class RowNames {
	readonly names: NameEntry[] = [];
	readonly extras = new Map<string, string>();

	add(row: EntityRow): void {
		addEntry(this.names, this.extras, row.guid, row.entity, row.sortName);
	}
}

/**
 * Hands the vault the name order of `rows`, the entries of every entity row the readwrite transaction
 * `trans` leaves in the store (a rebuild's, store/rebuild.ts), for the log `size` and the `rebuilt`
 * count it writes: the order {@link openAll} would build from those rows once written. Held in memory
 * when `trans` commits, and then saved as the snapshot, outside the transaction; so the first list
 * after a rebuild does not open every row again. Call it in `trans`, after its last write.
 */
export function keepNamesOnCommit(db: CasetrailDb, vault: Vault, trans: DBCoreTransaction, rows: RowNames, size: number, rebuilt: number, epoch: number): void {
	const order: Order = { names: rows.names.sort((a, b) => cmp(a, b)), extras: rows.extras };
	vault.namesOnCommit(trans, order, size, rebuilt, epoch, () => maybeSave(db, vault, order, size, rebuilt, epoch));
}

/** Inside a caller's transaction (no WebCrypto there): every row, opened synchronously. */
async function buildInTransaction(db: CasetrailDb, vault: Vault): Promise<Order> {
	const core = vault.rawCore;
	if (!core) throw new CasetrailError('storage-failed', 'The vault has not been opened with its database.');
	const table = core.table('entities');
	await db.entities.count();
	const trans = (Dexie.currentTransaction as unknown as { idbtrans: DBCoreTransaction }).idbtrans;
	const res = await table.query({ trans, values: true, query: { index: table.schema.primaryKey, range: { type: RANGE_ANY, lower: undefined, upper: undefined } } });
	const keys = vault.keys();
	const names: NameEntry[] = [];
	const extras = new Map<string, string>();
	for (const row of res.result as Physical[]) {
		if (!(row.sealed instanceof Uint8Array)) continue;
		const logical = openEntityRow(keys, row) as Partial<EntityRow>;
		if (!logical.entity) continue;
		names.push([logical.sortName ?? '\uffff', String(row.guid)]);
		const extra = extraNameWords(logical.entity, logical.sortName);
		if (extra !== '') extras.set(String(row.guid), extra);
	}
	return { names: names.sort((a, b) => cmp(a, b)), extras };
}

/** The save started and not yet finished, per database: one at a time. */
const saving = new WeakMap<CasetrailDb, Promise<void>>();

/** @internal Resolves when the snapshot save under way (if any) has ended. */
export function nameIndexSaved(db: CasetrailDb): Promise<void> {
	return saving.get(db) ?? Promise.resolve();
}

/**
 * Saves `names` (current for `size` and `rebuilt`) as the snapshot when the stored one is missing,
 * from another rebuild count, or {@link SAVE_LAG} events behind. In the background: the list that
 * asked does not wait for it, and a failure only means the next unlock reads more rows.
 */
function maybeSave(db: CasetrailDb, vault: Vault, order: { names: readonly NameEntry[]; extras: ReadonlyMap<string, string> }, size: number, rebuilt: number, epoch: number): void {
	const saved = vault.savedNames();
	if (saved && saved.rebuilt === rebuilt && size - saved.size < SAVE_LAG) return;
	if (saving.has(db)) return;
	// Copied now, serialized after this returns: the order in memory changes with later appends, which
	// move whole entries in and out of it (vault.ts applyCommitted) and never change one, so a copy of
	// the list of entries and of the extra words is the order of `size`. Serializing it here made the
	// list that asked wait for it: about 0.1 to 0.3 s at 62,410 records, once every SAVE_LAG events.
	const copy = { names: order.names.slice(), extras: new Map(order.extras) };
	saving.set(
		db,
		saveNameIndex(db, vault, copy, size, rebuilt, epoch)
			.catch(() => undefined)
			.finally(() => saving.delete(db))
	);
}

/** @internal Entries of the order serialized between two yields to the event loop (see {@link orderTextInSlices}). */
export const SERIALIZE_SLICE = 5000;

/**
 * @internal {@link orderText} of `order`, the same text, made {@link SERIALIZE_SLICE} entries at a time with a
 * yield to the event loop before each: a list, a search or an append that arrives meanwhile runs
 * between two slices instead of after the whole order.
 */
export async function orderTextInSlices(order: { names: readonly NameEntry[]; extras: ReadonlyMap<string, string> }): Promise<string> {
	const parts: string[] = [];
	for (let i = 0; i < order.names.length; i += SERIALIZE_SLICE) {
		await new Promise((resolve) => setTimeout(resolve, 0));
		parts.push(orderText({ names: order.names.slice(i, i + SERIALIZE_SLICE), extras: order.extras }).slice(1, -1));
	}
	return `[${parts.join(',')}]`;
}

/** Seals the JSON of `order` (current for `size` and `rebuilt`) in chunks and writes it with its header in one transaction. */
async function saveNameIndex(db: CasetrailDb, vault: Vault, order: { names: readonly NameEntry[]; extras: ReadonlyMap<string, string> }, size: number, rebuilt: number, epoch: number): Promise<void> {
	const key = await vault.webKey();
	const text = await orderTextInSlices(order);
	if (epoch !== vault.currentEpoch()) return;
	const plain = utf8.encode(text);
	const chunks = Math.max(1, Math.ceil(plain.length / CHUNK_BYTES));
	const padded = new Uint8Array(chunks * CHUNK_BYTES).fill(0x20);
	padded.set(plain);
	const id = Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('');
	const head: NameIndexValue = { format: NAME_INDEX_FORMAT, id, chunks, size, rebuilt };
	const sealed = await Promise.all(
		Array.from({ length: chunks }, async (_, i) => {
			const iv = crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
			const body = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: chunkAad(head, i) }, key, padded.slice(i * CHUNK_BYTES, (i + 1) * CHUNK_BYTES)));
			const out = new Uint8Array(NONCE_BYTES + body.length);
			out.set(iv);
			out.set(body, NONCE_BYTES);
			return out;
		})
	);
	if (epoch !== vault.currentEpoch()) return;
	const written = await db.transaction('rw', db.meta, async () => {
		const [current, projections] = await db.meta.bulkGet([HEADER, 'projections']);
		// Another tab may have saved a later one, or rebuilt since: never replace it with an older order.
		const now = (projections?.value as ProjectionsValue | undefined)?.rebuilt ?? 0;
		const other = current?.value as Partial<NameIndexValue> | undefined;
		if (now !== rebuilt || (other?.rebuilt === rebuilt && typeof other.size === 'number' && other.size > size)) return false;
		const old = typeof other?.chunks === 'number' && Number.isSafeInteger(other.chunks) ? Math.min(other.chunks, 1 << 16) : 0;
		if (old > chunks) await db.meta.bulkDelete(Array.from({ length: old - chunks }, (_, i) => chunkKey(chunks + i)));
		await db.meta.bulkPut([...sealed.map((s, i) => ({ key: chunkKey(i), value: { sealed: s } })), { key: HEADER, value: head }]);
		return true;
	});
	if (written) vault.setSavedNames(head, epoch);
}
