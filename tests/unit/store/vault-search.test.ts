/**
 * Issue 20 (3, 4, 6): on the encrypted store names have no blind tokens; a search matches them on the
 * name order held in memory and ids and phones through their tokens. It must give exactly what the
 * token search gave, which is what the plain store gives (the same matching on the same words, the
 * same order and cursors): compared here page by page on a generated population, after renames, and
 * with the name order's snapshot missing, stale or of the earlier format.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CasetrailEvent } from '../../../src/lib/core/event';
import { searchToken, searchTokens } from '../../../src/lib/crypto/blind-index';
import { appendEvents } from '../../../src/lib/store/append';
import type { CasetrailDb } from '../../../src/lib/store/db';
import { lastSource, nameIndexSaved, nameOrder, type NameIndexValue } from '../../../src/lib/store/name-index';
import { listEntities, type EntityCursor, type EntityQuery, type ListTuning } from '../../../src/lib/store/read';
import { searchWords, tokenWords } from '../../../src/lib/store/search';
import { openVaultDb, tokenBytes } from '../../../src/lib/store/vault';
import { duplicateCandidates, duplicateReasons, type DuplicateQuery } from '../../../src/lib/worker/duplicates';
import { at, dropDb, freshDb, IDBKeyRange, indexedDB } from './helpers';
import { ALICE, rawEdit, rawGet, unlockedVaultDb } from './vault-helpers';

const open: CasetrailDb[] = [];
afterEach(async () => {
	const [first, ...rest] = open.splice(0);
	for (const db of rest) db.close();
	if (first) await dropDb(first);
});

let n = 0;
function ev(entityGuid: string, type: string, data: Record<string, unknown>): CasetrailEvent {
	n += 1;
	return { guid: `ev-${String(n).padStart(6, '0')}`, entityGuid, type, data, timestamp: at(n * 1000), userId: ALICE.id };
}

const GIVEN = ['Amina', 'Amir', 'Baraka', 'Bakari', 'Penda', 'Pendo', 'Zawadi', 'José', 'Émile', 'Ana', 'Anna', 'Grace', 'Ba', 'Kofi'];
const FAMILY = ['Banda', 'Okello', 'Mensah', 'Abebe', 'Peña', 'Ba', 'Lungu', 'Amani', 'García'];

/**
 * A population with what the order must get right: individuals with and without middle names, ids
 * and phones; a v1 individual with both a `name` and split names (name words the sort name does not
 * hold); a `name` without a word; households; deleted records; equal names (the guid breaks ties).
 */
function population(count: number): CasetrailEvent[] {
	const events: CasetrailEvent[] = [];
	for (let i = 0; i < count; i++) {
		const guid = `p-${String((i * 7919) % 1000).padStart(3, '0')}-${i}`;
		const data: Record<string, unknown> = { givenName: GIVEN[i % GIVEN.length], familyName: FAMILY[(i * 5) % FAMILY.length] };
		if (i % 3 === 0) data.middleName = GIVEN[(i + 4) % GIVEN.length];
		if (i % 4 === 0) data.nationalId = `ID-${String(1000 + i)}`;
		if (i % 5 === 0) data.phone = `+254 7${String(i).padStart(2, '0')} 123 4${i % 10}`;
		if (i % 11 === 0) data.code = `AMB-${i}`;
		events.push(ev(guid, 'create-individual', data));
	}
	events.push(ev('v1-both', 'create-individual', { name: 'Kofi Annan', givenName: 'Penelope', familyName: 'Xavier', nationalId: 'ZZ 77' }));
	events.push(ev('v1-dashes', 'create-individual', { name: '---', givenName: 'Quincy', familyName: 'Ba' }));
	for (let i = 0; i < 12; i++) events.push(ev(`h-${i}`, 'create-group', { name: `${FAMILY[i % FAMILY.length]} household ${i}` }));
	for (let i = 0; i < count; i += 17) events.push(ev(events[i]!.entityGuid, 'delete-entity', {}));
	return events;
}

const TEXTS = ['ami', 'pen', 'a', 'ba', 'xq', 'ami ba', 'b a', 'ban ok', 'jose', 'pena', 'emi', 'penel', 'kofi ann', 'quin', 'househ', 'id-10', '1004', '2547', 'amb', 'ami 2547', 'zz77', 'x'];

type Query = Omit<EntityQuery, 'after' | 'limit'>;
const QUERIES: Query[] = TEXTS.flatMap((text): Query[] => [{ text }, { text, direction: 'desc' }, { text, sort: 'lastUpdated' }, { text, deleted: 'include', type: 'individual' }]);

