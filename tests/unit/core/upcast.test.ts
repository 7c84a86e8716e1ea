import { describe, expect, it } from 'vitest';
import { CURRENT_VERSIONS, UpcasterRegistry, createUpcasters, currentVersion } from '../../../src/lib/core/upcast';
import type { CasetrailEvent } from '../../../src/lib/core/event';
import { ev } from './fixtures';

const upcasters = createUpcasters();

function v1(data: Record<string, unknown>, type = 'create-individual'): CasetrailEvent {
	return ev({ type, entityGuid: 'p-1', data, version: 1 });
}

describe('createUpcasters', () => {
	it('reads each built-in type at its current version', () => {
		for (const [type, version] of Object.entries(CURRENT_VERSIONS)) expect(upcasters.currentVersion(type)).toBe(version);
		expect(upcasters.currentVersion('create-group')).toBe(1);
		expect(currentVersion('create-group')).toBe(1);
		expect(currentVersion('create-individual')).toBe(3);
	});

	it('chains v1 -> v2 -> v3: the seed vector individual becomes givenName, familyName, dateOfBirth and a spelled-out sex', () => {
		const event = v1({ name: 'Amina Diallo', birthDate: '1988-04-12', sex: 'F' });
		const read = upcasters.upcast(event);
		expect(read.version).toBe(3);
		expect(read.data).toEqual({ givenName: 'Amina', familyName: 'Diallo', dateOfBirth: '1988-04-12', sex: 'female' });
	});

	it('never changes the stored event: it returns a new object', () => {
		const event = v1({ name: 'Amina Diallo', birthDate: '1988-04-12', sex: 'F' });
		const before = structuredClone(event);
		const read = upcasters.upcast(event);
		expect(read).not.toBe(event);
		expect(event).toEqual(before);
	});

	it('returns an event already at the current version as it is', () => {
		const event = ev({ type: 'create-individual', entityGuid: 'p-1', data: { givenName: 'A' }, version: 3 });
		expect(upcasters.upcast(event)).toBe(event);
		const group = ev({ type: 'create-group', entityGuid: 'g-1', data: { name: 'H' } });
		expect(upcasters.upcast(group)).toBe(group);
	});

	it('reads an event without a version as version 1', () => {
		const event = ev({ type: 'update-individual', entityGuid: 'p-1', data: { name: 'Moussa Diallo' } });
		expect(upcasters.upcast(event).data).toEqual({ givenName: 'Moussa', familyName: 'Diallo' });
	});

	it('starts a v2 event at the v2 -> v3 step', () => {
		const event = ev({ type: 'create-individual', entityGuid: 'p-1', data: { givenName: 'A', familyName: 'B', birthDate: '2001-01-01', sex: 'm' }, version: 2 });
		expect(upcasters.upcast(event).data).toEqual({ givenName: 'A', familyName: 'B', dateOfBirth: '2001-01-01', sex: 'male' });
	});

	it('keeps context, metadata and identity members through the chain', () => {
		const event = { ...v1({ name: 'A B' }, 'update-individual'), context: { reason: 'r' }, metadata: { deviceId: 'd' } };
		const read = upcasters.upcast(event);
		expect(read).toMatchObject({ guid: event.guid, entityGuid: 'p-1', type: 'update-individual', timestamp: event.timestamp, userId: event.userId, context: { reason: 'r' }, metadata: { deviceId: 'd' } });
	});

	describe('splitting name (v1 -> v2)', () => {
		it.each([
			['Amina Diallo', { givenName: 'Amina', familyName: 'Diallo' }],
			['Mary  Jane Smith ', { givenName: 'Mary Jane', familyName: 'Smith' }],
			['Madonna', { givenName: 'Madonna' }],
			['   ', {}]
		])('splits %j as the last word for the family name', (name, expected) => {
			expect(upcasters.upcast(v1({ name })).data).toEqual(expected);
		});

		it('turns a removed name (null) into removed given and family names', () => {
			expect(upcasters.upcast(v1({ name: null }, 'update-individual')).data).toEqual({ givenName: null, familyName: null });
		});

		it('keeps given and family names the event already has', () => {
			expect(upcasters.upcast(v1({ name: 'X Y', givenName: 'Amina' })).data).toEqual({ givenName: 'Amina', familyName: 'Y' });
		});

		it('leaves a name that is not text where it was', () => {
			expect(upcasters.upcast(v1({ name: 42 })).data).toEqual({ name: 42 });
		});
	});

	describe('renaming birthDate and spelling sex (v2 -> v3)', () => {
		it.each([
			['F', 'female'],
			['m', 'male'],
			['O', 'other'],
			['u', 'unknown'],
			['female', 'female'],
			['X', 'X']
		])('reads sex %s as %s', (sex, expected) => {
			expect(upcasters.upcast(v1({ sex })).data.sex).toBe(expected);
		});

		it('prefers an existing dateOfBirth over birthDate', () => {
			expect(upcasters.upcast(v1({ birthDate: '2000-01-01', dateOfBirth: '2001-01-01' })).data).toEqual({ dateOfBirth: '2001-01-01' });
		});

		it('carries a removed birthDate (null) over as a removed dateOfBirth', () => {
			expect(upcasters.upcast(v1({ birthDate: null }, 'update-individual')).data).toEqual({ dateOfBirth: null });
		});
	});
});

describe('UpcasterRegistry', () => {
	it('rejects an event newer than it can read', () => {
		const event = ev({ type: 'create-individual', entityGuid: 'p-1', version: 4 });
		expect(() => upcasters.upcast(event)).toThrow(/version 4; this build reads up to version 3/);
	});

	it('rejects a chain with a missing step', () => {
		const registry = new UpcasterRegistry().register('t', 2, (e) => e);
		expect(() => registry.upcast(ev({ type: 't', entityGuid: 'x', version: 1 }))).toThrow(/No upcaster reads t version 1/);
	});

	it('reports a step that throws', () => {
		const registry = new UpcasterRegistry().register('t', 1, () => {
			throw new Error('boom');
		});
		expect(() => registry.upcast(ev({ type: 't', entityGuid: 'x' }))).toThrow(expect.objectContaining({ code: 'invalid-event', message: expect.stringContaining('boom') }));
	});

	it.each(['guid', 'entityGuid', 'type', 'timestamp', 'userId'])('refuses a step that changes the event %s', (member) => {
		const registry = new UpcasterRegistry().register('t', 1, (e) => ({ ...e, [member]: 'changed' }));
		expect(() => registry.upcast(ev({ type: 't', entityGuid: 'x' }))).toThrow(new RegExp(`changed the event's ${member}`));
	});

	it('sets the version after each step, whatever the step returns', () => {
		const seen: (number | undefined)[] = [];
		const registry = new UpcasterRegistry()
			.register('t', 1, (e) => (seen.push(e.version), { ...e, version: 99 }))
			.register('t', 2, (e) => (seen.push(e.version), e));
		expect(registry.upcast(ev({ type: 't', entityGuid: 'x' })).version).toBe(3);
		expect(seen).toEqual([undefined, 2]);
	});

	it('rejects a second step for the same type and version, and versions below 1', () => {
		const registry = new UpcasterRegistry().register('t', 1, (e) => e);
		expect(() => registry.register('t', 1, (e) => e)).toThrow(expect.objectContaining({ code: 'validation-failed' }));
		expect(() => registry.register('t', 0, (e) => e)).toThrow(expect.objectContaining({ code: 'validation-failed' }));
		expect(() => registry.register('t', 1.5, (e) => e)).toThrow(expect.objectContaining({ code: 'validation-failed' }));
	});
});
