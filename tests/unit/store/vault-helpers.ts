/**
 * Fixtures for the encrypted-store tests: a fresh vault database, a raw scan of every IndexedDB
 * store (below Dexie and the vault, as someone holding the device would read it) and raw edits.
 */
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { openVaultDb, vaultOf, type Vault } from '../../../src/lib/store/vault';
import type { CasetrailDb } from '../../../src/lib/store/db';
import { sealText, storageKeys } from '../../../src/lib/crypto/seal';
import type { User } from '../../../src/lib/core/access';
import { generateDataKey } from '../../../src/lib/crypto/keys';
import { at, uniqueName } from './helpers';

export function freshVaultDb(): { db: CasetrailDb; vault: Vault } {
	return openVaultDb(uniqueName(), { indexedDB, IDBKeyRange });
}

/** The administrator the encrypted-store tests sign in as. */
export const ALICE: User = { id: 'u-alice', name: 'Alice Admin', role: 'administrator', createdAt: at(0), createdBy: 'u-alice' };

/** A fresh vault database unlocked for {@link ALICE} with a new data key, kept in `open` for the test's clean-up. */
export function unlockedVaultDb(open: CasetrailDb[]): { db: CasetrailDb; vault: Vault; key: Uint8Array } {
	const { db, vault } = freshVaultDb();
	open.push(db);
	const key = generateDataKey();
	vault.unlock(ALICE, key);
	return { db, vault, key };
}

/**
 * Makes signed-in `db` what a device set up by the release before rosters and head MACs stored: its
 * vault check sealed as version 1, no roster, a head without a MAC.
 */
export async function asSetUpBeforeRosters(db: CasetrailDb): Promise<void> {
	const keys = storageKeys((vaultOf(db) as Vault).dataKey());
	await db.meta.put({ key: 'vault', value: { check: sealText(keys.seal, 'casetrail vault v1', 'vault-check') } });
	await db.meta.delete('roster');
	const head = await db.meta.get('head');
	if (head?.key === 'head') {
		const { mac: _mac, ...rest } = head.value;
		await db.meta.put({ key: 'head', value: rest });
	}
}

function rawOpen(name: string): Promise<IDBDatabase> {
	return new Promise((resolve, reject) => {
		const req = indexedDB.open(name);
		req.onsuccess = () => resolve(req.result);
		req.onerror = () => reject(req.error);
	});
}

function done<T>(req: IDBRequest<T>): Promise<T> {
	return new Promise((resolve, reject) => {
		req.onsuccess = () => resolve(req.result);
		req.onerror = () => reject(req.error);
	});
}

/** Every string a record holds, and its byte arrays read as Latin-1 and as UTF-8 text. */
function texts(value: unknown, out: string[]): void {
	if (typeof value === 'string') out.push(value);
	else if (typeof value === 'number') out.push(String(value));
	else if (value instanceof Uint8Array) {
		out.push(Buffer.from(value).toString('latin1'), Buffer.from(value).toString('utf8'), Buffer.from(value).toString('hex'));
	} else if (Array.isArray(value)) for (const v of value) texts(v, out);
	else if (typeof value === 'object' && value !== null) {
		for (const [k, v] of Object.entries(value)) {
			out.push(k);
			texts(v, out);
		}
	}
}

/** Every record of every object store of database `name`, as stored, keyed by store name. */
export async function rawRecords(name: string): Promise<Map<string, unknown[]>> {
	const idb = await rawOpen(name);
	try {
		const out = new Map<string, unknown[]>();
		for (const store of Array.from(idb.objectStoreNames)) out.set(store, await done(idb.transaction(store, 'readonly').objectStore(store).getAll()));
		return out;
	} finally {
		idb.close();
	}
}

/** Every record of every object store of database `name`, as text, keyed by store name. */
export async function rawDump(name: string): Promise<Map<string, string[]>> {
	const out = new Map<string, string[]>();
	for (const [store, records] of await rawRecords(name)) {
		const strings: string[] = [];
		for (const r of records) texts(r, strings);
		out.set(store, strings);
	}
	return out;
}

/** Rewrites one raw record of `store` (by primary key) with `edit`, below Dexie and the vault. */
export async function rawEdit(name: string, store: string, key: IDBValidKey, edit: (record: Record<string, unknown>) => void): Promise<void> {
	const idb = await rawOpen(name);
	try {
		const tx = idb.transaction(store, 'readwrite');
		const os = tx.objectStore(store);
		const record = (await done(os.get(key))) as Record<string, unknown>;
		edit(record);
		await done(os.put(record));
	} finally {
		idb.close();
	}
}

/** One raw record of `store`. */
export async function rawGet(name: string, store: string, key: IDBValidKey): Promise<Record<string, unknown> | undefined> {
	const idb = await rawOpen(name);
	try {
		return (await done(idb.transaction(store, 'readonly').objectStore(store).get(key))) as Record<string, unknown> | undefined;
	} finally {
		idb.close();
	}
}
