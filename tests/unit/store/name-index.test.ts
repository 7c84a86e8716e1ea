/**
 * Issue 20 (2): the name order of an encrypted store is kept on disk as a sealed, chunked snapshot,
 * so the first name-sorted list after unlock opens the snapshot and the rows changed since, not
 * every entity row; it stays correct after appends (here and in other tabs), rebuilds, edits on disk
 * and a data key rotation.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CasetrailEvent } from '../../../src/lib/core/event';
import { appendEvents } from '../../../src/lib/store/append';
import type { CasetrailDb } from '../../../src/lib/store/db';
import { CHUNK_BYTES, lastSource, nameIndexSaved, nameOrder, nameOrderFromRows, orderText, orderTextInSlices, SAVE_LAG, SERIALIZE_SLICE, type NameIndexValue } from '../../../src/lib/store/name-index';
import { listEntities, type EntityCursor } from '../../../src/lib/store/read';
import { lastRebuild, rebuildProjections } from '../../../src/lib/store/rebuild';
import { addUser, removeUser, setUp } from '../../../src/lib/store/users';
import { openVaultDb } from '../../../src/lib/store/vault';
import { at, dropDb, IDBKeyRange, indexedDB } from './helpers';
import { ALICE, unlockedVaultDb, freshVaultDb, rawDump, rawEdit, rawGet } from './vault-helpers';

const open: CasetrailDb[] = [];
afterEach(async () => {
	const [first, ...rest] = open.splice(0);
	for (const db of rest) db.close();
	if (first) await dropDb(first);
});

const alice = ALICE;

const setup = (): ReturnType<typeof unlockedVaultDb> => unlockedVaultDb(open);

let n = 0;
function ev(entityGuid: string, type: string, data: Record<string, unknown>, userId = alice.id): CasetrailEvent {
	n += 1;
	return { guid: `ev-${String(n).padStart(6, '0')}`, entityGuid, type, data, timestamp: at(n * 1000), userId };
}

/** `count` people named N<i> Family, created in reverse name order. */
function people(count: number, family = 'Otieno'): CasetrailEvent[] {
	return Array.from({ length: count }, (_, i) => ev(`m-${String(i).padStart(4, '0')}`, 'create-individual', { givenName: `N${String(count - 1 - i).padStart(4, '0')}`, familyName: family }));
}

async function header(db: CasetrailDb): Promise<NameIndexValue | undefined> {
	return (await db.meta.get('names'))?.value as NameIndexValue | undefined;
}

/** The order built from every row, by a connection without any snapshot in memory or trusted. */
async function fromRows(db: CasetrailDb, key: Uint8Array): Promise<readonly [string, string][]> {
	const other = openVaultDb(db.name, { indexedDB, IDBKeyRange });
	open.push(other.db);
	other.vault.unlock(alice, key);
	return (await other.db.transaction('r', [other.db.entities, other.db.meta], () => nameOrder(other.db))) ?? [];
}

/** Counts WebCrypto decryptions while `run` runs. */
async function decryptions<T>(run: () => Promise<T>): Promise<{ result: T; count: number }> {
	const spy = vi.spyOn(crypto.subtle, 'decrypt');
	try {
		const result = await run();
		return { result, count: spy.mock.calls.length };
	} finally {
		spy.mockRestore();
	}
}

