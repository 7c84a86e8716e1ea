/**
 * Issue 20, storage: what the encrypted store no longer keeps twice. Blind tokens are stored as their
 * 8 bytes, a sealed record leaves out the search words and sort name its projection gives, the
 * events have no `type` index; and a device upgraded from schema version 4 (hex tokens, words and
 * sort name sealed, the `type` index) opens before sign-in, searches, lists and checks as before.
 */
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import type { CasetrailEvent } from '../../../src/lib/core/event';
import { bytesToHex } from '../../../src/lib/core/encoding';
import { searchTokens } from '../../../src/lib/crypto/blind-index';
import { generateDataKey } from '../../../src/lib/crypto/keys';
import { open, seal, storageKeys } from '../../../src/lib/crypto/seal';
import { appendEvents } from '../../../src/lib/store/append';
import type { CasetrailDb, EntityRow } from '../../../src/lib/store/db';
import { EXCHANGE_STORES } from '../../../src/lib/store/exchange-schema';
import { checkIntegrity } from '../../../src/lib/store/integrity';
import { listEntities } from '../../../src/lib/store/read';
import { rebuildProjections } from '../../../src/lib/store/rebuild';
import { searchWords, sortNameOf, tokenWords } from '../../../src/lib/store/search';
import { installVault, openVaultDb, resealRow, type Physical } from '../../../src/lib/store/vault';
import { at, dropDb, IDBKeyRange, indexedDB, uniqueName } from './helpers';
import { ALICE, freshVaultDb, rawGet, rawRecords } from './vault-helpers';

const opened: CasetrailDb[] = [];
afterEach(async () => {
	await Promise.all(opened.splice(0).map(dropDb));
});

const alice = ALICE;

const PEOPLE = [
	{ guid: 'p-1', givenName: 'Amina', familyName: 'Yusuf', phone: '+254 700 000 001' },
	{ guid: 'p-2', givenName: 'José', familyName: 'García', phone: '+254 700 000 002' },
	{ guid: 'p-3', givenName: 'Zawadi', familyName: 'Okafor', nationalId: 'KE-12345678-9' },
	{ guid: 'p-4', givenName: 'Émile', familyName: 'Bernard' }
];

function story(): CasetrailEvent[] {
	const events: CasetrailEvent[] = PEOPLE.map(({ guid, ...data }, i) => ({ guid: `ev-${i}`, entityGuid: guid, type: 'create-individual', data, timestamp: at(i * 1000), userId: alice.id }));
	events.push({ guid: 'ev-5', entityGuid: 'p-1', type: 'update-individual', data: { familyName: 'Yusufu' }, timestamp: at(6000), userId: alice.id });
	return events;
}

async function names(db: CasetrailDb, text?: string): Promise<string[]> {
	return (await listEntities(db, text === undefined ? {} : { text })).entities.map((e) => String(e.data.givenName ?? e.data.name));
}

/** The JSON sealed in a stored entity row. */
function sealedMembers(row: Record<string, unknown> | undefined, key: Uint8Array): Record<string, unknown> {
	const plain = open(storageKeys(key).seal, row?.sealed as Uint8Array, `entity:${String(row?.guid)}:${String(row?.count)}`);
	return JSON.parse(new TextDecoder().decode(plain)) as Record<string, unknown>;
}

async function searchesAsBefore(db: CasetrailDb): Promise<void> {
	expect(await names(db)).toEqual(['Amina', 'Émile', 'José', 'Zawadi']);
	expect(await names(db, 'jos')).toEqual(['José']);
	expect(await names(db, 'GARC')).toEqual(['José']);
	expect(await names(db, 'emi')).toEqual(['Émile']);
	expect(await names(db, 'am yusufu')).toEqual(['Amina']);
	expect(await names(db, 'yusufx')).toEqual([]);
	expect(await names(db, '254700000002')).toEqual(['José']);
	expect(await names(db, '12345678')).toEqual(['Zawadi']);
	expect(await names(db, 'ke123456789')).toEqual(['Zawadi']);
}

