import { describe, expect, it } from 'vitest';
import { ApplierRegistry, Replay, SKIP_REASONS, createRegistry, evolve, skip, type Entity, type EvolveResult, type SkipReason } from '../../../../src/lib/core/appliers';
import type { CasetrailEvent } from '../../../../src/lib/core/event';
import { UpcasterRegistry } from '../../../../src/lib/core/upcast';
import { at, ev } from '../fixtures';

/** Folds events with evolve; returns the final entity and each result. */
function run(events: CasetrailEvent[], registry?: ApplierRegistry): { entity: Entity | undefined; results: EvolveResult[] } {
	let entity: Entity | undefined;
	const results: EvolveResult[] = [];
	for (const event of events) {
		const result = evolve(entity, event, registry);
		results.push(result);
		entity = result.entity;
	}
	return { entity, results };
}

function last(events: CasetrailEvent[], registry?: ApplierRegistry): EvolveResult {
	return run(events, registry).results.at(-1)!;
}

function expectSkip(result: EvolveResult, reason: SkipReason): void {
	expect(result.applied).toBe(false);
	if (!result.applied) {
		expect(result.reason).toBe(reason);
		expect(result.message).toMatch(/\.$/);
	}
}

const person = (data: Record<string, unknown> = { givenName: 'Amina', familyName: 'Diallo' }) =>
	ev({ type: 'create-individual', entityGuid: 'p-1', data, timestamp: at(0) });
const household = (data: Record<string, unknown> = { name: 'Diallo household' }) => ev({ type: 'create-group', entityGuid: 'g-1', data, timestamp: at(0) });
const onGroup = (type: string, data: Record<string, unknown>, minute = 1) => ev({ type, entityGuid: 'g-1', data, timestamp: at(minute) });
const onPerson = (type: string, data: Record<string, unknown> = {}, minute = 1) =>
	ev({ type, entityGuid: 'p-1', data, timestamp: at(minute) });