describe('the sealed name order snapshot', () => {
	it('is saved after the first list, sealed, and serves the next unlock without opening the rows', async () => {
		const { db, vault, key } = setup();
		await appendEvents(db, people(300));
		const first = await listEntities(db, { limit: 3 });
		expect(lastSource.get(db)).toBe('rows');
		await nameIndexSaved(db);
		const head = await header(db);
		expect(head).toMatchObject({ size: 300, rebuilt: 0, chunks: 1 });
		// Sealed: no name on disk, and a chunk is exactly one padded chunk plus nonce and tag.
		const chunk = await rawGet(db.name, 'meta', 'names:0');
		expect((chunk?.value as { sealed: Uint8Array }).sealed.length).toBe(CHUNK_BYTES + 28);
		const meta = (await rawDump(db.name)).get('meta') ?? [];
		expect(meta.some((s) => s.toLowerCase().includes('n0000') || s.toLowerCase().includes('otieno'))).toBe(false);

		vault.unlock(alice, key);
		const { count } = await decryptions(() => nameOrder(db));
		expect(lastSource.get(db)).toBe('snapshot');
		// One chunk opened, no entity row.
		expect(count).toBe(1);
		const again = await listEntities(db, { limit: 3 });
		expect(again).toEqual(first);
		expect(again.entities.map((e) => e.data.givenName)).toEqual(['N0000', 'N0001', 'N0002']);
	});

	it('catches up with appends, renames and another tab, opening only the rows they touched', async () => {
		const { db, vault, key } = setup();
		await appendEvents(db, people(200));
		await listEntities(db, { limit: 1 });
		await nameIndexSaved(db);
		expect((await header(db))?.size).toBe(200);
		const other = openVaultDb(db.name, { indexedDB, IDBKeyRange });
		open.push(other.db);
		other.vault.unlock(alice, key);
		await appendEvents(other.db, [ev('m-0000', 'update-individual', { givenName: 'Aaron' }), ev('p-new', 'create-individual', { givenName: 'Baraka' }), ev('p-late', 'update-individual', { givenName: 'Zed' })]);
		vault.unlock(alice, key);
		const { result, count } = await decryptions(() => nameOrder(db));
		expect(lastSource.get(db)).toBe('snapshot');
		// The chunk, and the two rows with a projection or not that the three events touched (p-late has no entity).
		expect(count).toBe(4);
		expect(result).toEqual(await fromRows(db, key));
		expect(result?.[0]).toEqual(['aaron otieno', 'm-0000']);
		expect(result?.some((e) => e[1] === 'p-late')).toBe(false);
		expect((await listEntities(db, { text: 'bar' })).entities.map((e) => e.guid)).toEqual(['p-new']);
	});

	it('is saved again once it is SAVE_LAG events behind, not before', async () => {
		const { db } = setup();
		await appendEvents(db, people(10));
		await listEntities(db, { limit: 1 });
		await nameIndexSaved(db);
		await appendEvents(db, people(SAVE_LAG - 1, 'Abebe').map((e, i) => ({ ...e, entityGuid: `q-${i}` })));
		await listEntities(db, { limit: 1 });
		await nameIndexSaved(db);
		expect((await header(db))?.size).toBe(10);
		await appendEvents(db, [ev('q-last', 'create-individual', { givenName: 'Last' })]);
		await listEntities(db, { limit: 1 });
		await nameIndexSaved(db);
		expect((await header(db))?.size).toBe(10 + SAVE_LAG);
	});

	it('is not used after a rebuild that changed the records, and is saved again', async () => {
		const { db, vault, key } = setup();
		await appendEvents(db, people(50));
		await listEntities(db, { limit: 1 });
		await nameIndexSaved(db);
		// A record lost on disk, restored by a rebuild in another tab: the rebuild count moves, not the head.
		const other = openVaultDb(db.name, { indexedDB, IDBKeyRange });
		open.push(other.db);
		other.vault.unlock(alice, key);
		await other.db.entities.delete('m-0049');
		expect(await rebuildProjections(other.db)).toMatchObject({ changed: 1 });
		// The rebuilding tab saves the order of the rows it wrote, in place of the one of rebuild count 0.
		await nameIndexSaved(other.db);
		expect(await header(db)).toMatchObject({ size: 50, rebuilt: 1 });
		vault.unlock(alice, key);
		const order = await nameOrder(db);
		expect(lastSource.get(db)).toBe('snapshot');
		expect(order).toEqual(await fromRows(db, key));
		expect(order).toHaveLength(50);
	});

	it('falls back to the rows when a chunk or the header was changed on disk, and when chunks are missing', async () => {
		const { db, vault, key } = setup();
		await appendEvents(db, people(40));
		const expected = await nameOrder(db);
		await nameIndexSaved(db);
		const edits: [string, (r: Record<string, unknown>) => void][] = [
			[
				'names:0',
				(r) => {
					const sealed = (r.value as { sealed: Uint8Array }).sealed;
					sealed[40] = (sealed[40] as number) ^ 1;
				}
			],
			['names', (r) => ((r.value as NameIndexValue).size -= 1)],
			['names', (r) => ((r.value as NameIndexValue).chunks += 1)]
		];
		for (const [row, edit] of edits) {
			const before = await rawGet(db.name, 'meta', row);
			await rawEdit(db.name, 'meta', row, edit);
			vault.unlock(alice, key);
			expect(await nameOrder(db)).toEqual(expected);
			expect(lastSource.get(db)).toBe('rows');
			await nameIndexSaved(db);
			// Saved again, whole, so the next unlock uses it.
			vault.unlock(alice, key);
			expect(await nameOrder(db)).toEqual(expected);
			expect(lastSource.get(db)).toBe('snapshot');
			expect(before).toBeDefined();
		}
	});

	it('brought back from an older copy (rolled back on disk) still gives the current order', async () => {
		const { db, vault, key } = setup();
		await appendEvents(db, people(30));
		await nameOrder(db);
		await nameIndexSaved(db);
		const oldHead = await rawGet(db.name, 'meta', 'names');
		const oldChunk = await rawGet(db.name, 'meta', 'names:0');
		await appendEvents(db, people(SAVE_LAG, 'Banda').map((e, i) => ({ ...e, entityGuid: `b-${i}` })));
		await appendEvents(db, [ev('m-0003', 'update-individual', { givenName: 'Aaron' })]);
		await nameOrder(db);
		await nameIndexSaved(db);
		expect((await header(db))?.size).toBe(31 + SAVE_LAG);
		await rawEdit(db.name, 'meta', 'names', (r) => Object.assign(r, oldHead));
		await rawEdit(db.name, 'meta', 'names:0', (r) => Object.assign(r, oldChunk));
		vault.unlock(alice, key);
		const order = await nameOrder(db);
		expect(lastSource.get(db)).toBe('snapshot');
		expect(order).toEqual(await fromRows(db, key));
		expect(order?.[0]).toEqual(['aaron otieno', 'm-0003']);
	});

	it('spans several chunks', async () => {
		const { db, vault, key } = setup();
		await appendEvents(db, people(2500, 'Family-name-long-enough-for-two-chunks'));
		const expected = await nameOrder(db);
		await nameIndexSaved(db);
		expect((await header(db))?.chunks).toBeGreaterThan(1);
		vault.unlock(alice, key);
		expect(await nameOrder(db)).toEqual(expected);
		expect(lastSource.get(db)).toBe('snapshot');
	});

	it('is replaced after a data key rotation, which it does not survive', async () => {
		const { db, vault } = freshVaultDb();
		open.push(db);
		const { user } = await setUp(db, { name: 'Alice Admin', passphrase: 'correct horse battery staple' });
		const sam = await addUser(db, { name: 'Sam', role: 'supervisor', secretKind: 'passphrase', secret: 'blue river tea garden' });
		await appendEvents(db, people(20).map((e) => ({ ...e, userId: user.id })));
		const before = await nameOrder(db);
		await nameIndexSaved(db);
		const oldHead = await header(db);
		await removeUser(db, sam.id);
		expect(vault.isUnlocked()).toBe(true);
		const after = await nameOrder(db);
		expect(after).toEqual(before);
		await nameIndexSaved(db);
		expect((await header(db))?.id).not.toBe(oldHead?.id);
		// The new snapshot opens under the new key.
		const current = new Uint8Array(vault.dataKey());
		vault.unlock(vault.requireUser(), current);
		expect(await nameOrder(db)).toEqual(before);
		expect(lastSource.get(db)).toBe('snapshot');
	});
});

