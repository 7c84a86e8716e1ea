/**
 * Projection: entities are what replaying their events gives (spec/projection.md). Full replay, time
 * travel and incremental update all go through the same `evolve`, and all order events with
 * `compareEvents`, so every path and every device reaches the same entities (invariants 4 and 5).
 */
import { defaultRegistry } from './appliers/defaults';
import type { Entity, SkipReason } from './appliers/entity';
import { evolve, Replay, type EvolveResult } from './appliers/evolve';
import type { ApplierRegistry } from './appliers/registry';
import { canonicalJson } from './canonical';
import { CasetrailError } from './errors';
import {
	compareEvents,
	compareParsed,
	describeInvalidEvent,
	instantOf,
	parseInstant,
	positionOf,
	type CasetrailEvent,
	type EventPosition,
	type ParsedPosition
} from './event';

/** An event that did not change its entity, and why. */
export interface SkippedEvent {
	guid: string;
	entityGuid: string;
	reason: SkipReason;
	message: string;
}

export interface Projection {
	/** Every entity some event created, sorted by guid (plain string order). */
	entities: Entity[];
	/** Invalid events (in input order) and repeated guids first; then events that did not apply, in event order. */
	skipped: SkippedEvent[];
}

/**
 * One entity as replay leaves it: the entity (undefined while no event has created it) and the
 * position of the last event replayed for it, applied or skipped. The position is what decides
 * whether a new event can be applied on top (see {@link canApplyIncrementally}).
 */
export interface EntityState {
	entity: Entity | undefined;
	last: EventPosition | undefined;
}

/** The replay of one entity, with the events it skipped. */
export interface EntityReplay extends EntityState {
	skipped: SkippedEvent[];
}

function asText(value: unknown): string {
	return typeof value === 'string' ? value : '';
}

function skippedOf(event: CasetrailEvent, reason: SkipReason, message: string): SkippedEvent {
	return { guid: asText(event.guid), entityGuid: asText(event.entityGuid), reason, message };
}

/** Canonical JSON, or '' for an event built in code with a value JSON cannot carry: sorting never throws. */
function canonicalOrEmpty(event: CasetrailEvent): string {
	try {
		return canonicalJson(event);
	} catch {
		return '';
	}
}

/**
 * Valid events in replay order with each guid once, and the skips for the rest. Events with one guid
 * at one instant are the same event imported twice, or a conflict the store should have refused;
 * ordering those by their canonical JSON keeps the choice of which one counts independent of input
 * order. Exported for the audit module.
 */
export function orderEvents(events: readonly CasetrailEvent[], skipped: SkippedEvent[]): CasetrailEvent[] {
	// Instants parsed once per event, not once per comparison: the sort dominates a full replay.
	const valid: (ParsedPosition & { event: CasetrailEvent })[] = [];
	for (const event of events) {
		const problem = describeInvalidEvent(event);
		if (problem === undefined) valid.push({ event, instant: instantOf(event), guid: event.guid });
		else skipped.push(skippedOf(event, 'invalid-event', problem));
	}
	valid.sort((a, b) => {
		const c = compareParsed(a, b);
		if (c !== 0) return c;
		const ca = canonicalOrEmpty(a.event);
		const cb = canonicalOrEmpty(b.event);
		return ca < cb ? -1 : ca > cb ? 1 : 0;
	});
	const seen = new Set<string>();
	const ordered: CasetrailEvent[] = [];
	for (const { event } of valid) {
		if (seen.has(event.guid)) {
			skipped.push(skippedOf(event, 'duplicate-event', `Event ${event.guid} appears more than once; only its first copy in event order counts.`));
		} else {
			seen.add(event.guid);
			ordered.push(event);
		}
	}
	return ordered;
}

/**
 * Replays `ordered` (events of the entity `start` describes, already in replay order) on top of
 * `start`, appending skips to `skipped`. `start` is left as it was.
 */
function foldEvents(start: EntityState, ordered: readonly CasetrailEvent[], registry: ApplierRegistry, skipped: SkippedEvent[]): EntityState {
	const replay = new Replay(start.entity, registry);
	let last = start.last;
	for (const event of ordered) {
		const result = replay.apply(event);
		if (!result.applied) skipped.push(skippedOf(event, result.reason, result.message));
		last = positionOf(event);
	}
	return { entity: replay.detach(), last };
}

const EMPTY: EntityState = Object.freeze({ entity: undefined, last: undefined });

/**
 * The entities `events` project to, in any input order: events are grouped by entity, put in
 * compareEvents order, upcast (custom types only) and applied with `registry`. Every event that
 * does not apply is in `skipped`. Pure; never throws on bad events.
 */
