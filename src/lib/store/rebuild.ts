/**
 * Rebuilding the projections from the log: projections are derived data (invariant 4), so dropping
 * every entity and snapshot and replaying all events must give exactly the rows that incremental
 * appends kept. The replay walks the `[entityGuid+instant+guid]` index, which yields each entity's
 * events together and already in the order they apply, so it holds one entity in memory at a time
 * and reads the log in chunks.
 *
 * Two modes end in the same rows. 'repair' (the default, and what the app's "Rebuild records from
 * the log" runs) walks the stored entities and snapshots beside the replay (all three are in entity
 * guid order) and writes only the rows that differ from the replay, deleting those it does not
 * produce. 'replace' drops both tables and writes every row again. Writing a row costs about ten
 * times reading one in IndexedDB (bench/README.md), so repairing projections that are mostly right
 * is several times faster than replacing them, and spares a cheap phone's flash storage.
 *
 * An encrypted store (the app's) is rebuilt differently to the same rows: the log is read in key
 * order and opened, and the rows to write are sealed, with WebCrypto outside transactions, then
 * written in one transaction ({@link rebuildSealed}).
 */
import Dexie, { cmp } from 'dexie';
import type { DBCoreKeyRange, DBCoreTransaction } from 'dexie';
import type { ApplierRegistry } from '../core/appliers';
import { CasetrailError, isCasetrailError } from '../core/errors';
import type { CasetrailEvent } from '../core/event';
import { assertSessionKeyCurrent } from './key-check';
import { defaultAppendRegistry } from './append';
import type { CasetrailDb, EntityRow, EventRow, HeadValue, ProjectionsValue, SnapshotRow } from './db';
import { keepNamesOnCommit, RowNames } from './name-index';
import { guarded } from './errors';
import { comparePositions, DEFAULT_FIRST_SNAPSHOT, entityRow, foldInto, type FoldItem, type FoldState } from './fold';
import { openEntityWeb, openEventWeb, openSnapshotWeb, presealRows, vaultOf, type Physical, type Vault } from './vault';

export interface RebuildOptions {
	/**
	 * 'repair' (default): write only the rows that differ from the replay; 'replace': drop both
	 * tables and write every row; 'check': write nothing and list the records that differ (the
	 * integrity check's comparison of every record with what its events project to).
	 */
	mode?: 'replace' | 'repair' | 'check';
	/** Must be the registry appends use, or the rebuilt entities differ. */
	registry?: ApplierRegistry;
	/** Must be the first snapshot position appends use (default 64). */
	firstSnapshot?: number;
	/** Events read per chunk (default 5000: fewer, larger reads are faster; a few MB at a time). */
	chunkSize?: number;
	onProgress?: (done: number, total: number) => void;
}

export interface RebuildResult {
	/** Events replayed. */
	events: number;
	/** Entity rows the replay produced (one per entity guid with events). */
	entities: number;
	/** Entity and snapshot rows written or deleted: all of them for 'replace'; those that differ for 'check'. */
	changed: number;
	/** The entity guids whose row or snapshots differ from the replay (or are missing, or are not produced by it), sorted; 'repair' and 'check' only. */
	differing: string[];
}

/** How the last rebuild of a database ran: mostly outside transactions (an encrypted store), or in one transaction. */
export const lastRebuild = new WeakMap<CasetrailDb, 'outside' | 'transaction'>();

/** The rows the replay produced for one entity guid. */
interface Replayed {
	guid: string;
	row: EntityRow;
	snapshots: SnapshotRow[];
}

/**
 * Replays the whole log into entity and snapshot rows, in one transaction (an encrypted store: its
 * writes in one transaction, after reads that the transaction checks are still current): readers
 * see the old projections or the new ones, never a half-built list, and appends wait until it ends. See the
 * file comment for the two modes. When rows changed, it counts a rebuild in meta 'projections', so
 * other connections drop what they keep of the old rows in memory.
 */
