/**
 * Importing a verified bundle in chunks (issue 20), so that other tabs are never held for long and
 * memory stays bounded, while the bundle stays all-or-nothing:
 *
 * 1. `beginImport`: one short transaction puts an {@link ImportMarker} into the head: the head as it
 *    was (with its MAC), the device, whether it was new here. From then on every other append and
 *    every export is refused with 'import-running' (append.ts, exports.ts), so the log grows by this
 *    import only and can be cut back exactly.
 * 2. `stagePeerNodes` (a device never seen): its Merkle nodes in short transactions over `peerNodes`
 *    alone; until the import is published no device row points at them, and an undo deletes them all.
 * 3. `appendChunk`: the events, a chunk at a time (each sized by time: {@link nextPace}), each chunk
 *    one ordinary append (its event rows, Merkle nodes, projections and head in one transaction:
 *    invariant 2) carrying the marker, and the bundle's verified leaf hashes instead of hashing
 *    again. Readers in other tabs get in between.
 * 4. The caller publishes in one short transaction: the device row, its checkpoint (and the nodes of
 *    a known device), and the head without the marker.
 *
 * A failure midway (a changed event, a full disk) undoes it at once ({@link undoImport}); an import
 * that stopped without undoing (its tab was closed) leaves its marker, which the next import or
 * sign-in finds and undoes once no tab runs it any more ({@link recoverImport}; the running import
 * holds a Web Lock named after the database). Undoing cuts the log back to the head kept in the
 * marker, deletes what was staged, and rebuilds the records from the log ("repair": only rows that
 * differ are written), so the projections are exactly those of the log before.
 */
import Dexie from 'dexie';
import { CasetrailError } from '../core/errors';
import type { CasetrailEvent } from '../core/event';
import type { TreeNode } from '../core/bundle/nodes';
import { appendEvents, type AppendOptions, type AppendResult } from './append';
import type { CasetrailDb, EventOrigin, HeadValue, ImportMarker } from './db';
import type { PeerNodeRow } from './exchange-schema';
import { guarded } from './errors';
import { authenticateHead, headAuthenticity } from './head-mac';
import { rebuildProjections } from './rebuild';

/**
 * How many events each append transaction of an import takes when no fixed size is asked: sized by
 * time, not by count, so that another tab waits about {@link ChunkSizing.budgetMs} for a read
 * whether the phone is quiet or loaded. The first chunk takes `first` events; each next size is
 * the budget divided by the time per event measured so far (smoothed), within `min..max`, and at
 * most `step` times larger or smaller than the chunk before.
 */
export interface ChunkSizing {
	/** The time one append transaction should take, in ms. */
	budgetMs: number;
	first: number;
	min: number;
	max: number;
	/** The largest factor between two consecutive sizes (> 1). */
	step: number;
	/** The weight of the last chunk in the smoothed time per event (0 < weight <= 1). */
	weight: number;
}

/**
 * 300 ms a chunk: a reader in another tab then waits about a third of a second, and a chunk three
 * times slower than foreseen (a phone busy elsewhere) still holds it under one second; a chunk's
 * fixed cost (about 50 ms on the benchmark machine) stays near a sixth of it.
 */
export const IMPORT_SIZING: ChunkSizing = { budgetMs: 300, first: 200, min: 50, max: 2000, step: 2, weight: 0.5 };

/** The peer nodes written per transaction while staging, by the same budget (a node costs far less than an event). */
export const NODE_SIZING: ChunkSizing = { budgetMs: 300, first: 2000, min: 500, max: 20_000, step: 2, weight: 0.5 };

/** What the sizing keeps between chunks: the size of the next chunk and the smoothed time per event. */
export interface ChunkPace {
	size: number;
	/** ms per event, smoothed over the chunks measured; undefined before the first. */
	msPerEvent?: number;
}

/** The pace before the first chunk. */
export function firstPace(sizing: ChunkSizing = IMPORT_SIZING): ChunkPace {
	return { size: sizing.first };
}

/**
 * The pace after a chunk of `events` events (or nodes) took `ms`: the time per event smoothed with
 * the measure, and the next size, the budget at that time per event, bounded by the step from the
 * size before and by `min..max`. Pure.
 */
