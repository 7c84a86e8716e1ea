/**
 * Invariants 4 and 5 through the store: whatever order events arrive in and however they are
 * batched, the stored entities equal core `project` over the same events; the store's snapshots (the
 * one snapshot implementation, store/fold.ts) are each the replay up to them, and a snapshot plus the
 * events after it gives the stored entity; and dropping the projections and replaying the log gives
 * exactly the same entity and snapshot rows. Events come from several users, as on a shared device,
 * so who created each entity (what access decides by) is checked too.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { creatorOf } from '../../../src/lib/core/access';
import { createRegistry } from '../../../src/lib/core/appliers';
import { compareEvents, instantOf, type CasetrailEvent } from '../../../src/lib/core/event';
import { project } from '../../../src/lib/core/projection';
import { appendEvents } from '../../../src/lib/store/append';
import type { CasetrailDb } from '../../../src/lib/store/db';
import { foldInto, type FoldItem } from '../../../src/lib/store/fold';
import { rebuildProjections, sameRow } from '../../../src/lib/store/rebuild';
import { at, dropDb, freshDb } from './helpers';

const opened: CasetrailDb[] = [];
afterEach(async () => {
	await Promise.all(opened.splice(0).map(dropDb));
});

const individuals = ['i-0', 'i-1', 'i-2'];
const groups = ['g-0', 'g-1'];
const users = ['u-1', 'u-2', 'u-3'];
const value = fc.constantFrom<unknown>(null, 'x', 'y', 7);
const fields = fc.dictionary(fc.constantFrom('givenName', 'familyName', 'village', 'phone'), value, { maxKeys: 3 });

/** One event without guid and time; those are assigned so guids are unique and instants collide often. */
const bodyArb: fc.Arbitrary<Pick<CasetrailEvent, 'entityGuid' | 'type' | 'data'> & { version?: number }> = fc.oneof(
	fc.record({ entityGuid: fc.constantFrom(...individuals), type: fc.constant('create-individual'), data: fields, version: fc.constant(3) }),
	fc.record({ entityGuid: fc.constantFrom(...individuals), type: fc.constant('update-individual'), data: fields, version: fc.constant(3) }),
	fc.record({ entityGuid: fc.constantFrom(...groups), type: fc.constant('create-group'), data: fc.record({ name: fc.constantFrom('North', 'South') }) }),
	fc.record({ entityGuid: fc.constantFrom(...groups), type: fc.constant('add-member'), data: fc.record({ memberGuid: fc.constantFrom(...individuals), role: fc.constantFrom('head', 'child') }) }),
	fc.record({ entityGuid: fc.constantFrom(...groups), type: fc.constant('remove-member'), data: fc.record({ memberGuid: fc.constantFrom(...individuals) }) }),
	fc.record({ entityGuid: fc.constantFrom(...individuals, ...groups), type: fc.constant('delete-entity'), data: fc.constant({}) }),
	fc.record({ entityGuid: fc.constantFrom(...individuals, ...groups), type: fc.constant('assign-case-worker'), data: fc.record({ caseWorkerId: fc.constantFrom('cw-1', 'cw-2') }) }),
	fc.record({ entityGuid: fc.constantFrom(...individuals), type: fc.constant('no-such-type'), data: fc.constant({}) })
);

const scenarioArb = fc
	.array(fc.tuple(bodyArb, fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 999 }), fc.constantFrom(...users)), { minLength: 1, maxLength: 40 })
	.chain((bodies) =>
		fc.record({
			events: fc.constant(
				bodies.map(([body, second, tag, userId], i): CasetrailEvent => ({
					...body,
					// Guids unrelated to time order, so the tie-break by guid is exercised.
					guid: `${String(tag).padStart(3, '0')}-${i}`,
					timestamp: at(second * 1000),
					userId
				}))
			),
			order: fc.shuffledSubarray(
				bodies.map((_, i) => i),
				{ minLength: bodies.length, maxLength: bodies.length }
			),
			cuts: fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 6 }),
			firstSnapshot: fc.integer({ min: 1, max: 4 })
		})
	);

