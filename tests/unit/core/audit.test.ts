import { describe, expect, it } from 'vitest';
import type { Entity } from '../../../src/lib/core/appliers';
import { auditTrail, diffEntities } from '../../../src/lib/core/audit';
import type { CasetrailEvent } from '../../../src/lib/core/event';
import { entityAsOf, project } from '../../../src/lib/core/projection';
import { at, ev } from './fixtures';
import { readVector } from './merkle/vectors';

const vectorEvents = (readVector('bundles/valid-full.json') as { events: CasetrailEvent[] }).events;
const HOUSEHOLD = '018f6b1e-0000-7000-8000-0000000000a1';
const AMINA = '018f6b1e-0000-7000-8000-000000000001';
const MOUSSA = '018f6b1e-0000-7000-8000-000000000002';

describe('auditTrail', () => {
	it('lists the seed household events in order with who, when, why and the member changes', () => {
		const trail = auditTrail(vectorEvents.filter((e) => e.entityGuid === HOUSEHOLD).reverse());
		expect(trail.map((e) => [e.type, e.userId, e.timestamp, e.applied])).toEqual([
			['create-group', 'worker-7', '2026-11-02T08:02:00.000Z', true],
			['add-member', 'worker-7', '2026-11-02T08:03:00.000Z', true],
			['add-member', 'worker-7', '2026-11-02T08:04:00.000Z', true],
			['remove-member', 'worker-9', '2026-11-02T08:06:00.000Z', true]
		]);
		expect(trail[0]!.changes).toEqual([
			{ field: 'data.name', before: null, after: 'Diallo household' },
			{ field: 'data.village', before: null, after: 'Kébémer' }
		]);
		expect(trail[1]!.changes).toEqual([{ field: `members.${AMINA}`, before: null, after: { guid: AMINA, role: 'head' } }]);
		expect(trail[3]!.changes).toEqual([{ field: `members.${MOUSSA}`, before: { guid: MOUSSA, role: 'child' }, after: null }]);
		expect(trail[3]!.reason).toBe('moved to relatives');
	});

	it('reads the reason from context.reason', () => {
		const trail = auditTrail(vectorEvents.filter((e) => e.entityGuid === AMINA));
		expect(trail[1]).toMatchObject({ guid: '018f6b1e-1000-7000-8000-000000000006', type: 'update-individual', reason: 'phone collected at visit', applied: true });
		expect(trail[1]!.changes).toEqual([{ field: 'data.phone', before: null, after: '+221 77 000 00 00' }]);
		expect(trail[0]).not.toHaveProperty('reason');
	});

	it('shows changed and removed data fields, deletion, and case worker assignment', () => {
		const p = 'p-1';
		const trail = auditTrail([
			ev({ type: 'create-individual', entityGuid: p, data: { givenName: 'Amina', phone: '771234567' }, timestamp: at(0), version: 3 }),
			ev({ type: 'update-individual', entityGuid: p, data: { givenName: 'Aminata', phone: null, notes: 'x' }, timestamp: at(1), version: 3, context: { reason: 'corrected' } }),
			ev({ type: 'assign-case-worker', entityGuid: p, data: { caseWorkerId: 'cw-3' }, timestamp: at(2) }),
			ev({ type: 'delete-entity', entityGuid: p, timestamp: at(3), context: { reason: 'duplicate' } })
		]);
		expect(trail[1]).toMatchObject({ reason: 'corrected' });
		expect(trail[1]!.changes).toEqual([
			{ field: 'data.givenName', before: 'Amina', after: 'Aminata' },
			{ field: 'data.notes', before: null, after: 'x' },
			{ field: 'data.phone', before: '771234567', after: null }
		]);
		expect(trail[2]!.changes).toEqual([
			{ field: 'caseWorker', before: null, after: 'cw-3' },
			{ field: 'assignmentDate', before: null, after: at(2) }
		]);
		expect(trail[3]!.changes).toEqual([{ field: 'deleted', before: false, after: true }]);
	});

	it('shows a role change as one member change', () => {
		const trail = auditTrail([
			ev({ type: 'create-group', entityGuid: 'g', timestamp: at(0) }),
			ev({ type: 'add-member', entityGuid: 'g', data: { memberGuid: 'm', role: 'child' }, timestamp: at(1) }),
			ev({ type: 'add-member', entityGuid: 'g', data: { memberGuid: 'm', role: 'head' }, timestamp: at(2) })
		]);
		expect(trail[2]!.changes).toEqual([{ field: 'members.m', before: { guid: 'm', role: 'child' }, after: { guid: 'm', role: 'head' } }]);
	});

	it('lists skipped events with their skip reason and no changes', () => {
		const trail = auditTrail([
			ev({ type: 'create-group', entityGuid: 'g', timestamp: at(0) }),
			ev({ type: 'remove-member', entityGuid: 'g', data: { memberGuid: 'm' }, timestamp: at(1), context: { reason: 'left' } }),
			ev({ type: 'record-visit', entityGuid: 'g', timestamp: at(2) })
		]);
		expect(trail[1]).toMatchObject({ applied: false, reason: 'left', skip: { reason: 'not-a-member' }, changes: [] });
		expect(trail[2]).toMatchObject({ applied: false, skip: { reason: 'no-applier' } });
	});

	it('lists invalid and repeated events first, as skipped', () => {
		const create = ev({ type: 'create-group', entityGuid: 'g', timestamp: at(0) });
		const bad = { ...ev({ type: 'update-group', entityGuid: 'g' }), timestamp: 'yesterday' };
		const trail = auditTrail([create, bad, structuredClone(create)]);
		expect(trail.map((e) => (e.applied ? 'applied' : e.skip.reason))).toEqual(['invalid-event', 'duplicate-event', 'applied']);
		expect(trail[0]).toMatchObject({ guid: bad.guid, timestamp: 'yesterday', type: 'update-group' });
	});

	it('refuses events of more than one entity', () => {
		expect(() => auditTrail(vectorEvents)).toThrow(expect.objectContaining({ code: 'validation-failed' }));
	});

	it('adds up: applying every change of the trail in order gives the projected data', () => {
		const events = vectorEvents.filter((e) => e.entityGuid === AMINA);
		const data: Record<string, unknown> = {};
		for (const entry of auditTrail(events)) {
			for (const { field, after } of entry.changes) {
				const key = field.replace(/^data\./, '');
				if (after === null) delete data[key];
				else data[key] = after;
			}
		}
		expect(data).toEqual(project(events).entities[0]!.data);
	});
});