export async function rebuildProjections(db: CasetrailDb, options: RebuildOptions = {}): Promise<RebuildResult> {
	const registry = options.registry ?? defaultAppendRegistry();
	const firstSnapshot = options.firstSnapshot ?? DEFAULT_FIRST_SNAPSHOT;
	const chunkSize = options.chunkSize ?? 5000;
	const mode = options.mode ?? 'repair';
	if (!Number.isSafeInteger(chunkSize) || chunkSize < 1) throw new CasetrailError('out-of-range', `A rebuild reads a whole number >= 1 of events at a time, not ${String(chunkSize)}.`);
	if (mode !== 'replace' && mode !== 'repair' && mode !== 'check') throw new CasetrailError('out-of-range', `A rebuild mode is 'replace', 'repair' or 'check', not ${String(mode)}.`);
	// An encrypted store is rebuilt mostly outside transactions (see rebuildSealed), unless its log or
	// rows change meanwhile; the check stays in one read transaction.
	const vault = vaultOf(db);
	if (vault && mode !== 'check' && !Dexie.currentTransaction) {
		const sealed = await rebuildSealed(db, vault, { mode, registry, firstSnapshot, chunkSize, onProgress: options.onProgress });
		if (sealed) {
			lastRebuild.set(db, 'outside');
			return sealed;
		}
	}
	lastRebuild.set(db, 'transaction');
	const differing = new Set<string>();
	return guarded(db, () =>
		db.transaction(mode === 'check' ? 'r' : 'rw', [db.events, db.entities, db.snapshots, db.meta], async () => {
			// Never rows sealed under a key another tab's rotation has replaced.
			if (mode !== 'check') await assertSessionKeyCurrent(db);
			const total = await db.events.count();
			const sink = mode === 'replace' ? await replaceSink(db) : repairSink(db, differing, mode === 'repair');
			let current: { guid: string; state: FoldState; snapshots: SnapshotRow[] } | undefined;
			let entities = 0;
			let done = 0;
			const index = '[entityGuid+instant+guid]';
			// Pipelined: while a chunk is folded here, the database reads the next one, reads the
			// stored rows this one is compared with (repair) and writes the previous one's rows. At
			// most one chunk of each is in flight, so memory stays flat.
			const read = (after: [string, number, string] | undefined): Promise<EventRow[]> =>
				settled((after ? db.events.where(index).above(after) : db.events.orderBy(index)).limit(chunkSize).toArray());
			let next: Promise<EventRow[]> | undefined = read(undefined);
			while (next) {
				const rows: EventRow[] = await next;
				if (rows.length === 0) break;
				const tail = rows[rows.length - 1] as EventRow;
				next = rows.length === chunkSize ? read([tail.entityGuid, tail.instant, tail.guid]) : undefined;
				// The entities this chunk finishes are known before folding it: every one before the
				// tail's, which may go on in the next chunk. Their stored rows are read meanwhile.
				const lastFinished = lastGuidBefore(rows, tail.entityGuid) ?? (current && current.guid !== tail.entityGuid ? current.guid : undefined);
				if (lastFinished !== undefined) sink.prefetch(lastFinished);
				const finished: Replayed[] = [];
				let run: FoldItem[] = [];
				const foldRun = (): void => {
					if (current && run.length > 0) foldInto(current.state, current.guid, run, registry, firstSnapshot, current.snapshots);
					run = [];
				};
				for (const row of rows) {
					if (!current || current.guid !== row.entityGuid) {
						foldRun();
						if (current) finished.push({ guid: current.guid, row: entityRow(current.guid, current.state), snapshots: current.snapshots });
						current = { guid: row.entityGuid, state: { entity: undefined, count: 0, last: undefined }, snapshots: [] };
						entities += 1;
					}
					run.push({ event: JSON.parse(row.canonical) as CasetrailEvent, position: { instant: row.instant, guid: row.guid } });
				}
				foldRun();
				done += rows.length;
				await sink.take(finished);
				options.onProgress?.(done, total);
			}
			if (current) await sink.take([{ guid: current.guid, row: entityRow(current.guid, current.state), snapshots: current.snapshots }]);
			const changed = await sink.finish();
			if (changed > 0 && mode !== 'check') {
				const projections = (await db.meta.get('projections'))?.value as ProjectionsValue | undefined;
				await db.meta.put({ key: 'projections', value: { rebuilt: (projections?.rebuilt ?? 0) + 1 } });
			}
			return { events: done, entities, changed, differing: [...differing].sort((a, b) => cmp(a, b)) };
		})
	);
}

