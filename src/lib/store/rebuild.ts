/**
 * Rebuilding the projections from the log: projections are derived data (invariant 4), so dropping
 * every entity and snapshot and replaying all events must give exactly the rows that incremental
 * appends kept. The replay walks the `[entityGuid+instant+guid]` index, which yields each entity's
 * events together and already in the order they apply, so it holds one entity in memory at a time
 * and reads the log in chunks.
 */
import type { ApplierRegistry } from '../core/appliers';
import { CasetrailError } from '../core/errors';
import type { CasetrailEvent } from '../core/event';
import { defaultAppendRegistry } from './append';
import type { CasetrailDb, EntityRow, EventRow, SnapshotRow } from './db';
import { guarded } from './errors';
import { DEFAULT_SNAPSHOT_EVERY, entityRow, foldInto, type FoldItem, type FoldState } from './fold';

export interface RebuildOptions {
	/** Must be the registry appends use, or the rebuilt entities differ. */
	registry?: ApplierRegistry;
	/** Must be the snapshot spacing appends use (default 64). */
	snapshotEvery?: number;
	/** Events read per chunk (default 2000). */
	chunkSize?: number;
	onProgress?: (done: number, total: number) => void;
}

export interface RebuildResult {
	events: number;
	entities: number;
}

/**
 * Drops every entity and snapshot and replays the whole log into them, in one transaction: readers
 * see the old projections or the new ones, never a half-built list, and appends wait until it ends.
 */
export async function rebuildProjections(db: CasetrailDb, options: RebuildOptions = {}): Promise<RebuildResult> {
	const registry = options.registry ?? defaultAppendRegistry();
	const snapshotEvery = options.snapshotEvery ?? DEFAULT_SNAPSHOT_EVERY;
	const chunkSize = options.chunkSize ?? 2000;
	if (!Number.isSafeInteger(chunkSize) || chunkSize < 1) throw new CasetrailError('out-of-range', `A rebuild reads a whole number >= 1 of events at a time, not ${String(chunkSize)}.`);
	return guarded(db, () =>
		db.transaction('rw', [db.events, db.entities, db.snapshots], async () => {
			const [total] = await Promise.all([db.events.count(), db.entities.clear(), db.snapshots.clear()]);
			const index = '[entityGuid+instant+guid]';
			let current: { guid: string; state: FoldState } | undefined;
			let entityCount = 0;
			let done = 0;
			// Pipelined: while a chunk is folded here, the database reads the next one and writes the
			// previous one's rows. At most one chunk of each is in flight, so memory stays flat.
			const read = (after: [string, number, string] | undefined): Promise<EventRow[]> =>
				settled((after ? db.events.where(index).above(after) : db.events.orderBy(index)).limit(chunkSize).toArray());
			let next: Promise<EventRow[]> | undefined = read(undefined);
			let writing: Promise<unknown> = Promise.resolve();
			while (next) {
				const rows: EventRow[] = await next;
				if (rows.length === 0) break;
				const tail = rows[rows.length - 1] as EventRow;
				next = rows.length === chunkSize ? read([tail.entityGuid, tail.instant, tail.guid]) : undefined;
				const entityRows: EntityRow[] = [];
				const snapshotRows: SnapshotRow[] = [];
				let run: FoldItem[] = [];
				const foldRun = (): void => {
					if (current && run.length > 0) foldInto(current.state, current.guid, run, registry, snapshotEvery, snapshotRows);
					run = [];
				};
				for (const row of rows) {
					if (!current || current.guid !== row.entityGuid) {
						foldRun();
						if (current) entityRows.push(entityRow(current.guid, current.state));
						current = { guid: row.entityGuid, state: { entity: undefined, count: 0, last: undefined } };
						entityCount += 1;
					}
					run.push({ event: JSON.parse(row.canonical) as CasetrailEvent, position: { instant: row.instant, guid: row.guid } });
				}
				foldRun();
				done += rows.length;
				await writing;
				writing = settled(
					Promise.all([
						entityRows.length > 0 ? db.entities.bulkAdd(entityRows) : undefined,
						snapshotRows.length > 0 ? db.snapshots.bulkAdd(snapshotRows) : undefined
					])
				);
				options.onProgress?.(done, total);
			}
			await writing;
			if (current) await db.entities.add(entityRow(current.guid, current.state));
			return { events: done, entities: entityCount };
		})
	);
}

/**
 * `promise` itself, marked as handled: it is awaited later, after other awaits, and a failure that
 * comes first must not be reported as unhandled (the later await still throws it).
 */
function settled<T>(promise: Promise<T>): Promise<T> {
	promise.catch(() => undefined);
	return promise;
}
