import { describe, expect, it } from 'vitest';
import { createRegistry, evolve, type Entity } from '../../../../src/lib/core/appliers';
import type { CasetrailEvent } from '../../../../src/lib/core/event';

const registry = createRegistry();

function ev(type: string, timestamp: string, data: Record<string, unknown> = {}): CasetrailEvent {
	return { guid: `g-${timestamp}`, entityGuid: 'e1', type, data, timestamp, userId: 'u1' };
}

const person: Entity = { guid: 'e1', type: 'individual', data: { givenName: 'Amina' }, deleted: false, version: 1, createdAt: '2026-01-01T00:00:00Z', lastUpdated: '2026-01-01T00:00:00Z' };

describe('visit-recorded', () => {
	it('counts visits and keeps the last one\'s instant; the answers stay in the event', () => {
		const first = evolve(person, ev('visit-recorded', '2026-02-01T10:00:00Z', { seen: 'yes' }), registry);
		expect(first.applied && first.entity.data).toEqual({ givenName: 'Amina', visitCount: 1, lastVisitAt: '2026-02-01T10:00:00Z' });
		const second = evolve(first.entity, ev('visit-recorded', '2026-03-01T10:00:00Z'), registry);
		expect(second.applied && second.entity.data).toMatchObject({ visitCount: 2, lastVisitAt: '2026-03-01T10:00:00Z' });
	});

	it('is skipped with entity-missing before the record exists', () => {
		const result = evolve(undefined, ev('visit-recorded', '2026-02-01T10:00:00Z'), registry);
		expect(result).toMatchObject({ applied: false, reason: 'entity-missing' });
	});
});

describe('assistance-provided', () => {
	it('counts assistance separately from visits', () => {
		const result = evolve(person, ev('assistance-provided', '2026-02-01T10:00:00Z', { kind: 'food' }), registry);
		expect(result.applied && result.entity.data).toEqual({ givenName: 'Amina', assistanceCount: 1, lastAssistanceAt: '2026-02-01T10:00:00Z' });
	});
});
