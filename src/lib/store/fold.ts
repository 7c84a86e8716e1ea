/**
 * Folding events into the stored projection of one entity, shared by append (incremental and late
 * events) and by the full rebuild, so both give the same rows (invariant 4). Every step is core's
 * `evolve` (through a core Replay, which makes each step cost what it changes), the one step of
 * replay and incremental update alike. This is also the one implementation of snapshots: an entity's
 * state saved after some of its events, so that a late event re-projects it from the latest snapshot
 * before it instead of from its first event.
 */
import { Replay, type ApplierRegistry, type Entity } from '../core/appliers';
import type { SkippedEvent } from '../core/projection';
import { createsEntity } from '../core/access';
import { compareParsed, instantOf, type CasetrailEvent } from '../core/event';
import type { EntityRow, SnapshotRow, StoredPosition } from './db';
import { searchWords, sortNameOf } from './search';
import { memberGuidsOf } from './member-index';

/** How many of its events an entity has when its first snapshot is taken, unless told otherwise. */
export const DEFAULT_FIRST_SNAPSHOT = 64;

/**
 * True when an entity is snapshotted after its `count`-th event: at `first`, 2·first, 4·first, ...
 * Doubling keeps snapshots bounded per entity: an entity of n events has about log2(n / first)
 * snapshots, which hold together at most about twice what its state holds, and taking them costs
 * the replay at most about twice the size of the entity. A snapshot every `first` events instead
 * stored n / first full copies: 4,096 add-member events left 133,056 member entries in 64 snapshots
 * (issue 13). A late event still replays at most half of its entity's events.
 */
export function isSnapshotPosition(count: number, first: number): boolean {
	if (count < first || count % first !== 0) return false;
	const multiple = count / first;
	return (multiple & (multiple - 1)) === 0;
}

export type { SkippedEvent };

/** Orders stored positions as core compareEvents orders events: by instant, then guid. */
export const comparePositions: (a: StoredPosition, b: StoredPosition) => number = compareParsed;

/** An event ready to fold: the parsed canonical form and its position. */
export interface FoldItem {
	event: CasetrailEvent;
	position: StoredPosition;
}

/** The state of one entity guid while folding. */
export interface FoldState {
	entity: Entity | undefined;
	count: number;
	last: StoredPosition | undefined;
	/** userId of the event that created the entity (core/access.ts createsEntity): who owns it for access. */
	createdBy?: string | undefined;
}

/**
 * Folds `items` (in (instant, guid) order, all after `state.last`) into `state`, and pushes a
 * snapshot to `snapshots` each time the count of folded events reaches a snapshot position
 * ({@link isSnapshotPosition} with `firstSnapshot`). Calls `onSkip` for each event that did not
 * apply. Mutates and returns `state`; the entity it held before is left as it was.
 */
export function foldInto(
	state: FoldState,
	entityGuid: string,
	items: readonly FoldItem[],
	registry: ApplierRegistry,
	firstSnapshot: number,
	snapshots: SnapshotRow[],
	onSkip?: (skipped: SkippedEvent) => void
): FoldState {
	const replay = new Replay(state.entity, registry);
	for (const { event, position } of items) {
		const before = replay.entity;
		const result = replay.apply(event);
		if (createsEntity(before, result)) state.createdBy = event.userId;
		if (!result.applied && onSkip) onSkip({ guid: event.guid, entityGuid, reason: result.reason, message: result.message });
		state.count += 1;
		state.last = position;
		if (isSnapshotPosition(state.count, firstSnapshot)) snapshots.push(snapshotRow(entityGuid, state.count, position, replay.detach()));
	}
	state.entity = replay.detach();
	return state;
}

export function snapshotRow(entityGuid: string, position: number, last: StoredPosition, entity: Entity | undefined): SnapshotRow {
	return entity ? { entityGuid, position, last, entity } : { entityGuid, position, last };
}

/** The entities row for a folded state, with its list and search fields when the entity exists. */
export function entityRow(guid: string, state: FoldState): EntityRow {
	if (!state.last) throw new Error('unreachable: an entity row is written only after an event was folded');
	const { entity, createdBy } = state;
	if (!entity) return { guid, last: state.last, count: state.count, ...(createdBy !== undefined && { createdBy }) };
	const memberGuids = memberGuidsOf(entity);
	return {
		guid,
		last: state.last,
		count: state.count,
		...(createdBy !== undefined && { createdBy }),
		entity,
		type: entity.type,
		deleted: entity.deleted ? 1 : 0,
		updatedAt: instantOf({ timestamp: entity.lastUpdated }),
		words: searchWords(entity),
		sortName: sortNameOf(entity),
		...(memberGuids && { memberGuids })
	};
}
