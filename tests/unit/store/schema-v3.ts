/**
 * A database as the previous build (schema version 3) left it, for the upgrade tests: the schema
 * literally as it was, kept here only, and entity rows without `memberGuids`.
 */
import Dexie from 'dexie';
import { expect } from 'vitest';
import type { User } from '../../../src/lib/core/access';
import type { CasetrailEvent } from '../../../src/lib/core/event';
import { appendEvents } from '../../../src/lib/store/append';
import type { CasetrailDb } from '../../../src/lib/store/db';
import { EXCHANGE_STORES } from '../../../src/lib/store/exchange-schema';
import { installVault } from '../../../src/lib/store/vault';
import { open, seal, storageKeys } from '../../../src/lib/crypto/seal';
import { at, IDBKeyRange, indexedDB } from './helpers';

/** The signed-in user of the sealed fixtures; events of the fixtures carry this id. */
export const previousUser: User = { id: 'u-1', name: 'Alice Admin', role: 'administrator', createdAt: at(0), createdBy: 'u-1' };

function openVersion3(name: string): CasetrailDb {
	const db = new Dexie(name, { indexedDB, IDBKeyRange }) as CasetrailDb;
	db.version(1).stores({
		events: 'seq, &guid, [entityGuid+instant+guid], type, instant',
		nodes: '[level+index]',
		entities: 'guid, sortName, updatedAt, *words',
		snapshots: '[entityGuid+position]',
		meta: 'key'
	});
	db.version(2).stores({ users: 'id' });
	db.version(3).stores(EXCHANGE_STORES);
	return db;
}

function request<T>(req: IDBRequest<T>): Promise<T> {
	return new Promise((resolve, reject) => {
		req.onsuccess = () => resolve(req.result);
		req.onerror = () => reject(req.error);
	});
}

/**
 * An entity row sealed as a version 3 build sealed it: associated data `entity:<guid>` only, and no
 * sealed copy of the clear members (today's rows bind the count and carry one, issue 14).
 */
function asVersion3Seal(row: Record<string, unknown>, dataKey: Uint8Array): Record<string, unknown> {
	const keys = storageKeys(dataKey);
	const text = new TextDecoder().decode(open(keys.seal, row.sealed as Uint8Array, `entity:${String(row.guid)}:${String(row.count)}`));
	const { $clear: _copy, ...sealedMembers } = JSON.parse(text) as Record<string, unknown>;
	return { ...row, sealed: seal(keys.seal, new TextEncoder().encode(JSON.stringify(sealedMembers)), `entity:${String(row.guid)}`) };
}

/**
 * Creates database `name` at schema version 3 holding `events`, sealed under `dataKey` when one is
 * given, and closes it. Today's append writes `memberGuids`; it is then removed from every stored
 * row below Dexie (on a sealed row it is a clear field), and sealed rows are sealed again as a
 * version 3 build did, which leaves the rows a version 3 build wrote.
 */
export async function previousSchemaDb(name: string, events: CasetrailEvent[], dataKey?: Uint8Array): Promise<void> {
	const db = openVersion3(name);
	if (dataKey) installVault(db).unlock(previousUser, dataKey);
	await appendEvents(db, events);
	db.close();
	const idb = await request(indexedDB.open(name));
	try {
		expect(idb.version).toBe(30);
		expect(Array.from(idb.transaction('entities').objectStore('entities').indexNames)).not.toContain('memberGuids');
		const tx = idb.transaction('entities', 'readwrite');
		const store = tx.objectStore('entities');
		for (const row of (await request(store.getAll())) as Record<string, unknown>[]) {
			const { memberGuids: _dropped, ...older } = row;
			await request(store.put(dataKey && row.sealed instanceof Uint8Array ? asVersion3Seal(older, dataKey) : older));
		}
	} finally {
		idb.close();
	}
}
