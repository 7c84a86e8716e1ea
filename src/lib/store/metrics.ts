/**
 * The store's metrics, as the seed design lists them. Counts come from counters that every append
 * updates in its own transaction, so reading them is O(1) whatever the size of the log.
 */
import type { CasetrailDb, HeadValue, StatsValue } from './db';
import { guarded } from './errors';
import type { AppendRate } from './rate';

export interface StoreMetrics {
	/** Events in the log. */
	totalEvents: number;
	/**
	 * Events appended per second of append time (call to commit) over the last minute of appends
	 * in this worker ({@link AppendRate}); 0 when there were none or no rate was kept.
	 */
	eventsPerSecond: number;
	/** Mean length in bytes of the canonical JSON of the stored events; 0 for an empty log. */
	averageEventSize: number;
	/** Stored events per type. */
	eventTypeDistribution: Record<string, number>;
	/** Events in appends that were rejected whole (invalid, conflicting, out of space). */
	failedEvents: number;
	/** Height of the Merkle tree: ceil(log2 n), 0 for up to one event; also the longest inclusion proof. */
	merkleTreeDepth: number;
}

/** ceil(log2 n) for n >= 1, without floating point: the bit length of n - 1. */
export function treeDepth(size: number): number {
	let depth = 0;
	for (let rest = size - 1; rest > 0; rest = Math.floor(rest / 2)) depth++;
	return depth;
}

/** The metrics of the log in `db`; `rate` is the append rate kept by this worker's appends. */
export async function getMetrics(db: CasetrailDb, rate?: AppendRate): Promise<StoreMetrics> {
	return guarded(db, () =>
		db.transaction('r', db.meta, async () => {
			const [head, stats] = await Promise.all([db.meta.get('head'), db.meta.get('stats')]);
			const log = head?.value as HeadValue | undefined;
			const size = log?.size ?? 0;
			return {
				totalEvents: size,
				eventsPerSecond: rate?.eventsPerSecond() ?? 0,
				averageEventSize: size > 0 && log ? log.bytes / size : 0,
				eventTypeDistribution: { ...(log?.types ?? {}) },
				failedEvents: (stats?.value as StatsValue | undefined)?.failedEvents ?? 0,
				merkleTreeDepth: treeDepth(size)
			};
		})
	);
}