// Dexie's DBCoreRangeType is a const enum, which isolated modules cannot read: its value.
const RANGE_RANGE = 2;

/** A key range for the DBCore below the vault: above `lower` (excluded), up to `upper` (included); unbounded where undefined. */
function keyRange(lower: unknown, upper: unknown): DBCoreKeyRange {
	return { type: RANGE_RANGE, lower, lowerOpen: true, upper, upperOpen: false };
}

/** An event of the log, opened: what folding it needs. */
interface OpenedEvent {
	canonical: string;
	instant: number;
	guid: string;
}

/**
 * The rebuild of an encrypted store, with its cryptography outside transactions, where WebCrypto's
 * native AES-GCM opens and seals rows off the JavaScript thread instead of @noble/ciphers on it
 * (about half the time of a rebuild that rewrote every record, bench/README.md), and the log read
 * in key order rather than through the entity index (a read in key order is a sequential scan):
 * 1. the log is read in chunks of `chunkSize` events, each in a read transaction below the vault
 *    (the next one asked for as soon as one arrives), opened with WebCrypto, and its events kept by
 *    entity, as text;
 * 2. the entities are then folded in guid order, a group of about `chunkSize` events at a time;
 *    for each group, one read transaction reads the stored entity and snapshot rows of its guid
 *    range (the next group's while this one is folded), they are opened with WebCrypto, compared
 *    with the replay as in one transaction, and the rows to write are sealed with WebCrypto (their
 *    blind tokens in JavaScript);
 * 3. one read-write transaction checks that the head and the rebuild count are still those every
 *    read transaction found (so the log and the rows did not change in between: every append and
 *    every import moves the head, every rebuild the count) and that the session's key is current,
 *    then writes the sealed rows as they are and deletes the stray ones.
 * Readers see the old rows or the new ones, never a half-written set; a rebuild cut before its last
 * transaction commits changed nothing, and the next one starts again. Returns undefined (the caller
 * then rebuilds in one transaction) when the head or the count moved, or an event does not open.
 * Holds the log's texts, then the rows to write, in memory: every record when all were lost.
 */
