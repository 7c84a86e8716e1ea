/**
 * The event in its wire form (spec/bundle-format.md): what is canonicalized, hashed into the Merkle
 * log and carried in bundles. Local bookkeeping (sequence number, sync status, origin) never goes in
 * here; it lives beside the event in the store.
 */

/** Why and from where a change was made. */
export interface EventContext {
	reason?: string;
	source?: string;
	sessionId?: string;
	correlationId?: string;
	[extra: string]: unknown;
}

/** Where and with what a change was recorded. */
export interface EventMetadata {
	deviceId?: string;
	appVersion?: string;
	location?: { latitude: number; longitude: number; accuracy?: number };
	[extra: string]: unknown;
}

export interface CasetrailEvent {
	guid: string;
	entityGuid: string;
	/** kebab-case, e.g. `create-individual`. */
	type: string;
	data: Record<string, unknown>;
	/** ISO 8601 UTC instant, e.g. `2026-11-23T09:30:00.000Z`. */
	timestamp: string;
	userId: string;
	/** Schema version of this event type, integer >= 1; absent means 1. */
	version?: number;
	metadata?: EventMetadata;
	context?: EventContext;
	/** Other members are allowed by the spec and are covered by the hash. */
	[extra: string]: unknown;
}
