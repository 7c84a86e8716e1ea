/**
 * The log's events that no applier projects because they are not about a record: the forms a
 * `publish-form` publishes (core/forms) and the users a `describe-user` describes (user-profiles.ts),
 * each on its fixed entity guid. Projection reports them as not applied (`no-applier`), as
 * spec/projection.md says; whoever counts or lists events that changed no record leaves them out.
 */
import { FORMS_ENTITY } from './forms/definition';
import { USERS_ENTITY } from './user-profiles';

const READ_OTHERWISE: ReadonlySet<string> = new Set([FORMS_ENTITY, USERS_ENTITY]);

/** True when `skipped` is such an event: read as a form or a user, not a record's event left unapplied. */
export function readOtherwise(skipped: { reason: string; entityGuid: string }): boolean {
	return skipped.reason === 'no-applier' && READ_OTHERWISE.has(skipped.entityGuid);
}
