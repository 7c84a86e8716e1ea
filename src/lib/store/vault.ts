/**
 * Encryption at rest for the store: a Dexie middleware between the store's code and IndexedDB that
 * seals every personal field of `events`, `entities` and `snapshots` on the way in and opens it on
 * the way out, under the device data key that sign-in unwraps (store/users.ts). The store's logic
 * (appends, reads, proofs, integrity, rebuild) is unchanged: it reads and writes the same logical
 * rows, and only what reaches the disk differs.
 *
 * What stays in clear: keys and indexes that are not personal data (seq, guid, entityGuid, type,
 * timestamp and instant, sync status, origin, entity type and deleted flag, last update, counts,
 * the guids of a group's members).
 * Sealed: the canonical event and its leaf hash (a leaf hash is a fast unsalted hash of guessable
 * text), the bytes of attachments (photos, signatures: their hash and size stay clear), the entity projection with its search words and sort name, snapshots, and the leaf hashes
 * of other devices' logs kept for fork detection (`peerNodes` at level 0). The search words of ids
 * and phones are replaced on disk by blind-index tokens (crypto/blind-index.ts), and a `startsWith`
 * query on the `words` index is turned into an equality query on the token of its prefix; the store
 * re-checks every candidate against the opened words. Name words have no token (issue 20): there is
 * no name index on disk in clear, the name order is kept in worker memory, built after unlock from
 * its sealed snapshot (name-index.ts), and a search matches names on it (read.ts `searchNameOrder`).
 *
 * Sealing is synchronous (@noble/ciphers) because it happens inside the append's transaction.
 * With the vault locked, every write to those tables fails with 'not-signed-in' (so the transaction
 * aborts and stores nothing) and every read of their values too; counts and key-only reads still work.
 * A local event (sync 'local') must carry the signed-in user's id as its userId ('forbidden' if not).
 */
import type { DBCore, DBCoreCursor, DBCoreKeyRange, DBCoreMutateRequest, DBCoreQueryRequest, DBCoreTable, DBCoreTransaction } from 'dexie';
import Dexie, { cmp } from 'dexie';
import type { User } from '../core/access';
import { CasetrailError } from '../core/errors';
import { searchToken, searchTokens } from '../crypto/blind-index';
import { bytesToHex, hexToBytes } from '../core/encoding';
import { canonicalJson } from '../core/canonical';
import { NONCE_BYTES, open, seal, storageKeys, type StorageKeys } from '../crypto/seal';
import { randomBytes } from '../crypto/keys';
import { extraNameWords, searchWords, sortNameOf, tokenWords } from './search';
import type { Entity } from '../core/appliers/entity';
import { openDb, type CasetrailDb, type EntityRow, type OpenOptions, type SnapshotRow } from './db';

/** What sign-in holds in worker memory: the user and the keys. Never stored, never sent to the page. */
interface Session {
	user: User;
	keys: StorageKeys;
	/** The sealing key for WebCrypto, to open many small values in parallel outside transactions. */
	webKey: Promise<CryptoKey>;
	/** The data key itself, kept to wrap it for a new user or a new passphrase. */
	dataKey: Uint8Array;
}

/** One entry of the in-memory name order: the normalized display name, then the guid. */
export type NameEntry = [sortName: string, guid: string];

/**
 * The lock of one open database: who is signed in and with which keys, and the in-memory name
 * order. One per database connection (so one per worker, one per tab).
 */
export class Vault {
	private session: Session | undefined;
	private lastActivity = 0;
	/** Sorted [sortName, guid] of every entity with a projection, or undefined until first needed. */
	private names: NameEntry[] | undefined;
	/** guid -> sortName of the entries of `names`, to find an entry when its entity changes. */
	private nameOf = new Map<string, string>();
	/**
	 * guid -> the name words its sort name does not hold (store/search.ts `extraNameWords`), for the
	 * few entities that have any: with the sort names, every name word a search matches.
	 */
	private extraOf = new Map<string, string>();
	/** Whether the name order was found to hold as many records as the store (see {@link namesCounted}). */
	private namesChecked = false;
	/** The log size the name order reflects: when the head moves without us, another tab wrote. */
	private namesSize = -1;
	/** The rebuild count it reflects (meta 'projections'): a rebuild in another tab moves no head. */
	private namesRebuilt = -1;
	/** The sealed snapshot of the name order on disk as this connection last read or wrote it (name-index.ts). */
	private savedHead: { size: number; rebuilt: number } | undefined;
	/** Bumped by lock, so a name order built for an older session is dropped. */
	private epoch = 0;
	/** @internal The middleware's record of what a readwrite transaction changes (set when the vault is opened with its database). */
	trackCommit: ((trans: DBCoreTransaction) => Pending) | undefined;
	/** Told when the vault locks, to forget what they hold for the session (the device signing key). */
	private lockListeners = new Set<() => void>();

	/** The signed-in user, or undefined when locked. */
	user(): User | undefined {
		return this.session?.user;
	}

	isUnlocked(): boolean {
		return this.session !== undefined;
	}

	/** Starts a session: from now on values are sealed and opened under `dataKey`. */
	unlock(user: User, dataKey: Uint8Array, now: number = Date.now()): void {
		this.lock();
		const keys = storageKeys(dataKey);
		const webKey = crypto.subtle.importKey('raw', new Uint8Array(keys.seal), 'AES-GCM', false, ['encrypt', 'decrypt']);
		// Consumed later; a rejection here would otherwise be reported as unhandled.
		webKey.catch(() => undefined);
		this.session = { user, keys, webKey, dataKey: new Uint8Array(dataKey) };
		this.lastActivity = now;
	}

	/** Forgets the keys, the user and everything opened with them. */
	lock(): void {
		if (this.session) {
			this.session.dataKey.fill(0);
			this.session.keys.seal.fill(0);
			this.session.keys.index.fill(0);
		}
		this.session = undefined;
		this.names = undefined;
		this.nameOf = new Map();
		this.extraOf = new Map();
		this.namesSize = -1;
		this.namesRebuilt = -1;
		this.savedHead = undefined;
		this.epoch++;
		for (const listener of this.lockListeners) listener();
	}

	/** Calls `listener` each time the vault locks; returns what removes it. */
	onLock(listener: () => void): () => void {
		this.lockListeners.add(listener);
		return () => this.lockListeners.delete(listener);
	}

	/** Records activity at `now` (ms), for {@link lockIfIdle}. */
	touch(now: number = Date.now()): void {
		this.lastActivity = now;
	}

