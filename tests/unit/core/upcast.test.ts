import { describe, expect, it } from 'vitest';
import { BUILTIN_TYPES, addAssignedAt, createRegistry, renameCaseWorker } from '../../../src/lib/core/appliers';
import type { CasetrailEvent } from '../../../src/lib/core/event';
import { UpcasterRegistry } from '../../../src/lib/core/upcast';
import { ev } from './fixtures';

const upcasters = createRegistry().upcasters;
const T = '2026-11-02T08:10:00.000Z';

function assign(version: number | undefined, data: Record<string, unknown>): CasetrailEvent {
	return ev({ type: 'assign-case-worker', entityGuid: 'p-1', data, timestamp: T, ...(version !== undefined && { version }) });
}

describe('the shipped upcasters', () => {
	it('read assign-case-worker at version 3 and every built-in type at version 1', () => {
		expect(upcasters.currentVersion('assign-case-worker')).toBe(3);
		for (const type of BUILTIN_TYPES) expect(upcasters.currentVersion(type)).toBe(1);
	});

	it.each([1, 2, 3, 4, 99, undefined])('leave a built-in event at version %s exactly as recorded (the same object)', (version) => {
		// The valid-full vector's individual: spec/projection.md projects these fields as they are.
		const event = ev({ type: 'create-individual', entityGuid: 'p-1', data: { name: 'Amina Diallo', birthDate: '1988-04-12', sex: 'F' }, ...(version !== undefined && { version }) });
		const before = structuredClone(event);
		expect(upcasters.upcast(event)).toBe(event);
		expect(event).toEqual(before);
	});

	it('leave every built-in type alone, whatever its version', () => {
		for (const type of BUILTIN_TYPES) {
			const event = ev({ type, entityGuid: 'x', data: { name: 'A B', caseWorker: 'cw', date: T }, version: 2 });
			expect(upcasters.upcast(event)).toBe(event);
		}
	});

	describe('assign-case-worker', () => {
		it('chains v1 -> v2 -> v3: caseWorker becomes caseWorkerId, and assignedAt is the event timestamp', () => {
			const read = upcasters.upcast(assign(1, { caseWorker: 'cw-3' }));
			expect(read.version).toBe(3);
			expect(read.data).toEqual({ caseWorkerId: 'cw-3', assignedAt: T });
		});

		it('reads an event without a version as version 1', () => {
			expect(upcasters.upcast(assign(undefined, { caseWorker: 'cw-3' }))).toMatchObject({ version: 3, data: { caseWorkerId: 'cw-3', assignedAt: T } });
		});

		it('starts a v2 event at the v2 -> v3 step, taking assignedAt from its date', () => {
			const read = upcasters.upcast(assign(2, { caseWorkerId: 'cw-3', date: '2026-10-30T14:00:00Z' }));
			expect(read).toMatchObject({ version: 3, data: { caseWorkerId: 'cw-3', assignedAt: '2026-10-30T14:00:00Z' } });
			expect(read.data).not.toHaveProperty('date');
		});

		it('gives v1, v2 and v3 events that mean the same assignment the same v3 data', () => {
			const v3 = { caseWorkerId: 'cw-3', assignedAt: T };
			for (const event of [assign(1, { caseWorker: 'cw-3' }), assign(2, { caseWorkerId: 'cw-3' }), assign(2, { caseWorkerId: 'cw-3', date: T }), assign(3, v3)]) {
				expect(upcasters.upcast(event).data).toEqual(v3);
			}
		});

		it('returns a v3 event as it is', () => {
			const event = assign(3, { caseWorkerId: 'cw-3', assignedAt: T });
			expect(upcasters.upcast(event)).toBe(event);
		});

		it('reads the version 1 events earlier builds wrote ({caseWorkerId}) as they always read', () => {
			expect(upcasters.upcast(assign(1, { caseWorkerId: 'cw-3' })).data).toEqual({ caseWorkerId: 'cw-3', assignedAt: T });
			expect(upcasters.upcast(assign(1, { caseWorkerId: 'cw-3', caseWorker: 'cw-old' })).data).toEqual({ caseWorkerId: 'cw-3', assignedAt: T });
		});

		it('never changes the stored event: each version gives a new object and leaves the original equal to before', () => {
			for (const event of [assign(1, { caseWorker: 'cw-3' }), assign(2, { caseWorkerId: 'cw-3', date: '2026-10-30T14:00:00Z' })]) {
				const before = structuredClone(event);
				const read = upcasters.upcast(event);
				expect(read).not.toBe(event);
				expect(read.data).not.toBe(event.data);
				expect(event).toEqual(before);
			}
		});

		it('keeps context, metadata, extra members and identity through the chain', () => {
			const event = { ...assign(1, { caseWorker: 'cw-3' }), context: { reason: 'r' }, metadata: { deviceId: 'd' }, extra: [1] };
			expect(upcasters.upcast(event)).toEqual({ ...event, version: 3, data: { caseWorkerId: 'cw-3', assignedAt: T } });
		});

		it('carries a v2 date that is not an instant over as it is, for the applier to report', () => {
			expect(upcasters.upcast(assign(2, { caseWorkerId: 'cw-3', date: 'last Tuesday' })).data).toEqual({ caseWorkerId: 'cw-3', assignedAt: 'last Tuesday' });
		});

		it('rejects a version newer than this build reads', () => {
			expect(() => upcasters.upcast(assign(4, { caseWorkerId: 'cw-3', assignedAt: T }))).toThrow(/version 4; this build reads up to version 3/);
		});
	});

	describe('the steps on their own', () => {
		it('renameCaseWorker leaves an event without caseWorker as the same object', () => {
			const event = assign(1, { caseWorkerId: 'cw-3' });
			expect(renameCaseWorker(event)).toBe(event);
		});

		it('addAssignedAt uses the timestamp when the v2 date is null or absent', () => {
			expect(addAssignedAt(assign(2, { caseWorkerId: 'cw', date: null })).data).toEqual({ caseWorkerId: 'cw', assignedAt: T });
			expect(addAssignedAt(assign(2, { caseWorkerId: 'cw' })).data).toEqual({ caseWorkerId: 'cw', assignedAt: T });
		});
	});
});

