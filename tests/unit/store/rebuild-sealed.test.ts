/**
 * The rebuild of an encrypted store (store/rebuild.ts rebuildSealed): the log read and the rows
 * opened and sealed outside transactions, then written in one transaction. Whatever was lost or
 * damaged, it ends in exactly the rows the log projects to, sealed and searchable; a rebuild cut
 * before its write changed nothing, and the next one repairs; a log that moves meanwhile is rebuilt
 * in one transaction.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CasetrailEvent } from '../../../src/lib/core/event';
import { appendEvents } from '../../../src/lib/store/append';
import type { CasetrailDb, EntityRow, SnapshotRow } from '../../../src/lib/store/db';
import { checkIntegrity } from '../../../src/lib/store/integrity';
import { listEntities } from '../../../src/lib/store/read';
import { lastRebuild, rebuildProjections } from '../../../src/lib/store/rebuild';
import { at, dropDb } from './helpers';
import { ALICE, rawDump, rawEdit, rawRecords, unlockedVaultDb } from './vault-helpers';

const open: CasetrailDb[] = [];
afterEach(async () => {
	vi.restoreAllMocks();
	await Promise.all(open.splice(0).map(dropDb));
});

const GIVEN = ['Amina', 'Baraka', 'Chausiku', 'Dalila', 'Eshe', 'Faraji', 'Gamba', 'Hadiya', 'Imani', 'Jabari'];
const FAMILY = ['Okafor', 'Yusuf', 'Mwangi', 'Otieno'];
/** Snapshots after 2, 4, 8... events: the busy person has several. */
const FIRST_SNAPSHOT = 2;
/** Small chunks: entities are cut across chunks. */
const CHUNK = 7;

let n = 0;
function ev(entityGuid: string, type: string, data: Record<string, unknown>, ms: number): CasetrailEvent {
	n += 1;
	return { guid: `ev-${String(n).padStart(6, '0')}`, entityGuid, type, data, timestamp: at(ms), userId: ALICE.id };
}

const personGuid = (i: number): string => `p-${String(i).padStart(3, '0')}`;

/** 30 people (each registered, some updated), two households with members, one person updated nine times. */
function log(): CasetrailEvent[] {
	const events: CasetrailEvent[] = [];
	for (let i = 0; i < 30; i++) events.push(ev(personGuid(i), 'create-individual', { givenName: GIVEN[i % GIVEN.length], familyName: FAMILY[i % FAMILY.length] }, i * 1000));
	for (let i = 0; i < 30; i += 3) events.push(ev(personGuid(i), 'update-individual', { phone: `+2547000000${String(i).padStart(2, '0')}` }, 40_000 + i * 1000));
	for (let k = 0; k < 9; k++) events.push(ev(personGuid(7), 'update-individual', { middleName: `M${k}` }, 80_000 + k * 1000));
	for (const [g, members] of [
		['h-1', [1, 2, 3]],
		['h-2', [4, 5]]
	] as const) {
		events.push(ev(g, 'create-household', { name: `House ${g}` }, 100_000));
		members.forEach((m, j) => events.push(ev(g, 'add-member', { memberGuid: personGuid(m), role: j === 0 ? 'head' : 'child' }, 101_000 + m * 10)));
	}
	return events;
}

async function state(db: CasetrailDb): Promise<{ entities: EntityRow[]; snapshots: SnapshotRow[] }> {
	return { entities: await db.entities.toArray(), snapshots: await db.snapshots.toArray() };
}

/** Each record's blind tokens on disk, by guid, as hex. */
async function rawTokens(db: CasetrailDb): Promise<Map<string, string[]>> {
	const rows = (await rawRecords(db.name)).get('entities') as Record<string, unknown>[];
	return new Map(rows.map((row) => [row.guid as string, ((row.words as Uint8Array[] | undefined) ?? []).map((t) => Buffer.from(t).toString('hex'))]));
}

