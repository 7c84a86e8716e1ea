import { afterEach, describe, expect, it, vi } from 'vitest';
import { generateDataKey } from '../../../src/lib/crypto/keys';
import { appendEvents } from '../../../src/lib/store/append';
import type { CasetrailDb } from '../../../src/lib/store/db';
import { eventChunks, readEventRows } from '../../../src/lib/store/event-reader';
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
});
