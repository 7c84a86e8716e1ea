/**
 * Reading stored attachments (issue 17): the bytes of a photo or signature by its hash, and what the
 * attachments take on the device. Attachments are written only by an append, with the event that
 * references them (append.ts).
 */
import { CasetrailError } from '../core/errors';
import type { CasetrailDb } from './db';
import { guarded } from './errors';

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