describe('UpcasterRegistry', () => {
	it.each([...BUILTIN_TYPES])('refuses an upcaster for the built-in type %s', (type) => {
		expect(() => new UpcasterRegistry().register(type, 1, (e) => e)).toThrow(
			expect.objectContaining({ code: 'validation-failed', message: expect.stringContaining('spec/projection.md') })
		);
	});

	it('rejects a chain with a missing step', () => {
		const registry = new UpcasterRegistry().register('t', 2, (e) => e);
		expect(() => registry.upcast(ev({ type: 't', entityGuid: 'x', version: 1 }))).toThrow(/No upcaster reads t version 1/);
	});

	it('rejects an event of a type without steps at a version above 1', () => {
		expect(() => new UpcasterRegistry().upcast(ev({ type: 't', entityGuid: 'x', version: 2 }))).toThrow(expect.objectContaining({ code: 'invalid-event' }));
	});

	it('reports a step that throws', () => {
		const registry = new UpcasterRegistry().register('t', 1, () => {
			throw new Error('boom');
		});
		expect(() => registry.upcast(ev({ type: 't', entityGuid: 'x' }))).toThrow(expect.objectContaining({ code: 'invalid-event', message: expect.stringContaining('boom') }));
	});

	it.each([undefined, null, 'event', { data: 'x' }])('reports a step that returns %j instead of an event', (out) => {
		const registry = new UpcasterRegistry().register('t', 1, () => out as never);
		expect(() => registry.upcast(ev({ type: 't', entityGuid: 'x' }))).toThrow(expect.objectContaining({ code: 'invalid-event', message: expect.stringContaining('not an event') }));
	});

	it.each(['guid', 'entityGuid', 'type', 'timestamp', 'userId'])('refuses a step that changes the event %s', (member) => {
		const registry = new UpcasterRegistry().register('t', 1, (e) => ({ ...e, [member]: 'changed' }));
		expect(() => registry.upcast(ev({ type: 't', entityGuid: 'x' }))).toThrow(new RegExp(`changed the event's ${member}`));
	});

	it('keeps the stored event unchanged even when a step changes its argument in place', () => {
		const registry = new UpcasterRegistry().register('t', 1, (e) => {
			e.data.touched = true;
			delete e.data.old;
			return e;
		});
		const event = ev({ type: 't', entityGuid: 'x', data: { old: 1 } });
		const before = structuredClone(event);
		expect(registry.upcast(event).data).toEqual({ touched: true });
		expect(event).toEqual(before);
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
