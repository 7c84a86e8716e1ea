/**
 * The `*memberGuids` index of entity rows (schema version 4, store/member-index.ts): kept by every
 * append, produced alike by a rebuild, filled by the upgrade from version 3 (plain rows at once,
 * sealed rows after sign-in), and kept in clear by the vault.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { CasetrailEvent } from '../../../src/lib/core/event';
import { generateDataKey } from '../../../src/lib/crypto/keys';
import { appendEvents } from '../../../src/lib/store/append';
import { openDb, SCHEMA_VERSION, type CasetrailDb } from '../../../src/lib/store/db';
import { completeMemberIndex, MEMBER_INDEX_PENDING } from '../../../src/lib/store/member-index';
import { rebuildProjections } from '../../../src/lib/store/rebuild';
import { openVaultDb } from '../../../src/lib/store/vault';
import { at, dropDb, freshDb, IDBKeyRange, indexedDB, uniqueName } from './helpers';
import { previousSchemaDb, previousUser } from './schema-v3';
import { freshVaultDb, rawGet } from './vault-helpers';

const opened: CasetrailDb[] = [];
afterEach(async () => {
	await Promise.all(opened.splice(0).map(dropDb));
});

let n = 0;
function ev(entityGuid: string, type: string, data: Record<string, unknown>): CasetrailEvent {
	n += 1;
	return { guid: `ev-${String(n).padStart(6, '0')}`, entityGuid, type, data, timestamp: at(n * 1000), userId: previousUser.id, version: 3 };
}
const person = (guid: string, givenName: string) => ev(guid, 'create-individual', { givenName });
const group = (guid: string, name: string) => ev(guid, 'create-group', { name });
const add = (groupGuid: string, memberGuid: string, role = 'head') => ev(groupGuid, 'add-member', { memberGuid, role });
const remove = (groupGuid: string, memberGuid: string) => ev(groupGuid, 'remove-member', { memberGuid });

/** The guids of the groups the index names for `member`. */
async function indexed(db: CasetrailDb, member: string): Promise<string[]> {
	return (await db.entities.where('memberGuids').equals(member).toArray()).map((row) => row.guid);
}

/** The same answer by opening every row: what the index must agree with. */
async function scanned(db: CasetrailDb, member: string): Promise<string[]> {
	return (await db.entities.orderBy('guid').toArray()).filter((row) => row.entity?.members?.some((m) => m.guid === member)).map((row) => row.guid);
}

function plain(): CasetrailDb {
	const db = freshDb();
	opened.push(db);
	return db;
}

function sealed(): CasetrailDb {
	const { db, vault } = freshVaultDb();
	opened.push(db);
	vault.unlock(previousUser, generateDataKey());
	return db;
}

/** A household story: Amina in two households, then out of one; Grace in one. */
function story(): CasetrailEvent[] {
	return [
		person('i-amina', 'Amina'),
		person('i-grace', 'Grace'),
		group('g-north', 'North'),
		group('g-south', 'South'),
		add('g-north', 'i-amina'),
		add('g-south', 'i-amina', 'child'),
		add('g-south', 'i-grace'),
		remove('g-south', 'i-amina')
	];
}

for (const [kind, open] of [
	['plain', plain],
	['vault', sealed]
] as const) {
	describe(`memberGuids on the ${kind} store`, () => {
		it('names the current members of each group row, and nothing on an individual', async () => {
			const db = open();
			await appendEvents(db, story());
			expect((await db.entities.get('g-north'))?.memberGuids).toEqual(['i-amina']);
			expect((await db.entities.get('g-south'))?.memberGuids).toEqual(['i-grace']);
			expect((await db.entities.get('i-amina'))?.memberGuids).toBeUndefined();
			expect(await indexed(db, 'i-amina')).toEqual(['g-north']);
			expect(await indexed(db, 'i-grace')).toEqual(['g-south']);
		});

		it('follows add and remove member, and a return to a household', async () => {
			const db = open();
			await appendEvents(db, [person('i-ruth', 'Ruth'), group('g-east', 'East'), group('g-west', 'West')]);
			expect(await indexed(db, 'i-ruth')).toEqual([]);
			await appendEvents(db, [add('g-east', 'i-ruth')]);
			expect(await indexed(db, 'i-ruth')).toEqual(['g-east']);
			await appendEvents(db, [add('g-west', 'i-ruth')]);
			expect(await indexed(db, 'i-ruth')).toEqual(['g-east', 'g-west']);
			await appendEvents(db, [remove('g-east', 'i-ruth')]);
			expect(await indexed(db, 'i-ruth')).toEqual(['g-west']);
			await appendEvents(db, [add('g-east', 'i-ruth', 'spouse')]);
			expect(await indexed(db, 'i-ruth')).toEqual(['g-east', 'g-west']);
		});

		it('is the same after a rebuild in either mode', async () => {
			const db = open();
			await appendEvents(db, story());
			for (const mode of ['replace', 'repair'] as const) {
				await rebuildProjections(db, { mode });
				expect(await indexed(db, 'i-amina')).toEqual(['g-north']);
				expect(await indexed(db, 'i-grace')).toEqual(['g-south']);
				expect((await db.entities.get('g-south'))?.memberGuids).toEqual(['i-grace']);
			}
		});

		it('is right when an add-member arrives late, before its group is created', async () => {
			const db = open();
			const create = group('g-late', 'Late');
			const join = add('g-late', 'i-amina');
			await appendEvents(db, [person('i-amina', 'Amina'), join]);
			expect(await indexed(db, 'i-amina')).toEqual([]);
			// The create is earlier in time than the add-member: arriving late, it re-projects both.
			await appendEvents(db, [create]);
			expect(await indexed(db, 'i-amina')).toEqual(['g-late']);
		});
	});
}