/** The events of entity `guid` in the order they apply (instant, then guid). */
function inReplayOrder(events: readonly CasetrailEvent[], guid: string): CasetrailEvent[] {
	return events.filter((e) => e.entityGuid === guid).sort(compareEvents);
}

async function storedEntities(db: CasetrailDb) {
	return (await db.entities.orderBy('guid').toArray()).flatMap((row) => (row.entity ? [row.entity] : []));
}

describe('store projections (property)', () => {
	it('equal core project over the same events, for any arrival order and batching', async () => {
		await fc.assert(
			fc.asyncProperty(scenarioArb, async ({ events, order, cuts, firstSnapshot }) => {
				const db = freshDb();
				opened.push(db);
				const arrival = order.map((i) => events[i] as CasetrailEvent);
				const bounds = [...new Set([0, ...cuts.filter((c) => c < arrival.length), arrival.length])].sort((a, b) => a - b);
				for (let k = 0; k + 1 < bounds.length; k++) await appendEvents(db, arrival.slice(bounds[k], bounds[k + 1]), { firstSnapshot });
				expect(await storedEntities(db)).toEqual(project(events).entities);
				// Who created an entity is whoever recorded the event that created it, however late it arrived.
				for (const row of await db.entities.toArray()) expect(row.createdBy).toBe(creatorOf(inReplayOrder(events, row.guid)));
				await dropDb(db);
			}),
			{ numRuns: 60 }
		);
	});

	it('keep snapshots after first, 2·first, 4·first... events, each the replay up to it, and a snapshot plus the events after it gives the stored entity', async () => {
		const registry = createRegistry();
		await fc.assert(
			fc.asyncProperty(scenarioArb, async ({ events, order, cuts, firstSnapshot }) => {
				const db = freshDb();
				opened.push(db);
				const arrival = order.map((i) => events[i] as CasetrailEvent);
				const bounds = [...new Set([0, ...cuts.filter((c) => c < arrival.length), arrival.length])].sort((a, b) => a - b);
				for (let k = 0; k + 1 < bounds.length; k++) await appendEvents(db, arrival.slice(bounds[k], bounds[k + 1]), { firstSnapshot });
				const snapshots = await db.snapshots.toArray();
				for (const row of await db.entities.toArray()) {
					const mine = inReplayOrder(events, row.guid);
					const taken = snapshots.filter((s) => s.entityGuid === row.guid);
					const positions = mine.map((_, i) => i + 1).filter((count) => count >= firstSnapshot && Number.isInteger(Math.log2(count / firstSnapshot)));
					expect(taken.map((s) => s.position)).toEqual(positions);
					for (const snapshot of taken) {
						expect(snapshot.entity).toEqual(project(mine.slice(0, snapshot.position)).entities[0]);
						// What a late event does: fold the stored events after the snapshot into it.
						const before = JSON.stringify(snapshot.entity);
						const tail: FoldItem[] = mine.slice(snapshot.position).map((event) => ({ event, position: { instant: instantOf(event), guid: event.guid } }));
						const state = foldInto({ entity: snapshot.entity, count: snapshot.position, last: snapshot.last }, row.guid, tail, registry, firstSnapshot, []);
						expect(state.entity).toEqual(row.entity);
						expect(state.count).toBe(row.count);
						expect(JSON.stringify(snapshot.entity)).toBe(before);
					}
				}
				await dropDb(db);
			}),
			{ numRuns: 60 }
		);
	});

	it('are rebuilt identically from the log: same entity rows, same snapshots, in both modes', async () => {
		await fc.assert(
			fc.asyncProperty(scenarioArb, fc.integer({ min: 1, max: 7 }), fc.constantFrom('replace' as const, 'repair' as const), async ({ events, order, cuts, firstSnapshot }, chunkSize, mode) => {
				const db = freshDb();
				opened.push(db);
				const arrival = order.map((i) => events[i] as CasetrailEvent);
				const bounds = [...new Set([0, ...cuts.filter((c) => c < arrival.length), arrival.length])].sort((a, b) => a - b);
				for (let k = 0; k + 1 < bounds.length; k++) await appendEvents(db, arrival.slice(bounds[k], bounds[k + 1]), { firstSnapshot });
				const entities = await db.entities.orderBy('guid').toArray();
				const snapshots = await db.snapshots.toArray();
				// Dropped first, as after a migration that clears them: both modes must write everything back.
				await db.entities.clear();
				await db.snapshots.clear();
				const result = await rebuildProjections(db, { firstSnapshot, chunkSize, mode });
				expect(result.events).toBe(events.length);
				expect(result.changed).toBe(entities.length + snapshots.length);
				expect(await db.entities.orderBy('guid').toArray()).toEqual(entities);
				expect(await db.snapshots.toArray()).toEqual(snapshots);
				await dropDb(db);
			}),
			{ numRuns: 60 }
		);
	});
});

