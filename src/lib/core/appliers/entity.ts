/**
 * What replaying an entity's events gives (spec/projection.md, Entity), and the stable reasons an
 * event can be skipped instead of applied.
 */

/** One member of a group. `role` is absent when the add-member event had none. */
export interface Member {
	guid: string;
	role?: string;
}

/**
 * An entity as the command line prints it. Members are in the order spec/projection.md gives, which
 * is also the order JSON.stringify keeps; `caseWorker` and `assignmentDate` come from the custom
 * `assign-case-worker` type and are absent until it applies.
 */
export interface Entity {
	guid: string;
	/** `individual`, `group`, or a custom type. */
	type: string;
	/** Current fields; never holds a `null` (a `null` in an event removes the field). */
	data: Record<string, unknown>;
	/** Groups only, in the order members were added. */
	members?: Member[];
	deleted: boolean;
	/** How many events have been applied; skipped ones do not count. */
	version: number;
	/** Timestamp of the creating event. */
	createdAt: string;
	/** Timestamp of the last applied event. */
	lastUpdated: string;
	caseWorker?: string;
	assignmentDate?: string;
}

/** Why an event did not change its entity. Programs test these; never rename one. */
export type SkipReason =
	| 'invalid-event'
	| 'wrong-entity'
	| 'version-unsupported'
	| 'no-applier'
	| 'entity-exists'
	| 'entity-missing'
	| 'type-mismatch'
	| 'invalid-data'
	| 'not-a-member'
	| 'already-deleted'
	| 'duplicate-event'
	| 'applier-failed';

/** Every skip reason with what it means, for documentation and for people reading an audit trail. */
export const SKIP_REASONS: Readonly<Record<SkipReason, string>> = Object.freeze({
	'invalid-event': 'The event lacks a required member or has one of the wrong type.',
	'wrong-entity': 'The event belongs to another entity than the state it was applied to.',
	'version-unsupported': 'The event was written at a schema version this build cannot read.',
	'no-applier': 'No applier is registered for the event type; the event is kept in the log.',
	'entity-exists': 'A create event came for an entity that already exists.',
	'entity-missing': 'The event changes an entity that does not exist yet.',
	'type-mismatch': 'The event type does not fit the type of the entity.',
	'invalid-data': 'The event data lacks a field the event type needs, or has one of the wrong type.',
	'not-a-member': 'The member to remove is not a member of the group.',
	'already-deleted': 'The entity is already deleted.',
	'duplicate-event': 'An event with the same guid was already replayed.',
	'applier-failed': 'The applier for the event type threw; its entity is left as it was.'
});

/** What an applier returns when an event does not fit its entity. */
export interface Skip {
	skip: SkipReason;
	/** A sentence about this event, e.g. "Group g-1 has no member m-9." */
	message: string;
}

export function skip(reason: SkipReason, message: string): Skip {
	return { skip: reason, message };
}

export function isSkip(value: unknown): value is Skip {
	return typeof value === 'object' && value !== null && 'skip' in value;
}