describe('the name order after a rebuild of the records', () => {
	/** 60 people, three of them with a name besides their given and family names (words their sort name does not hold), then every record lost on disk. */
	async function lostEverything(): Promise<ReturnType<typeof setup>> {
		const device = setup();
		const { db } = device;
		await appendEvents(db, [...people(60), ...[3, 17, 42].map((i) => ev(`m-${String(i).padStart(4, '0')}`, 'update-individual', { name: `Zawadi${i}` }))]);
		await listEntities(db, { limit: 1 });
		await nameIndexSaved(db);
		await db.transaction('rw', [db.entities, db.snapshots], async () => {
			await db.entities.clear();
			await db.snapshots.clear();
		});
		return device;
	}

	/** Every page of the name list, both ways, and a few searches. */
	async function pages(db: CasetrailDb): Promise<unknown[]> {
		const out: unknown[] = [];
		for (const sort of [{}, { desc: true }] as const) {
			let after: EntityCursor | null | undefined;
			do {
				const page = await listEntities(db, { ...sort, limit: 7, ...(after && { after }) });
				out.push(page.entities.map((e) => e.guid));
				after = page.next;
			} while (after);
		}
		for (const text of ['zawadi', 'zawadi4', 'otieno n001', 'n0056 otieno', 'n0059', 'nobody']) out.push((await listEntities(db, { text, limit: 50 })).entities.map((e) => e.guid));
		return out;
	}

	it('comes from memory, equal to the order built from the rows, and serves the next unlock from its saved snapshot', async () => {
		const { db, vault, key } = await lostEverything();
		expect(await rebuildProjections(db)).toMatchObject({ entities: 60, changed: 60 });
		expect(lastRebuild.get(db)).toBe('outside');
		const { result: order, count } = await decryptions(() => nameOrder(db));
		expect(lastSource.get(db)).toBe('memory');
		expect(count).toBe(0);
		expect(order).toHaveLength(60);
		const extras = new Map(vault.extraNames());
		expect(extras.size).toBe(3);
		expect(order?.filter(([name]) => name.startsWith('zawadi'))).toHaveLength(3);
		const listed = await pages(db);
		expect(lastSource.get(db)).toBe('memory');
		await nameIndexSaved(db);
		expect(await header(db)).toMatchObject({ size: 63, rebuilt: 1 });

		// A new unlock (a new connection): from the saved snapshot, opening no record.
		const next = openVaultDb(db.name, { indexedDB, IDBKeyRange });
		open.push(next.db);
		next.vault.unlock(alice, key);
		const { result: saved, count: opened } = await decryptions(() => nameOrder(next.db));
		expect(lastSource.get(next.db)).toBe('snapshot');
		expect(opened).toBe(1);
		expect(saved).toEqual(order);
		expect(new Map(next.vault.extraNames())).toEqual(extras);

		// What a connection that builds the order from every row finds.
		const fresh = openVaultDb(db.name, { indexedDB, IDBKeyRange });
		open.push(fresh.db);
		fresh.vault.unlock(alice, key);
		await fresh.db.open();
		expect(await nameOrderFromRows(fresh.db)).toEqual(order);
		expect(lastSource.get(fresh.db)).toBe('rows');
		expect(new Map(fresh.vault.extraNames())).toEqual(extras);
		expect(await pages(fresh.db)).toEqual(listed);
		await nameIndexSaved(fresh.db);
	});

	it('after a rebuild that replaced every row comes from memory too, as built from the rows', async () => {
		const { db, vault, key } = setup();
		await appendEvents(db, people(30));
		expect(await rebuildProjections(db, { mode: 'replace' })).toMatchObject({ changed: 30 });
		expect(await nameOrder(db)).toEqual(await fromRows(db, key));
		expect(lastSource.get(db)).toBe('memory');
		expect(vault.extraNames().size).toBe(0);
		await nameIndexSaved(db);
		expect(await header(db)).toMatchObject({ size: 30, rebuilt: 1 });
	});

	it('is built from the rows when the rebuild fell back to one transaction', async () => {
		const { db, key } = await lostEverything();
		let appending: Promise<unknown> | undefined;
		await rebuildProjections(db, {
			chunkSize: 10,
			onProgress: () => {
				appending ??= appendEvents(db, [ev('m-0005', 'update-individual', { familyName: 'Achieng' })]);
			}
		});
		await appending;
		expect(lastRebuild.get(db)).toBe('transaction');
		const order = await nameOrder(db);
		expect(lastSource.get(db)).toBe('rows');
		expect(order).toEqual(await fromRows(db, key));
		expect(order).toHaveLength(60);
		expect(order?.some(([name, guid]) => guid === 'm-0005' && name.includes('achieng'))).toBe(true);
		await nameIndexSaved(db);
	});
});