describe('what the encrypted store keeps once', () => {
	it('stores blind tokens as their 8 bytes, the same tokens the hex was', async () => {
		const { db, vault } = freshVaultDb();
		opened.push(db);
		const key = generateDataKey();
		vault.unlock(alice, key);
		await appendEvents(db, story());
		const row = await db.entities.get('p-2');
		const raw = await rawGet(db.name, 'entities', 'p-2');
		const tokens = raw?.words as Uint8Array[];
		// Of its id and phone words: names are matched on the name order in memory, not by token.
		expect(tokens.map((t) => bytesToHex(t))).toEqual(searchTokens(storageKeys(key).index, tokenWords(row?.entity, row?.words ?? []).join(' ')));
		expect(tokens.length).toBeGreaterThan(0);
		await searchesAsBefore(db);
	});

	it('leaves the derivable search words and sort name out of the sealed record, and gives them back when read', async () => {
		const { db, vault } = freshVaultDb();
		opened.push(db);
		const key = generateDataKey();
		vault.unlock(alice, key);
		await appendEvents(db, story());
		for (const guid of ['p-1', 'p-2', 'p-3', 'p-4']) {
			const members = sealedMembers(await rawGet(db.name, 'entities', guid), key);
			expect(members).not.toHaveProperty('words');
			expect(members).not.toHaveProperty('sortName');
			const row = (await db.entities.get(guid)) as EntityRow;
			expect(row.words).toEqual(searchWords(row.entity!));
			expect(row.sortName).toBe(sortNameOf(row.entity!));
		}
		expect((await db.entities.get('p-1'))?.words).toEqual(['amina', 'yusufu', '254700000001', '254', '700', '000', '001']);
		// Every record is still what its events project to, and the log checks.
		expect((await rebuildProjections(db, { mode: 'check' })).changed).toBe(0);
		expect((await checkIntegrity(db)).ok).toBe(true);
	});

	it('keeps words a row was given that are not its projection\'s, sealed', async () => {
		const { db, vault } = freshVaultDb();
		opened.push(db);
		const key = generateDataKey();
		vault.unlock(alice, key);
		await appendEvents(db, story());
		const row = (await db.entities.get('p-4')) as EntityRow;
		await db.entities.put({ ...row, words: ['other'], sortName: 'other' });
		expect(sealedMembers(await rawGet(db.name, 'entities', 'p-4'), key)).toMatchObject({ words: ['other'], sortName: 'other' });
		expect(await db.entities.get('p-4')).toMatchObject({ words: ['other'], sortName: 'other' });
		// The integrity check names it, and a rebuild writes the projection's words back.
		expect((await rebuildProjections(db, { mode: 'check' })).changed).toBe(1);
		expect((await rebuildProjections(db)).changed).toBe(1);
		expect(sealedMembers(await rawGet(db.name, 'entities', 'p-4'), key)).not.toHaveProperty('words');
	});

	it('keeps the compact form through a data key rotation', async () => {
		const { db, vault } = freshVaultDb();
		opened.push(db);
		const key = generateDataKey();
		vault.unlock(alice, key);
		await appendEvents(db, story());
		const next = generateDataKey();
		const stored = (await rawGet(db.name, 'entities', 'p-2')) as Physical;
		const resealed = resealRow('entities', storageKeys(key), storageKeys(next), stored);
		expect((resealed.words as Uint8Array[]).every((t) => t instanceof Uint8Array && t.length === 8)).toBe(true);
		expect(sealedMembers(resealed, next)).not.toHaveProperty('words');
	});

	it('has no type index on events', async () => {
		const { db, vault } = freshVaultDb();
		opened.push(db);
		vault.unlock(alice, generateDataKey());
		await appendEvents(db, story());
		expect(db.events.schema.indexes.map((i) => i.name).sort()).toEqual(['&guid', '[entityGuid+instant+guid]', 'instant'].map((n) => n.replace('&', '')).sort());
		expect((await rawGet(db.name, 'events', 0))?.type).toBe('create-individual');
	});
});

// ------------------------------------------------------------------------------------------------
// A device as the schema version 4 build left it.

function openVersion4(name: string): CasetrailDb {
	const db = new Dexie(name, { indexedDB, IDBKeyRange }) as CasetrailDb;
	db.version(1).stores({
		events: 'seq, &guid, [entityGuid+instant+guid], type, instant',
		entities: 'guid, sortName, updatedAt, *words',
		snapshots: '[entityGuid+position]',
		meta: 'key'
	});
	db.version(2).stores({ users: 'id' });
	db.version(3).stores(EXCHANGE_STORES);
	db.version(4).stores({ entities: 'guid, sortName, updatedAt, *words, *memberGuids' });
	return db;
}