/** Every page of `query`, 9 at a time, as guids and cursors. */
async function pages(db: CasetrailDb, query: Query, tuning: ListTuning = {}): Promise<{ guids: string[]; next: EntityCursor | null }[]> {
	const out: { guids: string[]; next: EntityCursor | null }[] = [];
	let after: EntityCursor | undefined;
	for (let i = 0; i < 100; i++) {
		const page = await listEntities(db, { ...query, limit: 9, ...(after && { after }) }, tuning);
		out.push({ guids: page.entities.map((e) => e.guid), next: page.next });
		if (!page.next) break;
		after = page.next;
	}
	return out;
}

async function expectSameSearches(db: CasetrailDb, plain: CasetrailDb, queries: Query[] = QUERIES, tuning: ListTuning = {}): Promise<void> {
	for (const query of queries) {
		const expected = await pages(plain, query);
		expect({ query, pages: await pages(db, query, tuning) }).toEqual({ query, pages: expected });
	}
}

/** An encrypted database and a plain one holding the same events. */
async function pair(events: CasetrailEvent[]) {
	const vaulted = unlockedVaultDb(open);
	const plain = freshDb();
	open.push(plain);
	await appendEvents(vaulted.db, events);
	await appendEvents(plain, events);
	return { ...vaulted, plain };
}

describe('search on the encrypted store, names on the order in memory', () => {
	it('gives the pages, order and cursors the token search gave (the plain store), for early, late, common, absent, two-word and id prefixes', async () => {
		const { db, plain } = await pair(population(240));
		expect((await listEntities(db, { text: 'ami' })).entities.length).toBeGreaterThan(0);
		await expectSameSearches(db, plain);
		// By last update with many candidates: the last-update index walked over the candidates.
		const byUpdate: Query[] = ['a', 'ba', 'ami 2547', 'x'].flatMap((text): Query[] => [{ text, sort: 'lastUpdated' }, { text, sort: 'lastUpdated', direction: 'asc', deleted: 'only' }]);
		await expectSameSearches(db, plain, byUpdate, { searchLoadLimit: 0 });
	}, 120_000);

	it('stores blind tokens of id and phone words only, and finds a record by its id', async () => {
		const { db, vault, plain } = await pair([ev('p-1', 'create-individual', { givenName: 'Amina', familyName: 'Okello', nationalId: 'CM-900314', phone: '+256 700 123 456' }), ev('p-2', 'create-individual', { givenName: 'Baraka' })]);
		const index = vault.keys().index;
		const raw = (await rawGet(db.name, 'entities', 'p-1')) as { words: Uint8Array[] };
		const row = await plain.entities.get('p-1');
		const expected = searchTokens(index, tokenWords(row!.entity, searchWords(row!.entity!)).join(' ')).map(tokenBytes);
		expect(raw.words).toEqual(expected);
		for (const name of ['amina', 'ami', 'a', 'okello', 'oke']) expect(raw.words).not.toContainEqual(tokenBytes(searchToken(index, name)!));
		expect(raw.words).toContainEqual(tokenBytes(searchToken(index, 'cm900314')!));
		expect(((await rawGet(db.name, 'entities', 'p-2')) as { words: Uint8Array[] }).words).toEqual([]);
		for (const text of ['cm9003', '900314', '256700', '700 12', 'ami oke', 'oke cm9', 'bar']) {
			expect((await listEntities(db, { text })).entities.map((e) => e.guid)).toEqual((await listEntities(plain, { text })).entities.map((e) => e.guid));
		}
		expect((await listEntities(db, { text: 'cm-900' })).entities.map((e) => e.guid)).toEqual(['p-1']);
	});

	it('finds records appended, edited and renamed after unlock under their new names, not their old ones', async () => {
		const { db, vault, key, plain } = await pair(population(60));
		await nameOrder(db);
		await nameIndexSaved(db);
		const later = [
			ev('new-1', 'create-individual', { givenName: 'Xiomara', familyName: 'Quist' }),
			ev('p-919-1', 'update-individual', { givenName: 'Zuberi' }),
			ev('v1-both', 'update-individual', { givenName: 'Wanjiru' }),
			ev('h-1', 'update-group', { name: 'Yellow house' })
		];
		await appendEvents(db, later);
		await appendEvents(plain, later);
		const find = async (target: CasetrailDb, text: string) => (await listEntities(target, { text, limit: 500 })).entities.map((e) => e.guid);
		expect(await find(db, 'xio')).toEqual(['new-1']);
		expect(await find(db, 'zub')).toEqual(['p-919-1']);
		expect(await find(db, 'wanj')).toEqual(['v1-both']);
		expect(await find(db, 'penel')).toEqual([]);
		expect(await find(db, 'yell')).toEqual(['h-1']);
		expect(await find(db, 'amir')).not.toContain('p-919-1');
		const queries: Query[] = ['ami', 'a', 'xio', 'zub', 'wanj', 'penel', 'kofi', 'yel', 'banda hou'].flatMap((text) => [{ text }, { text, sort: 'lastUpdated' as const }]);
		await expectSameSearches(db, plain, queries);
		// The next unlock: the snapshot saved before the renames, brought up to date by the events since.
		vault.unlock(ALICE, key);
		await expectSameSearches(db, plain, queries);
		expect(lastSource.get(db)).toBe('memory');
		vault.unlock(ALICE, key);
		await nameOrder(db);
		expect(lastSource.get(db)).toBe('snapshot');
		await expectSameSearches(db, plain, queries);
	}, 60_000);

	it('gives the same results when the snapshot is missing, of the earlier format, or stale', async () => {
		const { db, vault, key, plain } = await pair(population(80));
		const queries: Query[] = ['ami', 'pen', 'penel', 'kofi', 'quin', 'a b', 'id-10'].map((text) => ({ text }));
		await expectSameSearches(db, plain, queries);
		await nameIndexSaved(db);
		expect(((await db.meta.get('names'))?.value as NameIndexValue).format).toBe(2);

		// Missing: built from the rows.
		await db.meta.delete('names');
		vault.unlock(ALICE, key);
		await expectSameSearches(db, plain, queries);
		expect(lastSource.get(db)).toBe('memory');
		await nameIndexSaved(db);

		// Of the earlier format (no extra name words): not used, built from the rows, saved again.
		await rawEdit(db.name, 'meta', 'names', (r) => {
			delete (r.value as NameIndexValue).format;
		});
		vault.unlock(ALICE, key);
		await nameOrder(db);
		expect(lastSource.get(db)).toBe('rows');
		await expectSameSearches(db, plain, queries);
		await nameIndexSaved(db);
		vault.unlock(ALICE, key);
		await nameOrder(db);
		expect(lastSource.get(db)).toBe('snapshot');
		await expectSameSearches(db, plain, queries);

		// Stale: events since, among them the record with extra name words renamed, in another tab.
		const other = openVaultDb(db.name, { indexedDB, IDBKeyRange });
		open.push(other.db);
		other.vault.unlock(ALICE, key);
		const since = [ev('v1-both', 'update-individual', { familyName: 'Quimby' }), ev('new-2', 'create-individual', { name: 'Kofi Mensah', givenName: 'Pendo' })];
		await appendEvents(other.db, since);
		await appendEvents(plain, since);
		vault.unlock(ALICE, key);
		await nameOrder(db);
		expect(lastSource.get(db)).toBe('snapshot');
		await expectSameSearches(db, plain, [...queries, { text: 'quimb' }, { text: 'xav' }, { text: 'pendo' }]);
	}, 60_000);
});