describe('repair (property)', () => {
	it('puts back exactly the damaged rows, wherever the chunks cut the entities', async () => {
		const damageArb = fc.record({
			// Per entity row: 0 keep, 1 delete, 2 edit.
			rows: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 5, maxLength: 5 }),
			// Rows no entity has, before, between and after the real guids.
			strays: fc.subarray(['a', 'g-0x', 'i-1x', 'z']),
			snapshots: fc.array(fc.boolean(), { maxLength: 40 })
		});
		await fc.assert(
			fc.asyncProperty(scenarioArb, damageArb, fc.integer({ min: 1, max: 7 }), async ({ events, order, firstSnapshot }, damage, chunkSize) => {
				const db = freshDb();
				opened.push(db);
				await appendEvents(
					db,
					order.map((i) => events[i] as CasetrailEvent),
					{ firstSnapshot }
				);
				const entities = await db.entities.orderBy('guid').toArray();
				const snapshots = await db.snapshots.toArray();
				let damaged = 0;
				for (const [i, row] of entities.entries()) {
					const what = damage.rows[i] ?? 0;
					if (what === 1) await db.entities.delete(row.guid);
					if (what === 2) await db.entities.put({ ...row, count: row.count + 1 });
					if (what !== 0) damaged += 1;
				}
				for (const guid of damage.strays) await db.entities.put({ guid, last: { instant: 0, guid: 'x' }, count: 1 });
				for (const [i, gone] of damage.snapshots.entries()) {
					const snapshot = snapshots[i];
					if (!gone || !snapshot) continue;
					await db.snapshots.delete([snapshot.entityGuid, snapshot.position]);
					damaged += 1;
				}
				const result = await rebuildProjections(db, { firstSnapshot, chunkSize });
				expect(result.changed).toBe(damaged + damage.strays.length);
				expect(await db.entities.orderBy('guid').toArray()).toEqual(entities);
				expect(await db.snapshots.toArray()).toEqual(snapshots);
				await dropDb(db);
			}),
			{ numRuns: 80 }
		);
	});
});

