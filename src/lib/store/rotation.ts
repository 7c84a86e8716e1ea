/**
 * Re-sealing every stored record under a new data key (issue 15; docs/decisions/0007-data-key-rotation.md).
 * store/users.ts decides when a rotation is due and starts it (new key wrapped to every remaining
 * user, roster, profiles and head moved to the new key, `meta.rotation` written: one transaction);
 * this module walks the sealed tables in primary key order, a chunk per transaction, and records in
 * the same transaction how far it got, so an interrupted rotation resumes where it stopped and rows
 * are never half re-sealed: before the cursor a row is under the new key, after it under the old.
 * Both keys stay wrapped for every remaining user (`pair.dataKey` and `pair.next`) until the last
 * transaction (users.ts, finishRotation) makes the new key the only one.
 *
 * Synchronous crypto only inside transactions (@noble via resealRow); nothing here awaits WebCrypto.
 */
import type { DBCoreKeyRange, DBCoreTransaction } from 'dexie';
import { CasetrailError } from '../core/errors';
import { openJson, sealJson, storageKeys, type StorageKeys } from '../crypto/seal';
import type { CasetrailDb, RotationValue } from './db';
import { resealRow, SEALED_TABLES, vaultOf, type Physical, type SealedTable } from './vault';

/** How far a rotation has got: rows re-sealed out of the rows it found when it started. */
export interface RotationProgress {
	done: number;
	total: number;
}

export type ProgressListener = (progress: RotationProgress) => void;

/** Rows re-sealed per transaction: small enough that a tab stays responsive, large enough to amortize a commit. */
export const DEFAULT_CHUNK = 250;

/** Where a rotation is, sealed under the new key. `table` undefined: every table is done. */
interface Cursor {
	table: SealedTable | undefined;
	/** Primary key of the last row re-sealed in `table`; absent: none yet. */
	after?: unknown;
	done: number;
	total: number;
}

const ROTATION_AAD = 'rotation';
/** Attachments re-sealed per transaction at most. */
const ATTACHMENT_CHUNK = 16;
// Dexie's DBCoreRangeType values (a const enum isolated modules cannot read).
const RANGE_RANGE = 2;
const RANGE_ANY = 3;

export function sealCursor(keys: StorageKeys, cursor: Cursor): RotationValue {
	return { sealed: sealJson(keys.seal, cursor, ROTATION_AAD) };
}

/** The cursor of a rotation record; 'decryption-failed' when it does not open under `keys`. */
export function openCursor(keys: StorageKeys, value: RotationValue): Cursor {
	return openJson<Cursor>(keys.seal, value.sealed, ROTATION_AAD);
}

/** The first cursor of a rotation over `total` rows. */
export function firstCursor(total: number): Cursor {
	return { table: SEALED_TABLES[0], done: 0, total };
}

/** Rows a rotation has to re-seal now. */
export async function rowsToReseal(db: CasetrailDb): Promise<number> {
	const counts = await Promise.all(SEALED_TABLES.map((t) => db.table(t).count()));
	return counts.reduce((a, b) => a + b, 0);
}

function nextTable(table: SealedTable): SealedTable | undefined {
	return SEALED_TABLES[SEALED_TABLES.indexOf(table) + 1];
}

/**
 * Re-seals, from the cursor in `meta.rotation` on, every row still under `from` with `to`, one chunk
 * per transaction, each recording the new cursor. Returns when every table is done (or another tab
 * finished the rotation). `onProgress` is told after each committed chunk; an exception it throws
 * stops the rotation there, as a crash would (the tests use it).
 */
export async function resealAll(db: CasetrailDb, from: Uint8Array, to: Uint8Array, options: { onProgress?: ProgressListener | undefined; chunk?: number | undefined } = {}): Promise<void> {
	const core = vaultOf(db)?.rawCore;
	if (!core) throw new CasetrailError('storage-failed', 'The vault has not been opened with its database.');
	const fromKeys = storageKeys(from);
	const toKeys = storageKeys(to);
	const chunk = options.chunk ?? DEFAULT_CHUNK;
	const tables = [db.meta, ...SEALED_TABLES.map((t) => db.table(t))];
	for (;;) {
		const progress = await db.transaction('rw', tables, async (tx) => {
			const row = await db.meta.get('rotation');
			if (!row || row.key !== 'rotation') return undefined;
			const cursor = openCursor(toKeys, row.value);
			const table = cursor.table;
			if (table === undefined) return undefined;
			const raw = core.table(table);
			const trans = tx.idbtrans as unknown as DBCoreTransaction;
			const range: DBCoreKeyRange =
				cursor.after === undefined
					? { type: RANGE_ANY, lower: undefined, upper: undefined }
					: { type: RANGE_RANGE, lower: cursor.after, lowerOpen: true, upper: undefined, upperOpen: true };
			// Attachments are photos of hundreds of kilobytes: fewer per transaction.
			const limit = table === 'attachments' ? Math.min(chunk, ATTACHMENT_CHUNK) : chunk;
			const res = await raw.query({ trans, values: true, limit, query: { index: raw.schema.primaryKey, range } });
			const stored = res.result as Physical[];
			if (stored.length > 0) {
				const values = stored.map((r) => resealRow(table, fromKeys, toKeys, r));
				const put = await raw.mutate({ type: 'put', trans, values });
				if (put.numFailures > 0) throw new CasetrailError('storage-failed', 'A record could not be written while changing the device key; nothing of this step was stored.');
			}
			const extract = raw.schema.primaryKey.extractKey;
			const last = stored[stored.length - 1];
			const next: Cursor =
				stored.length < limit || last === undefined || !extract
					? { table: nextTable(table), done: cursor.done + stored.length, total: cursor.total }
					: { table, after: extract(last), done: cursor.done + stored.length, total: cursor.total };
			// Rows added since the start (none should be: appends are refused meanwhile) still count.
			next.total = Math.max(next.total, next.done);
			await db.meta.put({ key: 'rotation', value: sealCursor(toKeys, next) });
			return { done: next.done, total: next.total };
		});
		if (!progress) return;
		options.onProgress?.(progress);
	}
}
