/**
 * `assign-case-worker`: the worked example of a custom event type. It is registered exactly like the
 * built-ins, and shows everything a custom type needs: an applier, a registration, and (in
 * commands.ts) a command that emits it.
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
 * both shapes.
 */
import { skip } from './entity';
import type { Applier, ApplierRegistry } from './registry';

/**
 * Sets the entity's `caseWorker` to `data.caseWorkerId` and its `assignmentDate` to the event's
 * timestamp. Applies to an entity of any type, deleted or not (like other updates); skipped when the
 * entity does not exist or `caseWorkerId` is not a non-empty string.
 */
export const assignCaseWorker: Applier = (entity, event) => {
	if (!entity) return skip('entity-missing', `Entity ${event.entityGuid} does not exist yet; assign-case-worker does not change it.`);
	const caseWorker = event.data.caseWorkerId;
	if (typeof caseWorker !== 'string' || caseWorker.length === 0) {
		return skip('invalid-data', 'assign-case-worker needs data.caseWorkerId, a non-empty string.');
	}
	return { ...entity, caseWorker, assignmentDate: event.timestamp };
};

export function registerCaseWorker(registry: ApplierRegistry): ApplierRegistry {
	return registry.register('assign-case-worker', assignCaseWorker);
}