	/** Locks when nothing happened for `idleMs`; returns true when it locked. */
	lockIfIdle(idleMs: number, now: number = Date.now()): boolean {
		if (this.session && now - this.lastActivity >= idleMs) {
			this.lock();
			return true;
		}
		return false;
	}

	/** The keys, or 'not-signed-in'. */
	keys(): StorageKeys {
		if (!this.session) throw notSignedIn();
		return this.session.keys;
	}

	/** The data key (for wrapping it for a user), or 'not-signed-in'. */
	dataKey(): Uint8Array {
		if (!this.session) throw notSignedIn();
		return this.session.dataKey;
	}

	/** @internal The sealing key as a WebCrypto key, or 'not-signed-in'. */
	webKey(): Promise<CryptoKey> {
		if (!this.session) throw notSignedIn();
		return this.session.webKey;
	}

	/** @internal The DBCore below the vault: physical rows, as they are on disk. */
	rawCore: DBCore | undefined;

	/** The session user, or 'not-signed-in'. */
	requireUser(): User {
		if (!this.session) throw notSignedIn();
		return this.session.user;
	}

	/** Replaces the session's user record (after their name or role changed); keeps the keys. */
	refreshUser(user: User): void {
		if (this.session && this.session.user.id === user.id) this.session.user = user;
	}

	// Name order -------------------------------------------------------------------------------

	/** @internal The name order if it is current for the log `size` and the `rebuilt` count, else undefined. */
	cachedNames(size: number, rebuilt: number): NameEntry[] | undefined {
		return this.names !== undefined && this.namesSize === size && this.namesRebuilt === rebuilt ? this.names : undefined;
	}

	/**
	 * @internal Stores a freshly built name order, with the extra name words of the entities that have
	 * some (guid -> words), unless a lock happened since `epoch`.
	 */
	setNames(names: NameEntry[], size: number, rebuilt: number, epoch: number, extras: ReadonlyMap<string, string> = new Map()): void {
		if (epoch !== this.epoch) return;
		this.names = names;
		this.namesChecked = false;
		this.nameOf = new Map(names.map(([sortName, guid]) => [guid, sortName]));
		this.extraOf = new Map([...extras].filter(([guid, words]) => words !== '' && this.nameOf.has(guid)));
		this.namesSize = size;
		this.namesRebuilt = rebuilt;
	}

	/** @internal The sort name of `guid` in the name order held in memory, or undefined when it is not there. */
	sortNameOf(guid: string): string | undefined {
		return this.names === undefined ? undefined : this.nameOf.get(guid);
	}

	/** @internal The name words of `guid` that its sort name does not hold ('' for most), or undefined when it is not in the order. */
	extraNamesOf(guid: string): string | undefined {
		return this.names === undefined ? undefined : this.extraOf.get(guid);
	}

	/** @internal The extra name words of the order held in memory (guid -> words), for its snapshot. */
	extraNames(): ReadonlyMap<string, string> {
		return this.extraOf;
	}

	/**
	 * @internal Whether the name order in memory was counted against the store's records since it was
	 * built (appends keep it in step record by record, so once per order is enough).
	 */
	namesCounted(): boolean {
		return this.names !== undefined && this.namesChecked;
	}

	/** @internal Records that the order in memory holds as many records as the store. */
	setNamesCounted(): void {
		if (this.names !== undefined) this.namesChecked = true;
	}

	/** @internal Forgets the name order held in memory: the next name order is built again. */
	forgetNames(): void {
		this.names = undefined;
		this.namesChecked = false;
		this.nameOf = new Map();
		this.extraOf = new Map();
	}

	/** @internal The log size and rebuild count of the name order's snapshot on disk, as last read or written here. */
	savedNames(): { size: number; rebuilt: number } | undefined {
		return this.savedHead;
	}

	/** @internal Records the snapshot on disk (or that there is none usable), unless a lock happened since `epoch`. */
	setSavedNames(head: { size: number; rebuilt: number } | undefined, epoch: number): void {
		if (epoch === this.epoch) this.savedHead = head === undefined ? undefined : { size: head.size, rebuilt: head.rebuilt };
	}

	/** @internal */
	currentEpoch(): number {
		return this.epoch;
	}

	/**
	 * @internal Gives the name order the readwrite transaction `trans` leaves behind (every entity it
	 * projects: a rebuild's), current for the log `size` and the `rebuilt` count it writes: held in
	 * memory when the transaction commits, then `installed` is called. Ignored after a lock since
	 * `epoch`, and at commit unless the transaction wrote exactly that rebuild count and no other head
	 * (the order is then built again when next needed, as after any rebuild).
	 */
	namesOnCommit(trans: DBCoreTransaction, order: { names: NameEntry[]; extras: ReadonlyMap<string, string> }, size: number, rebuilt: number, epoch: number, installed: () => void): void {
		if (epoch !== this.epoch || !this.trackCommit) return;
		const p = this.trackCommit(trans);
		if (p.epoch === epoch) p.order = { ...order, size, rebuilt, installed };
	}

	/**
	 * @internal After a transaction of this connection committed: moves the changed entities in the
	 * name order and records the new log size and rebuild count, so the order stays current without
	 * a rescan.
	 */
	applyCommitted(p: Pending): void {
		if (p.epoch !== this.epoch) return;
		const order = p.order;
		if (order && p.rebuiltAfter === order.rebuilt && (p.sizeAfter === undefined || p.sizeAfter === order.size)) {
			this.setNames(order.names, order.size, order.rebuilt, p.epoch, order.extras);
			order.installed();
			return;
		}
		if (this.names === undefined) return;
		// Rows deleted (a rebuild), or another tab appended or rebuilt before this transaction read
		// the head or the rebuild count: the order may be missing entities, so it is rebuilt when next
		// needed.
		const otherTab = (p.sizeAfter !== undefined && p.sizeBefore !== this.namesSize) || (p.rebuiltAfter !== undefined && p.rebuiltBefore !== this.namesRebuilt);
		if (p.invalidate || otherTab) {
			this.forgetNames();
			return;
		}
		const names = this.names;
		for (const [guid, extra] of p.extras) {
			if (extra === '') this.extraOf.delete(guid);
			else this.extraOf.set(guid, extra);
		}
		if (p.names.size > 64) {
			// Many changes: one sort beats many O(n) splices.
			for (const [guid, sortName] of p.names) {
				if (sortName === undefined) this.nameOf.delete(guid);
				else this.nameOf.set(guid, sortName);
			}
			this.names = [...this.nameOf].map(([guid, sortName]): NameEntry => [sortName, guid]).sort((a, b) => cmp(a, b));
		} else {
			for (const [guid, sortName] of p.names) {
				const old = this.nameOf.get(guid);
				if (old !== undefined) {
					const at = insertionPoint(names, [old, guid]);
					if (names[at]?.[1] === guid) names.splice(at, 1);
					this.nameOf.delete(guid);
				}
				if (sortName !== undefined) {
					names.splice(insertionPoint(names, [sortName, guid]), 0, [sortName, guid]);
					this.nameOf.set(guid, sortName);
				}
			}
		}
		if (p.sizeAfter !== undefined) this.namesSize = p.sizeAfter;
		if (p.rebuiltAfter !== undefined) this.namesRebuilt = p.rebuiltAfter;
	}
}

