/**
 * The built-in event types, exactly as spec/projection.md defines them. The spec is a contract other
 * software builds against, so a built-in event is projected as recorded at every `version`: these
 * appliers read the data as it is, and built-in types are never upcast
 * (docs/decisions/0003-upcasting-custom-types-only.md).
 */
import type { CasetrailEvent } from '../event';
import { skip, type Entity, type Member, type Skip } from './entity';
import type { Applier, ApplierRegistry, EntityBody } from './registry';

/** A value the entity may keep: primitives as they are, objects and arrays copied from the event. */
function own(value: unknown): unknown {
	return typeof value === 'object' && value !== null ? structuredClone(value) : value;
}

/** `data` less the fields whose value is `null`: a `null` means "no value", never a stored one. */
function withoutNulls(data: Record<string, unknown>): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(data)) if (value !== null) out[key] = own(value);
	return out;
}

function creator(entityType: string): Applier {
	return (entity, event) => {
		if (entity) return skip('entity-exists', `Entity ${event.entityGuid} already exists; ${event.type} does not change it.`);
		const body: EntityBody = { type: entityType, data: withoutNulls(event.data), deleted: false };
		if (entityType === 'group') body.members = [];
		return body;
	};
}

/** The entity when it exists and has `entityType`; the skip to report otherwise. */
function requireEntity(entity: Entity | undefined, event: CasetrailEvent, entityType?: string): Entity | Skip {
	if (!entity) return skip('entity-missing', `Entity ${event.entityGuid} does not exist yet; ${event.type} does not change it.`);
	if (entityType !== undefined && entity.type !== entityType) {
		return skip('type-mismatch', `${event.type} applies to a ${entityType}; entity ${event.entityGuid} is a ${entity.type}.`);
	}
	return entity;
}

function updater(entityType: string): Applier {
	return (state, event) => {
		const entity = requireEntity(state, event, entityType);
		if ('skip' in entity) return entity;
		const data: Record<string, unknown> = { ...entity.data };
		for (const [key, value] of Object.entries(event.data)) {
			if (value === null) delete data[key];
			else data[key] = own(value);
		}
		return { ...entity, data };
	};
}

function memberGuidOf(event: CasetrailEvent): string | Skip {
	const guid = event.data.memberGuid;
	if (typeof guid !== 'string' || guid.length === 0) return skip('invalid-data', `${event.type} needs data.memberGuid, a non-empty string.`);
	return guid;
}

/** Appends the member, or replaces its entry in place when it is already a member. */
export const addMember: Applier = (state, event) => {
	const entity = requireEntity(state, event, 'group');
	if ('skip' in entity) return entity;
	const guid = memberGuidOf(event);
	if (typeof guid !== 'string') return guid;
	const role = event.data.role;
	if (role !== undefined && role !== null && typeof role !== 'string') return skip('invalid-data', 'add-member data.role must be a string when present.');
	const member: Member = typeof role === 'string' ? { guid, role } : { guid };
	const members = [...(entity.members ?? [])];
	const at = members.findIndex((m) => m.guid === guid);
	if (at === -1) members.push(member);
	else members[at] = member;
	return { ...entity, members };
};

export const removeMember: Applier = (state, event) => {
	const entity = requireEntity(state, event, 'group');
	if ('skip' in entity) return entity;
	const guid = memberGuidOf(event);
	if (typeof guid !== 'string') return guid;
	const members = entity.members ?? [];
	if (!members.some((m) => m.guid === guid)) return skip('not-a-member', `Group ${event.entityGuid} has no member ${guid}.`);
	return { ...entity, members: members.filter((m) => m.guid !== guid) };
};

/** Marks any entity deleted; it keeps its history, and later updates still apply to it. */
export const deleteEntity: Applier = (state, event) => {
	const entity = requireEntity(state, event);
	if ('skip' in entity) return entity;
	if (entity.deleted) return skip('already-deleted', `Entity ${event.entityGuid} is already deleted.`);
	return { ...entity, deleted: true };
};

export const createIndividual = creator('individual');
export const createGroup = creator('group');
export const updateIndividual = updater('individual');
export const updateGroup = updater('group');

/** The built-in event types (spec/projection.md), in the order {@link registerBuiltins} registers them. */
export const BUILTIN_TYPES = Object.freeze([
	'create-individual',
	'create-group',
	'update-individual',
	'update-group',
	'add-member',
	'remove-member',
	'delete-entity'
] as const);

export type BuiltinType = (typeof BUILTIN_TYPES)[number];

/** True for a type whose projection spec/projection.md fixes: such events are never upcast. */
export function isBuiltinType(type: string): type is BuiltinType {
	return (BUILTIN_TYPES as readonly string[]).includes(type);
}

const BUILTIN_APPLIERS: Readonly<Record<BuiltinType, Applier>> = {
	'create-individual': createIndividual,
	'create-group': createGroup,
	'update-individual': updateIndividual,
	'update-group': updateGroup,
	'add-member': addMember,
	'remove-member': removeMember,
	'delete-entity': deleteEntity
};

const TRUSTED = new Set<Applier>(Object.values(BUILTIN_APPLIERS));

/**
 * True for the shipped built-in appliers. They never change their arguments and copy any object
 * they take from an event, so evolve hands them the state and event as they are.
 */
export function isBuiltinApplier(applier: Applier): boolean {
	return TRUSTED.has(applier);
}

/** Registers the built-in types on `registry`, the way custom types register. */
export function registerBuiltins(registry: ApplierRegistry): ApplierRegistry {
	for (const type of BUILTIN_TYPES) registry.register(type, BUILTIN_APPLIERS[type]);
	return registry;
}