describe('the duplicate check on the encrypted store, names on the order in memory', () => {
	const query: DuplicateQuery = { givenName: 'Amina', familyName: 'Okello', dateOfBirth: '1990-03-14' };
	const person = (guid: string, data: Record<string, unknown>) => ev(guid, 'create-individual', { sex: 'female', dateOfBirth: '1990-03-14', ...data });
	const found = async (db: CasetrailDb, q: DuplicateQuery): Promise<string[]> =>
		(await duplicateCandidates(db, q, 5000))
			.filter((row) => row.entity && duplicateReasons(q, row.entity).length > 0)
			.map((row) => row.guid)
			.sort();

	it('finds the same and similar names, registered before and after unlock, and not a record renamed away', async () => {
		const { db, vault, key, plain } = await pair([
			person('same', { givenName: 'Amina', familyName: 'Okello' }),
			person('typo', { givenName: 'Amina', familyName: 'Okelo' }),
			person('other', { givenName: 'Amina', familyName: 'Banda' }),
			person('renamed', { givenName: 'Amina', familyName: 'Okello' })
		]);
		expect(await found(db, query)).toEqual(['renamed', 'same', 'typo']);
		vault.unlock(ALICE, key);
		const later = [person('later', { givenName: 'Anima', familyName: 'Okello' }), ev('renamed', 'update-individual', { givenName: 'Grace' })];
		await appendEvents(db, later);
		await appendEvents(plain, later);
		expect(await found(db, query)).toEqual(['later', 'same', 'typo']);
		expect(await found(db, query)).toEqual(await found(plain, query));
	});

	it('finds the same national id and phone through their tokens, whatever the names', async () => {
		const { db, plain } = await pair([
			person('by-id', { givenName: 'Zawadi', familyName: 'Otieno', nationalId: 'CM-900314' }),
			person('by-phone', { givenName: 'Baraka', familyName: 'Lungu', phone: '+256 700 123 456' }),
			person('neither', { givenName: 'Amina', familyName: 'Okello', nationalId: 'CM-900315', phone: '+256 700 123 457' })
		]);
		const q: DuplicateQuery = { givenName: 'Other', familyName: 'Person', dateOfBirth: '2000-01-01', nationalId: 'cm 900314', phone: '256700123456' };
		expect(await found(db, q)).toEqual(['by-id', 'by-phone']);
		expect(await found(plain, q)).toEqual(['by-id', 'by-phone']);
	});
});
