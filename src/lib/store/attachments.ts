/**
 * Reading stored attachments (issue 17): the bytes of a photo or signature by its hash, and what the
 * attachments take on the device. Attachments are written only by an append, with the event that
 * references them (append.ts).
 */
import { attachmentHash, referencesIn } from '../core/attachments';
import { CasetrailError, isCasetrailError } from '../core/errors';
import { isPlainObject } from '../core/event';
import type { CasetrailDb, EventRow } from './db';
import { guarded } from './errors';
import type { IntegrityProblem } from './integrity';

/**
 * The bytes stored under `sha256` (opened by the vault when there is one). Throws 'not-found' when
 * none are stored, 'decryption-failed' when the row was changed on disk, 'not-signed-in' when locked.
 */
export async function getAttachment(db: CasetrailDb, sha256: string): Promise<Uint8Array> {
	const row = await guarded(db, () => db.attachments.get(sha256));
	if (!row) throw new CasetrailError('not-found', `No attachment ${sha256.slice(0, 12)}… is stored on this device.`);
	return row.bytes;
}

/** The bytes of every stored attachment with these hashes, in the same order; 'not-found' for one that is not stored. */
export async function getAttachments(db: CasetrailDb, hashes: readonly string[]): Promise<Uint8Array[]> {
	const rows = await guarded(db, () => db.attachments.bulkGet([...hashes]));
	return rows.map((row, i) => {
		if (!row) throw new CasetrailError('not-found', `No attachment ${String(hashes[i]).slice(0, 12)}… is stored on this device.`);
		return row.bytes;
	});
}

/** How many attachments are stored and their bytes (before sealing), summed from the size index: no row is opened. */
export async function attachmentBytesUsed(db: CasetrailDb): Promise<{ count: number; bytes: number }> {
	const sizes = await guarded(db, () => db.attachments.orderBy('size').keys());
	let bytes = 0;
	for (const size of sizes) bytes += Number(size);
	return { count: sizes.length, bytes };
}

/** Most attachments the integrity check names one by one; the rest are counted. */
const NAMED = 50;

/** Collects, from event rows as the integrity check reads them, the attachments each event references. */
export class ReferenceCollector {
	/** Leaf index and hash of every reference met. */
	readonly refs: { seq: number; sha256: string }[] = [];

	/** For IntegrityOptions.onRows: only rows whose text may hold a reference are parsed. */
	readonly onRows = (rows: readonly EventRow[]): void => {
		for (const { seq, canonical } of rows) {
			if (typeof canonical !== 'string' || !canonical.includes('"sha256"')) continue;
			let event: unknown;
			try {
				event = JSON.parse(canonical);
			} catch {
				continue; // the log check names the row
			}
			if (isPlainObject(event)) for (const ref of referencesIn(event.data)) this.refs.push({ seq, sha256: ref.sha256 });
		}
	};
}

/**
 * The integrity check of the attachments (worker/log.ts runs it after the log's, which collected
 * the references with a {@link ReferenceCollector}): every stored photo or signature opens and its
 * bytes hash to its key ('attachment-mismatch'), and every one an event references is stored
 * ('attachment-missing', with the event's leaf index). Opens each stored attachment once.
 */
export async function attachmentProblems(db: CasetrailDb, refs: readonly { seq: number; sha256: string }[]): Promise<IntegrityProblem[]> {
	const problems: IntegrityProblem[] = [];
	const keys = await guarded(db, () => db.attachments.toCollection().primaryKeys());
	let bad = 0;
	for (const sha256 of keys) {
		let why: string | undefined;
		try {
			const row = await guarded(db, () => db.attachments.get(sha256));
			if (row && attachmentHash(row.bytes) !== sha256) why = 'its bytes do not hash to its name';
		} catch (e) {
			if (!isCasetrailError(e) || e.code !== 'decryption-failed') throw e;
			why = 'it does not decrypt';
		}
		if (why === undefined) continue;
		bad += 1;
		if (bad <= NAMED) problems.push({ kind: 'attachment-mismatch', begin: 0, end: 0, message: `The stored photo or signature ${sha256.slice(0, 12)}… was changed in the device storage: ${why}. Import a bundle that carries it to restore it.` });
	}
	if (bad > NAMED) problems.push({ kind: 'attachment-mismatch', begin: 0, end: 0, message: `${bad - NAMED} more stored photos or signatures were changed in the device storage.` });
	const stored = new Set(keys);
	const missing = refs.filter((r) => !stored.has(r.sha256));
	for (const { seq, sha256 } of missing.slice(0, NAMED)) {
		problems.push({ kind: 'attachment-missing', begin: seq, end: seq + 1, message: `Event ${seq + 1} references a photo or signature (${sha256.slice(0, 12)}…) that is not stored on this device: it was removed from the device storage. Import a bundle that carries it to restore it.` });
	}
	if (missing.length > NAMED) problems.push({ kind: 'attachment-missing', begin: 0, end: 0, message: `${missing.length - NAMED} more references to photos or signatures that are not stored.` });
	return problems;
}
