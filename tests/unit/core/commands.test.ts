import { describe, expect, it } from 'vitest';
import { createRegistry, evolve, type Entity } from '../../../src/lib/core/appliers';
import { decide, type Command, type CommandEnv, type RegisterIndividual } from '../../../src/lib/core/commands';
import { CasetrailError, isCasetrailError } from '../../../src/lib/core/errors';
import { isValidEvent, type CasetrailEvent } from '../../../src/lib/core/event';
import { fixedEnv } from './fixtures';

const amina: RegisterIndividual = { type: 'register-individual', givenName: 'Amina', familyName: 'Diallo', sex: 'female', dateOfBirth: '1988-04-12' };

/** Entities built by deciding and applying commands in turn, as the store would. */
class World {
	readonly entities = new Map<string, Entity>();
	readonly log: CasetrailEvent[] = [];
	readonly env: CommandEnv;
	#minute = 0;

	constructor(env: Partial<CommandEnv> = {}) {
		// A clock that moves a minute per command, so events order as they were decided.
		this.env = fixedEnv({ now: () => new Date(Date.UTC(2026, 10, 23, 9, this.#minute)), ...env });
	}

	run(command: Command): CasetrailEvent[] {
		const events = decide(command, this.entities, this.env);
		this.#minute += 1;
		for (const event of events) {
			this.log.push(event);
			const result = evolve(this.entities.get(event.entityGuid), event, createRegistry());
			expect(result.applied).toBe(true);
			this.entities.set(event.entityGuid, result.entity!);
		}
		return events;
	}

	/** The guid of the entity the command creates. */
	create(command: Command): string {
		return this.run(command)[0]!.entityGuid;
	}
}

function failure(fn: () => unknown): CasetrailError {
	try {
		fn();
	} catch (e) {
		if (isCasetrailError(e)) return e;
		throw e;
	}
	throw new Error('expected the command to be refused');
}

function fieldsOf(command: Command, world = new World()): Record<string, string> {
	const error = failure(() => world.run(command));
	expect(error.code).toBe('validation-failed');
	return error.fields ?? {};
}

describe('decide', () => {
	describe('register-individual', () => {
		it('emits one create-individual for a new entity, at version 1 (built-ins are never upcast), with trimmed fields', () => {
			const [event, ...rest] = decide({ ...amina, givenName: '  Amina ', phone: ' +221 77 000 00 00 ' }, new Map(), fixedEnv());
			expect(rest).toEqual([]);
			expect(event).toEqual({
				guid: 'guid-2',
				entityGuid: 'guid-1',
				type: 'create-individual',
				data: { givenName: 'Amina', familyName: 'Diallo', sex: 'female', dateOfBirth: '1988-04-12', phone: '+221 77 000 00 00' },
				timestamp: '2026-11-23T09:30:00.000Z',
				userId: 'worker-7',
				version: 1
			});
			expect(isValidEvent(event)).toBe(true);
		});

		it('leaves out optional fields that are empty', () => {
			const [event] = decide({ ...amina, phone: '', notes: '   ' }, new Map(), fixedEnv());
			expect(event!.data).not.toHaveProperty('phone');
			expect(event!.data).not.toHaveProperty('notes');
		});

		it('accepts every optional field', () => {
			const [event] = decide({ ...amina, phone: '771234567', nationalId: 'SN-1988/04.12', address: 'Kébémer', notes: 'Met at the clinic.' }, new Map(), fixedEnv());
			expect(event!.data).toMatchObject({ phone: '771234567', nationalId: 'SN-1988/04.12', address: 'Kébémer', notes: 'Met at the clinic.' });
		});

		it.each([
			['givenName', '', 'Given name is required.'],
			['givenName', undefined, 'Given name is required.'],
			['givenName', 42, 'Given name must be text.'],
			['givenName', 'x'.repeat(101), 'Given name must be at most 100 characters.'],
			['familyName', '  ', 'Family name is required.'],
			['sex', 'F', 'Sex must be one of female, male, other, unknown.'],
			['sex', '', 'Sex is required.'],
			['dateOfBirth', '12/04/1988', 'Date of birth must be a real date written YYYY-MM-DD, such as 1988-04-12.'],
			['dateOfBirth', '1988-02-30', 'Date of birth must be a real date written YYYY-MM-DD, such as 1988-04-12.'],
			['dateOfBirth', '2026-11-25', 'Date of birth cannot be in the future.'],
			['dateOfBirth', '1850-01-01', 'Date of birth cannot be more than 150 years ago.'],
			['phone', '77-000-0000', 'Phone may contain only digits, spaces and a leading +.'],
			['phone', '77+0000000', 'Phone may contain only digits, spaces and a leading +.'],
			['phone', '+221', 'Phone must have between 6 and 15 digits.'],
			['phone', '1234567890123456', 'Phone must have between 6 and 15 digits.'],
			['nationalId', '#123', 'National id may contain only letters, digits, spaces, dots, slashes and hyphens.'],
			['address', 'x'.repeat(501), 'Address must be at most 500 characters.'],
			['notes', 'x'.repeat(2001), 'Notes must be at most 2000 characters.']
		])('refuses %s = %j: "%s"', (field, value, sentence) => {
			const fields = fieldsOf({ ...amina, [field]: value } as Command);
			expect(fields).toEqual({ [field]: sentence });
		});

		it('accepts a birth today, even in the furthest time zone ahead of UTC', () => {
			// 23 November 21:00 UTC is already 24 November in UTC+14.
			const env = fixedEnv({ now: () => new Date('2026-11-23T21:00:00.000Z') });
			expect(() => decide({ ...amina, dateOfBirth: '2026-11-24' }, new Map(), env)).not.toThrow();
			expect(() => decide({ ...amina, dateOfBirth: '2026-11-25' }, new Map(), env)).toThrow(CasetrailError);
		});

		it('reports every bad field at once, one sentence each, and joins them in the message', () => {
			const error = failure(() => decide({ type: 'register-individual', givenName: '', familyName: 'D', sex: 'x', dateOfBirth: 'soon' }, new Map(), fixedEnv()));
			expect(Object.keys(error.fields!)).toEqual(['givenName', 'sex', 'dateOfBirth']);
			expect(error.message).toBe(Object.values(error.fields!).join(' '));
		});

		it('refuses fields it does not know rather than dropping them', () => {
			expect(fieldsOf({ ...amina, gender: 'female' } as Command)).toEqual({ gender: 'gender is not a field of an individual.' });
		});
	});

	describe('enrichment', () => {
		it('copies metadata and context from env, and puts the reason in context.reason', () => {
			const world = new World({
				metadata: { deviceId: 'dev-1', appVersion: '0.1.0', location: { latitude: 15.4, longitude: -16.4 } },
				context: { source: 'mobile-app', sessionId: 's-1', correlationId: 'c-1' }
			});
			const guid = world.create(amina);
			const [event] = world.run({ type: 'delete-entity', entityGuid: guid, reason: 'registered twice' });
			expect(event!.metadata).toEqual({ deviceId: 'dev-1', appVersion: '0.1.0', location: { latitude: 15.4, longitude: -16.4 } });
			expect(event!.context).toEqual({ source: 'mobile-app', sessionId: 's-1', correlationId: 'c-1', reason: 'registered twice' });
			expect(event!.metadata).not.toBe(world.env.metadata);
		});

		it('omits metadata and context when there are none', () => {
			const [event] = decide(amina, new Map(), fixedEnv());
			expect(event).not.toHaveProperty('metadata');
			expect(event).not.toHaveProperty('context');
		});

		it('refuses to make an event without a user', () => {
			expect(failure(() => decide(amina, new Map(), fixedEnv({ userId: '' }))).code).toBe('invalid-event');
		});

		it('refuses an invalid clock', () => {
			expect(failure(() => decide(amina, new Map(), fixedEnv({ now: () => new Date(Number.NaN) }))).code).toBe('invalid-event');
		});
	});

	describe('create-group', () => {
		it('emits create-group at version 1', () => {
			const [event] = decide({ type: 'create-group', name: 'Diallo household', address: 'Kébémer' }, new Map(), fixedEnv());
			expect(event).toMatchObject({ type: 'create-group', entityGuid: 'guid-1', data: { name: 'Diallo household', address: 'Kébémer' }, version: 1 });
		});

		it('requires a name', () => {
			expect(fieldsOf({ type: 'create-group', name: ' ' })).toEqual({ name: 'Name is required.' });
		});
	});

	describe('update-entity', () => {
		it('puts only the fields that changed in update-individual, with the reason in context', () => {
			const world = new World();
			const guid = world.create({ ...amina, phone: '771234567' });
			const [event] = world.run({
				type: 'update-entity',
				entityGuid: guid,
				changes: { givenName: 'Amina', phone: '+221 77 000 00 00', address: 'Kébémer' },
				reason: 'phone collected at visit'
			});
			expect(event).toMatchObject({ type: 'update-individual', entityGuid: guid, data: { phone: '+221 77 000 00 00', address: 'Kébémer' }, version: 1, context: { reason: 'phone collected at visit' } });
			expect(Object.keys(event!.data)).toEqual(['phone', 'address']);
		});

		it('removes an optional field with null (or an empty value) and ignores removing an absent one', () => {
			const world = new World();
			const guid = world.create({ ...amina, phone: '771234567' });
			const [event] = world.run({ type: 'update-entity', entityGuid: guid, changes: { phone: '', notes: null }, reason: 'number no longer in use' });
			expect(event!.data).toEqual({ phone: null });
			expect(world.entities.get(guid)!.data).not.toHaveProperty('phone');
		});

		it('emits update-group for a group, checked against the group fields', () => {
			const world = new World();
			const guid = world.create({ type: 'create-group', name: 'H' });
			expect(world.run({ type: 'update-entity', entityGuid: guid, changes: { name: 'Diallo household' }, reason: 'typo' })[0]).toMatchObject({ type: 'update-group', data: { name: 'Diallo household' } });
			expect(fieldsOf({ type: 'update-entity', entityGuid: guid, changes: { givenName: 'x' }, reason: 'r' }, world)).toEqual({ givenName: 'givenName is not a field of a group.' });
		});

		it('refuses a change that changes nothing', () => {
			const world = new World();
			const guid = world.create(amina);
			expect(fieldsOf({ type: 'update-entity', entityGuid: guid, changes: { givenName: ' Amina ' }, reason: 'r' }, world)).toEqual({ changes: 'Nothing to change: every value is the same as now.' });
			expect(fieldsOf({ type: 'update-entity', entityGuid: guid, changes: {}, reason: 'r' }, world)).toHaveProperty('changes');
		});

		it('refuses to remove a required field and checks new values like registration does', () => {
			const world = new World();
			const guid = world.create(amina);
			expect(fieldsOf({ type: 'update-entity', entityGuid: guid, changes: { familyName: null, sex: 'F', phone: 'abc' }, reason: 'r' }, world)).toEqual({
				familyName: 'Family name is required.',
				sex: 'Sex must be one of female, male, other, unknown.',
				phone: 'Phone may contain only digits, spaces and a leading +.'
			});
		});

		it('requires a reason, an entity guid and an object of changes', () => {
			const world = new World();
			const guid = world.create(amina);
			expect(fieldsOf({ type: 'update-entity', entityGuid: guid, changes: { phone: '771234567' }, reason: ' ' }, world)).toEqual({ reason: 'Reason is required.' });
			expect(fieldsOf({ type: 'update-entity', entityGuid: '', changes: [] as never, reason: 'r' }, world)).toEqual({
				entityGuid: 'Id is required.',
				changes: 'Changes must be an object of field names and values.'
			});
		});

		it('refuses a missing entity with not-found, a deleted one and a custom-typed one with validation-failed', () => {
			const world = new World();
			expect(failure(() => world.run({ type: 'update-entity', entityGuid: 'nobody', changes: { phone: '771234567' }, reason: 'r' })).code).toBe('not-found');
			const guid = world.create(amina);
			world.run({ type: 'delete-entity', entityGuid: guid, reason: 'duplicate' });
			expect(fieldsOf({ type: 'update-entity', entityGuid: guid, changes: { phone: '771234567' }, reason: 'r' }, world)).toEqual({ entityGuid: `${guid} is deleted; it cannot be changed.` });
			const custom = new Map([['c-1', { guid: 'c-1', type: 'farm', data: {}, deleted: false, version: 1, createdAt: 't', lastUpdated: 't' }]]);
			const error = failure(() => decide({ type: 'update-entity', entityGuid: 'c-1', changes: { a: 'b' }, reason: 'r' }, custom, fixedEnv()));
			expect(error.fields).toEqual({ entityGuid: 'c-1 is a farm; only individuals and groups can be edited.' });
		});
	});

	describe('add-member and remove-member', () => {
		function household(): { world: World; group: string; head: string; child: string } {
			const world = new World();
			const head = world.create(amina);
			const child = world.create({ ...amina, givenName: 'Moussa', dateOfBirth: '2015-09-30', sex: 'male' });
			const group = world.create({ type: 'create-group', name: 'Diallo household' });
			return { world, group, head, child };
		}

		it('adds members with their role and removes them with a reason', () => {
			const { world, group, head, child } = household();
			expect(world.run({ type: 'add-member', groupGuid: group, memberGuid: head, role: 'head' })[0]).toMatchObject({ type: 'add-member', entityGuid: group, data: { memberGuid: head, role: 'head' } });
			world.run({ type: 'add-member', groupGuid: group, memberGuid: child, role: 'child' });
			const [removed] = world.run({ type: 'remove-member', groupGuid: group, memberGuid: child, reason: 'moved to relatives' });
			expect(removed).toMatchObject({ type: 'remove-member', data: { memberGuid: child }, context: { reason: 'moved to relatives' } });
			expect(world.entities.get(group)!.members).toEqual([{ guid: head, role: 'head' }]);
		});

		it('changes the role of a present member', () => {
			const { world, group, child } = household();
			world.run({ type: 'add-member', groupGuid: group, memberGuid: child, role: 'child' });
			world.run({ type: 'add-member', groupGuid: group, memberGuid: child, role: 'other' });
			expect(world.entities.get(group)!.members).toEqual([{ guid: child, role: 'other' }]);
		});

		it.each([
			[{ role: 'cousin' }, { role: 'Role must be one of head, spouse, child, other.' }],
			[{ role: '' }, { role: 'Role is required.' }],
			[{ memberGuid: '' }, { memberGuid: 'Id is required.' }],
			[{ groupGuid: '' }, { groupGuid: 'Id is required.' }]
		])('refuses %j', (change, fields) => {
			const { world, group, head } = household();
			expect(fieldsOf({ type: 'add-member', groupGuid: group, memberGuid: head, role: 'head', ...change }, world)).toEqual(fields);
		});

		it('refuses the same member with the same role, a second head, and a group inside itself', () => {
			const { world, group, head, child } = household();
			world.run({ type: 'add-member', groupGuid: group, memberGuid: head, role: 'head' });
			expect(fieldsOf({ type: 'add-member', groupGuid: group, memberGuid: head, role: 'head' }, world)).toEqual({ memberGuid: `${head} is already a member of this group as head.` });
			expect(fieldsOf({ type: 'add-member', groupGuid: group, memberGuid: child, role: 'head' }, world)).toHaveProperty('role');
			expect(fieldsOf({ type: 'add-member', groupGuid: group, memberGuid: group, role: 'other' }, world)).toEqual({ memberGuid: 'A group cannot be a member of itself.' });
		});

		it('refuses a new member for a group of 1,000 members, the most a bundle may give a group, and still changes the role of a present member', () => {
			const { world, group, head, child } = household();
			world.run({ type: 'add-member', groupGuid: group, memberGuid: child, role: 'child' });
			const full = world.entities.get(group)!;
			world.entities.set(group, { ...full, members: [...full.members!, ...Array.from({ length: 999 }, (_, i) => ({ guid: `p-${i}`, role: 'other' }))] });
			expect(fieldsOf({ type: 'add-member', groupGuid: group, memberGuid: head, role: 'head' }, world)).toEqual({ memberGuid: 'This group already has 1,000 members, the most a group may have.' });
			expect(world.run({ type: 'add-member', groupGuid: group, memberGuid: child, role: 'other' })).toHaveLength(1);
		});

		it('refuses missing entities with not-found and wrong types with validation-failed', () => {
			const { world, group, head } = household();
			expect(failure(() => world.run({ type: 'add-member', groupGuid: 'nobody', memberGuid: head, role: 'head' })).code).toBe('not-found');
			expect(failure(() => world.run({ type: 'add-member', groupGuid: group, memberGuid: 'nobody', role: 'head' })).code).toBe('not-found');
			expect(fieldsOf({ type: 'add-member', groupGuid: head, memberGuid: group, role: 'head' }, world)).toEqual({ groupGuid: `${head} is an individual, not a group.` });
			expect(fieldsOf({ type: 'add-member', groupGuid: group, memberGuid: world.create({ type: 'create-group', name: 'G2' }), role: 'head' }, world)).toHaveProperty('memberGuid');
		});

		it('refuses a deleted member or group', () => {
			const { world, group, head, child } = household();
			world.run({ type: 'delete-entity', entityGuid: head, reason: 'duplicate' });
			expect(fieldsOf({ type: 'add-member', groupGuid: group, memberGuid: head, role: 'head' }, world)).toEqual({ memberGuid: `${head} is deleted; it cannot be changed.` });
			world.run({ type: 'delete-entity', entityGuid: group, reason: 'duplicate' });
			expect(fieldsOf({ type: 'add-member', groupGuid: group, memberGuid: child, role: 'child' }, world)).toHaveProperty('groupGuid');
		});

		it('refuses to remove someone who is not a member, or without a reason', () => {
			const { world, group, head } = household();
			expect(fieldsOf({ type: 'remove-member', groupGuid: group, memberGuid: head, reason: 'r' }, world)).toEqual({ memberGuid: `${head} is not a member of this group.` });
			world.run({ type: 'add-member', groupGuid: group, memberGuid: head, role: 'head' });
			expect(fieldsOf({ type: 'remove-member', groupGuid: group, memberGuid: head, reason: '' }, world)).toEqual({ reason: 'Reason is required.' });
			expect(failure(() => world.run({ type: 'remove-member', groupGuid: 'nobody', memberGuid: head, reason: 'r' })).code).toBe('not-found');
		});
	});

	describe('delete-entity', () => {
		it('emits delete-entity with empty data and the reason in context', () => {
			const world = new World();
			const guid = world.create(amina);
			expect(world.run({ type: 'delete-entity', entityGuid: guid, reason: 'registered twice' })[0]).toMatchObject({ type: 'delete-entity', data: {}, context: { reason: 'registered twice' } });
		});

		it('requires a reason, an existing entity, and one not already deleted', () => {
			const world = new World();
			const guid = world.create(amina);
			expect(fieldsOf({ type: 'delete-entity', entityGuid: guid, reason: '' }, world)).toEqual({ reason: 'Reason is required.' });
			expect(failure(() => world.run({ type: 'delete-entity', entityGuid: 'nobody', reason: 'r' })).code).toBe('not-found');
			world.run({ type: 'delete-entity', entityGuid: guid, reason: 'r' });
			expect(fieldsOf({ type: 'delete-entity', entityGuid: guid, reason: 'r' }, world)).toEqual({ entityGuid: `${guid} is already deleted.` });
		});
	});

	describe('assign-case-worker', () => {
		it('emits assign-case-worker at its current version 3, assignedAt now, with an optional reason', () => {
			const world = new World();
			const guid = world.create(amina);
			const [event] = world.run({ type: 'assign-case-worker', entityGuid: guid, caseWorkerId: 'cw-3' });
			expect(event).toMatchObject({ type: 'assign-case-worker', data: { caseWorkerId: 'cw-3', assignedAt: event!.timestamp }, version: 3 });
			expect(createRegistry().upcasters.currentVersion('assign-case-worker')).toBe(3);
			expect(world.entities.get(guid)).toMatchObject({ caseWorker: 'cw-3', assignmentDate: event!.timestamp });
			expect(world.run({ type: 'assign-case-worker', entityGuid: guid, caseWorkerId: 'cw-4', reason: 'cw-3 left' })[0]!.context).toEqual({ reason: 'cw-3 left' });
		});

		it('records an assignment that took effect earlier with assignedAt, as given', () => {
			const world = new World();
			const guid = world.create(amina);
			const [event] = world.run({ type: 'assign-case-worker', entityGuid: guid, caseWorkerId: 'cw-3', assignedAt: ' 2026-10-30T14:00:00.123456Z ' });
			expect(event!.data).toEqual({ caseWorkerId: 'cw-3', assignedAt: '2026-10-30T14:00:00.123456Z' });
			expect(world.entities.get(guid)).toMatchObject({ caseWorker: 'cw-3', assignmentDate: '2026-10-30T14:00:00.123456Z' });
		});

		it('refuses an assignedAt that is not a UTC instant or is in the future, and a misspelt field', () => {
			const world = new World();
			const guid = world.create(amina);
			const base = { type: 'assign-case-worker', entityGuid: guid, caseWorkerId: 'cw-3' } as const;
			expect(fieldsOf({ ...base, assignedAt: '2026-10-30' }, world)).toEqual({ assignedAt: 'Assigned at must be an ISO 8601 UTC instant such as 2026-11-23T09:30:00.000Z.' });
			expect(fieldsOf({ ...base, assignedAt: '2026-10-30T15:00:00+01:00' }, world)).toEqual({ assignedAt: 'Assigned at must be an ISO 8601 UTC instant such as 2026-11-23T09:30:00.000Z.' });
			expect(fieldsOf({ ...base, assignedAt: '2099-01-01T00:00:00Z' }, world)).toEqual({ assignedAt: 'Assigned at cannot be in the future.' });
			expect(fieldsOf({ ...base, assignedOn: '2026-10-30T14:00:00Z' } as unknown as Command, world)).toEqual({ assignedOn: 'assignedOn is not a field of a case worker assignment.' });
		});

		it('refuses the current case worker again, an empty one, and a missing entity', () => {
			const world = new World();
			const guid = world.create(amina);
			world.run({ type: 'assign-case-worker', entityGuid: guid, caseWorkerId: 'cw-3' });
			expect(fieldsOf({ type: 'assign-case-worker', entityGuid: guid, caseWorkerId: 'cw-3' }, world)).toEqual({ caseWorkerId: 'cw-3 is already the case worker.' });
			expect(fieldsOf({ type: 'assign-case-worker', entityGuid: guid, caseWorkerId: '' }, world)).toEqual({ caseWorkerId: 'Case worker is required.' });
			expect(failure(() => world.run({ type: 'assign-case-worker', entityGuid: 'nobody', caseWorkerId: 'cw' })).code).toBe('not-found');
		});
	});

	it('writes every built-in event at version 1 and assign-case-worker at version 3', () => {
		const world = new World();
		const person = world.create(amina);
		const group = world.create({ type: 'create-group', name: 'Diallo household' });
		world.run({ type: 'add-member', groupGuid: group, memberGuid: person, role: 'head' });
		world.run({ type: 'update-entity', entityGuid: group, changes: { address: 'Kébémer' }, reason: 'r' });
		world.run({ type: 'update-entity', entityGuid: person, changes: { phone: '771234567' }, reason: 'r' });
		world.run({ type: 'assign-case-worker', entityGuid: group, caseWorkerId: 'cw-3' });
		world.run({ type: 'remove-member', groupGuid: group, memberGuid: person, reason: 'r' });
		world.run({ type: 'delete-entity', entityGuid: person, reason: 'r' });
		expect(world.log.map((e) => [e.type, e.version])).toEqual([
			['create-individual', 1],
			['create-group', 1],
			['add-member', 1],
			['update-group', 1],
			['update-individual', 1],
			['assign-case-worker', 3],
			['remove-member', 1],
			['delete-entity', 1]
		]);
	});

	it('refuses a command it does not know with unknown-command', () => {
		expect(failure(() => decide({ type: 'merge-entities' } as unknown as Command, new Map(), fixedEnv())).code).toBe('unknown-command');
		expect(failure(() => decide(null as unknown as Command, new Map(), fixedEnv())).code).toBe('unknown-command');
	});
});