export function nextPace(pace: ChunkPace, events: number, ms: number, sizing: ChunkSizing = IMPORT_SIZING): ChunkPace {
	const bound = (size: number): number => Math.min(sizing.max, Math.max(sizing.min, Math.round(size)));
	if (!(events > 0) || !Number.isFinite(ms)) return { ...pace, size: bound(pace.size) };
	// A chunk faster than the clock can tell counts as a hundredth of a ms per event.
	const measured = Math.max(ms, 0.01 * events) / events;
	const msPerEvent = pace.msPerEvent === undefined ? measured : pace.msPerEvent + sizing.weight * (measured - pace.msPerEvent);
	const wanted = sizing.budgetMs / msPerEvent;
	const stepped = Math.min(pace.size * sizing.step, Math.max(pace.size / sizing.step, wanted));
	return { size: bound(stepped), msPerEvent };
}

/** How far an import is: the phase and the events (or nodes) done of those it has. */
export interface ImportProgress {
	phase: 'nodes' | 'events' | 'publishing';
	done: number;
	total: number;
}

// Imports running in this JavaScript realm, by marker id: where Web Locks are missing (Node tests).
const runningHere = new Set<string>();

function lockName(db: Dexie): string {
	return `casetrail-import:${db.name}`;
}

function locks(): LockManager | undefined {
	return (globalThis.navigator as Navigator | undefined)?.locks;
}

/** True when an import of `db` runs in some tab (it holds the lock) or in this realm. */
async function importIsRunning(db: Dexie, id: string): Promise<boolean> {
	if (runningHere.has(id)) return true;
	const manager = locks();
	if (!manager) return false;
	const state = await manager.query();
	const name = lockName(db);
	return (state.held ?? []).some((l) => l.name === name) || (state.pending ?? []).some((l) => l.name === name);
}

/**
 * Runs `work` holding the import lock of `db` (Web Locks, across tabs) with `id` marked as running in
 * this realm; the lock ends with `work`, or with the tab.
 */
export async function holdingImport<T>(db: Dexie, id: string, work: () => Promise<T>): Promise<T> {
	runningHere.add(id);
	try {
		const manager = locks();
		if (!manager) return await work();
		return (await manager.request(lockName(db), { mode: 'exclusive' }, () => work())) as T;
	} finally {
		runningHere.delete(id);
	}
}

async function readHead(db: CasetrailDb): Promise<HeadValue | undefined> {
	return (await db.meta.get('head'))?.value as HeadValue | undefined;
}

/**
 * Puts the marker of a new import into the head, in one short transaction. Refuses with
 * 'import-running' when another import holds the log; undoes first an import left by a closed tab.
 */
export async function beginImport(db: CasetrailDb, marker: Omit<ImportMarker, 'before'>): Promise<ImportMarker> {
	await recoverImport(db);
	return guarded(db, () =>
		db.transaction('rw', [db.meta, db.events], async () => {
			const head = await readHead(db);
			if (head?.importing) throw running();
			if ((await headAuthenticity(db, head)) === 'forged') {
				throw new CasetrailError('history-inconsistent', 'Nothing was imported: the head of the log was changed in the device storage without this device’s key. A supervisor runs the integrity check.');
			}
			const before: HeadValue = head ?? authenticateHead(db, { size: 0, frontier: [], bytes: 0, types: {} });
			const full: ImportMarker = { ...marker, before };
			// The MAC does not cover the marker: the head is written back with the MAC it has.
			await db.meta.put({ key: 'head', value: { ...before, importing: full } });
			return full;
		})
	);
}

function running(): CasetrailError {
	return new CasetrailError('import-running', 'Nothing was imported: another bundle is being imported on this device (in this tab or another). Try again when it has finished.');
}

/**
 * Writes the nodes of a device never seen before, in short transactions over `peerNodes` only, each
 * sized by time as the events' ({@link NODE_SIZING}).
 */
export async function stagePeerNodes(db: CasetrailDb, rows: readonly PeerNodeRow[], onProgress?: (done: number) => void, sizing: ChunkSizing = NODE_SIZING): Promise<void> {
	let pace = firstPace(sizing);
	for (let at = 0; at < rows.length; ) {
		const chunk = rows.slice(at, at + pace.size);
		const started = performance.now();
		await guarded(db, () => db.transaction('rw', db.peerNodes, () => db.peerNodes.bulkPut(chunk)));
		pace = nextPace(pace, chunk.length, performance.now() - started, sizing);
		at += chunk.length;
		onProgress?.(at);
	}
}

/**
 * One chunk of the import: an ordinary append that the marker `id` lets through, with the bytes of
 * the attachments its events reference (stored in the same transaction).
 */
