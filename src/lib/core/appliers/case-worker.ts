/**
 * `assign-case-worker`: the worked example of a custom event type. It is registered exactly like the
 * built-ins, and shows everything a custom type needs: an applier, upcasters for its older versions,
 * a registration, and (in commands.ts) a command that emits it at its current version.
 *
 * Its schema versions (the applier reads only the last; older events are upcast when read, never
 * rewritten):
 *
 * | version | data |
 * |---|---|
 * | 1 | `{ caseWorker }`: the case worker's user id |
 * | 2 | `{ caseWorkerId, date? }`: renamed to say it is an id; `date`, optional, the instant the assignment took effect when that is not the event's timestamp (entered later from a paper form) |
 * | 3 | `{ caseWorkerId, assignedAt }`: that instant is required and has one name, so the applier reads one field |
 *
 * To add another type, write a pure applier and register it:
 *
 * ```ts
 * const recordVisit: Applier = (entity, event) => {
 *   if (!entity) return skip('entity-missing', `Entity ${event.entityGuid} does not exist yet.`);
 *   if (typeof event.data.visitedOn !== 'string') return skip('invalid-data', 'record-visit needs data.visitedOn.');
 *   return { ...entity, data: { ...entity.data, lastVisit: event.data.visitedOn } };
 * };
 * const registry = createRegistry().register('record-visit', recordVisit);
 * project(events, registry);
 * ```
 *
 * When its data changes shape later, raise its version with an upcaster
 * (`registry.upcasters.register('record-visit', 1, step)`) instead of changing the applier to read
 * both shapes. Built-in types cannot be upcast: spec/projection.md fixes what they project to
 * (docs/decisions/0003-upcasting-custom-types-only.md).
 */
import { parseTimestamp, type CasetrailEvent } from '../event';
import { skip } from './entity';
import type { Applier, ApplierRegistry } from './registry';

/**
 * v1 -> v2 of `assign-case-worker`: `caseWorker` becomes `caseWorkerId`. Builds before this type was
 * versioned wrote `caseWorkerId` into events they marked version 1; a `caseWorkerId` the event already
 * has is kept, so those events read as they always did.
 */
export function renameCaseWorker(event: CasetrailEvent): CasetrailEvent {
	if (!('caseWorker' in event.data)) return event;
	const { caseWorker, ...rest } = event.data;
	return { ...event, data: { caseWorkerId: caseWorker, ...rest } };
}

/**
 * v2 -> v3 of `assign-case-worker`: `assignedAt` is the v2 `date` when the event has one, else the
 * event's timestamp (what a v2 assignment without a date meant), and `date` goes. The applier checks
 * that it is an instant; a v2 `date` that is not one is carried over as it is and reported then.
 */
export function addAssignedAt(event: CasetrailEvent): CasetrailEvent {
	const { date, ...rest } = event.data;
	return { ...event, data: { ...rest, assignedAt: date ?? event.timestamp } };
}

/**
 * Reads version 3: sets the entity's `caseWorker` to `data.caseWorkerId` and its `assignmentDate` to
 * `data.assignedAt`. Applies to an entity of any type, deleted or not (like other updates); skipped
 * with invalid-data when `caseWorkerId` is not a non-empty string or `assignedAt` is not an ISO 8601
 * UTC instant, and with entity-missing when the entity does not exist. `assignedAt` is data: the event
 * still applies in timestamp order, like every other.
 */
export const assignCaseWorker: Applier = (entity, event) => {
	if (!entity) return skip('entity-missing', `Entity ${event.entityGuid} does not exist yet; assign-case-worker does not change it.`);
	const { caseWorkerId, assignedAt } = event.data;
	if (typeof caseWorkerId !== 'string' || caseWorkerId.length === 0) {
		return skip('invalid-data', 'assign-case-worker needs data.caseWorkerId, a non-empty string.');
	}
	if (typeof assignedAt !== 'string' || parseTimestamp(assignedAt) === undefined) {
		return skip('invalid-data', 'assign-case-worker needs data.assignedAt, an ISO 8601 UTC instant such as 2026-11-23T09:30:00.000Z.');
	}
	return { ...entity, caseWorker: caseWorkerId, assignmentDate: assignedAt };
};

/** Registers the applier of `assign-case-worker` and the steps that bring versions 1 and 2 to 3. */
export function registerCaseWorker(registry: ApplierRegistry): ApplierRegistry {
	registry.register('assign-case-worker', assignCaseWorker);
	registry.upcasters.register('assign-case-worker', 1, renameCaseWorker).register('assign-case-worker', 2, addAssignedAt);
	return registry;
}
