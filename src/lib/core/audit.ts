/**
 * The audit trail of an entity: every event in replay order, who recorded it and why, whether it
 * applied, and what it changed field by field. Changes are found by diffing the entity before and
 * after each event, so they are exactly what the projection did, custom types included.
 */
import { defaultRegistry } from './appliers/defaults';
import type { Entity, Member, SkipReason } from './appliers/entity';
import { evolve } from './appliers/evolve';
import type { ApplierRegistry } from './appliers/registry';
import { canonicalJson } from './canonical';
import { CasetrailError } from './errors';
import type { CasetrailEvent } from './event';
import { formRefOf, type FormRef } from './forms/definition';
import { isBuiltinType } from './appliers/builtins';
import { orderEvents, type SkippedEvent } from './projection';

/**
 * One changed field. `field` is `data.<name>` for a data field, `members.<guid>` for a member
 * (before/after are its entry `{guid, role?}`), or `deleted`, `caseWorker`, `assignmentDate`.
 * `null` stands for "absent": an entity's data never holds a null, so it is unambiguous.
 */
export interface FieldChange {
	field: string;
	before: unknown;
	after: unknown;
}

interface AuditBase {
	guid: string;
	timestamp: string;
	userId: string;
	type: string;
	/** Why the change was made, as recorded with the event. */
	reason?: string;
	/** The form version the event was recorded with, so its values are shown with that version's labels. */
	form?: FormRef;
	/**
	 * What a form recorded in an event that keeps it (a visit, assistance): the projection keeps only
	 * counts, so the answers are shown from the event.
	 */
	recorded?: Record<string, unknown>;
}

export type AuditEntry = AuditBase & ({ applied: true; changes: FieldChange[] } | { applied: false; skip: { reason: SkipReason; message: string }; changes: [] });

function same(a: unknown, b: unknown): boolean {
	if (Object.is(a, b)) return true;
	try {
		return canonicalJson(a) === canonicalJson(b);
	} catch {
		return false;
	}
}

function memberMap(entity: Entity | undefined): Map<string, Member> {
	return new Map((entity?.members ?? []).map((m) => [m.guid, m]));
}

/**
 * What differs between two states of an entity (either may be undefined: not existing yet), in a
 * fixed order: data fields by name, members (b's order, then those only in a), deleted, caseWorker,
 * assignmentDate. Bookkeeping (version, createdAt, lastUpdated) is left out. Used by time travel to
 * show what differs from today.
 */
export function diffEntities(a: Entity | undefined, b: Entity | undefined): FieldChange[] {
	const changes: FieldChange[] = [];
	const before = a?.data ?? {};
	const after = b?.data ?? {};
	for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
		const x = key in before ? before[key] : null;
		const y = key in after ? after[key] : null;
		if (!same(x, y)) changes.push({ field: `data.${key}`, before: x, after: y });
	}
	const membersBefore = memberMap(a);
	const membersAfter = memberMap(b);
	for (const [guid, m] of membersAfter) {
		const old = membersBefore.get(guid) ?? null;
		if (!same(old, m)) changes.push({ field: `members.${guid}`, before: old, after: m });
	}
	for (const [guid, m] of membersBefore) {
		if (!membersAfter.has(guid)) changes.push({ field: `members.${guid}`, before: m, after: null });
	}
	if ((a?.deleted ?? false) !== (b?.deleted ?? false)) changes.push({ field: 'deleted', before: a?.deleted ?? false, after: b?.deleted ?? false });
	for (const field of ['caseWorker', 'assignmentDate'] as const) {
		const x = a?.[field] ?? null;
		const y = b?.[field] ?? null;
		if (x !== y) changes.push({ field, before: x, after: y });
	}
	return changes;
}

/**
 * The recorded reason: `context.reason`. Events written before reasons moved to the context carry
 * it as `data.reason` (remove-member in the seed vectors), so that is read when the context has none.
 */
function reasonOf(event: CasetrailEvent): string | undefined {
	const fromContext = event.context?.reason;
	if (typeof fromContext === 'string') return fromContext;
	const fromData = event.data.reason;
	return typeof fromData === 'string' ? fromData : undefined;
}

function text(value: unknown): string {
	return typeof value === 'string' ? value : '';
}

/**
 * The audit trail of one entity from its events, in replay order whatever the input order: one
 * entry per event, applied with its field-level changes, or skipped with the reason. Invalid and
 * repeated events come first, as skipped. Throws CasetrailError('validation-failed') when the
 * events name more than one entity.
 */
export function auditTrail(events: readonly CasetrailEvent[], registry: ApplierRegistry = defaultRegistry): AuditEntry[] {
	const entityGuids = new Set(events.map((e) => e.entityGuid));
	if (entityGuids.size > 1) {
		throw new CasetrailError('validation-failed', `An audit trail covers one entity; these events name ${entityGuids.size}.`);
	}
	const unreadable: SkippedEvent[] = [];
	const ordered = orderEvents(events, unreadable);
	const entries: AuditEntry[] = [];
	const byGuid = new Map<unknown, CasetrailEvent>();
	for (const event of events) if (!byGuid.has(event.guid)) byGuid.set(event.guid, event);
	for (const s of unreadable) {
		// Invalid events may lack any member; show what they have.
		const event = byGuid.get(s.guid);
		entries.push({
			guid: s.guid,
			timestamp: text(event?.timestamp),
			userId: text(event?.userId),
			type: text(event?.type),
			applied: false,
			skip: { reason: s.reason, message: s.message },
			changes: []
		});
	}
	let entity: Entity | undefined;
	for (const event of ordered) {
		const result = evolve(entity, event, registry);
		const base: AuditBase = { guid: event.guid, timestamp: event.timestamp, userId: event.userId, type: event.type };
		const reason = reasonOf(event);
		if (reason !== undefined) base.reason = reason;
		const form = formRefOf(event);
		if (form) {
			base.form = form;
			if (!isBuiltinType(event.type)) base.recorded = structuredClone(event.data);
		}
		if (result.applied) {
			entries.push({ ...base, applied: true, changes: diffEntities(entity, result.entity) });
		} else {
			entries.push({ ...base, applied: false, skip: { reason: result.reason, message: result.message }, changes: [] });
		}
		entity = result.entity;
	}
	return entries;
}
