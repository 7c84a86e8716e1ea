import { describe, expect, it } from 'vitest';
import { createRegistry } from '../../../src/lib/core/appliers';
import type { CasetrailEvent } from '../../../src/lib/core/event';
import { applyEvent, canApplyIncrementally, entityAsOf, entityAsOfEvent, project, replayEntity, type EntityState } from '../../../src/lib/core/projection';
import { at, ev } from './fixtures';
import { readVector } from './merkle/vectors';

const vectorEvents = (readVector('bundles/valid-full.json') as { events: CasetrailEvent[] }).events;

const create = ev({ type: 'create-group', entityGuid: 'g-1', data: { name: 'H' }, timestamp: at(0) });
const addA = ev({ type: 'add-member', entityGuid: 'g-1', data: { memberGuid: 'a', role: 'head' }, timestamp: at(1) });
const addB = ev({ type: 'add-member', entityGuid: 'g-1', data: { memberGuid: 'b' }, timestamp: at(2) });
const rename = ev({ type: 'update-group', entityGuid: 'g-1', data: { name: 'Diallo household' }, timestamp: at(3) });

describe('project', () => {
	it('projects the events of the valid-full bundle vector (read as data, not verified)', () => {
		const { entities, skipped } = project(vectorEvents);
		expect(skipped).toEqual([]);
		expect(entities).toEqual([
			{
				guid: '018f6b1e-0000-7000-8000-000000000001',
				type: 'individual',
				// As spec/projection.md says: the event data as recorded (version 1), never upcast.
				data: { name: 'Amina Diallo', birthDate: '1988-04-12', sex: 'F', phone: '+221 77 000 00 00' },
				deleted: false,
				version: 2,
				createdAt: '2026-11-02T08:00:00.000Z',
				lastUpdated: '2026-11-02T08:05:00.000Z'
			},
			{
				guid: '018f6b1e-0000-7000-8000-000000000002',
				type: 'individual',
				data: { name: 'Moussa Diallo', birthDate: '2015-09-30', sex: 'M' },
				deleted: false,
				version: 1,
				createdAt: '2026-11-02T08:01:00.000Z',
				lastUpdated: '2026-11-02T08:01:00.000Z'
			},
			{
				guid: '018f6b1e-0000-7000-8000-0000000000a1',
				type: 'group',
				data: { name: 'Diallo household', village: 'Kébémer' },
				members: [{ guid: '018f6b1e-0000-7000-8000-000000000001', role: 'head' }],
				deleted: false,
				version: 4,
				createdAt: '2026-11-02T08:02:00.000Z',
				lastUpdated: '2026-11-02T08:06:00.000Z'
			}
		]);
	});

	it('gives the same entities whatever order the events come in', () => {
		const forward = project(vectorEvents);
		expect(project([...vectorEvents].reverse())).toEqual(forward);
		expect(project([vectorEvents[6]!, vectorEvents[2]!, vectorEvents[0]!, ...vectorEvents])).toMatchObject({ entities: forward.entities });
	});

	it('orders events of one instant by guid', () => {
		const t = at(5);
		const first = ev({ guid: 'A', type: 'update-group', entityGuid: 'g-1', data: { name: 'first' }, timestamp: t });
		const second = ev({ guid: 'B', type: 'update-group', entityGuid: 'g-1', data: { name: 'second' }, timestamp: t });
		expect(project([create, second, first]).entities[0]!.data.name).toBe('second');
	});

	it('applies an add-member that arrived before the create-group it needs, once both are there', () => {
		const { entities, skipped } = project([addB, addA, create]);
		expect(skipped).toEqual([]);
		expect(entities[0]!.members).toEqual([{ guid: 'a', role: 'head' }, { guid: 'b' }]);
	});

	it('reports skipped events with guid, entity, reason and message, in event order, and keeps replaying', () => {
		const stray = ev({ type: 'update-individual', entityGuid: 'p-9', data: {}, timestamp: at(0), version: 3 });
		const unknown = ev({ type: 'record-visit', entityGuid: 'g-1', data: {}, timestamp: at(4) });
		const { entities, skipped } = project([unknown, rename, stray, create, addA]);
		expect(skipped.map((s) => [s.guid, s.entityGuid, s.reason])).toEqual([
			[stray.guid, 'p-9', 'entity-missing'],
			[unknown.guid, 'g-1', 'no-applier']
		]);
		expect(skipped.every((s) => s.message.length > 0)).toBe(true);
		expect(entities.map((e) => e.guid)).toEqual(['g-1']);
		expect(entities[0]!.data.name).toBe('Diallo household');
	});

	it('reports invalid events first without stopping the replay', () => {
		const bad = { guid: 'x', entityGuid: 'g-1', type: 'update-group', data: 'not-an-object', timestamp: at(9), userId: 'w' } as unknown as CasetrailEvent;
		const { entities, skipped } = project([create, bad, ev({ type: 'nope', entityGuid: 'g-1', timestamp: at(1) })]);
		expect(skipped.map((s) => s.reason)).toEqual(['invalid-event', 'no-applier']);
		expect(skipped[0]).toMatchObject({ guid: 'x', entityGuid: 'g-1' });
		expect(entities).toHaveLength(1);
	});

	it('counts an event repeated with the same guid once, whichever copy comes first', () => {
		const copy = structuredClone(addA);
		const a = project([create, addA, copy, addB]);
		const b = project([copy, create, addB, addA]);
		expect(a).toEqual(b);
		expect(a.entities[0]!.version).toBe(3);
		expect(a.skipped).toEqual([expect.objectContaining({ guid: addA.guid, reason: 'duplicate-event' })]);
	});

	it('chooses the same copy of a conflicting guid whatever the input order', () => {
		const other = { ...rename, data: { name: 'Other name' } };
		expect(project([create, rename, other])).toEqual(project([other, create, rename]));
	});

	it('does not throw on repeated guids whose copies JSON cannot carry', () => {
		const odd = { ...rename, data: { name: Number.NaN } };
		expect(() => project([create, odd, { ...odd }])).not.toThrow();
	});

	it('sorts entities by guid in plain string order', () => {
		const guids = ['b', 'B', 'a', '10', '9'];
		const events = guids.map((g, i) => ev({ type: 'create-group', entityGuid: g, data: {}, timestamp: at(i) }));
		expect(project(events).entities.map((e) => e.guid)).toEqual(['10', '9', 'B', 'a', 'b']);
	});

	it('projects custom types with the registry it is given', () => {
		const registry = createRegistry().register('record-visit', (entity, event) => (entity ? { ...entity, data: { ...entity.data, visited: event.timestamp } } : { skip: 'entity-missing', message: 'No entity.' }));
		const visit = ev({ type: 'record-visit', entityGuid: 'g-1', timestamp: at(4) });
		expect(project([create, visit], registry).entities[0]!.data.visited).toBe(at(4));
		expect(project([create, visit]).skipped[0]!.reason).toBe('no-applier');
	});

	it('never changes the events it is given', () => {
		const events = structuredClone(vectorEvents);
		project(events);
		expect(events).toEqual(vectorEvents);
	});
});