describe('evolve', () => {
	describe('create-individual', () => {
		it('creates an individual with the event data less null fields, version 1, createdAt = lastUpdated = timestamp', () => {
			const result = last([person({ givenName: 'Amina', familyName: 'Diallo', phone: null })]);
			expect(result).toEqual({
				applied: true,
				entity: { guid: 'p-1', type: 'individual', data: { givenName: 'Amina', familyName: 'Diallo' }, deleted: false, version: 1, createdAt: at(0), lastUpdated: at(0) }
			});
		});

		it('has no members key: members are for groups only', () => {
			expect(last([person()]).entity).not.toHaveProperty('members');
		});

		it('skips a second create for the same entity with entity-exists and leaves it unchanged', () => {
			const first = person();
			const { entity, results } = run([first, ev({ type: 'create-individual', entityGuid: 'p-1', data: { givenName: 'Other' }, timestamp: at(1) })]);
			expectSkip(results[1]!, 'entity-exists');
			expect(entity).toEqual(results[0]!.entity);
		});

		it('prints its members in the spec order', () => {
			expect(Object.keys(last([person()]).entity!)).toEqual(['guid', 'type', 'data', 'deleted', 'version', 'createdAt', 'lastUpdated']);
		});
	});

	describe('create-group', () => {
		it('creates a group with no members', () => {
			const entity = last([household({ name: 'H', village: null })]).entity!;
			expect(entity).toEqual({ guid: 'g-1', type: 'group', data: { name: 'H' }, members: [], deleted: false, version: 1, createdAt: at(0), lastUpdated: at(0) });
			expect(Object.keys(entity)).toEqual(['guid', 'type', 'data', 'members', 'deleted', 'version', 'createdAt', 'lastUpdated']);
		});

		it('skips a create-group on an existing individual with entity-exists', () => {
			expectSkip(last([person(), ev({ type: 'create-group', entityGuid: 'p-1', data: {}, timestamp: at(1) })]), 'entity-exists');
		});
	});

	describe.each([
		['update-individual', person, onPerson, 'p-1'],
		['update-group', household, (type: string, data: Record<string, unknown>, minute?: number) => onGroup(type, data, minute), 'g-1']
	] as const)('%s', (type, create, update, guid) => {
		it('merges the event data shallowly and removes fields set to null', () => {
			const { entity } = run([create({ a: 1, b: { x: 1 }, c: 'keep' }), update(type, { a: 2, b: { y: 2 }, c: null, d: 'new' })]);
			expect(entity).toMatchObject({ guid, data: { a: 2, b: { y: 2 }, d: 'new' }, version: 2, createdAt: at(0), lastUpdated: at(1) });
			expect(entity!.data).not.toHaveProperty('c');
		});

		it('skips with entity-missing when the entity does not exist yet', () => {
			expectSkip(last([update(type, { a: 1 })]), 'entity-missing');
		});
	});

	it('skips update-group on an individual and update-individual on a group with type-mismatch', () => {
		expectSkip(last([person(), onPerson('update-group', { name: 'x' })]), 'type-mismatch');
		expectSkip(last([household(), ev({ type: 'update-individual', entityGuid: 'g-1', data: {}, timestamp: at(1) })]), 'type-mismatch');
	});

	describe('add-member', () => {
		it('appends members in the order they were added, with their role', () => {
			const { entity } = run([household(), onGroup('add-member', { memberGuid: 'm-1', role: 'head' }, 1), onGroup('add-member', { memberGuid: 'm-2', role: 'child' }, 2)]);
			expect(entity!.members).toEqual([
				{ guid: 'm-1', role: 'head' },
				{ guid: 'm-2', role: 'child' }
			]);
			expect(entity!.version).toBe(3);
		});

		it('leaves out the role key when the event has no role', () => {
			const { entity } = run([household(), onGroup('add-member', { memberGuid: 'm-1' })]);
			expect(entity!.members).toEqual([{ guid: 'm-1' }]);
			expect(entity!.members![0]).not.toHaveProperty('role');
		});

		it('replaces a present member in place when it is added again', () => {
			const { entity } = run([
				household(),
				onGroup('add-member', { memberGuid: 'm-1', role: 'child' }, 1),
				onGroup('add-member', { memberGuid: 'm-2', role: 'spouse' }, 2),
				onGroup('add-member', { memberGuid: 'm-1', role: 'head' }, 3)
			]);
			expect(entity!.members).toEqual([
				{ guid: 'm-1', role: 'head' },
				{ guid: 'm-2', role: 'spouse' }
			]);
		});

		it('skips on an individual with type-mismatch', () => {
			expectSkip(last([person(), onPerson('add-member', { memberGuid: 'm-1' })]), 'type-mismatch');
		});

		it('skips on a missing group with entity-missing', () => {
			expectSkip(last([onGroup('add-member', { memberGuid: 'm-1' })]), 'entity-missing');
		});

		it.each([{}, { memberGuid: '' }, { memberGuid: 7 }, { memberGuid: 'm-1', role: 3 }])('skips data %j with invalid-data', (data) => {
			expectSkip(last([household(), onGroup('add-member', data)]), 'invalid-data');
		});
	});

	describe('remove-member', () => {
		it('removes the member and keeps the order of the rest', () => {
			const { entity } = run([
				household(),
				onGroup('add-member', { memberGuid: 'm-1', role: 'head' }, 1),
				onGroup('add-member', { memberGuid: 'm-2' }, 2),
				onGroup('add-member', { memberGuid: 'm-3' }, 3),
				onGroup('remove-member', { memberGuid: 'm-2' }, 4)
			]);
			expect(entity!.members).toEqual([{ guid: 'm-1', role: 'head' }, { guid: 'm-3' }]);
			expect(entity!.lastUpdated).toBe(at(4));
		});

		it('skips with not-a-member when the member is not in the group', () => {
			expectSkip(last([household(), onGroup('remove-member', { memberGuid: 'm-9' })]), 'not-a-member');
		});

		it('skips on an individual with type-mismatch and on a missing group with entity-missing', () => {
			expectSkip(last([person(), onPerson('remove-member', { memberGuid: 'm-1' })]), 'type-mismatch');
			expectSkip(last([onGroup('remove-member', { memberGuid: 'm-1' })]), 'entity-missing');
		});

		it('skips without a memberGuid with invalid-data', () => {
			expectSkip(last([household(), onGroup('remove-member', {})]), 'invalid-data');
		});
	});

	describe('delete-entity', () => {
		it('marks the entity deleted and keeps it', () => {
			const { entity } = run([person(), onPerson('delete-entity')]);
			expect(entity).toMatchObject({ deleted: true, version: 2, data: { givenName: 'Amina' } });
		});

		it('deletes groups too', () => {
			expect(last([household(), onGroup('delete-entity', {})]).entity!.deleted).toBe(true);
		});

		it('skips a second delete with already-deleted', () => {
			expectSkip(last([person(), onPerson('delete-entity', {}, 1), onPerson('delete-entity', {}, 2)]), 'already-deleted');
		});

		it('skips a delete of a missing entity with entity-missing', () => {
			expectSkip(last([onPerson('delete-entity')]), 'entity-missing');
		});

		it('still applies later updates, and the entity stays deleted', () => {
			const { entity } = run([person(), onPerson('delete-entity', {}, 1), onPerson('update-individual', { phone: '+221 77 000 00 00' }, 2)]);
			expect(entity).toMatchObject({ deleted: true, version: 3, data: { phone: '+221 77 000 00 00' } });
		});
	});

	describe('assign-case-worker (the shipped custom type)', () => {
		it('sets caseWorker and assignmentDate = the event timestamp, on any entity type', () => {
			const { entity } = run([person(), onPerson('assign-case-worker', { caseWorkerId: 'cw-3' }, 5)]);
			expect(entity).toMatchObject({ caseWorker: 'cw-3', assignmentDate: at(5), version: 2, lastUpdated: at(5) });
			expect(Object.keys(entity!).slice(-2)).toEqual(['caseWorker', 'assignmentDate']);
			expect(last([household(), onGroup('assign-case-worker', { caseWorkerId: 'cw-3' })]).entity).toMatchObject({ caseWorker: 'cw-3' });
		});

		it('keeps the assignment through later built-in events', () => {
			const { entity } = run([person(), onPerson('assign-case-worker', { caseWorkerId: 'cw-3' }, 1), onPerson('update-individual', { phone: '1234567' }, 2)]);
			expect(entity).toMatchObject({ caseWorker: 'cw-3', assignmentDate: at(1) });
		});

		it('skips a missing entity with entity-missing and a missing caseWorkerId with invalid-data', () => {
			expectSkip(last([onPerson('assign-case-worker', { caseWorkerId: 'cw' })]), 'entity-missing');
			expectSkip(last([person(), onPerson('assign-case-worker', { caseWorkerId: '' })]), 'invalid-data');
		});

		it('projects v1, v2 and v3 events of one assignment to the same entity, and leaves each event as stored', () => {
			const events = [
				{ ...onPerson('assign-case-worker', { caseWorker: 'cw-3' }, 5), version: 1 },
				{ ...onPerson('assign-case-worker', { caseWorkerId: 'cw-3' }, 5), version: 2 },
				{ ...onPerson('assign-case-worker', { caseWorkerId: 'cw-3', date: at(5) }, 5), version: 2 },
				{ ...onPerson('assign-case-worker', { caseWorkerId: 'cw-3', assignedAt: at(5) }, 5), version: 3 }
			];
			const entities = events.map((event) => {
				const before = structuredClone(event);
				const { entity } = run([person(), event]);
				expect(event).toEqual(before);
				return entity;
			});
			expect(entities[0]).toMatchObject({ caseWorker: 'cw-3', assignmentDate: at(5), version: 2, lastUpdated: at(5) });
			for (const entity of entities) expect(entity).toEqual(entities[0]);
		});

		it('takes assignmentDate from v3 assignedAt (or a v2 date), not from the event timestamp', () => {
			const v3 = { ...onPerson('assign-case-worker', { caseWorkerId: 'cw-3', assignedAt: '2026-10-30T14:00:00.123456Z' }, 5), version: 3 };
			expect(run([person(), v3]).entity).toMatchObject({ caseWorker: 'cw-3', assignmentDate: '2026-10-30T14:00:00.123456Z', lastUpdated: at(5) });
			const v2 = { ...onPerson('assign-case-worker', { caseWorkerId: 'cw-3', date: '2026-10-30T14:00:00Z' }, 5), version: 2 };
			expect(run([person(), v2]).entity).toMatchObject({ assignmentDate: '2026-10-30T14:00:00Z' });
		});

		it.each([undefined, '', 'last Tuesday', '2026-10-30', '2026-10-30T15:00:00+01:00', 7])('skips a v3 event with assignedAt %j with invalid-data', (assignedAt) => {
			const event = { ...onPerson('assign-case-worker', { caseWorkerId: 'cw-3', ...(assignedAt !== undefined && { assignedAt }) }), version: 3 };
			expectSkip(last([person(), event]), 'invalid-data');
		});

		it('skips a v2 event whose date is not an instant with invalid-data', () => {
			expectSkip(last([person(), { ...onPerson('assign-case-worker', { caseWorkerId: 'cw-3', date: '30/10/2026' }), version: 2 }]), 'invalid-data');
		});
	});

	describe('other skips', () => {
		it('skips an event type with no applier with no-applier, at any version', () => {
			expectSkip(last([person(), onPerson('record-visit', { on: '2026-11-01' })]), 'no-applier');
			expectSkip(last([person(), { ...onPerson('record-visit', { on: '2026-11-01' }), version: 3 }]), 'no-applier');
		});

		it('skips an invalid event with invalid-event instead of throwing', () => {
			const bad = { ...onPerson('update-individual'), data: 'not-an-object' } as unknown as CasetrailEvent;
			expectSkip(last([person(), bad]), 'invalid-event');
		});

		it('skips an event of another entity than the state with wrong-entity', () => {
			const state = last([person()]).entity;
			expectSkip(evolve(state, onGroup('update-group', {})), 'wrong-entity');
		});

		it('skips a custom event newer than this build reads with version-unsupported', () => {
			expectSkip(last([person(), { ...onPerson('assign-case-worker', { caseWorkerId: 'cw-3', assignedAt: at(1) }), version: 4 }]), 'version-unsupported');
		});

		it('skips with applier-failed when a custom applier throws or returns no entity', () => {
			const registry = createRegistry()
				.register('explode', () => {
					throw new Error('boom');
				})
				.register('garbage', () => ({ type: '', data: [], deleted: 'no' }) as never);
			const failed = last([person(), onPerson('explode')], registry);
			expectSkip(failed, 'applier-failed');
			expect(!failed.applied && failed.message).toContain('boom');
			expectSkip(last([person(), onPerson('garbage')], registry), 'applier-failed');
		});

		it('skips with duplicate-event only in projection (see projection tests); every reason has a sentence', () => {
			for (const sentence of Object.values(SKIP_REASONS)) expect(sentence).toMatch(/^[A-Z].*\.$/);
		});

		it('leaves the state as it was for every skip', () => {
			const state = last([household()]).entity!;
			const copy = structuredClone(state);
			const result = evolve(state, onGroup('remove-member', { memberGuid: 'nobody' }));
			expect(result.entity).toBe(state);
			expect(state).toEqual(copy);
		});
	});

	it.each([undefined, 1, 2, 3, 9])('applies a built-in event at version %s as recorded: the v1 vector fields stay as they are', (version) => {
		const data = { name: 'Amina Diallo', birthDate: '1988-04-12', sex: 'F' };
		const create = ev({ type: 'create-individual', entityGuid: 'p-1', data, timestamp: at(0), ...(version !== undefined && { version }) });
		const update = ev({ type: 'update-individual', entityGuid: 'p-1', data: { sex: 'M', name: null }, timestamp: at(1), ...(version !== undefined && { version }) });
		const { entity, results } = run([create, update]);
		expect(results.map((r) => r.applied)).toEqual([true, true]);
		expect(results[0]!.entity!.data).toEqual(data);
		expect(entity!.data).toEqual({ birthDate: '1988-04-12', sex: 'M' });
	});

	it('never changes the event or the state it is given, even when a custom applier mutates its arguments', () => {
		const registry = createRegistry().register('mutate', (entity, event) => {
			event.data.touched = true;
			entity!.data.touched = true;
			return entity!;
		});
		const state = last([person()]).entity!;
		const stateCopy = structuredClone(state);
		const event = onPerson('mutate', { x: 1 });
		const eventCopy = structuredClone(event);
		const result = evolve(state, event, registry);
		expect(result.entity!.data.touched).toBe(true);
		expect(state).toEqual(stateCopy);
		expect(event).toEqual(eventCopy);
	});

	it('shares no objects between the new entity and the event', () => {
		const event = person({ givenName: 'A', address: { city: 'Dakar' } });
		const entity = last([event]).entity!;
		(entity.data.address as { city: string }).city = 'Thiès';
		expect(event.data.address).toEqual({ city: 'Dakar' });
	});
});

