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
 */
import Dexie, { cmp } from 'dexie';
import type { ApplierRegistry } from '../core/appliers';
import { CasetrailError, isCasetrailError } from '../core/errors';
import type { CasetrailEvent } from '../core/event';
import { assertSessionKeyCurrent } from './key-check';
import { defaultAppendRegistry } from './append';
import type { CasetrailDb, EntityRow, EventRow, ProjectionsValue, SnapshotRow } from './db';
import { guarded } from './errors';
import { DEFAULT_FIRST_SNAPSHOT, entityRow, foldInto, type FoldItem, type FoldState } from './fold';

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

/** The rows the replay produced for one entity guid. */
interface Replayed {
	guid: string;
	row: EntityRow;
	snapshots: SnapshotRow[];
}

/**
 * Replays the whole log into entity and snapshot rows, in one transaction: readers see the old
 * projections or the new ones, never a half-built list, and appends wait until it ends. See the
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