function notSignedIn(): CasetrailError {
	return new CasetrailError('not-signed-in', 'Sign in first: the records on this device are locked.');
}

/** Index of the first entry not below `entry` in IndexedDB key order. */
function insertionPoint(names: NameEntry[], entry: NameEntry): number {
	let lo = 0;
	let hi = names.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (cmp(names[mid] as NameEntry, entry) < 0) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

const vaults = new WeakMap<Dexie, Vault>();

/** The vault installed on `db`, or undefined for a database without one (tests, benchmarks). */
export function vaultOf(db: Dexie): Vault | undefined {
	return vaults.get(db);
}

// ---------------------------------------------------------------------------------------------
// Row codecs. Clear fields are listed; everything else on a row is sealed, so a field added to a
// row later is encrypted by default instead of leaking.

// `nodes`: the interior Merkle nodes an append completed, stored on the event row (db.ts); hashes of
// hashes, as the clear `nodes` table held them before.
export const EVENT_CLEAR = ['seq', 'guid', 'entityGuid', 'type', 'timestamp', 'instant', 'sync', 'origin', 'nodes'] as const;
// `memberGuids`: the guids of a group's members, random ids like `guid` itself, kept clear so the
// households of a person are an index lookup (member-index.ts).
const ENTITY_CLEAR = ['guid', 'last', 'count', 'type', 'deleted', 'updatedAt', 'memberGuids'] as const;
const SNAPSHOT_CLEAR = ['entityGuid', 'position', 'last'] as const;

export const LEAF_HASH_BYTES = 32;
const utf8 = new TextEncoder();

/** The stored form of a row: its clear fields, `sealed` and, for entities, blind `words`. */
export type Physical = Record<string, unknown> & { sealed?: Uint8Array; rest?: Uint8Array };

const BYTES_TAG = '$casetrailBytes';

/** JSON that keeps byte arrays: a Uint8Array becomes { $casetrailBytes: hex } and back. */
function sealRecord(keys: StorageKeys, value: Record<string, unknown>, aad: string): Uint8Array {
	return seal(keys.seal, recordBytes(value), aad);
}

/** The bytes {@link sealRecord} seals. */
function recordBytes(value: Record<string, unknown>): Uint8Array {
	return utf8.encode(JSON.stringify(value, (_key, v: unknown) => (v instanceof Uint8Array ? { [BYTES_TAG]: bytesToHex(v) } : v)));
}

function openRecord(keys: StorageKeys, sealed: Uint8Array, aad: string): Record<string, unknown> {
	return parseRecord(open(keys.seal, sealed, aad));
}

/** The record {@link sealRecord} sealed, from its opened bytes. */
function parseRecord(plain: Uint8Array): Record<string, unknown> {
	const text = new TextDecoder('utf-8', { fatal: true }).decode(plain);
	return JSON.parse(text, (_key, v: unknown) => {
		if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
			const hex = (v as Record<string, unknown>)[BYTES_TAG];
			if (typeof hex === 'string' && Object.keys(v).length === 1) return hexToBytes(hex);
		}
		return v;
	}) as Record<string, unknown>;
}

function pick(row: Record<string, unknown>, clear: readonly string[]): { kept: Record<string, unknown>; rest: Record<string, unknown> } {
	const kept: Record<string, unknown> = {};
	const rest: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(row)) {
		if (v === undefined) continue;
		if (clear.includes(k)) kept[k] = v;
		else rest[k] = v;
	}
	return { kept, rest };
}

export function eventAad(seq: unknown): string {
	return `event:${String(seq)}`;
}

function sealEvent(keys: StorageKeys, row: Record<string, unknown>, user: User): Physical {
	const { kept, rest } = pick(row, EVENT_CLEAR);
	const { canonical, leafHash, ...others } = rest;
	if (typeof canonical !== 'string' || !(leafHash instanceof Uint8Array) || leafHash.length !== LEAF_HASH_BYTES) {
		throw new CasetrailError('storage-failed', 'An event row reached the vault without its canonical text and leaf hash.');
	}
	if (row.sync === 'local') {
		const userId = (JSON.parse(canonical) as { userId?: unknown }).userId;
		if (userId !== user.id) {
			throw new CasetrailError('forbidden', `Nothing was stored: event ${String(row.guid)} names user ${String(userId)}, but ${user.name} is signed in. Every event is recorded as the signed-in user.`);
		}
	}
	const text = utf8.encode(canonical);
	const payload = new Uint8Array(LEAF_HASH_BYTES + text.length);
	payload.set(leafHash, 0);
	payload.set(text, LEAF_HASH_BYTES);
	const out: Physical = { ...kept, sealed: seal(keys.seal, payload, eventAad(row.seq)) };
	if (Object.keys(others).length > 0) out.rest = sealRecord(keys, others, `${eventAad(row.seq)}:rest`);
	return out;
}

/**
 * The logical event row of a stored one. A row that does not open (edited on disk) comes back with
 * an empty, unparseable `canonical` and an empty leaf hash instead of failing the whole read, so
 * the integrity check names that one event ('unreadable') and goes on with the others.
 */
export function openEvent(keys: StorageKeys, stored: Physical): Record<string, unknown> {
	const { kept } = pick(stored, EVENT_CLEAR);
	let canonical = '';
	let leafHash = new Uint8Array(0);
	let others: Record<string, unknown> = {};
	try {
		if (!(stored.sealed instanceof Uint8Array)) throw new Error('not sealed');
		const payload = open(keys.seal, stored.sealed, eventAad(stored.seq));
		if (payload.length < LEAF_HASH_BYTES) throw new Error('too short');
		leafHash = payload.slice(0, LEAF_HASH_BYTES);
		canonical = new TextDecoder('utf-8', { fatal: true }).decode(payload.subarray(LEAF_HASH_BYTES));
		if (stored.rest instanceof Uint8Array) others = openRecord(keys, stored.rest, `${eventAad(stored.seq)}:rest`);
	} catch {
		canonical = '';
		leafHash = new Uint8Array(0);
		others = {};
	}
	return { ...others, ...kept, canonical, leafHash };
}

