/**
 * Snapshots: an entity's state saved every K of its events, so that rebuilding it (after a late
 * event, or on a device with a long log) replays only the events after the nearest snapshot instead
 * of all of them. A snapshot plus the events after it gives exactly what a full replay gives.
 */
import { defaultRegistry } from './appliers/defaults';
import type { Entity } from './appliers/entity';
import type { ApplierRegistry } from './appliers/registry';
import { CasetrailError } from './errors';
import { compareEvents, type CasetrailEvent, type EventPosition } from './event';
import { foldEvents, orderEvents, type EntityReplay, type SkippedEvent } from './projection';

/** How many events of one entity go between snapshots unless told otherwise. */
export const DEFAULT_SNAPSHOT_INTERVAL = 100;

/** One entity's state after its first `eventCount` events in replay order. Plain data: safe to store. */
export interface Snapshot {
	entityGuid: string;
	/** Undefined when none of those events created the entity. */
	entity: Entity | undefined;
	/** The last event the snapshot covers. */
	last: EventPosition;
	/** How many of the entity's events (applied or skipped) the snapshot covers. */
	eventCount: number;
}

/**
 * The snapshots of every entity in `events`, one after each `every` events of that entity
 * (every, 2·every, ...), sorted by entity guid and then by `eventCount`. Requires `every` to be an
 * integer >= 1; throws CasetrailError('out-of-range') otherwise.
 */
export function snapshotsOf(events: readonly CasetrailEvent[], every: number = DEFAULT_SNAPSHOT_INTERVAL, registry: ApplierRegistry = defaultRegistry): Snapshot[] {
	if (!Number.isSafeInteger(every) || every < 1) throw new CasetrailError('out-of-range', `Snapshots are taken every 1 or more events, not ${every}.`);
	const byEntity = new Map<string, CasetrailEvent[]>();
	for (const event of orderEvents(events, [])) {
		const list = byEntity.get(event.entityGuid);
		if (list) list.push(event);
		else byEntity.set(event.entityGuid, [event]);
	}
	const snapshots: Snapshot[] = [];
	for (const guid of [...byEntity.keys()].sort()) {
		const list = byEntity.get(guid)!;
		let state: { entity: Entity | undefined; last: EventPosition | undefined } = { entity: undefined, last: undefined };
		for (let end = every; end <= list.length; end += every) {
			state = foldEvents(state, list.slice(end - every, end), registry, []);
			snapshots.push({ entityGuid: guid, entity: state.entity, last: state.last!, eventCount: end });
		}
	}
	return snapshots;
}

/**
 * The replay of the snapshot's entity from the snapshot on: the events of `laterEvents` that name
 * the entity and sort after `snapshot.last` are applied on top of it; those at or before it are
 * taken as already covered. Requires the snapshot to cover every event of the entity that sorts at
 * or before `snapshot.last`: after a late event that sorts earlier, use an earlier snapshot.
 */
export function replayFrom(snapshot: Snapshot, laterEvents: readonly CasetrailEvent[], registry: ApplierRegistry = defaultRegistry): EntityReplay {
	const skipped: SkippedEvent[] = [];
	const tail = orderEvents(
		laterEvents.filter((e) => e.entityGuid === snapshot.entityGuid),
		skipped
	).filter((e) => compareEvents(snapshot.last, e) < 0);
	const state = foldEvents({ entity: snapshot.entity, last: snapshot.last }, tail, registry, skipped);
	return { ...state, skipped };
}
