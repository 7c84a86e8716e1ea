/**
 * Folding events into the stored projection of one entity, shared by append (incremental and late
 * events) and by the full rebuild, so both give the same rows (invariant 4). Every step is core's
 * `evolve`, the one step of replay and incremental update alike.
 */
import { evolve, type ApplierRegistry, type Entity } from '../core/appliers';
import type { SkippedEvent } from '../core/projection';
import { createsEntity } from '../core/access';
import { compareParsed, instantOf, type CasetrailEvent } from '../core/event';
import type { EntityRow, SnapshotRow, StoredPosition } from './db';
import { searchWords, sortNameOf } from './search';
import { memberGuidsOf } from './member-index';

/** How many of an entity's events lie between two snapshots of it, unless told otherwise. */
export const DEFAULT_SNAPSHOT_EVERY = 64;

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
 * snapshot to `snapshots` each time the count of folded events reaches a multiple of
 * `snapshotEvery`. Calls `onSkip` for each event that did not apply. Mutates and returns `state`.
 */
export function foldInto(
	state: FoldState,
	entityGuid: string,
	items: readonly FoldItem[],
	registry: ApplierRegistry,
	snapshotEvery: number,
	snapshots: SnapshotRow[],
	onSkip?: (skipped: SkippedEvent) => void
): FoldState {
	for (const { event, position } of items) {
		const result = evolve(state.entity, event, registry);
		if (createsEntity(state.entity, result)) state.createdBy = event.userId;
		if (!result.applied && onSkip) onSkip({ guid: event.guid, entityGuid, reason: result.reason, message: result.message });
		state.entity = result.entity;
		state.count += 1;
		state.last = position;
		if (state.count % snapshotEvery === 0) snapshots.push(snapshotRow(entityGuid, state.count, position, state.entity));
	}
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