/**
 * Associated data of an entity row: its guid and the number of its events the row reflects, so a
 * sealed copy moved to another record, or an edited count, does not open. Rows sealed before the
 * count was bound (issue 14) open with the guid alone; the integrity check compares every record
 * with its events whatever it was sealed with.
 */
/** @internal */
export function entityAad(guid: unknown, count?: unknown): string {
	return count === undefined ? `entity:${String(guid)}` : `entity:${String(guid)}:${String(count)}`;
}

/** The sealed copy of an entity row's clear members, checked against them when the row is opened. */
const CLEAR_COPY = '$clear';

/**
 * Marks a sealed entity record whose search words and sort name were left out because they are what
 * the projection gives (store/search.ts): they are derived again when it is opened (issue 20: about
 * 100 bytes a record). Records sealed before, or whose words are not the derived ones, keep them.
 */
const DERIVED = '$derived';

function derivable(rest: Record<string, unknown>): boolean {
	const entity = rest.entity as Entity | undefined;
	if (entity === undefined || rest.sortName !== sortNameOf(entity) || !Array.isArray(rest.words)) return false;
	const words = rest.words as unknown[];
	const derived = searchWords(entity);
	return words.length === derived.length && words.every((w, i) => w === derived[i]);
}

function sealEntity(keys: StorageKeys, row: Record<string, unknown>): Physical {
	const { kept, rest } = pick(row, ENTITY_CLEAR);
	let record: Record<string, unknown> = rest;
	if (derivable(rest)) {
		const { words: _words, sortName: _sortName, ...others } = rest;
		record = { ...others, [DERIVED]: 1 };
	}
	// Sealed even when nothing else is: the clear members (deleted, type, count...) are then bound too.
	const out: Physical = { ...kept, sealed: sealRecord(keys, { ...record, [CLEAR_COPY]: kept }, entityAad(row.guid, row.count)) };
	// Blind tokens of its id and phone words, so search finds the entity by them without a word on
	// disk: 8 raw bytes each (binary IndexedDB keys), stored in the row and again in the index (schema
	// version 6). Not of its name words: those are matched on the name order in memory (name-index.ts,
	// issue 20), whose sealed snapshot holds them. Rows sealed before keep their name tokens until
	// they are next written; a search never looks names up by token, so they only cost their bytes.
	if (Array.isArray(rest.words)) out.words = searchTokens(keys.index, tokenWords(rest.entity as Entity | undefined, rest.words as string[]).join(' ')).map(tokenBytes);
	return out;
}

/** @internal The logical row of a stored entity row (name-index.ts opens rows inside a caller's transaction). */
export function openEntityRow(keys: StorageKeys, stored: Physical): Record<string, unknown> {
	return openEntity(keys, stored);
}

function openEntity(keys: StorageKeys, stored: Physical): Record<string, unknown> {
	const { kept } = pick(stored, ENTITY_CLEAR);
	if (!(stored.sealed instanceof Uint8Array)) return kept;
	let opened: Record<string, unknown>;
	try {
		opened = openRecord(keys, stored.sealed, entityAad(stored.guid, stored.count));
	} catch (e) {
		// Sealed before the count was bound: it holds no copy of the clear members to check.
		opened = openRecord(keys, stored.sealed, entityAad(stored.guid));
		if (Object.hasOwn(opened, CLEAR_COPY)) throw e;
	}
	return entityOf(stored, kept, opened);
}

/** The logical entity row of a stored one whose sealed part opened as `opened`: checked against its clear members. */
function entityOf(stored: Physical, kept: Record<string, unknown>, opened: Record<string, unknown>): Record<string, unknown> {
	const { [CLEAR_COPY]: copy, [DERIVED]: derived, ...rest } = opened;
	if (copy !== undefined && canonicalJson(copy) !== canonicalJson(kept)) {
		throw new CasetrailError(
			'decryption-failed',
			`The stored record ${String(stored.guid)} was changed outside Casetrail: its clear fields differ from its sealed ones. A supervisor repairs it with "Rebuild records from the log" on the Integrity page.`
		);
	}
	if (derived !== undefined && rest.entity !== undefined) {
		const entity = rest.entity as Entity;
		rest.words = searchWords(entity);
		rest.sortName = sortNameOf(entity);
	}
	return { ...rest, ...kept };
}

/**
 * @internal The entity rows of `guids` (undefined where there is none), read in one read transaction
 * below the vault and opened with WebCrypto in parallel after it: what {@link openEntity} gives, about
 * four times faster for many rows (native AES-GCM, measured in Chromium 156). Call it outside any
 * transaction. A row that does not open fails the call with 'decryption-failed', as a read does.
 */
export async function openEntityRows(db: CasetrailDb, guids: readonly string[]): Promise<(EntityRow | undefined)[]> {
	const vault = vaultOf(db);
	const core = vault?.rawCore;
	if (!vault || !core) throw new CasetrailError('storage-failed', 'The vault has not been opened with its database.');
	vault.keys();
	if (guids.length === 0) return [];
	const table = core.table('entities');
	const stored = await db.transaction('r', db.entities, async (tx) => {
		// Dexie creates the IndexedDB transaction on the first request; this one (a key that no guid is) makes sure of it.
		await db.entities.get(MAX_STRING);
		return (await table.getMany({ trans: tx.idbtrans as unknown as DBCoreTransaction, keys: [...guids] })) as (Physical | undefined)[];
	});
	const key = await vault.webKey();
	return Promise.all(stored.map((row) => (row === undefined || row === null ? undefined : openEntityWeb(key, row))));
}

/** AES-GCM with WebCrypto, in {@link seal}'s format (nonce || ciphertext || tag). */
async function webOpen(key: CryptoKey, sealed: Uint8Array, aad: string): Promise<Uint8Array> {
	if (sealed.length < NONCE_BYTES + 16) throw new Error('too short');
	const bytes = sealed as Uint8Array<ArrayBuffer>;
	return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: bytes.subarray(0, NONCE_BYTES), additionalData: utf8.encode(aad) }, key, bytes.subarray(NONCE_BYTES)));
}

