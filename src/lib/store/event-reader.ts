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
import { eventAad, LEAF_HASH_BYTES, openEvent, vaultOf, type Physical } from './vault';
import { CasetrailError } from '../core/errors';

// Dexie's DBCoreRangeType is a const enum, which isolated modules cannot read: its value.
const RANGE_RANGE = 2;
const NONCE_BYTES = 12;

/**
 * The event rows with `begin <= seq < end`, in seq order (missing rows are simply absent). Call it
 * outside any transaction; inside one it reads through the vault like any other read.
 */
export async function readEventRows(db: CasetrailDb, begin: number, end: number): Promise<EventRow[]> {
	const vault = vaultOf(db);
	if (!vault || Dexie.currentTransaction || end <= begin) return db.events.where('seq').between(begin, end, true, false).toArray();
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
	return Promise.all(stored.map((row) => openRow(row, key, keys)));
}

const decoder = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

async function openRow(row: Physical, key: CryptoKey, keys: ReturnType<NonNullable<ReturnType<typeof vaultOf>>['keys']>): Promise<EventRow> {
	// Extra sealed members (none in rows this build writes): the vault's own reader.
	if (row.rest !== undefined) return openEvent(keys, row) as unknown as EventRow;
	const { sealed, ...kept } = row;
	let canonical = '';
	let leafHash = new Uint8Array(0);
	if (sealed instanceof Uint8Array && sealed.length > NONCE_BYTES) {
		const bytes = sealed as Uint8Array<ArrayBuffer>;
		try {
			const plain = new Uint8Array(
				await crypto.subtle.decrypt({ name: 'AES-GCM', iv: bytes.subarray(0, NONCE_BYTES), additionalData: encoder.encode(eventAad(row.seq)) }, key, bytes.subarray(NONCE_BYTES))
			);
			if (plain.length >= LEAF_HASH_BYTES) {
				canonical = decoder.decode(plain.subarray(LEAF_HASH_BYTES));
				leafHash = plain.slice(0, LEAF_HASH_BYTES);
			}
		} catch {
			canonical = '';
			leafHash = new Uint8Array(0);
		}
	}
	return { ...kept, canonical, leafHash } as unknown as EventRow;
}

/**
 * The log's rows [from, to) in chunks of `chunkSize`, each chunk asked for as soon as the one before
 * arrives, so the database reads the next while the caller works on this one.
 */
export async function* eventChunks(db: CasetrailDb, from: number, to: number, chunkSize: number): AsyncGenerator<{ begin: number; end: number; rows: EventRow[] }, void, undefined> {
	const read = (begin: number): Promise<EventRow[]> => {
		const chunk = readEventRows(db, begin, Math.min(to, begin + chunkSize));
		chunk.catch(() => undefined); // awaited below; this only keeps an early failure from going unhandled
		return chunk;
	};
	let next = from < to ? read(from) : undefined;
	for (let begin = from; begin < to; begin += chunkSize) {
		const end = Math.min(to, begin + chunkSize);
		const rows = await (next as Promise<EventRow[]>);
		next = end < to ? read(end) : undefined;
		yield { begin, end, rows };
	}
}