describe('memberGuids under the vault', () => {
	it('is stored in clear beside the sealed projection, and is not in the sealed part', async () => {
		const { db, vault } = freshVaultDb();
		opened.push(db);
		vault.unlock(previousUser, generateDataKey());
		await appendEvents(db, story());
		const raw = await rawGet(db.name, 'entities', 'g-north');
		expect(raw?.memberGuids).toEqual(['i-amina']);
		expect(raw?.entity).toBeUndefined();
		expect(raw?.sealed).toBeInstanceOf(Uint8Array);
		// The sealed bytes never spell a member guid: it is not stored twice.
		expect(Buffer.from(raw?.sealed as Uint8Array).includes('i-amina')).toBe(false);
	});
});

describe('the upgrade to schema version 4', () => {
	it('fills memberGuids on the plain rows of a version 3 database when it opens', async () => {
		const name = uniqueName();
		await previousSchemaDb(name, story());
		expect((await rawGet(name, 'entities', 'g-north'))?.memberGuids).toBeUndefined();
		const db = openDb(name, { indexedDB, IDBKeyRange });
		opened.push(db);
		expect(await indexed(db, 'i-amina')).toEqual(['g-north']);
		expect(await indexed(db, 'i-grace')).toEqual(['g-south']);
		expect(db.verno).toBe(SCHEMA_VERSION);
		expect((await db.entities.get('i-amina'))?.memberGuids).toBeUndefined();
		expect(await db.meta.get(MEMBER_INDEX_PENDING)).toBeUndefined();
	});

	it('opens a sealed version 3 database before sign-in, and fills its rows once a user signs in', async () => {
		const name = uniqueName();
		const key = generateDataKey();
		await previousSchemaDb(name, story(), key);
		const { db, vault } = openVaultDb(name, { indexedDB, IDBKeyRange });
		opened.push(db);
		// Opening runs the upgrade with nobody signed in: it must not need the key.
		await db.open();
		expect(await db.meta.get(MEMBER_INDEX_PENDING)).toEqual({ key: MEMBER_INDEX_PENDING, value: { pending: true } });
		expect(await db.entities.where('memberGuids').equals('i-amina').count()).toBe(0);
		vault.unlock(previousUser, key);
		await completeMemberIndex(db);
		expect(await indexed(db, 'i-amina')).toEqual(['g-north']);
		expect(await indexed(db, 'i-grace')).toEqual(['g-south']);
		expect((await rawGet(name, 'entities', 'g-south'))?.memberGuids).toEqual(['i-grace']);
		expect(await db.meta.get(MEMBER_INDEX_PENDING)).toBeUndefined();
		// The rows still open, with their projections intact.
		expect((await db.entities.get('g-south'))?.entity?.data.name).toBe('South');
	});

	it('completes nothing twice: a second call finds no marker and writes nothing', async () => {
		const name = uniqueName();
		const key = generateDataKey();
		await previousSchemaDb(name, story(), key);
		const { db, vault } = openVaultDb(name, { indexedDB, IDBKeyRange });
		opened.push(db);
		vault.unlock(previousUser, key);
		expect(await db.meta.get(MEMBER_INDEX_PENDING)).toBeDefined();
		await completeMemberIndex(db);
		const before = await rawGet(name, 'entities', 'g-north');
		await completeMemberIndex(db);
		expect(await rawGet(name, 'entities', 'g-north')).toEqual(before);
	});
});

describe('memberGuids, for any sequence of member changes', () => {
	it('finds exactly the groups whose current members include the person', async () => {
		const people = ['i-0', 'i-1', 'i-2'];
		const groups = ['g-0', 'g-1', 'g-2'];
		const change = fc.tuple(fc.boolean(), fc.constantFrom(...groups), fc.constantFrom(...people));
		await fc.assert(
			fc.asyncProperty(fc.array(change, { maxLength: 25 }), async (changes) => {
				const db = freshDb();
				try {
					const events = [...people.map((p) => person(p, p)), ...groups.map((g) => group(g, g))];
					for (const [joins, g, p] of changes) events.push(joins ? add(g, p) : remove(g, p));
					await appendEvents(db, events);
					for (const p of people) expect(await indexed(db, p)).toEqual(await scanned(db, p));
				} finally {
					await dropDb(db);
				}
			}),
			{ numRuns: 30 }
		);
	});
});