describe('entityAsOf', () => {
	const events = [rename, addB, create, addA];

	it('replays the events at or before the instant', () => {
		expect(entityAsOf(events, 'g-1', at(1))).toMatchObject({ members: [{ guid: 'a', role: 'head' }], version: 2, data: { name: 'H' }, lastUpdated: at(1) });
		expect(entityAsOf(events, 'g-1', at(2) + '')!.members).toHaveLength(2);
	});

	it('is undefined before the entity was created', () => {
		expect(entityAsOf(events, 'g-1', Date.parse(at(0)) - 1)).toBeUndefined();
	});

	it('gives the current state as of the last instant', () => {
		expect(entityAsOf(events, 'g-1', new Date(at(3)))).toEqual(project(events).entities[0]);
	});

	it('shows the seed household before the child moved out', () => {
		const household = entityAsOf(vectorEvents, '018f6b1e-0000-7000-8000-0000000000a1', '2026-11-02T08:05:59Z');
		expect(household!.members).toEqual([
			{ guid: '018f6b1e-0000-7000-8000-000000000001', role: 'head' },
			{ guid: '018f6b1e-0000-7000-8000-000000000002', role: 'child' }
		]);
	});

	it('refuses an instant it cannot read', () => {
		expect(() => entityAsOf(events, 'g-1', '2026-11-02 08:00')).toThrow(expect.objectContaining({ code: 'validation-failed' }));
	});
});

