/**
 * This device's exports: where the next bundle starts and the compact range that proves the log
 * before it, recording an export (its events count as 'exported' from then on), and the figures the home page
 * shows ("events not yet exported", "days since the last export").
 *
 * Every export covers a prefix [0, treeSize) of the log (its events and its prefix hashes), so the
 * largest exported tree size is where "everything since the last export" starts, and folding that
 * bundle's prefix gives the last export's signed root.
 */
import { CasetrailError } from '../core/errors';
import { compactRangeAt } from '../core/merkle';
import { assertSessionKeyCurrent } from './key-check';
import type { CasetrailDb, HeadValue, SyncStatus } from './db';
import { guarded } from './errors';
import { authenticateHead, forgedHead, headAuthenticity } from './head-mac';
import type { ExportRow } from './exchange-schema';
import { nodeReader } from './nodes';
import { importRunning } from './append';

/** Where an export starts: the beginning of the log, or where the last export ended. */
export type ExportStart = 'start' | 'last-export';

/** What an export needs to know before it streams the events. */
export interface ExportPlan {
	/** Log index of the first event to export. */
	from: number;
	/** Size of the log when planned: the export carries at most the leaves [from, size). */
	size: number;
	/** Compact range [0, from): the bundle's prefix. */
	prefix: Uint8Array[];
	/** The export with the largest tree size, if any. */
	last: ExportRow | undefined;
}

/** The export with the largest tree size (the one "since the last export" continues), if any. */
function lastExport(db: CasetrailDb): Promise<ExportRow | undefined> {
	return db.exports.orderBy('treeSize').last();
}

async function logSize(db: CasetrailDb): Promise<number> {
	return ((await db.meta.get('head'))?.value as HeadValue | undefined)?.size ?? 0;
}

/**
 * Plans an export from the start of the log or from where the last export ended, reading the
 * prefix from stored nodes (popcount(from) reads) in the same transaction as the log size.
 */
export async function planExport(db: CasetrailDb, start: ExportStart): Promise<ExportPlan> {
	return guarded(db, () =>
		db.transaction('r', [db.events, db.meta, db.exports], async () => {
			const [head, last] = await Promise.all([db.meta.get('head'), lastExport(db)]);
			const headValue = head?.value as HeadValue | undefined;
			// A checkpoint over chunks of an import that may yet be undone would sign events that vanish.
			if (headValue?.importing) throw importRunning();
			const size = headValue?.size ?? 0;
			const from = start === 'start' ? 0 : Math.min(last?.treeSize ?? 0, size);
			const prefix = (await compactRangeAt(from, nodeReader(db))).frontier;
			return { from, size, prefix, last };
		})
	);
}

/**
 * Remembers an export, in one transaction with the head's count of signed checkpoints. Requires
 * 0 <= row.from <= row.treeSize (else 'out-of-range').
 *
 * No event row is rewritten: every export covers a prefix [0, treeSize) of the log, so a local event
 * is exported exactly when its leaf index is below the largest exported tree size, which the
 * authenticated head keeps ({@link syncStatusOf}). Rewriting the rows (as builds before did) read,
 * opened and sealed again every new event after the bundle was already made: 11 s of a 24 s export
 * of 100,000 events (bench/README.md).
 */
export async function recordExport(db: CasetrailDb, row: ExportRow): Promise<ExportRow> {
	if (!Number.isSafeInteger(row.from) || !Number.isSafeInteger(row.treeSize) || row.from < 0 || row.from > row.treeSize) {
		throw new CasetrailError('out-of-range', `An export covers the leaves [from, treeSize); [${row.from}, ${row.treeSize}) is not such a range.`);
	}
	return guarded(db, () =>
		db.transaction('rw', [db.events, db.exports, db.meta], async () => {
			if (((await db.meta.get('head'))?.value as HeadValue | undefined)?.importing) throw importRunning();
			// An auto-incremented key: always a number once added.
			const id = (await db.exports.add({ ...row })) as number;
			// The authenticated head counts the signed checkpoints, so deleting export rows shows.
			const head = (await db.meta.get('head'))?.value as HeadValue | undefined;
			// Re-authenticating a head written without the key would hide the edit (the export row rolls back too).
			if ((await headAuthenticity(db, head)) === 'forged') {
				await assertSessionKeyCurrent(db);
				throw forgedHead();
			}
			if (head) {
				const count = await db.exports.count();
				const largest = Math.max(head.signed?.size ?? 0, row.treeSize);
				await db.meta.put({ key: 'head', value: authenticateHead(db, { ...head, signed: { count, size: largest } }) });
			}
			return { ...row, id };
		})
	);
}

/** What the home page and the exchange page show about exporting. */
export interface ExportStatus {
	/** Size of the log. */
	size: number;
	/** The export with the largest tree size, or null if this device never exported. */
	last: ExportRow | null;
	/**
	 * Events in no export of this device yet: those after the last export (all of them if none),
	 * recorded here or imported. What "since the last export" would carry.
	 */
	unexportedEvents: number;
	/** Whole days since the last export, or null if there never was one. */
	daysSinceExport: number | null;
}

const DAY_MS = 86_400_000;

/**
 * The export status at instant `now`, from the log size and the exports alone: no event row is
 * read, so the home page can ask for it on every change.
 */
export async function getExportStatus(db: CasetrailDb, now: Date): Promise<ExportStatus> {
	return guarded(db, () =>
		db.transaction('r', [db.meta, db.exports], async () => {
			const [size, last] = await Promise.all([logSize(db), lastExport(db)]);
			const days = last ? Math.max(0, Math.floor((now.getTime() - Date.parse(last.issuedAt)) / DAY_MS)) : null;
			return { size, last: last ?? null, unexportedEvents: size - Math.min(last?.treeSize ?? 0, size), daysSinceExport: days };
		})
	);
}

/**
 * The sync status of the stored event at leaf index `seq` whose row says `stored`: a 'local' event
 * below the largest exported tree size `exportedSize` was carried by an export ({@link recordExport}).
 * Rows written by builds that marked them say 'exported' themselves.
 */
export function syncStatusOf(stored: SyncStatus, seq: number, exportedSize: number): SyncStatus {
	return stored === 'local' && seq < exportedSize ? 'exported' : stored;
}

/** The largest tree size this device exported (0 when it never did), by its export rows and its head. */
export async function exportedSize(db: CasetrailDb): Promise<number> {
	return guarded(db, () =>
		db.transaction('r', [db.meta, db.exports], async () => {
			const [head, last] = await Promise.all([db.meta.get('head'), lastExport(db)]);
			return Math.max((head?.value as HeadValue | undefined)?.signed?.size ?? 0, last?.treeSize ?? 0);
		})
	);
}