export function appendChunk(
	db: CasetrailDb,
	id: string,
	events: readonly CasetrailEvent[],
	origins: readonly EventOrigin[],
	leafHashes: readonly Uint8Array[],
	options: Pick<AppendOptions, 'registry' | 'firstSnapshot' | 'rate' | 'attachments'> = {}
): Promise<AppendResult> {
	return appendEvents(db, events, { ...options, origins, leafHashes, importId: id });
}

/**
 * Removes the marker `id` from the head in the caller's transaction (which must include `meta`):
 * the import is published. Throws 'import-running' when the marker is not there any more (the
 * import was undone meanwhile).
 */
export async function endImport(db: CasetrailDb, id: string): Promise<HeadValue> {
	const head = await readHead(db);
	if (!head?.importing || head.importing.id !== id) {
		throw new CasetrailError('import-running', 'Nothing was imported: this import was stopped and undone meanwhile. Import the bundle again.');
	}
	const { importing: _done, ...rest } = head;
	await db.meta.put({ key: 'head', value: rest });
	return rest;
}

/**
 * Undoes the import of `marker`: cuts the log back to the head it kept, deletes the peer nodes it
 * staged (a device new here), removes the marker, and rebuilds the records from the log. Each step
 * is its own transaction and the marker stays (marked `undoing`) until the records are rebuilt, so
 * an undo that stops midway is finished by the next one. Requires the vault to be unlocked.
 */
export async function undoImport(db: CasetrailDb, marker: ImportMarker): Promise<void> {
	const before = marker.before;
	// The kept head is believed only with its MAC: else an edited marker would cut the log.
	if ((await guarded(db, () => db.transaction('r', [db.meta, db.events], () => headAuthenticity(db, before)))) === 'forged') {
		throw new CasetrailError('history-inconsistent', 'An interrupted import cannot be undone: the head it kept was changed in the device storage. A supervisor runs the integrity check.');
	}
	// Whether records may have changed: a chunk was appended (or an earlier undo cut the log already).
	const cut = await guarded(db, () =>
		db.transaction('rw', [db.meta, db.events], async () => {
			const head = await readHead(db);
			if (head?.importing?.id !== marker.id) return false;
			const changed = head.importing.undoing === true || head.size !== before.size;
			if (changed) await db.events.where('seq').aboveOrEqual(before.size).delete();
			const { importing: _i, ...kept } = before;
			await db.meta.put({ key: 'head', value: { ...kept, importing: { ...marker, ...(changed ? { undoing: true as const } : {}) } } });
			return changed;
		})
	);
	if (marker.newDevice) {
		await guarded(db, () =>
			db.transaction('rw', [db.peerNodes, db.devices], async () => {
				// A device row means the import was published after all: its nodes are its own.
				if (await db.devices.get(marker.deviceId)) return;
				await db.peerNodes.where('[deviceId+level+index]').between([marker.deviceId, Dexie.minKey, Dexie.minKey], [marker.deviceId, Dexie.maxKey, Dexie.maxKey], true, true).delete();
			})
		);
	}
	if (cut) await rebuildProjections(db, { mode: 'repair' });
	await guarded(db, () =>
		db.transaction('rw', db.meta, async () => {
			const head = await readHead(db);
			if (head?.importing?.id !== marker.id) return;
			const { importing: _i, ...rest } = head;
			await db.meta.put({ key: 'head', value: rest });
		})
	);
}

/**
 * Finds the marker of an import that no tab runs any more (its tab was closed, or it failed before
 * undoing) and undoes it. Returns true when it undid one. An import still running is left alone.
 */
export async function recoverImport(db: CasetrailDb): Promise<boolean> {
	const head = await guarded(db, () => db.transaction('r', db.meta, () => readHead(db)));
	const marker = head?.importing;
	if (!marker || (await importIsRunning(db, marker.id))) return false;
	await undoImport(db, marker);
	return true;
}

/** The import under way on `db`, if any: for the Exchange page of another tab. */
export async function importUnderWay(db: CasetrailDb): Promise<Pick<ImportMarker, 'deviceId' | 'startedAt'> | undefined> {
	const head = await guarded(db, () => db.transaction('r', db.meta, () => readHead(db)));
	return head?.importing ? { deviceId: head.importing.deviceId, startedAt: head.importing.startedAt } : undefined;
}

export type { TreeNode };