async function rebuildSealed(
	db: CasetrailDb,
	vault: Vault,
	options: { mode: 'replace' | 'repair'; registry: ApplierRegistry; firstSnapshot: number; chunkSize: number; onProgress: RebuildOptions['onProgress'] }
): Promise<RebuildResult | undefined> {
	const { mode, registry, firstSnapshot, chunkSize } = options;
	const core = vault.rawCore;
	if (!core) return undefined;
	vault.keys();
	const epoch = vault.currentEpoch();
	const key = await vault.webKey();
	const eventsTable = core.table('events');
	const entitiesTable = core.table('entities');
	const snapshotsTable = core.table('snapshots');

	// The head and rebuild count the first read transaction found; every later one must find the same.
	let seen: { head: unknown; projections: unknown } | undefined;
	const moved = (head: unknown, projections: unknown): boolean => {
		if (!seen) {
			seen = { head, projections };
			return false;
		}
		return !sameRow(head, seen.head) || !sameRow(projections, seen.projections);
	};
	type Read<T> = { head: unknown; projections: unknown; value: T };
	/** `work` below the vault in a read transaction over `tables`, with the head and the rebuild count. */
	const reading = <T>(tables: Dexie.Table[], work: (trans: DBCoreTransaction) => Promise<T>): Promise<Read<T>> =>
		settled(
			db.transaction('r', [...tables, db.meta], async (tx) => {
				// Also makes Dexie create the IndexedDB transaction, used below the vault after it.
				const [head, projections] = await Promise.all([db.meta.get('head'), db.meta.get('projections')]);
				return { head: head?.value, projections: projections?.value, value: await work(tx.idbtrans as unknown as DBCoreTransaction) };
			})
		);

	// 1. The log, in key order.
	const total = await db.events.count();
	const byEntity = new Map<string, OpenedEvent[]>();
	const readEvents = (after: number | undefined): Promise<Read<Physical[]>> =>
		reading([db.events], async (trans) => (await eventsTable.query({ trans, values: true, limit: chunkSize, query: { index: eventsTable.schema.primaryKey, range: keyRange(after, undefined) } })).result as Physical[]);
	let next: Promise<Read<Physical[]>> | undefined = readEvents(undefined);
	let events = 0;
	while (next) {
		const chunk: Read<Physical[]> = await next;
		if (moved(chunk.head, chunk.projections)) return undefined;
		const rows: Physical[] = chunk.value;
		const tail = rows[rows.length - 1];
		next = rows.length === chunkSize && tail ? readEvents(tail.seq as number) : undefined;
		const opened = await Promise.all(rows.map((row) => openEventWeb(key, row)));
		for (let i = 0; i < rows.length; i++) {
			const row = rows[i] as Physical;
			const event = opened[i];
			// An event that does not open: the rebuild in one transaction reports it as it always did.
			if (!event) return undefined;
			const entityGuid = row.entityGuid as string;
			const item: OpenedEvent = { canonical: event.canonical, instant: row.instant as number, guid: row.guid as string };
			const list = byEntity.get(entityGuid);
			if (list) list.push(item);
			else byEntity.set(entityGuid, [item]);
		}
		events += rows.length;
	}

	// 2. The entities in guid order, in groups of about chunkSize events, each with the stored rows of its guid range.
	const guids = [...byEntity.keys()].sort((a, b) => cmp(a, b));
	const groups: { guids: string[]; upTo: string | undefined }[] = [];
	for (let i = 0, count = 0, start = 0; i < guids.length; i++) {
		count += (byEntity.get(guids[i] as string) as OpenedEvent[]).length;
		if (count >= chunkSize || i === guids.length - 1) {
			groups.push({ guids: guids.slice(start, i + 1), upTo: guids[i] });
			start = i + 1;
			count = 0;
		}
	}
	// The last group's range goes on to the end: stored rows after the last replayed guid are strays.
	if (groups.length === 0) groups.push({ guids: [], upTo: undefined });
	(groups[groups.length - 1] as { upTo: string | undefined }).upTo = undefined;
	const readStored = (after: string | undefined, upTo: string | undefined) =>
		reading([db.entities, db.snapshots], async (trans) => {
			// 'replace' writes every row whatever is stored.
			if (mode === 'replace') return { entities: [] as Physical[], snapshots: [] as Physical[] };
			const [entities, snapshots] = await Promise.all([
				entitiesTable.query({ trans, values: true, query: { index: entitiesTable.schema.primaryKey, range: keyRange(after, upTo) } }),
				snapshotsTable.query({
					trans,
					values: true,
					query: { index: snapshotsTable.schema.primaryKey, range: keyRange(after === undefined ? undefined : [after, Infinity], upTo === undefined ? undefined : [upTo, Infinity]) }
				})
			]);
			return { entities: entities.result as Physical[], snapshots: snapshots.result as Physical[] };
		});

	// Stored rows read but not yet matched with a replayed entity, and those that do not open.
	const storedRows = new Map<string, EntityRow>();
	const storedSnapshots = new Map<string, SnapshotRow[]>();
	const unreadableRows = new Set<string>();
	const unreadableSnapshots = new Map<string, number[]>();
	const puts: EntityRow[] = [];
	const snapshotPuts: SnapshotRow[] = [];
	const deletes: string[] = [];
	const snapshotDeletes: [string, number][] = [];
	const differing = new Set<string>();
	const sealing: Promise<void>[] = [];
	// The name entries of every row the replay produced: the rows the store holds once the write commits.
	const projected = new RowNames();

	/** Compares the replayed entities with their stored rows, and seals what is to be written. */
	const compare = (replayed: Replayed[]): void => {
		const rowPuts: EntityRow[] = [];
		const snapPuts: SnapshotRow[] = [];
		for (const { guid, row, snapshots } of replayed) {
			projected.add(row);
			if (mode === 'replace') {
				rowPuts.push(row);
				snapPuts.push(...snapshots);
				continue;
			}
			const stored = storedRows.get(guid);
			storedRows.delete(guid);
			unreadableRows.delete(guid);
			if (!stored || !sameRow(stored, row)) {
				rowPuts.push(row);
				differing.add(guid);
			}
			const wanted = new Map(snapshots.map((sn) => [sn.position, sn]));
			for (const sn of storedSnapshots.get(guid) ?? []) {
				const replay = wanted.get(sn.position);
				if (!replay) snapshotDeletes.push([guid, sn.position]);
				else if (sameRow(sn, replay)) wanted.delete(sn.position);
			}
			storedSnapshots.delete(guid);
			for (const position of unreadableSnapshots.get(guid) ?? []) if (!wanted.has(position)) snapshotDeletes.push([guid, position]);
			unreadableSnapshots.delete(guid);
			if (wanted.size > 0) differing.add(guid);
			snapPuts.push(...wanted.values());
		}
		if (rowPuts.length === 0 && snapPuts.length === 0) return;
		puts.push(...rowPuts);
		snapshotPuts.push(...snapPuts);
		sealing.push(settled(presealRows(db, rowPuts, snapPuts, true)));
	};

	let storedNext: ReturnType<typeof readStored> | undefined = readStored(undefined, groups[0]?.upTo);
	let done = 0;
	for (let g = 0; g < groups.length; g++) {
		const group = groups[g] as { guids: string[]; upTo: string | undefined };
		const stored = await (storedNext as ReturnType<typeof readStored>);
		if (moved(stored.head, stored.projections)) return undefined;
		const following = groups[g + 1];
		storedNext = following ? readStored(group.upTo, following.upTo) : undefined;
		const [rows, snapshots] = await Promise.all([
			Promise.all(stored.value.entities.map((row) => openEntityWeb(key, row).catch(unreadable))),
			Promise.all(stored.value.snapshots.map((row) => openSnapshotWeb(key, row).catch(unreadable)))
		]);
		stored.value.entities.forEach((raw, i) => {
			const row = rows[i];
			if (row) storedRows.set(row.guid, row);
			else unreadableRows.add(raw.guid as string);
		});
		stored.value.snapshots.forEach((raw, i) => {
			const sn = snapshots[i];
			const guid = raw.entityGuid as string;
			if (sn) storedSnapshots.set(guid, [...(storedSnapshots.get(guid) ?? []), sn]);
			else unreadableSnapshots.set(guid, [...(unreadableSnapshots.get(guid) ?? []), raw.position as number]);
		});
		const replayed: Replayed[] = [];
		for (const guid of group.guids) {
			const list = (byEntity.get(guid) as OpenedEvent[]).sort(comparePositions);
			byEntity.delete(guid);
			const state: FoldState = { entity: undefined, count: 0, last: undefined };
			const snapshotsOf: SnapshotRow[] = [];
			const items = list.map((e): FoldItem => ({ event: JSON.parse(e.canonical) as CasetrailEvent, position: { instant: e.instant, guid: e.guid } }));
			foldInto(state, guid, items, registry, firstSnapshot, snapshotsOf);
			replayed.push({ guid, row: entityRow(guid, state), snapshots: snapshotsOf });
			done += list.length;
		}
		compare(replayed);
		options.onProgress?.(done, total);
	}
	// What is left belongs to no replayed entity.
	if (mode === 'repair') {
		deletes.push(...storedRows.keys(), ...unreadableRows);
		for (const list of storedSnapshots.values()) for (const sn of list) snapshotDeletes.push([sn.entityGuid, sn.position]);
		for (const [guid, positions] of unreadableSnapshots) for (const position of positions) snapshotDeletes.push([guid, position]);
		for (const guid of deletes) differing.add(guid);
		for (const [guid] of snapshotDeletes) differing.add(guid);
	}
	await Promise.all(sealing);
	const changed = puts.length + snapshotPuts.length + deletes.length + snapshotDeletes.length;
	const result: RebuildResult = { events, entities: guids.length, changed, differing: [...differing].sort((a, b) => cmp(a, b)) };
	if (changed === 0 && mode === 'repair') return result;
	const expected = seen;
	return guarded(db, () =>
		db.transaction('rw', [db.events, db.entities, db.snapshots, db.meta], async (tx) => {
			// Never rows sealed under a key another tab's rotation has replaced.
			await assertSessionKeyCurrent(db);
			const [head, projections] = await Promise.all([db.meta.get('head'), db.meta.get('projections')]);
			if (!expected || !sameRow(head?.value, expected.head) || !sameRow(projections?.value, expected.projections)) return undefined;
			if (mode === 'replace') await Promise.all([db.entities.clear(), db.snapshots.clear()]);
			const others = settled(Promise.all([
				deletes.length > 0 ? db.entities.bulkDelete(deletes) : undefined,
				snapshotPuts.length > 0 ? db.snapshots.bulkPut(snapshotPuts) : undefined,
				snapshotDeletes.length > 0 ? db.snapshots.bulkDelete(snapshotDeletes) : undefined
			]));
			// A batch at a time, so the stored form of only one batch is in memory at once.
			for (let i = 0; i < puts.length; i += chunkSize) await db.entities.bulkPut(puts.slice(i, i + chunkSize));
			await others;
			if (changed > 0) {
				const rebuilt = ((projections?.value as ProjectionsValue | undefined)?.rebuilt ?? 0) + 1;
				await db.meta.put({ key: 'projections', value: { rebuilt } });
				// The stored rows are now exactly the replayed ones: their name order is known without opening them.
				keepNamesOnCommit(db, vault, tx.idbtrans as unknown as DBCoreTransaction, projected, (head?.value as HeadValue | undefined)?.size ?? 0, rebuilt, epoch);
			}
			return result;
		})
	);
}

