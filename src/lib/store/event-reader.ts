/**
 * Reading many event rows at once for the passes over the whole log (the integrity check, the
 * export): in a database with a vault, the stored rows are read below the vault, as they are on
 * disk, in one read transaction per chunk, and opened afterwards with WebCrypto's AES-GCM, every
 * row of the chunk in flight at once. Inside a transaction the vault must open each row
 * synchronously in JavaScript (@noble/ciphers), which took most of an integrity check's time at
 * 100,000 events (bench/README.md); outside one nothing forbids the native cipher.
 *
 * A row that does not open (edited on disk) comes back as the vault's own reader returns it: an
 * empty `canonical` and an empty leaf hash, so the integrity check names that one event.
 */
import Dexie from 'dexie';
import type { DBCoreTransaction } from 'dexie';
import type { CasetrailDb, EventRow } from './db';
import { EVENT_CLEAR, eventAad, LEAF_HASH_BYTES, openEvent, vaultOf, type Physical } from './vault';
import { CasetrailError } from '../core/errors';

// Dexie's DBCoreRangeType is a const enum, which isolated modules cannot read: its value.
const RANGE_RANGE = 2;
const NONCE_BYTES = 12;

/**
 * Rows of one read with, for each, the bytes its leaf hash is the SHA-256 of (0x00 then the UTF-8 of
 * its canonical text), where the read produced them anyway: a sealed row opens to its leaf hash then
 * that UTF-8, so byte 31 set to 0x00 makes the leaf's input in place, without encoding the text again
 * (bench/README.md). `leaves` is undefined for a database without a vault, and a row that did not
 * open has no entry; the caller encodes the text itself there.
 */
export interface EventRowsRead {
	rows: EventRow[];
	leaves: (Uint8Array | undefined)[] | undefined;
}

/**
 * WebCrypto decryptions in flight at once while a read's rows are opened: enough to keep the
 * browser's crypto thread busy, without thousands of pending promises and buffers at a time.
 */
export const DECRYPT_CONCURRENCY = 32;

/**
 * The event rows with `begin <= seq < end`, in seq order (missing rows are simply absent). Call it
 * outside any transaction; inside one it reads through the vault like any other read.
 */
export async function readEventRows(db: CasetrailDb, begin: number, end: number): Promise<EventRow[]> {
	return (await readEventRowsWithLeaves(db, begin, end)).rows;
}

