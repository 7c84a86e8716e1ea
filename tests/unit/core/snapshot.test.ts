import { describe, expect, it } from 'vitest';
import type { CasetrailEvent } from '../../../src/lib/core/event';
import { project, replayEntity } from '../../../src/lib/core/projection';
import { DEFAULT_SNAPSHOT_INTERVAL, replayFrom, snapshotsOf } from '../../../src/lib/core/snapshot';
import { at, ev } from './fixtures';

/** A group created at minute 0 and renamed `n - 1` times. */
function renames(n: number, entityGuid = 'g'): CasetrailEvent[] {
	return [
		ev({ type: 'create-group', entityGuid, data: { name: 'v0' }, timestamp: at(0) }),
		...Array.from({ length: n - 1 }, (_, i) => ev({ type: 'update-group', entityGuid, data: { name: `v${i + 1}` }, timestamp: at(i + 1) }))
	];
}

describe('snapshotsOf', () => {
	it('takes one snapshot after every K events of an entity', () => {
		const snapshots = snapshotsOf(renames(10), 3);
		expect(snapshots.map((s) => [s.eventCount, s.entity!.data.name, s.last.timestamp])).toEqual([
			[3, 'v2', at(2)],
			[6, 'v5', at(5)],
			[9, 'v8', at(8)]
		]);
	});

	it('takes snapshots every 100 events by default', () => {
		expect(DEFAULT_SNAPSHOT_INTERVAL).toBe(100);
		const snapshots = snapshotsOf(renames(250));
		expect(snapshots.map((s) => s.eventCount)).toEqual([100, 200]);
		expect(snapshots[1]!.entity!.version).toBe(200);
	});

	it('counts per entity, in replay order whatever the input order, sorted by entity guid', () => {
		const events = [...renames(4, 'b'), ...renames(2, 'a')].reverse();
		expect(snapshotsOf(events, 2).map((s) => [s.entityGuid, s.eventCount, s.entity!.data.name])).toEqual([
			['a', 2, 'v1'],
			['b', 2, 'v1'],
			['b', 4, 'v3']
		]);
	});

	it('counts skipped events too, and can hold an entity that does not exist yet', () => {
		const stray = ev({ type: 'update-group', entityGuid: 'g', data: {}, timestamp: at(0) });
		const [snapshot] = snapshotsOf([stray], 1);
		expect(snapshot).toEqual({ entityGuid: 'g', entity: undefined, last: { timestamp: stray.timestamp, guid: stray.guid }, eventCount: 1 });
	});

	it.each([0, -1, 1.5, Number.NaN])('refuses an interval of %s', (every) => {
		expect(() => snapshotsOf(renames(2), every)).toThrow(expect.objectContaining({ code: 'out-of-range' }));
	});

	it('is plain data that survives structured cloning', () => {
		const [snapshot] = snapshotsOf(renames(3), 2);
		expect(structuredClone(snapshot)).toEqual(snapshot);
	});
});

describe('replayFrom', () => {
	it('gives the full replay from a snapshot and the events after it', () => {
		const events = renames(10);
		const full = replayEntity(events, 'g');
		for (const snapshot of snapshotsOf(events, 3)) {
			const fromSnapshot = replayFrom(snapshot, events.slice(snapshot.eventCount));
			expect(fromSnapshot.entity).toEqual(full.entity);
			expect(fromSnapshot.last).toEqual(full.last);
		}
	});

	it('ignores events the snapshot already covers and events of other entities', () => {
		const events = [...renames(6), ...renames(3, 'other')];
		const [snapshot] = snapshotsOf(events, 4);
		expect(replayFrom(snapshot!, events).entity).toEqual(project(events).entities.find((e) => e.guid === 'g'));
	});

	it('reports events that do not apply after the snapshot', () => {
		const events = renames(4);
		const [snapshot] = snapshotsOf(events, 4);
		const stray = ev({ type: 'remove-member', entityGuid: 'g', data: { memberGuid: 'm' }, timestamp: at(9) });
		expect(replayFrom(snapshot!, [stray]).skipped).toEqual([expect.objectContaining({ guid: stray.guid, reason: 'not-a-member' })]);
	});
});