describe('entityAsOfEvent', () => {
	it('replays up to and including the given event', () => {
		expect(entityAsOfEvent([rename, addB, create, addA], 'g-1', addA.guid)!.members).toEqual([{ guid: 'a', role: 'head' }]);
	});

	it('cuts at an event of another entity by its place in the order', () => {
		const other = ev({ type: 'create-group', entityGuid: 'g-2', data: {}, timestamp: at(1) });
		const entity = entityAsOfEvent([create, addA, addB, other], 'g-1', other.guid);
		expect(entity!.members!.map((m) => m.guid)).toEqual(other.guid < addA.guid ? [] : ['a']);
	});

	it('throws not-found for a guid that is not in the events', () => {
		expect(() => entityAsOfEvent([create], 'g-1', 'nope')).toThrow(expect.objectContaining({ code: 'not-found' }));
	});
});

describe('applyEvent', () => {
	const empty: EntityState = { entity: undefined, last: undefined };

	it('applies events in order with the same result as a replay', () => {
		let state = empty;
		for (const event of [create, addA, addB, rename]) {
			const step = applyEvent(state, event);
			if (!step.incremental) throw new Error('expected incremental');
			state = step.state;
		}
		expect(state.entity).toEqual(project([create, addA, addB, rename]).entities[0]);
		expect(state.last).toEqual({ timestamp: rename.timestamp, guid: rename.guid });
	});

	it('refuses an event that sorts before the last one replayed: the entity must be replayed', () => {
		const step = applyEvent({ entity: undefined, last: { timestamp: addA.timestamp, guid: addA.guid } }, create);
		expect(step).toEqual({ incremental: false });
		const replay = replayEntity([addA, create], 'g-1');
		expect(replay.entity!.members).toEqual([{ guid: 'a', role: 'head' }]);
		expect(replay.skipped).toEqual([]);
	});

	it('moves the position on for a skipped event, so that a later create forces a replay', () => {
		const step = applyEvent(empty, addA);
		expect(step).toMatchObject({ incremental: true, result: { applied: false, reason: 'entity-missing' } });
		if (step.incremental) expect(applyEvent(step.state, create).incremental).toBe(false);
	});

	it('reports an invalid event skipped and keeps the state', () => {
		const state = { entity: undefined, last: { timestamp: at(0), guid: 'z' } };
		const step = applyEvent(state, { ...addA, timestamp: 'late' });
		expect(step).toMatchObject({ incremental: true, state, result: { applied: false, reason: 'invalid-event' } });
	});
});

describe('canApplyIncrementally', () => {
	it('allows any event on an entity with no events and later events on top', () => {
		expect(canApplyIncrementally(undefined, create)).toBe(true);
		expect(canApplyIncrementally(create, addA)).toBe(true);
	});

	it('refuses an earlier instant, the same position, and a smaller guid at the same instant', () => {
		expect(canApplyIncrementally(addA, create)).toBe(false);
		expect(canApplyIncrementally(addA, addA)).toBe(false);
		expect(canApplyIncrementally({ timestamp: at(1), guid: 'b' }, { timestamp: at(1), guid: 'a' })).toBe(false);
		expect(canApplyIncrementally({ timestamp: at(1), guid: 'a' }, { timestamp: at(1), guid: 'b' })).toBe(true);
	});
});