async function webSeal(key: CryptoKey, plain: Uint8Array, aad: string): Promise<Uint8Array> {
	const nonce = randomBytes(NONCE_BYTES);
	const body = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv: nonce as Uint8Array<ArrayBuffer>, additionalData: utf8.encode(aad) }, key, plain as Uint8Array<ArrayBuffer>));
	const out = new Uint8Array(NONCE_BYTES + body.length);
	out.set(nonce, 0);
	out.set(body, NONCE_BYTES);
	return out;
}

function unreadableRecord(): CasetrailError {
	return new CasetrailError('decryption-failed', 'A stored record does not decrypt: it was changed outside Casetrail, or it was written under another key.');
}

/**
 * @internal The logical row of a stored entity row, opened with WebCrypto (call it outside any
 * transaction): what the vault's reader gives, 'decryption-failed' where it fails.
 */
export async function openEntityWeb(key: CryptoKey, row: Physical): Promise<EntityRow> {
	const { kept } = pick(row, ENTITY_CLEAR);
	const sealed = row.sealed;
	if (!(sealed instanceof Uint8Array)) return kept as unknown as EntityRow;
	let opened: Record<string, unknown>;
	try {
		opened = parseRecord(await webOpen(key, sealed, entityAad(row.guid, row.count)));
	} catch {
		try {
			opened = parseRecord(await webOpen(key, sealed, entityAad(row.guid)));
		} catch {
			throw unreadableRecord();
		}
		// Sealed before the count was bound: it holds no copy of the clear members to check.
		if (Object.hasOwn(opened, CLEAR_COPY)) throw unreadableRecord();
	}
	return entityOf(row, kept, opened) as unknown as EntityRow;
}

/** @internal {@link openSnapshot} with WebCrypto (outside any transaction); 'decryption-failed' where it fails. */
export async function openSnapshotWeb(key: CryptoKey, stored: Physical): Promise<SnapshotRow> {
	const { kept } = pick(stored, SNAPSHOT_CLEAR);
	if (!(stored.sealed instanceof Uint8Array)) return kept as unknown as SnapshotRow;
	let plain: Uint8Array;
	try {
		plain = await webOpen(key, stored.sealed, snapshotAad(stored.entityGuid, stored.position));
	} catch {
		throw unreadableRecord();
	}
	return { ...parseRecord(plain), ...kept } as unknown as SnapshotRow;
}

/**
 * @internal The canonical text and leaf hash of a stored event row, opened with WebCrypto (outside
 * any transaction), or undefined when it does not open or carries extra sealed members.
 */
export async function openEventWeb(key: CryptoKey, stored: Physical): Promise<{ canonical: string; leafHash: Uint8Array } | undefined> {
	if (stored.rest !== undefined || !(stored.sealed instanceof Uint8Array)) return undefined;
	try {
		const payload = await webOpen(key, stored.sealed, eventAad(stored.seq));
		if (payload.length < LEAF_HASH_BYTES) return undefined;
		return { canonical: new TextDecoder('utf-8', { fatal: true }).decode(payload.subarray(LEAF_HASH_BYTES)), leafHash: payload.slice(0, LEAF_HASH_BYTES) };
	} catch {
		return undefined;
	}
}

/**
 * @internal Seals entity and snapshot rows of `db` now, with WebCrypto (call it outside any
 * transaction), as the vault would seal them on writing: a write of the same row objects later, in a
 * transaction, stores them as they are, unless the session's keys changed meanwhile (then the vault
 * seals them again). `derived` says that every entity row's search words and sort name are what its
 * projection gives (store/fold.ts entityRow), so they are not derived again to check it. The blind
 * tokens, of the ids and phones only as sealEntity stores them, are computed here too (synchronously: an HMAC per token is cheaper in JavaScript than a
 * WebCrypto call).
 */
export async function presealRows(db: Dexie, entities: readonly EntityRow[], snapshots: readonly SnapshotRow[], derived: boolean): Promise<void> {
	const vault = vaultOf(db);
	if (!vault) return;
	const keys = vault.keys();
	const key = await vault.webKey();
	await Promise.all([
		...entities.map(async (row) => {
			const { kept, rest } = pick(row as unknown as Record<string, unknown>, ENTITY_CLEAR);
			let record: Record<string, unknown> = rest;
			if (rest.entity !== undefined && (derived || derivable(rest))) {
				const { words: _words, sortName: _sortName, ...others } = rest;
				record = { ...others, [DERIVED]: 1 };
			}
			// Kept as one array of their bytes until the write: a typed array per token, for every record
			// at once, would weigh more than the records.
			const tokens = Array.isArray(rest.words) ? hexToBytes(searchTokens(keys.index, tokenWords(rest.entity as Entity | undefined, rest.words as string[]).join(' ')).join(''), 'A search token') : undefined;
			const sealed = await webSeal(key, recordBytes({ ...record, [CLEAR_COPY]: kept }), entityAad(row.guid, row.count));
			presealed.set(row, { keys, stored: { ...kept, sealed }, ...(tokens !== undefined && { tokens }) });
		}),
		...snapshots.map(async (row) => {
			const { kept, rest } = pick(row as unknown as Record<string, unknown>, SNAPSHOT_CLEAR);
			if (Object.keys(rest).length === 0) return;
			presealed.set(row, { keys, stored: { ...kept, sealed: await webSeal(key, recordBytes(rest), snapshotAad(row.entityGuid, row.position)) } });
		})
	]);
}

function snapshotAad(entityGuid: unknown, position: unknown): string {
	return `snapshot:${String(entityGuid)}:${String(position)}`;
}

function sealSnapshot(keys: StorageKeys, row: Record<string, unknown>): Physical {
	const { kept, rest } = pick(row, SNAPSHOT_CLEAR);
	if (Object.keys(rest).length === 0) return kept;
	return { ...kept, sealed: sealRecord(keys, rest, snapshotAad(row.entityGuid, row.position)) };
}

function openSnapshot(keys: StorageKeys, stored: Physical): Record<string, unknown> {
	const { kept } = pick(stored, SNAPSHOT_CLEAR);
	if (!(stored.sealed instanceof Uint8Array)) return kept;
	return { ...openRecord(keys, stored.sealed, snapshotAad(stored.entityGuid, stored.position)), ...kept };
}

function peerLeafAad(row: Record<string, unknown>): string {
	return `peer-leaf:${String(row.deviceId)}:${String(row.index)}`;
}