/** The tokens the appends stored, per device: a rebuild stores the same (ids and phones only, no name). */
const appendedTokens = new WeakMap<CasetrailDb, Map<string, string[]>>();

/** A device holding the log, its rows as the appends kept them (the rows the log projects to). */
async function device(): Promise<{ db: CasetrailDb; expected: Awaited<ReturnType<typeof state>> }> {
	const { db } = unlockedVaultDb(open);
	await appendEvents(db, log(), { firstSnapshot: FIRST_SNAPSHOT });
	const expected = await state(db);
	expect(expected.entities).toHaveLength(32);
	expect(expected.snapshots.length).toBeGreaterThan(3);
	appendedTokens.set(db, await rawTokens(db));
	return { db, expected };
}

/** The rows are exactly the expected ones, sealed on disk, found by search, and the check finds nothing. */
async function expectRebuilt(db: CasetrailDb, expected: Awaited<ReturnType<typeof state>>): Promise<void> {
	expect(await state(db)).toEqual(expected);
	const raw = await rawRecords(db.name);
	for (const row of raw.get('entities') as Record<string, unknown>[]) {
		expect(row.sealed).toBeInstanceOf(Uint8Array);
		expect(row.entity).toBeUndefined();
		if (row.guid !== undefined && (row.guid as string).startsWith('p-')) expect((row.words as unknown[]).every((w) => w instanceof Uint8Array)).toBe(true);
	}
	const tokens = appendedTokens.get(db);
	expect([...(tokens?.values() ?? [])].some((t) => t.length > 0)).toBe(true);
	expect(await rawTokens(db)).toEqual(tokens);
	const dump = await rawDump(db.name);
	for (const name of [...GIVEN, ...FAMILY]) expect([...(dump.get('entities') ?? []), ...(dump.get('snapshots') ?? [])].some((s) => s.includes(name))).toBe(false);
	const found = (await listEntities(db, { text: 'chaus', limit: 50 })).entities.map((e) => e.guid).sort();
	expect(found).toEqual([2, 12, 22].map(personGuid));
	expect((await checkIntegrity(db)).ok).toBe(true);
	expect((await rebuildProjections(db, { mode: 'check', firstSnapshot: FIRST_SNAPSHOT })).differing).toEqual([]);
}