describe('saving the snapshot off the list that asked for it', () => {
	it('serializes the order in slices after the list returned, the text the whole order gives', async () => {
		const order = { names: Array.from({ length: 2 * SERIALIZE_SLICE + 3 }, (_, i): [string, string] => [`name ${String(i).padStart(6, '0')}`, `g-${i}`]), extras: new Map([['g-7', 'extra words'], [`g-${SERIALIZE_SLICE + 1}`, 'more']]) };
		for (const names of [[], order.names.slice(0, 1), order.names.slice(0, SERIALIZE_SLICE), order.names]) {
			expect(await orderTextInSlices({ names, extras: order.extras })).toBe(orderText({ names, extras: order.extras }));
		}
	});

	it('does not serialize the whole order while the list waits, and saves the order of the size it was asked at', async () => {
		const { db, vault, key } = setup();
		const count = SERIALIZE_SLICE + 500;
		for (let i = 0; i < count; i += 1000) await appendEvents(db, people(Math.min(1000, count - i)).map((e, k) => ({ ...e, entityGuid: `s-${String(i + k).padStart(6, '0')}` })));
		await listEntities(db, { limit: 3 });
		await nameIndexSaved(db);
		// 1,000 events later the next list saves it again, serializing the order a slice at a time after
		// the list's own work, not all at once before it returns.
		await appendEvents(db, Array.from({ length: SAVE_LAG }, (_, i) => ev(`s-${String(i).padStart(6, '0')}`, 'update-individual', { middleName: 'M' })));
		const stringify = vi.spyOn(JSON, 'stringify');
		try {
			await listEntities(db, { limit: 3 });
			// Appended while the save runs: not in the snapshot, which is the order at the size it was asked at.
			await appendEvents(db, [ev('s-late', 'create-individual', { givenName: 'Aaa', familyName: 'Late' })]);
			await nameIndexSaved(db);
			// No serialization of more than a slice of the order at once (it was the whole order, in the list's call).
			const largest = Math.max(...stringify.mock.calls.map(([value]) => (Array.isArray(value) && Array.isArray(value[0]) ? value.length : 0)));
			expect(largest).toBe(SERIALIZE_SLICE);
		} finally {
			stringify.mockRestore();
		}
		const size = (await db.meta.get('head'))?.value as { size: number };
		const saved = await header(db);
		expect(saved?.size).toBe(size.size - 1);
		// The next unlock opens the snapshot and the one record appended since: the order of every row.
		vault.unlock(alice, key);
		const { result, count: opened } = await decryptions(() => nameOrder(db));
		expect(lastSource.get(db)).toBe('snapshot');
		expect(opened).toBe((saved?.chunks ?? 0) + 1);
		expect(result).toEqual(await fromRows(db, key));
		expect(result?.[0]).toEqual(['aaa late', 's-late']);
	}, 60_000);
});