/**
 * Another device's Merkle nodes (bundle exchange): a level-0 node is the leaf hash of one of its
 * events, as guessable as ours, so it is sealed; higher nodes stay clear (a hash of hashes).
 */
function sealPeerNode(keys: StorageKeys, row: Record<string, unknown>): Physical {
	const { hash, ...rest } = row;
	if (row.level !== 0 || !(hash instanceof Uint8Array)) return { ...row };
	return { ...rest, sealed: seal(keys.seal, hash, peerLeafAad(row)) };
}

function openPeerNode(keys: StorageKeys, stored: Physical): Record<string, unknown> {
	const { sealed, ...rest } = stored;
	if (!(sealed instanceof Uint8Array)) return { ...stored };
	return { ...rest, hash: open(keys.seal, sealed, peerLeafAad(stored)) };
}

function attachmentAad(sha256: unknown): string {
	return `attachment:${String(sha256)}`;
}

const ATTACHMENT_CLEAR = ['sha256', 'size'] as const;

/**
 * Attachments sealed ahead of their transaction ({@link presealAttachment}), with the keys they were
 * sealed under: the write then stores them as they are, unless the session's keys changed meanwhile.
 */
const presealed = new WeakMap<object, Presealed>();

interface Presealed {
	keys: StorageKeys;
	stored: Physical;
	/** An entity row's blind tokens, one after the other ({@link TOKEN_BYTES} each), stored as `words`. */
	tokens?: Uint8Array;
}

const TOKEN_BYTES = 8;

/** The stored row of a presealed one: its tokens each in a typed array of its own, as the vault writes them. */
function presealedRow(early: Presealed): Physical {
	const packed = early.tokens;
	if (packed === undefined) return early.stored;
	const words: Uint8Array[] = [];
	for (let at = 0; at < packed.length; at += TOKEN_BYTES) words.push(packed.slice(at, at + TOKEN_BYTES));
	return { ...early.stored, words };
}

/**
 * An attachment row's bytes: sealed with its hash as associated data, so bytes moved to another
 * hash do not open. A row {@link presealAttachment} sealed under the current keys is taken as it is.
 */
function sealAttachment(keys: StorageKeys, row: Record<string, unknown>): Physical {
	const early = presealed.get(row);
	if (early && early.keys === keys) return early.stored;
	const { kept, rest } = pick(row, ATTACHMENT_CLEAR);
	const bytes = rest.bytes;
	if (!(bytes instanceof Uint8Array)) throw new CasetrailError('storage-failed', 'An attachment row reached the vault without its bytes.');
	return { ...kept, sealed: seal(keys.seal, bytes, attachmentAad(row.sha256)) };
}

/** The bytes of a stored attachment; 'decryption-failed' when they were changed on disk or moved. */
function openAttachment(keys: StorageKeys, stored: Physical): Record<string, unknown> {
	const { kept } = pick(stored, ATTACHMENT_CLEAR);
	if (!(stored.sealed instanceof Uint8Array)) {
		throw new CasetrailError('decryption-failed', `The stored attachment ${String(stored.sha256)} is not sealed: it was changed outside Casetrail.`);
	}
	return { ...kept, bytes: open(keys.seal, stored.sealed, attachmentAad(stored.sha256)) };
}

/**
 * Seals an attachment row of `db` now, under the session's keys, so the transaction that stores it
 * (with the event that references it) only writes it: a photo is hundreds of kilobytes, and sealing
 * it inside the transaction would hold every other tab's writes that long. Does nothing without a
 * vault; 'not-signed-in' when locked.
 */
export function presealAttachment(db: Dexie, row: { sha256: string; size: number; bytes: Uint8Array }): void {
	const vault = vaultOf(db);
	if (!vault) return;
	const keys = vault.keys();
	presealed.set(row, { keys, stored: { sha256: row.sha256, size: row.size, sealed: seal(keys.seal, row.bytes, attachmentAad(row.sha256)) } });
}

/**
 * {@link presealAttachment} with WebCrypto's AES-GCM (the same format: nonce || ciphertext || tag),
 * several times faster than the synchronous cipher on a photo; call it outside any transaction.
 */
export async function presealAttachmentAsync(db: Dexie, row: { sha256: string; size: number; bytes: Uint8Array }): Promise<void> {
	const vault = vaultOf(db);
	if (!vault) return;
	const keys = vault.keys();
	const key = await crypto.subtle.importKey('raw', new Uint8Array(keys.seal), 'AES-GCM', false, ['encrypt']);
	const nonce = randomBytes(NONCE_BYTES);
	const body = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv: nonce, additionalData: utf8.encode(attachmentAad(row.sha256)) }, key, new Uint8Array(row.bytes)));
	const sealed = new Uint8Array(NONCE_BYTES + body.length);
	sealed.set(nonce, 0);
	sealed.set(body, NONCE_BYTES);
	presealed.set(row, { keys, stored: { sha256: row.sha256, size: row.size, sealed } });
}

/** The tables whose rows the vault seals, in the order a key rotation re-seals them. */
export const SEALED_TABLES = ['events', 'entities', 'snapshots', 'peerNodes', 'attachments'] as const;
export type SealedTable = (typeof SEALED_TABLES)[number];

function resealBytes(from: StorageKeys, to: StorageKeys, sealed: unknown, aad: string): unknown {
	if (!(sealed instanceof Uint8Array)) return sealed;
	try {
		return seal(to.seal, open(from.seal, sealed, aad), aad);
	} catch {
		// Already unreadable (edited on disk): left as it is, for the integrity check to name.
		return sealed;
	}
}

/**
 * @internal A stored row of `table` sealed under `from`, sealed again under `to` (a data key
 * rotation, store/rotation.ts): same clear fields, same associated data, new ciphertexts and blind
 * tokens. Synchronous, for use inside the rotation's transactions. A row that does not open under
 * `from` is returned unchanged: it was unreadable before and stays so.
 */
export function resealRow(table: SealedTable, from: StorageKeys, to: StorageKeys, stored: Physical): Physical {
	switch (table) {
		case 'events': {
			const out: Physical = { ...stored, sealed: resealBytes(from, to, stored.sealed, eventAad(stored.seq)) as Uint8Array };
			if (stored.rest !== undefined) out.rest = resealBytes(from, to, stored.rest, `${eventAad(stored.seq)}:rest`) as Uint8Array;
			return out;
		}
		case 'entities':
			try {
				return sealEntity(to, openEntity(from, stored));
			} catch {
				return stored;
			}
		case 'snapshots':
			try {
				return sealSnapshot(to, openSnapshot(from, stored));
			} catch {
				return stored;
			}
		case 'peerNodes':
			return stored.sealed instanceof Uint8Array ? { ...stored, sealed: resealBytes(from, to, stored.sealed, peerLeafAad(stored)) as Uint8Array } : stored;
		case 'attachments':
			return { ...stored, sealed: resealBytes(from, to, stored.sealed, attachmentAad(stored.sha256)) as Uint8Array };
	}
}

