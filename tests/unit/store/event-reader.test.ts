import { afterEach, describe, expect, it, vi } from 'vitest';
import { generateDataKey } from '../../../src/lib/crypto/keys';
import { appendEvents } from '../../../src/lib/store/append';
import type { CasetrailDb } from '../../../src/lib/store/db';
import { eventAadBytes, eventChunks, readEventRows, readEventRowsWithLeaves } from '../../../src/lib/store/event-reader';
import { eventAad } from '../../../src/lib/store/vault';
import { leafHash } from '../../../src/lib/core/merkle';
import { checkIntegrity } from '../../../src/lib/store/integrity';
import { createIndividual, dropDb, freshDb } from './helpers';
import { ALICE, freshVaultDb, rawEdit } from './vault-helpers';

const open: CasetrailDb[] = [];
afterEach(async () => {
	vi.restoreAllMocks();
	await Promise.all(open.splice(0).map(dropDb));
});

const alice = ALICE;

function events(n: number) {
	return Array.from({ length: n }, (_, i) => ({ ...createIndividual(`p-${i}`, `Person${i}`, i * 1000), userId: alice.id }));
}

describe('readEventRows', () => {
	it('gives the rows a read through the vault gives, opened with WebCrypto outside any transaction', async () => {
		const { db, vault } = freshVaultDb();
		open.push(db);
		vault.unlock(alice, generateDataKey());
		await appendEvents(db, events(7));
		const decrypt = vi.spyOn(crypto.subtle, 'decrypt');
		const rows = await readEventRows(db, 2, 6);
		expect(decrypt).toHaveBeenCalledTimes(4);
		expect(rows).toEqual(await db.events.where('seq').between(2, 6, true, false).toArray());
		expect(rows.map((r) => r.seq)).toEqual([2, 3, 4, 5]);
	});

	it('returns a row that does not open with an empty text and leaf hash, and the others whole', async () => {
		const { db, vault } = freshVaultDb();
		open.push(db);
		vault.unlock(alice, generateDataKey());
		await appendEvents(db, events(3));
		await rawEdit(db.name, 'events', 1, (r) => {
			const sealed = new Uint8Array(r.sealed as Uint8Array);
			sealed[30]! ^= 1;
			r.sealed = sealed;
		});
		const rows = await readEventRows(db, 0, 3);
		expect(rows.map((r) => r.canonical.length > 0)).toEqual([true, false, true]);
		expect(rows[1]?.leafHash.length).toBe(0);
	});

	it('refuses a locked vault with not-signed-in', async () => {
		const { db, vault } = freshVaultDb();
		open.push(db);
		vault.unlock(alice, generateDataKey());
		await appendEvents(db, events(2));
		vault.lock();
		await expect(readEventRows(db, 0, 2)).rejects.toMatchObject({ code: 'not-signed-in' });
	});

	it('reads a database without a vault as it is, and chunks cover the range once, in order', async () => {
		const db = freshDb();
		open.push(db);
		await appendEvents(db, events(11));
		const seen: number[] = [];
		for await (const { begin, end, rows } of eventChunks(db, 1, 11, 4)) {
			expect(rows.every((r) => r.seq >= begin && r.seq < end)).toBe(true);
			seen.push(...rows.map((r) => r.seq));
		}
		expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
	});

	it('gives, for each opened row, 0x00 then the UTF-8 of its text, whose hash is its leaf hash; none for a row that does not open', async () => {
		const { db, vault } = freshVaultDb();
		open.push(db);
		vault.unlock(alice, generateDataKey());
		await appendEvents(db, events(4));
		await rawEdit(db.name, 'events', 2, (r) => {
			const sealed = new Uint8Array(r.sealed as Uint8Array);
			sealed[30]! ^= 1;
			r.sealed = sealed;
		});
		const { rows, leaves } = await readEventRowsWithLeaves(db, 0, 4);
		expect(leaves).toHaveLength(4);
		for (const k of [0, 1, 3]) {
			const row = rows[k]!;
			expect(leaves?.[k]).toEqual(new Uint8Array([0, ...new TextEncoder().encode(row.canonical)]));
			expect(leafHash(new TextEncoder().encode(row.canonical))).toEqual(row.leafHash);
		}
		expect(leaves?.[2]).toBeUndefined();
		expect(rows).toEqual(await readEventRows(db, 0, 4));
	});

	it('gives imported rows with their origin as a read through the vault does', async () => {
		const { db, vault } = freshVaultDb();
		open.push(db);
		vault.unlock(alice, generateDataKey());
		const list = events(5);
		await appendEvents(db, list, { origins: list.map((_, i) => ({ deviceId: 'other-device', index: i + 10 })) });
		const rows = await readEventRows(db, 0, 5);
		expect(rows).toStrictEqual(await db.events.where('seq').between(0, 5, true, false).toArray());
		expect(rows[3]?.origin).toEqual({ deviceId: 'other-device', index: 13 });
		expect(rows[3]?.nodes).toBeInstanceOf(Uint8Array);
	});

	it('gives no leaf inputs for a database without a vault', async () => {
		const db = freshDb();
		open.push(db);
		await appendEvents(db, events(2));
		expect((await readEventRowsWithLeaves(db, 0, 2)).leaves).toBeUndefined();
	});

	it('encodes the associated data of a row as the vault does', () => {
		for (const seq of [0, 7, 12345, 2 ** 40, -1, 1.5, 'x']) expect(eventAadBytes(seq)).toEqual(new TextEncoder().encode(eventAad(seq)));
	});

	it('lets the integrity check name an event whose sealed text and leaf hash were replaced together', async () => {
		const { db, vault } = freshVaultDb();
		open.push(db);
		vault.unlock(alice, generateDataKey());
		await appendEvents(db, events(6));
		expect((await checkIntegrity(db, { chunkSize: 4 })).ok).toBe(true);
		// Row 4 sealed again (with the key) over another text and that text's own leaf hash: it opens, and hashes to what it holds.
		const other = (await db.events.get(5))!;
		await db.transaction('rw', db.events, async () => {
			const row = (await db.events.get(4))!;
			await db.events.put({ ...row, canonical: other.canonical.replace('Person5', 'Mallory'), leafHash: leafHash(new TextEncoder().encode(other.canonical.replace('Person5', 'Mallory'))) });
		});
		const report = await checkIntegrity(db, { chunkSize: 4 });
		expect(report.ok).toBe(false);
		expect(report.tampered).toContain(4);
	});
});