export function project(events: readonly CasetrailEvent[], registry: ApplierRegistry = defaultRegistry): Projection {
	const unreadable: SkippedEvent[] = [];
	const ordered = orderEvents(events, unreadable);
	const byEntity = new Map<string, CasetrailEvent[]>();
	for (const event of ordered) {
		const list = byEntity.get(event.entityGuid);
		if (list) list.push(event);
		else byEntity.set(event.entityGuid, [event]);
	}
	const entities: Entity[] = [];
	const notApplied: SkippedEvent[] = [];
	for (const list of byEntity.values()) {
		const { entity } = foldEvents(EMPTY, list, registry, notApplied);
		if (entity) entities.push(entity);
	}
	entities.sort((a, b) => (a.guid < b.guid ? -1 : a.guid > b.guid ? 1 : 0));
	const rank = new Map(ordered.map((e, i) => [e.guid, i]));
	notApplied.sort((a, b) => rank.get(a.guid)! - rank.get(b.guid)!);
	return { entities, skipped: [...unreadable, ...notApplied] };
}

/** The replay of the entity `entityGuid` from the events that name it; the others are ignored. */
export function replayEntity(events: readonly CasetrailEvent[], entityGuid: string, registry: ApplierRegistry = defaultRegistry): EntityReplay {
	const skipped: SkippedEvent[] = [];
	const ordered = orderEvents(
		events.filter((e) => e.entityGuid === entityGuid),
		skipped
	);
	return { ...foldEvents(EMPTY, ordered, registry, skipped), skipped };
}

/**
 * The entity `entityGuid` as of instant `at`: the replay of its events whose timestamp is at or
 * before `at`. Undefined when it did not exist yet. `at` as parseInstant reads it; throws
 * CasetrailError('validation-failed') for an instant it cannot read.
 */
export function entityAsOf(events: readonly CasetrailEvent[], entityGuid: string, at: Date | number | string, registry: ApplierRegistry = defaultRegistry): Entity | undefined {
	const ms = parseInstant(at);
	const upTo = events.filter((e) => e.entityGuid === entityGuid && describeInvalidEvent(e) === undefined && instantOf(e) <= ms);
	return replayEntity(upTo, entityGuid, registry).entity;
}

/**
 * The entity `entityGuid` as it was right after event `eventGuid` (any event in `events`, of this
 * entity or another): the replay of its events at or before that event in compareEvents order.
 * Throws CasetrailError('not-found') when no valid event in `events` has that guid.
 */
export function entityAsOfEvent(events: readonly CasetrailEvent[], entityGuid: string, eventGuid: string, registry: ApplierRegistry = defaultRegistry): Entity | undefined {
	const cut = events.find((e) => e.guid === eventGuid && describeInvalidEvent(e) === undefined);
	if (!cut) throw new CasetrailError('not-found', `No event ${eventGuid} is in the log.`);
	const upTo = events.filter((e) => e.entityGuid === entityGuid && describeInvalidEvent(e) === undefined && compareEvents(e, cut) <= 0);
	return replayEntity(upTo, entityGuid, registry).entity;
}

/**
 * True when `event` comes after `last` (the last event replayed for its entity, applied or
 * skipped) in compareEvents order, so applying it on top gives what a full replay would. False for a
 * late event that sorts earlier, or for a position equal to `last`: the entity must then be replayed
 * from its events (or from a snapshot before the event). Skipped events count too: an add-member
 * skipped because its group did not exist yet applies once a create-group that sorts before it
 * arrives, and only a replay sees that.
 */
export function canApplyIncrementally(last: EventPosition | undefined, event: EventPosition): boolean {
	return last === undefined || compareEvents(last, event) < 0;
}

export type IncrementalResult = { incremental: true; state: EntityState; result: EvolveResult } | { incremental: false };

/**
 * Applies `event` on top of `state` with the same evolve a replay uses, when
 * {@link canApplyIncrementally} allows; otherwise returns `incremental: false` and the caller replays
 * the entity with the event included. An invalid event is reported skipped and leaves `state` as is.
 */
export function applyEvent(state: EntityState, event: CasetrailEvent, registry: ApplierRegistry = defaultRegistry): IncrementalResult {
	if (describeInvalidEvent(event) !== undefined) {
		return { incremental: true, state, result: evolve(state.entity, event, registry) };
	}
	if (!canApplyIncrementally(state.last, event)) return { incremental: false };
	const result = evolve(state.entity, event, registry);
	return { incremental: true, state: { entity: result.entity, last: positionOf(event) }, result };
}