interface Codec {
	seal(keys: StorageKeys, row: Record<string, unknown>, user: User): Physical;
	open(keys: StorageKeys, stored: Physical): Record<string, unknown>;
}

const CODECS: Readonly<Record<string, Codec>> = {
	events: { seal: sealEvent, open: openEvent },
	entities: { seal: (keys, row) => sealEntity(keys, row), open: openEntity },
	snapshots: { seal: (keys, row) => sealSnapshot(keys, row), open: openSnapshot },
	peerNodes: { seal: (keys, row) => sealPeerNode(keys, row), open: openPeerNode },
	attachments: { seal: (keys, row) => sealAttachment(keys, row), open: openAttachment }
};

// ---------------------------------------------------------------------------------------------
// The middleware.

const MAX_STRING = String.fromCharCode(65535);
// Dexie's DBCoreRangeType is a const enum, which isolated modules cannot read: its values.
const RANGE_EQUAL = 1;
const RANGE_RANGE = 2;
const RANGE_NEVER = 4;

/**
 * The range of blind tokens to look up for a range over the `words` index: a `startsWith(prefix)`
 * or an `equals(word)` becomes the token of that prefix (a superset, which the store filters); a
 * full scan stays one. Any other range cannot be answered from tokens.
 */
function blindRange(keys: StorageKeys, range: DBCoreKeyRange): DBCoreKeyRange {
	if (range.type === RANGE_EQUAL && typeof range.lower === 'string') return tokenRange(keys, range.lower);
	if (range.type === RANGE_RANGE && typeof range.lower === 'string' && range.upper === range.lower + MAX_STRING && !range.lowerOpen && !range.upperOpen) {
		return tokenRange(keys, range.lower);
	}
	if (range.type === RANGE_RANGE && range.lower === undefined && range.upper === undefined) return range;
	if (range.type !== RANGE_RANGE) return range;
	throw new CasetrailError('out-of-range', 'Search words are stored as blind tokens: look them up by prefix (startsWith) or equality only.');
}

function tokenRange(keys: StorageKeys, word: string): DBCoreKeyRange {
	const token = searchToken(keys.index, word);
	if (token === undefined) return { type: RANGE_NEVER, lower: undefined, upper: undefined };
	const key = tokenBytes(token);
	return { type: RANGE_EQUAL, lower: key, upper: key };
}

/**
 * A blind token as it is stored: its 8 bytes, a binary IndexedDB key, not its 16 hex digits (half
 * the bytes in the row and in the index; Chromium keeps a string key as two bytes a character).
 * The same 64 bits: a stored row tells nothing more or less than the hex did.
 */
export function tokenBytes(token: string): Uint8Array {
	return hexToBytes(token, 'A search token');
}

/** Tracks what a readwrite transaction changed in the name order, applied when it commits. */
interface Pending {
	/** guid -> new sortName, or undefined when the entity has no projection (any more). */
	names: Map<string, string | undefined>;
	/** guid -> its new extra name words (store/search.ts `extraNameWords`; '' for none). */
	extras: Map<string, string>;
	/** Entity rows were deleted: the order must be rebuilt. */
	invalidate: boolean;
	/** Log size the transaction read, and the one it wrote. */
	sizeBefore: number | undefined;
	sizeAfter: number | undefined;
	/** Rebuild count (meta 'projections') the transaction read, and the one it wrote. */
	rebuiltBefore: number | undefined;
	rebuiltAfter: number | undefined;
	epoch: number;
	/** The whole name order the transaction leaves, when its writer gave it (a rebuild: {@link Vault.namesOnCommit}). */
	order?: { names: NameEntry[]; extras: ReadonlyMap<string, string>; size: number; rebuilt: number; installed: () => void };
}

function createMiddleware(vault: Vault) {
	const pending = new WeakMap<DBCoreTransaction, Pending>();

	function track(trans: DBCoreTransaction): Pending {
		let p = pending.get(trans);
		if (p === undefined) {
			const created: Pending = { names: new Map(), extras: new Map(), invalidate: false, sizeBefore: undefined, sizeAfter: undefined, rebuiltBefore: undefined, rebuiltAfter: undefined, epoch: vault.currentEpoch() };
			p = created;
			pending.set(trans, created);
			const idb = trans as unknown as Partial<IDBTransaction>;
			idb.addEventListener?.('complete', () => vault.applyCommitted(created));
		}
		return p;
	}

	return {
		stack: 'dbcore' as const,
		name: 'CasetrailVault',
		create(down: DBCore): Partial<DBCore> {
			vault.rawCore = down;
			vault.trackCommit = track;
			return {
				...down,
				table(name: string): DBCoreTable {
					const table = down.table(name);
					if (name === 'meta') return metaTable(table);
					const codec = CODECS[name];
					if (!codec) return table;
					const openRow = (value: unknown): unknown => (value === undefined || value === null ? value : codec.open(vault.keys(), value as Physical));
					const isWords = (req: { query: { index: { name: string | null } } }) => name === 'entities' && req.query.index.name === 'words';
					const blind = <R extends { query: DBCoreQueryRequest['query'] }>(req: R): R =>
						isWords(req) ? { ...req, query: { ...req.query, range: blindRange(vault.keys(), req.query.range) } } : req;
					return {
						...table,
						mutate(req: DBCoreMutateRequest) {
							if (req.type !== 'add' && req.type !== 'put') {
								if (name === 'entities') track(req.trans).invalidate = true;
								return table.mutate(req);
							}
							try {
								const keys = vault.keys();
								const user = vault.requireUser();
								const values = req.values.map((v) => {
									const early = name === 'entities' || name === 'snapshots' ? presealed.get(v as object) : undefined;
									return early && early.keys === keys ? presealedRow(early) : codec.seal(keys, v as Record<string, unknown>, user);
								});
								if (name === 'entities') {
									const p = track(req.trans);
									for (const v of req.values as EntityRow[]) {
										p.names.set(v.guid, v.entity ? v.sortName : undefined);
										p.extras.set(v.guid, v.entity ? extraNameWords(v.entity, v.sortName) : '');
									}
								}
								return table.mutate({ ...req, values });
							} catch (e) {
								return Promise.reject(e);
							}
						},
						get: (req) => table.get(req).then(openRow),
						getMany: (req) => table.getMany(req).then((rows) => rows.map(openRow)),
						query(req) {
							try {
								const q = blind(req);
								if (!q.values) return table.query(q);
								vault.keys();
								return table.query(q).then((res) => ({ ...res, result: res.result.map(openRow) }));
							} catch (e) {
								return Promise.reject(e);
							}
						},
						openCursor(req) {
							try {
								const q = blind(req);
								if (q.values === false) return table.openCursor(q);
								vault.keys();
								return table.openCursor(q).then((cursor) => cursor && openingCursor(cursor, openRow));
							} catch (e) {
								return Promise.reject(e);
							}
						},
						count(req) {
							try {
								return table.count(blind(req));
							} catch (e) {
								return Promise.reject(e);
							}
						}
					};
				}
			};
		}
	};

	/**
	 * Watches the head and the rebuild count being read and written, to keep the name order's log
	 * size and rebuild count current.
	 */
	function metaTable(table: DBCoreTable): DBCoreTable {
		return {
			...table,
			get(req) {
				return table.get(req).then((row: { key?: string; value?: { size?: number; rebuilt?: number } } | undefined) => {
					if ((req.trans as unknown as Partial<IDBTransaction>).mode === 'readwrite') {
						const p = track(req.trans);
						if (req.key === 'head' && p.sizeBefore === undefined) p.sizeBefore = row?.value?.size ?? 0;
						if (req.key === 'projections' && p.rebuiltBefore === undefined) p.rebuiltBefore = row?.value?.rebuilt ?? 0;
					}
					return row;
				});
			},
			mutate(req) {
				if (req.type === 'put' || req.type === 'add') {
					for (const v of req.values as { key?: string; value?: { size?: number; rebuilt?: number } }[]) {
						if (v.key === 'head' && typeof v.value?.size === 'number') track(req.trans).sizeAfter = v.value.size;
						if (v.key === 'projections' && typeof v.value?.rebuilt === 'number') track(req.trans).rebuiltAfter = v.value.rebuilt;
					}
				}
				return table.mutate(req);
			}
		};
	}
}