/** Undefined for a stored row that does not open ('decryption-failed'); other failures go on. */
function unreadable(e: unknown): undefined {
	if (isCasetrailError(e) && e.code === 'decryption-failed') return undefined;
	throw e;
}

/** The entity guid of the last of `rows` (in entity order) that belongs to another entity than `guid`. */
function lastGuidBefore(rows: EventRow[], guid: string): string | undefined {
	for (let i = rows.length - 1; i >= 0; i--) {
		const entityGuid = (rows[i] as EventRow).entityGuid;
		if (entityGuid !== guid) return entityGuid;
	}
	return undefined;
}

/** Where the replayed rows go: each call gets the entities finished since the last, in guid order. */
interface Sink {
	/** Says that the next `take` ends with entity `upTo`, before the replay has produced it. */
	prefetch(upTo: string): void;
	take(replayed: Replayed[]): Promise<void>;
	/** Completes the writes; resolves the number of rows written or deleted. */
	finish(): Promise<number>;
}

/** Clears both tables, then adds every replayed row, one chunk of writes in flight at a time. */
async function replaceSink(db: CasetrailDb): Promise<Sink> {
	await Promise.all([db.entities.clear(), db.snapshots.clear()]);
	let writing: Promise<unknown> = Promise.resolve();
	let changed = 0;
	return {
		prefetch() {},
		async take(replayed) {
			const entityRows = replayed.map((r) => r.row);
			const snapshotRows = replayed.flatMap((r) => r.snapshots);
			changed += entityRows.length + snapshotRows.length;
			await writing;
			writing = settled(
				Promise.all([
					entityRows.length > 0 ? db.entities.bulkAdd(entityRows) : undefined,
					snapshotRows.length > 0 ? db.snapshots.bulkAdd(snapshotRows) : undefined
				])
			);
		},
		async finish() {
			await writing;
			return changed;
		}
	};
}

