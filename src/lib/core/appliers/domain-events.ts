/**
 * The domain events a follow-up form records on a record (issue 16): `visit-recorded` and
 * `assistance-provided`. What was recorded stays in the event (the history shows it with its form's
 * labels); the record keeps only what the list and the record page need: how many, and the last.
 *
 * | type | on the entity |
 * |---|---|
 * | `visit-recorded` | `data.visitCount` + 1, `data.lastVisitAt` = the event's timestamp |
 * | `assistance-provided` | `data.assistanceCount` + 1, `data.lastAssistanceAt` = the event's timestamp |
 *
 * Both apply to an individual or a group, deleted or not (like other updates), and are skipped with
 * entity-missing when the entity does not exist yet.
 */
import { skip } from './entity';
import type { Applier, ApplierRegistry } from './registry';

function counter(countField: string, lastField: string): Applier {
	return (entity, event) => {
		if (!entity) return skip('entity-missing', `Entity ${event.entityGuid} does not exist yet; ${event.type} does not change it.`);
		const previous = entity.data[countField];
		const count = typeof previous === 'number' && Number.isSafeInteger(previous) && previous >= 0 ? previous + 1 : 1;
		return { ...entity, data: { ...entity.data, [countField]: count, [lastField]: event.timestamp } };
	};
}

export const visitRecorded: Applier = counter('visitCount', 'lastVisitAt');
export const assistanceProvided: Applier = counter('assistanceCount', 'lastAssistanceAt');

/** Registers `visit-recorded` and `assistance-provided` on `registry`. */
export function registerDomainEvents(registry: ApplierRegistry): ApplierRegistry {
	return registry.register('visit-recorded', visitRecorded).register('assistance-provided', assistanceProvided);
}