describe('Replay', () => {
	describe('when a custom applier leaves a member in a group twice', () => {
		it('reaches what evolve reaches step by step: add-member changes the first entry, remove-member removes every one', () => {
			const registry = createRegistry().register('repeat-member', (entity) => {
				if (!entity?.members?.[0]) return skip('invalid-data', 'Nothing to repeat.');
				return { ...entity, members: [...entity.members, { ...entity.members[0] }] };
			});
			const events = [
				ev({ type: 'create-group', entityGuid: 'g', timestamp: at(0) }),
				ev({ type: 'add-member', entityGuid: 'g', data: { memberGuid: 'm1', role: 'head' }, timestamp: at(1) }),
				ev({ type: 'add-member', entityGuid: 'g', data: { memberGuid: 'm2' }, timestamp: at(2) }),
				ev({ type: 'repeat-member', entityGuid: 'g', timestamp: at(3) }),
				ev({ type: 'add-member', entityGuid: 'g', data: { memberGuid: 'm1', role: 'child' }, timestamp: at(4) }),
				ev({ type: 'add-member', entityGuid: 'g', data: { memberGuid: 'm3' }, timestamp: at(5) }),
				ev({ type: 'remove-member', entityGuid: 'g', data: { memberGuid: 'm1' }, timestamp: at(6) }),
				ev({ type: 'add-member', entityGuid: 'g', data: { memberGuid: 'm2', role: 'other' }, timestamp: at(7) })
			];
			const replay = new Replay(undefined, registry);
			// Read at each step: a later step may change the replay's working state in place.
			const steps = events.map((event) => structuredClone(replay.apply(event)));
			expect(steps).toEqual(run(events, registry).results);
			expect(steps[4]!.entity!.members).toEqual([{ guid: 'm1', role: 'child' }, { guid: 'm2' }, { guid: 'm1', role: 'head' }]);
			expect(replay.entity!.members).toEqual([{ guid: 'm2', role: 'other' }, { guid: 'm3' }]);
		});
	});
});