/**
 * The same row, as far as a rebuild is concerned: the same members with the same values, in any
 * order (rows hold only JSON values; a row read through the vault lists its clear members after its
 * sealed ones). Walks both once and stops at the first difference; about three times faster than
 * comparing their JSON texts, which matters because a repair compares every row.
 */
export function sameRow(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
	if (Array.isArray(a)) {
		if (!Array.isArray(b) || a.length !== b.length) return false;
		for (let i = 0; i < a.length; i++) if (!sameRow(a[i], b[i])) return false;
		return true;
	}
	if (Array.isArray(b)) return false;
	const keys = Object.keys(a);
	if (keys.length !== Object.keys(b).length) return false;
	for (const key of keys) {
		if (!Object.hasOwn(b, key) || !sameRow((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
	}
	return true;
}

/**
 * Compares the replay with the stored rows and writes only the differences: a row that differs or
 * is missing is put, a stored row the replay does not produce is deleted. For each chunk of
 * replayed entities it reads the stored rows of the same guid range (the replay comes in guid
 * order), two range reads per chunk asked for before the chunk is folded, then merges without
 * awaiting: a long run of awaits inside a transaction is what makes Dexie lose track of it
 * ("Transaction committed too early").
 */
function repairSink(db: CasetrailDb, differing: Set<string>, write: boolean): Sink {
	// The last guid whose stored rows were asked for: rows up to it are read or being read.
	let after: string | undefined;
	let changed = 0;
	let writing: Promise<unknown> = Promise.resolve();
	// The stored rows of the next take, asked for by prefetch while the replay folds them.
	let pending: Promise<StoredRange> | undefined;

	/** Asks for the stored entity and snapshot rows with guid in (after, upTo], or past `after` when upTo is undefined; moves `after` on. */
	function storedRange(upTo: string | undefined): Promise<StoredRange> {
		const entities =
			upTo === undefined
				? after === undefined
					? db.entities.toCollection()
					: db.entities.where(':id').above(after)
				: db.entities.where(':id').between(after ?? Dexie.minKey, upTo, after !== undefined ? false : true, true);
		const snapshots =
			upTo === undefined
				? after === undefined
					? db.snapshots.toCollection()
					: db.snapshots.where(':id').above([after, Infinity])
				: db.snapshots.where(':id').between([after ?? Dexie.minKey, after === undefined ? -Infinity : Infinity], [upTo, Infinity], true, true);
		const rows = Promise.all([readable(entities, (key: string) => db.entities.get(key)), readable(snapshots, (key: [string, number]) => db.snapshots.get(key))]).then(
			([e, sn]): StoredRange => ({ entities: e.rows, snapshots: sn.rows, unreadableEntities: e.unreadable, unreadableSnapshots: sn.unreadable })
		);
		after = upTo;
		return settled(rows);
	}

	async function merge(replayed: Replayed[], stored: Promise<StoredRange>): Promise<void> {
		const { entities, snapshots, unreadableEntities, unreadableSnapshots } = await stored;
		// A row that does not open is rewritten when the replay produces it (it counts as missing),
		// and deleted when it does not.
		const strayUnreadable = new Set(unreadableEntities);
		for (const r of replayed) strayUnreadable.delete(r.guid);
		const wantedSnapshot = new Set(replayed.flatMap((r) => r.snapshots.map((sn) => `${sn.entityGuid}\u0000${sn.position}`)));
		const storedRow = new Map(entities.map((row) => [row.guid, row]));
		const storedSnapshots = new Map<string, SnapshotRow[]>();
		for (const s of snapshots) {
			const list = storedSnapshots.get(s.entityGuid);
			if (list) list.push(s);
			else storedSnapshots.set(s.entityGuid, [s]);
		}
		const puts: EntityRow[] = [];
		const snapshotPuts: SnapshotRow[] = [];
		const snapshotDeletes: [string, number][] = [];
		for (const { guid, row, snapshots: wantedList } of replayed) {
			const stored = storedRow.get(guid);
			storedRow.delete(guid);
			if (!stored || !sameRow(stored, row)) puts.push(row);
			const wanted = new Map(wantedList.map((s) => [s.position, s]));
			for (const s of storedSnapshots.get(guid) ?? []) {
				const replay = wanted.get(s.position);
				if (!replay) snapshotDeletes.push([s.entityGuid, s.position]);
				else if (sameRow(s, replay)) wanted.delete(s.position);
			}
			storedSnapshots.delete(guid);
			snapshotPuts.push(...wanted.values());
		}
		// What is left in the range belongs to no replayed entity.
		const deletes = [...storedRow.keys(), ...strayUnreadable];
		for (const list of storedSnapshots.values()) for (const s of list) snapshotDeletes.push([s.entityGuid, s.position]);
		for (const key of unreadableSnapshots) if (!wantedSnapshot.has(`${key[0]}\u0000${key[1]}`)) snapshotDeletes.push(key);
		changed += puts.length + deletes.length + snapshotPuts.length + snapshotDeletes.length;
		for (const row of puts) differing.add(row.guid);
		for (const guid of deletes) differing.add(guid);
		for (const s of snapshotPuts) differing.add(s.entityGuid);
		for (const [guid] of snapshotDeletes) differing.add(guid);
		if (!write) return;
		await writing;
		writing = settled(
			Promise.all([
				puts.length > 0 ? db.entities.bulkPut(puts) : undefined,
				deletes.length > 0 ? db.entities.bulkDelete(deletes) : undefined,
				snapshotPuts.length > 0 ? db.snapshots.bulkPut(snapshotPuts) : undefined,
				snapshotDeletes.length > 0 ? db.snapshots.bulkDelete(snapshotDeletes) : undefined
			])
		);
	}

	return {
		prefetch(upTo) {
			pending = storedRange(upTo);
		},
		async take(replayed) {
			const last = replayed[replayed.length - 1];
			if (!last) return;
			// Asked for by prefetch, but for the entity the log ends with.
			const stored = pending ?? storedRange(last.guid);
			pending = undefined;
			await merge(replayed, stored);
		},
		async finish() {
			await merge([], storedRange(undefined));
			await writing;
			return changed;
		}
	};
}

/**
 * The rows of `range`. Where one does not open (a row sealed by the vault and edited on disk), the
 * rows are read one by one and those that fail are returned by key, so the repair writes them anew
 * from the replay (or deletes them) instead of failing as every other read of them does.
 */
async function readable<T, K>(range: { toArray(): PromiseLike<T[]>; primaryKeys(): PromiseLike<K[]> }, get: (key: K) => PromiseLike<T | undefined>): Promise<{ rows: T[]; unreadable: K[] }> {
	try {
		return { rows: await range.toArray(), unreadable: [] };
	} catch (e) {
		if (!isCasetrailError(e) || e.code !== 'decryption-failed') throw e;
		const keys = await range.primaryKeys();
		const unreadable: K[] = [];
		const rows: (T | undefined)[] = await Promise.all(
			keys.map((key) =>
				Promise.resolve(get(key)).catch((failure: unknown): undefined => {
					if (isCasetrailError(failure) && failure.code === 'decryption-failed') {
						unreadable.push(key);
						return undefined;
					}
					throw failure;
				})
			)
		);
		return { rows: rows.filter((row): row is T => row !== undefined), unreadable };
	}
}

/** The stored rows of a guid range, and the keys of those that do not open. */
interface StoredRange {
	entities: EntityRow[];
	snapshots: SnapshotRow[];
	unreadableEntities: string[];
	unreadableSnapshots: [string, number][];
}

/**
 * `promise` itself, marked as handled: it is awaited later, after other awaits, and a failure that
 * comes first must not be reported as unhandled (the later await still throws it).
 */
function settled<T>(promise: Promise<T>): Promise<T> {
	promise.catch(() => undefined);
	return promise;
}