describe('rebuilding the records of an encrypted store', () => {
	it('after every record was lost gives exactly the rows the log projects to, sealed and searchable', async () => {
		const { db, expected } = await device();
		await db.transaction('rw', [db.entities, db.snapshots], async () => {
			await db.entities.clear();
			await db.snapshots.clear();
		});
		const progress: number[] = [];
		const result = await rebuildProjections(db, { firstSnapshot: FIRST_SNAPSHOT, chunkSize: CHUNK, onProgress: (done) => progress.push(done) });
		expect(lastRebuild.get(db)).toBe('outside');
		expect(result).toMatchObject({ events: log().length, entities: 32, changed: expected.entities.length + expected.snapshots.length });
		expect(result.differing).toEqual(expected.entities.map((e) => e.guid));
		expect(progress.at(-1)).toBe(log().length);
		await expectRebuilt(db, expected);
		expect(await rebuildProjections(db, { firstSnapshot: FIRST_SNAPSHOT, chunkSize: CHUNK })).toMatchObject({ changed: 0, differing: [] });
	});

	it('after some records and snapshots were lost rewrites those only', async () => {
		const { db, expected } = await device();
		const lost = [0, 7, 8, 29].map(personGuid).concat('h-2');
		await db.entities.bulkDelete(lost);
		await db.snapshots.delete([personGuid(7), 4]);
		const result = await rebuildProjections(db, { firstSnapshot: FIRST_SNAPSHOT, chunkSize: CHUNK });
		expect(lastRebuild.get(db)).toBe('outside');
		expect(result).toMatchObject({ changed: lost.length + 1, differing: [...lost].sort() });
		await expectRebuilt(db, expected);
	});

	it('repairs a record edited on disk, a stale copy, a stray record and a stray snapshot', async () => {
		const { db, expected } = await device();
		await rawEdit(db.name, 'entities', personGuid(3), (r) => {
			const sealed = (r.sealed as Uint8Array).slice();
			sealed[20]! ^= 1;
			r.sealed = sealed;
		});
		await rawEdit(db.name, 'snapshots', [personGuid(7), 2], (r) => {
			const sealed = (r.sealed as Uint8Array).slice();
			sealed[20]! ^= 1;
			r.sealed = sealed;
		});
		const stale = expected.entities.find((e) => e.guid === personGuid(6)) as EntityRow;
		await db.entities.put({ ...stale, entity: { ...stale.entity!, data: { ...stale.entity!.data, givenName: 'Changed' } } });
		const stray = expected.entities.find((e) => e.guid === personGuid(9)) as EntityRow;
		await db.entities.put({ ...stray, guid: 'p-stray' });
		await db.snapshots.put({ entityGuid: personGuid(1), position: 64, last: stray.last });
		const result = await rebuildProjections(db, { firstSnapshot: FIRST_SNAPSHOT, chunkSize: CHUNK });
		expect(lastRebuild.get(db)).toBe('outside');
		expect(result.differing).toEqual([personGuid(1), personGuid(3), personGuid(6), personGuid(7), 'p-stray']);
		expect(result.changed).toBe(5);
		await expectRebuilt(db, expected);
	});

	it('by replacing every row gives the same rows', async () => {
		const { db, expected } = await device();
		const result = await rebuildProjections(db, { mode: 'replace', firstSnapshot: FIRST_SNAPSHOT, chunkSize: CHUNK });
		expect(lastRebuild.get(db)).toBe('outside');
		expect(result.changed).toBe(expected.entities.length + expected.snapshots.length);
		await expectRebuilt(db, expected);
	});

	it('cut before its write changed nothing, and the next rebuild repairs', async () => {
		const { db, expected } = await device();
		await db.transaction('rw', [db.entities, db.snapshots], async () => {
			await db.entities.clear();
			await db.snapshots.clear();
		});
		const rebuiltBefore = await db.meta.get('projections');
		vi.spyOn(db.entities, 'bulkPut').mockImplementationOnce(() => Promise.reject(new Error('the tab was closed')) as never);
		await expect(rebuildProjections(db, { firstSnapshot: FIRST_SNAPSHOT, chunkSize: CHUNK })).rejects.toThrow();
		// Not a partial set: the write transaction did not commit.
		expect(await db.entities.count()).toBe(0);
		expect(await db.snapshots.count()).toBe(0);
		expect(await db.meta.get('projections')).toEqual(rebuiltBefore);
		vi.restoreAllMocks();
		await rebuildProjections(db, { firstSnapshot: FIRST_SNAPSHOT, chunkSize: CHUNK });
		await expectRebuilt(db, expected);
	});

	it('whose log grows meanwhile is rebuilt in one transaction, the new event included', async () => {
		const { db } = await device();
		await db.entities.clear();
		let appending: Promise<unknown> | undefined;
		const late = ev(personGuid(4), 'update-individual', { phone: '+254711111111' }, 200_000);
		await rebuildProjections(db, {
			firstSnapshot: FIRST_SNAPSHOT,
			chunkSize: CHUNK,
			onProgress: () => {
				appending ??= appendEvents(db, [late], { firstSnapshot: FIRST_SNAPSHOT });
			}
		});
		await appending;
		expect(lastRebuild.get(db)).toBe('transaction');
		expect((await db.entities.get(personGuid(4)))?.entity?.data['phone']).toBe('+254711111111');
		expect(await db.entities.count()).toBe(32);
		expect((await rebuildProjections(db, { mode: 'check', firstSnapshot: FIRST_SNAPSHOT })).differing).toEqual([]);
	});
});