/**
 * A cursor whose `value` is the opened row (opened once per position). Every member delegates
 * explicitly: in a browser the cursor is a native IDBCursor, whose accessors and methods throw
 * "Illegal invocation" when reached through another object (fake-indexeddb's do not).
 */
function openingCursor(cursor: DBCoreCursor, openRow: (value: unknown) => unknown): DBCoreCursor {
	let at: unknown = NOT_READ;
	let opened: unknown;
	const wrapper: DBCoreCursor = {
		get trans() {
			return cursor.trans;
		},
		get key(): unknown {
			return cursor.key;
		},
		get primaryKey(): unknown {
			return cursor.primaryKey;
		},
		get done(): boolean {
			return cursor.done === true;
		},
		get value(): unknown {
			const raw: unknown = cursor.value;
			if (raw !== at) {
				at = raw;
				opened = openRow(raw);
			}
			return opened;
		},
		continue: (...key: [unknown?]) => cursor.continue(...key),
		continuePrimaryKey: (key: unknown, primaryKey: unknown) => cursor.continuePrimaryKey(key, primaryKey),
		advance: (count: number) => cursor.advance(count),
		start: (onNext: () => void) => cursor.start(onNext),
		stop: (value?: unknown) => cursor.stop(value),
		next: () => cursor.next().then(() => wrapper),
		fail: (error: Error) => cursor.fail(error)
	};
	return wrapper;
}

const NOT_READ = Symbol('not read');

/**
 * Installs a vault on `db` (before it is first opened: Dexie builds its middleware stack on open)
 * and returns it. From then on, the encrypted tables need a signed-in session.
 */
export function installVault(db: Dexie): Vault {
	const existing = vaults.get(db);
	if (existing) return existing;
	if (db.isOpen()) throw new CasetrailError('storage-failed', 'The vault must be installed before the database is opened.');
	const vault = new Vault();
	db.use(createMiddleware(vault));
	vaults.set(db, vault);
	return vault;
}

/** Opens the database with its vault: what the worker uses. */
export function openVaultDb(name?: string, options: OpenOptions = {}): { db: CasetrailDb; vault: Vault } {
	const db = openDb(name, options);
	return { db, vault: installVault(db) };
}

// ---------------------------------------------------------------------------------------------
// Name order in memory (built by name-index.ts).

/**
 * A page of entity rows in name order from the in-memory order (name-index.ts `nameOrder`): walks the order after
 * `after` (a [sortName, guid] key) in the given direction, reads the rows in batches (of the
 * entries `keep` accepts only, when given: the candidates of a text search) and keeps those `matches`
 * accepts, until `want` are found or the order ends.
 */
export async function walkNameOrder(
	db: CasetrailDb,
	names: readonly NameEntry[],
	options: { after?: NameEntry | undefined; desc: boolean; want: number; matches: (row: EntityRow) => boolean; keep?: ((entry: NameEntry) => boolean) | undefined }
): Promise<EntityRow[]> {
	const { after, desc, want, matches, keep } = options;
	let i: number;
	if (after === undefined) i = desc ? names.length - 1 : 0;
	else {
		const at = insertionPoint(names as NameEntry[], after);
		i = desc ? at - 1 : names[at] !== undefined && cmp(names[at], after) === 0 ? at + 1 : at;
	}
	const out: EntityRow[] = [];
	// Filters can reject most candidates (a second search word, a type): larger batches the further it
	// goes. The candidates `keep` accepts match the search words already: a page's worth first.
	let batch = keep ? want : Math.max(16, want * 2);
	while (out.length < want && i >= 0 && i < names.length) {
		const guids: string[] = [];
		for (; guids.length < batch && i >= 0 && i < names.length; i += desc ? -1 : 1) {
			const entry = names[i] as NameEntry;
			if (!keep || keep(entry)) guids.push(entry[1]);
		}
		if (guids.length === 0) break;
		// Outside a transaction the rows are opened with WebCrypto, inside one synchronously.
		const rows = Dexie.currentTransaction ? await db.entities.bulkGet(guids) : await openEntityRows(db, guids);
		for (const row of rows) {
			if (row && matches(row)) {
				out.push(row);
				if (out.length === want) break;
			}
		}
		batch = Math.min(batch * 2, 1000);
	}
	return out;
}