describe('ApplierRegistry', () => {
	it('registers built-ins and custom types the same way', () => {
		expect(createRegistry().types()).toEqual([
			'create-individual',
			'create-group',
			'update-individual',
			'update-group',
			'add-member',
			'remove-member',
			'delete-entity',
			'assign-case-worker',
			'visit-recorded',
			'assistance-provided'
		]);
	});

	it('refuses a second applier for a type', () => {
		expect(() => createRegistry().register('add-member', () => skip('invalid-data', 'x.'))).toThrow(expect.objectContaining({ code: 'validation-failed' }));
	});

	it('gives each caller its own registry: registering on one does not affect another or the default', () => {
		const mine = createRegistry().register('record-visit', (entity) => (entity ? { ...entity, data: { ...entity.data, visited: true } } : skip('entity-missing', 'No entity.')));
		const visit = onPerson('record-visit');
		expect(last([person(), visit], mine)).toMatchObject({ applied: true, entity: { data: { visited: true } } });
		expectSkip(last([person(), visit], createRegistry()), 'no-applier');
		expectSkip(last([person(), visit]), 'no-applier');
	});

	it('upcasts with its own upcasters: a custom type can version its data', () => {
		const upcasters = new UpcasterRegistry().register('record-visit', 1, (e) => ({ ...e, data: { visitedOn: e.data.date } }));
		const registry = new ApplierRegistry(upcasters)
			.register('create-individual', () => ({ type: 'individual', data: {}, deleted: false }))
			.register('record-visit', (entity, event) => (entity ? { ...entity, data: { lastVisit: event.data.visitedOn } } : skip('entity-missing', 'No entity.')));
		const create = ev({ type: 'create-individual', entityGuid: 'p-1', timestamp: at(0) });
		const { entity } = run([create, onPerson('record-visit', { date: '2026-11-01' })], registry);
		expect(entity!.data).toEqual({ lastVisit: '2026-11-01' });
	});
});
