import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { appendEvents } from '../../../src/lib/store/append';
import { isOutdated, openDb, SCHEMA_VERSION, type CasetrailDb } from '../../../src/lib/store/db';
import { getTreeHead } from '../../../src/lib/store/read';
import { createIndividual, IDBKeyRange, indexedDB, uniqueName } from './helpers';

const names: string[] = [];
const connections: Dexie[] = [];
const raw: IDBDatabase[] = [];
afterEach(async () => {
	for (const c of connections.splice(0)) c.close();
	for (const c of raw.splice(0)) c.close();
	for (const name of names.splice(0)) indexedDB.deleteDatabase(name);
});

function open(name: string): CasetrailDb {
	const db = openDb(name, { indexedDB, IDBKeyRange });
	connections.push(db);
	return db;
}

/**
 * What a newer build does: opens the same database at the next version (raw IndexedDB, which
 * stores Dexie's version times 10) and adds a table in its upgrade.
 */
function openNewer(name: string): Promise<IDBDatabase> {
	return new Promise((resolve, reject) => {
		const request = indexedDB.open(name, (SCHEMA_VERSION + 1) * 10);
		request.onupgradeneeded = () => request.result.createObjectStore('future');
		request.onsuccess = () => {
			raw.push(request.result);
			resolve(request.result);
		};
		request.onerror = () => reject(request.error);
	});
}

function count(db: IDBDatabase, table: string): Promise<number> {
	return new Promise((resolve, reject) => {
		const request = db.transaction(table).objectStore(table).count();
		request.onsuccess = () => resolve(request.result);
		request.onerror = () => reject(request.error);
	});
}

describe('schema version guard', () => {
	it('closes an older connection when a newer build upgrades, and its calls fail with schema-outdated', async () => {
		const name = uniqueName();
		names.push(name);
		const older = open(name);
		await appendEvents(older, [createIndividual('s-1', 'A', 0)]);
		const newer = await openNewer(name);
		expect(newer.objectStoreNames.contains('future')).toBe(true);
		expect(isOutdated(older)).toBe(true);
		expect(older.isOpen()).toBe(false);
		await expect(appendEvents(older, [createIndividual('s-2', 'B', 1)])).rejects.toMatchObject({ name: 'CasetrailError', code: 'schema-outdated' });
		await expect(getTreeHead(older)).rejects.toMatchObject({ code: 'schema-outdated' });
		// The refused append stored nothing in the upgraded database.
		expect(await count(newer, 'events')).toBe(1);
	});

	it('refuses with schema-outdated when an older build opens a database a newer one already upgraded', async () => {
		const name = uniqueName();
		names.push(name);
		const newer = await openNewer(name);
		newer.close();
		const older = open(name);
		await expect(getTreeHead(older)).rejects.toMatchObject({ code: 'schema-outdated' });
		await expect(appendEvents(older, [createIndividual('s-3', 'C', 0)])).rejects.toMatchObject({ code: 'schema-outdated' });
	});
});

describe("Dexie's live-query machinery", () => {
	it('is left out: an append announces no change set to other tabs and workers (the worker has its own channel)', async () => {
		const db = open(uniqueName());
		names.push(db.name);
		const plain = new Dexie(uniqueName(), { indexedDB, IDBKeyRange });
		names.push(plain.name);
		connections.push(plain);
		plain.version(1).stores({ rows: 'id' });
		// Opening announces every table once, whatever the middlewares: listen after it.
		await Promise.all([db.open(), plain.open()]);
		const announced: string[] = [];
		const listener = (parts: Record<string, unknown>): void => {
			announced.push(...Object.keys(parts));
		};
		Dexie.on('storagemutated', listener);
		try {
			await appendEvents(db, [createIndividual('s-4', 'D', 0)]);
			// A plain Dexie database announces its writes: the listener does hear them.
			await plain.table('rows').put({ id: 1 });
			expect(announced).toContain(`idb://${plain.name}/rows/`);
			expect(announced.filter((part) => part.startsWith(`idb://${db.name}/`))).toEqual([]);
		} finally {
			Dexie.on('storagemutated').unsubscribe(listener);
		}
	});
});