/** {@link readEventRows} with the leaf inputs the opened rows give ({@link EventRowsRead}). */
export async function readEventRowsWithLeaves(db: CasetrailDb, begin: number, end: number): Promise<EventRowsRead> {
	const vault = vaultOf(db);
	if (!vault || Dexie.currentTransaction || end <= begin) return { rows: await db.events.where('seq').between(begin, end, true, false).toArray(), leaves: undefined };
	const core = vault.rawCore;
	if (!core) throw new CasetrailError('storage-failed', 'The vault has not been opened with its database.');
	// Locked: fail before reading anything, as a read through the vault would.
	vault.keys();
	const table = core.table('events');
	const stored = await db.transaction('r', db.events, async (tx) => {
		// Dexie creates the IndexedDB transaction on its first request: one point read that finds nothing.
		await db.events.get(-1);
		const res = await table.query({
			trans: tx.idbtrans as unknown as DBCoreTransaction,
			values: true,
			query: { index: table.schema.primaryKey, range: { type: RANGE_RANGE, lower: begin, upper: end, lowerOpen: false, upperOpen: true } }
		});
		return res.result as Physical[];
	});
	const key = await vault.webKey();
	const keys = vault.keys();
	const rows = new Array<EventRow>(stored.length);
	const leaves = new Array<Uint8Array | undefined>(stored.length);
	// A bounded number of lanes, each opening the next row not yet taken: WebCrypto works off this
	// thread meanwhile.
	let next = 0;
	const lane = async (): Promise<void> => {
		while (next < stored.length) {
			const i = next++;
			const opened = await openRow(stored[i] as Physical, key, keys);
			rows[i] = opened.row;
			leaves[i] = opened.leaf;
		}
	};
	await Promise.all(Array.from({ length: Math.min(DECRYPT_CONCURRENCY, stored.length) }, lane));
	return { rows, leaves };
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * The UTF-8 of {@link eventAad}(seq) without a TextEncoder call per row (each one allocates and was
 * a tenth of an export's time): the prefix and the decimal digits are ASCII. Any other key falls back
 * to the encoder.
 */
export function eventAadBytes(seq: unknown): Uint8Array<ArrayBuffer> {
	const text = eventAad(seq);
	if (!Number.isSafeInteger(seq)) return new TextEncoder().encode(text);
	const bytes = new Uint8Array(text.length);
	for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
	return bytes;
}

type Keys = ReturnType<NonNullable<ReturnType<typeof vaultOf>>['keys']>;

async function openRow(row: Physical, key: CryptoKey, keys: Keys): Promise<{ row: EventRow; leaf: Uint8Array | undefined }> {
	// Extra sealed members (none in rows this build writes): the vault's own reader.
	if (row.rest !== undefined) return { row: openEvent(keys, row) as unknown as EventRow, leaf: undefined };
	const sealed = row.sealed;
	let canonical = '';
	let leafHash = new Uint8Array(0);
	let leaf: Uint8Array | undefined;
	if (sealed instanceof Uint8Array && sealed.length > NONCE_BYTES) {
		const bytes = sealed as Uint8Array<ArrayBuffer>;
		try {
			const plain = new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: bytes.subarray(0, NONCE_BYTES), additionalData: eventAadBytes(row.seq) }, key, bytes.subarray(NONCE_BYTES)));
			if (plain.length >= LEAF_HASH_BYTES) {
				canonical = decoder.decode(plain.subarray(LEAF_HASH_BYTES));
				leafHash = plain.slice(0, LEAF_HASH_BYTES);
				// The text decoded strictly, so its UTF-8 is exactly these bytes: 0x00 before them is the leaf's input.
				plain[LEAF_HASH_BYTES - 1] = 0x00;
				leaf = plain.subarray(LEAF_HASH_BYTES - 1);
			}
		} catch {
			canonical = '';
			leafHash = new Uint8Array(0);
			leaf = undefined;
		}
	}
	// The clear fields as the vault's reader keeps them, copied one by one: an object rest and spread
	// per row cost more than the copy (bench/README.md).
	const opened: Record<string, unknown> = {};
	for (const field of EVENT_CLEAR) {
		const value = row[field];
		if (value !== undefined) opened[field] = value;
	}
	opened.canonical = canonical;
	opened.leafHash = leafHash;
	return { row: opened as unknown as EventRow, leaf };
}

/**
 * The log's rows [from, to) in chunks of `chunkSize`, each chunk asked for as soon as the one before
 * arrives, so the database reads the next while the caller works on this one. `leaves` as in
 * {@link EventRowsRead}.
 */
export async function* eventChunks(
	db: CasetrailDb,
	from: number,
	to: number,
	chunkSize: number
): AsyncGenerator<{ begin: number; end: number; rows: EventRow[]; leaves: (Uint8Array | undefined)[] | undefined }, void, undefined> {
	const read = (begin: number): Promise<EventRowsRead> => {
		const chunk = readEventRowsWithLeaves(db, begin, Math.min(to, begin + chunkSize));
		chunk.catch(() => undefined); // awaited below; this only keeps an early failure from going unhandled
		return chunk;
	};
	let next = from < to ? read(from) : undefined;
	for (let begin = from; begin < to; begin += chunkSize) {
		const end = Math.min(to, begin + chunkSize);
		const { rows, leaves } = await (next as Promise<EventRowsRead>);
		next = end < to ? read(end) : undefined;
		yield { begin, end, rows, leaves };
	}
}