function request<T>(req: IDBRequest<T>): Promise<T> {
	return new Promise((resolve, reject) => {
		req.onsuccess = () => resolve(req.result);
		req.onerror = () => reject(req.error);
	});
}

/**
 * Database `name` at schema version 4 holding `events` sealed under `key`: today's append, then each
 * entity row rewritten below Dexie as the version 4 build wrote it (tokens as hex, the search words
 * and sort name inside the sealed record).
 */
async function version4Db(name: string, events: CasetrailEvent[], key: Uint8Array): Promise<void> {
	const db = openVersion4(name);
	installVault(db).unlock(alice, key);
	await appendEvents(db, events);
	db.close();
	const keys = storageKeys(key);
	const idb = await request(indexedDB.open(name));
	try {
		expect(idb.version).toBe(40);
		const store = idb.transaction('entities', 'readwrite').objectStore('entities');
		for (const row of (await request(store.getAll())) as Record<string, unknown>[]) {
			const aad = `entity:${String(row.guid)}:${String(row.count)}`;
			const { $derived: _derived, ...members } = JSON.parse(new TextDecoder().decode(open(keys.seal, row.sealed as Uint8Array, aad))) as Record<string, unknown>;
			const entity = members.entity as EntityRow['entity'];
			const older = entity ? { ...members, words: searchWords(entity), sortName: sortNameOf(entity) } : members;
			const words = (row.words as Uint8Array[] | undefined)?.map((t) => bytesToHex(t));
			await request(store.put({ ...row, ...(words && { words }), sealed: seal(keys.seal, new TextEncoder().encode(JSON.stringify(older)), aad) }));
		}
	} finally {
		idb.close();
	}
}

describe('the version 6 upgrade of an existing device', () => {
	it('opens before sign-in, stores the tokens as bytes, drops the type index, and searches, lists and checks as before', async () => {
		const name = uniqueName();
		const key = generateDataKey();
		await version4Db(name, story(), key);
		const before = (await rawRecords(name)).get('entities') as Record<string, unknown>[];
		expect(before.every((r) => !Array.isArray(r.words) || (r.words as unknown[]).every((w) => typeof w === 'string'))).toBe(true);
		const { db, vault } = openVaultDb(name, { indexedDB, IDBKeyRange });
		opened.push(db);
		// Opening runs the upgrade with nobody signed in: it must not need the key.
		await db.open();
		const after = (await rawRecords(name)).get('entities') as Record<string, unknown>[];
		for (const row of after) {
			const old = before.find((r) => r.guid === row.guid) as Record<string, unknown>;
			if (!Array.isArray(old.words)) continue;
			expect((row.words as Uint8Array[]).map((t) => bytesToHex(t))).toEqual(old.words);
			expect(row.sealed).toEqual(old.sealed);
		}
		expect(db.events.schema.indexes.map((i) => i.name)).not.toContain('type');
		vault.unlock(alice, key);
		await searchesAsBefore(db);
		// Records sealed by the version 4 build read as they did, with their words and sort name.
		expect((await db.entities.get('p-1'))?.sortName).toBe('amina yusufu');
		expect((await rebuildProjections(db, { mode: 'check' })).changed).toBe(0);
		expect((await checkIntegrity(db)).ok).toBe(true);
		// A record written after the upgrade is compact, and found beside the upgraded ones.
		await appendEvents(db, [{ guid: 'ev-9', entityGuid: 'p-9', type: 'create-individual', data: { givenName: 'Amani', familyName: 'Yusuf' }, timestamp: at(9000), userId: alice.id }]);
		expect(sealedMembers(await rawGet(name, 'entities', 'p-9'), key)).not.toHaveProperty('words');
		expect(await names(db, 'ama')).toEqual(['Amani']);
		expect(await names(db, 'am')).toEqual(['Amani', 'Amina']);
	});

	it('leaves the words of a plain database (no vault) in clear', async () => {
		const name = uniqueName();
		const db4 = openVersion4(name);
		await appendEvents(db4, story());
		db4.close();
		const { openDb } = await import('../../../src/lib/store/db');
		const db = openDb(name, { indexedDB, IDBKeyRange });
		opened.push(db);
		await db.open();
		expect((await rawGet(name, 'entities', 'p-2'))?.words).toEqual(['jose', 'garcia', '254700000002', '254', '700', '000', '002']);
		expect((await listEntities(db, { text: 'garc' })).entities.map((e) => e.guid)).toEqual(['p-2']);
	});
});