describe('diffEntities', () => {
	it('is empty for equal entities, including nested values written in another key order', () => {
		const a: Entity = { guid: 'x', type: 'individual', data: { address: { city: 'Dakar', street: 'A' } }, deleted: false, version: 1, createdAt: at(0), lastUpdated: at(0) };
		const b: Entity = { ...a, data: { address: { street: 'A', city: 'Dakar' } }, version: 5, lastUpdated: at(9) };
		expect(diffEntities(a, b)).toEqual([]);
	});

	it('shows what differs between a past state and today (time travel)', () => {
		const then = entityAsOf(vectorEvents, HOUSEHOLD, '2026-11-02T08:04:00Z');
		const now = project(vectorEvents).entities.find((e) => e.guid === HOUSEHOLD);
		expect(diffEntities(then, now)).toEqual([{ field: `members.${MOUSSA}`, before: { guid: MOUSSA, role: 'child' }, after: null }]);
	});

	it('treats a state that did not exist yet as empty', () => {
		const now = project(vectorEvents).entities.find((e) => e.guid === MOUSSA);
		// The vector's v1 fields, as recorded: built-in events are never upcast.
		expect(diffEntities(undefined, now).map((c) => c.field)).toEqual(['data.birthDate', 'data.name', 'data.sex']);
		expect(diffEntities(now, undefined).every((c) => c.after === null)).toBe(true);
	});
});
