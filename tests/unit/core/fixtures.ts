/** Shared builders for the event-core tests: events with sensible defaults, and a fixed environment. */
import type { CommandEnv } from '../../../src/lib/core/commands';
import type { CasetrailEvent } from '../../../src/lib/core/event';

let counter = 0;

/** A valid event; override any member. Guids count up so tests read in order. */
export function ev(overrides: Partial<CasetrailEvent> & Pick<CasetrailEvent, 'type' | 'entityGuid'>): CasetrailEvent {
	counter += 1;
	return {
		guid: `ev-${String(counter).padStart(4, '0')}`,
		data: {},
		timestamp: `2026-11-02T08:${String(Math.floor(counter / 60) % 60).padStart(2, '0')}:${String(counter % 60).padStart(2, '0')}.000Z`,
		userId: 'worker-7',
		...overrides
	};
}

/** A timestamp `minutes` after 2026-11-02T08:00Z. */
export function at(minutes: number): string {
	return new Date(Date.UTC(2026, 10, 2, 8, minutes)).toISOString();
}

/** A command environment with a fixed clock (2026-11-23T09:30Z) and counting guids. */
export function fixedEnv(overrides: Partial<CommandEnv> = {}): CommandEnv {
	let n = 0;
	return {
		now: () => new Date('2026-11-23T09:30:00.000Z'),
		newGuid: () => `guid-${++n}`,
		userId: 'worker-7',
		...overrides
	};
}