describe('rebuildProjections', () => {
	it('replays a log of many entities in chunks, reporting progress, to the same rows', async () => {
		const db = freshDb();
		opened.push(db);
		const events: CasetrailEvent[] = [];
		for (let i = 0; i < 120; i++) {
			events.push({ guid: `c-${i}`, entityGuid: `e-${i % 30}`, type: i < 30 ? 'create-individual' : 'update-individual', data: { givenName: `N${i}` }, timestamp: at((i * 7919) % 500), userId: 'u', version: 3 });
		}
		await appendEvents(db, events.slice(0, 60));
		await appendEvents(db, events.slice(60));
		const before = await db.entities.orderBy('guid').toArray();
		const progress: [number, number][] = [];
		const result = await rebuildProjections(db, { chunkSize: 25, onProgress: (done, total) => progress.push([done, total]) });
		expect(result).toMatchObject({ events: 120, entities: 30 });
		expect(progress).toEqual([
			[25, 120],
			[50, 120],
			[75, 120],
			[100, 120],
			[120, 120]
		]);
		expect(await db.entities.orderBy('guid').toArray()).toEqual(before);
		expect(before.map((r) => r.entity)).toEqual(project(events).entities);
	});

	it('empties the projections of an empty log', async () => {
		const db = freshDb();
		opened.push(db);
		await db.entities.put({ guid: 'stray', last: { instant: 0, guid: 'x' }, count: 1 });
		expect(await rebuildProjections(db, { mode: 'replace' })).toEqual({ events: 0, entities: 0, changed: 0, differing: [] });
		expect(await db.entities.count()).toBe(0);
		await db.entities.put({ guid: 'stray', last: { instant: 0, guid: 'x' }, count: 1 });
		expect(await rebuildProjections(db, { mode: 'repair' })).toEqual({ events: 0, entities: 0, changed: 1, differing: ['stray'] });
		expect(await db.entities.count()).toBe(0);
		await db.entities.put({ guid: 'stray', last: { instant: 0, guid: 'x' }, count: 1 });
		expect(await rebuildProjections(db)).toEqual({ events: 0, entities: 0, changed: 1, differing: ['stray'] });
	});

	it('repairs only what differs: nothing on healthy projections, and edited, missing, stray rows otherwise', async () => {
		const db = freshDb();
		opened.push(db);
		const events: CasetrailEvent[] = [];
		for (let i = 0; i < 90; i++) {
			events.push({ guid: `r-${i}`, entityGuid: `e-${String(i % 30).padStart(2, '0')}`, type: i < 30 ? 'create-individual' : 'update-individual', data: { givenName: `N${i}` }, timestamp: at(i * 10), userId: 'u', version: 3 });
		}
		await appendEvents(db, events, { firstSnapshot: 2 });
		const entities = await db.entities.orderBy('guid').toArray();
		const snapshots = await db.snapshots.toArray();
		expect(await rebuildProjections(db, { mode: 'repair', firstSnapshot: 2, chunkSize: 16 })).toEqual({ events: 90, entities: 30, changed: 0, differing: [] });

		// Damage: an edited entity, a deleted one, a stray row, a stale and a missing snapshot.
		const edited = entities[4]!;
		await db.entities.put({ ...edited, entity: { ...edited.entity!, data: { givenName: 'Mallory' } } });
		await db.entities.delete(entities[17]!.guid);
		await db.entities.put({ guid: 'e-15x', last: { instant: 0, guid: 'x' }, count: 1 });
		await db.snapshots.put({ ...snapshots[3]!, position: 99 });
		await db.snapshots.delete([snapshots[8]!.entityGuid, snapshots[8]!.position]);
		const damaged = [edited.guid, entities[17]!.guid, 'e-15x', snapshots[3]!.entityGuid, snapshots[8]!.entityGuid].sort();
		const checked = await rebuildProjections(db, { mode: 'check', firstSnapshot: 2, chunkSize: 16 });
		expect(checked).toEqual({ events: 90, entities: 30, changed: 5, differing: [...new Set(damaged)] });
		const result = await rebuildProjections(db, { mode: 'repair', firstSnapshot: 2, chunkSize: 16 });
		expect(result).toEqual({ events: 90, entities: 30, changed: 5, differing: [...new Set(damaged)] });
		expect(await db.entities.orderBy('guid').toArray()).toEqual(entities);
		expect(await db.snapshots.toArray()).toEqual(snapshots);
	});
});

describe('sameRow', () => {
	it('is true for equal JSON values in any member order, false for any difference', () => {
		const row = { guid: 'g', last: { instant: 1, guid: 'x' }, count: 2, entity: { data: { a: [1, 'b', null] }, deleted: false }, words: ['a', 'b'] };
		expect(sameRow(row, structuredClone(row))).toBe(true);
		expect(sameRow(row, { ...row, count: 3 })).toBe(false);
		expect(sameRow(row, { ...row, words: ['a'] })).toBe(false);
		expect(sameRow(row, { ...row, entity: { data: { a: [1, 'b', 0] }, deleted: false } })).toBe(false);
		expect(sameRow(row, { ...row, extra: undefined })).toBe(false);
		// Rows read through the vault come back with their clear members after the sealed ones.
		expect(sameRow({ a: 1, b: { c: 3, d: 4 } }, { b: { d: 4, c: 3 }, a: 1 })).toBe(true);
		expect(sameRow({ a: 1, b: 2 }, { b: 2, c: 1 })).toBe(false);
		expect(sameRow([1], { 0: 1 })).toBe(false);
		expect(sameRow(null, {})).toBe(false);
	});
});
