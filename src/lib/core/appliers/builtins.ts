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

/**
 * What a built-in applier may change in place: the parts of the entity that only the running replay
 * holds (see {@link Replay} in ./evolve). A plain `evolve` passes a fresh draft that owns nothing, so
 * the applier copies before it changes anything and the caller's entity stays as it was. A replay
 * keeps its draft from event to event, so after the first copy each event costs what it changes,
 * not the size of the entity: without that, a group given n members cost n²/2 member copies.
 */
export interface Draft {
	/** True when `entity.data` is the replay's own object. */
	data: boolean;
	/** When `entity.members` is the replay's own array: the position of each member guid in it. */
	members: Map<string, number> | undefined;
}

/** A draft that owns nothing: the applier copies what it changes. */
export function freshDraft(): Draft {
	return { data: false, members: undefined };
}

/** A built-in applier: an {@link Applier} that may change what `draft` says it owns. */
export type BuiltinApplier = (entity: Entity | undefined, event: CasetrailEvent, draft: Draft) => EntityBody | Skip;

/** The entity's data, as an object the applier may change. */
function ownData(entity: Entity, draft: Draft): Record<string, unknown> {
	if (draft.data) return entity.data;
	draft.data = true;
	return { ...entity.data };
}

/** The position of the first entry of each member guid, as findIndex would find it. */
function positions(members: readonly Member[]): Map<string, number> {
	const at = new Map<string, number>();
	members.forEach((m, i) => {
		if (!at.has(m.guid)) at.set(m.guid, i);
	});
	return at;
}

/** The entity's members and the position of each, as an array and index the applier may change. */
function ownMembers(entity: Entity, draft: Draft): { members: Member[]; at: Map<string, number> } {
	if (draft.members && entity.members) return { members: entity.members, at: draft.members };
	const members = [...(entity.members ?? [])];
	const at = positions(members);
	draft.members = at;
	return { members, at };
}

function creator(entityType: string): BuiltinApplier {
	return (entity, event, draft) => {
		if (entity) return skip('entity-exists', `Entity ${event.entityGuid} already exists; ${event.type} does not change it.`);
		const body: EntityBody = { type: entityType, data: withoutNulls(event.data), deleted: false };
		draft.data = true;
		draft.members = undefined;
		if (entityType === 'group') {
			body.members = [];
			draft.members = new Map();
		}
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

function updater(entityType: string): BuiltinApplier {
	return (state, event, draft) => {
		const entity = requireEntity(state, event, entityType);
		if ('skip' in entity) return entity;
		const data = ownData(entity, draft);
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
const addMemberTo: BuiltinApplier = (state, event, draft) => {
	const entity = requireEntity(state, event, 'group');
	if ('skip' in entity) return entity;
	const guid = memberGuidOf(event);
	if (typeof guid !== 'string') return guid;
	const role = event.data.role;
	if (role !== undefined && role !== null && typeof role !== 'string') return skip('invalid-data', 'add-member data.role must be a string when present.');
	const member: Member = typeof role === 'string' ? { guid, role } : { guid };
	const { members, at } = ownMembers(entity, draft);
	const index = at.get(guid);
	if (index === undefined) {
		at.set(guid, members.length);
		members.push(member);
	} else members[index] = member;
	return { ...entity, members };
};

const removeMemberFrom: BuiltinApplier = (state, event, draft) => {
	const entity = requireEntity(state, event, 'group');
	if ('skip' in entity) return entity;
	const guid = memberGuidOf(event);
	if (typeof guid !== 'string') return guid;
	const present = draft.members && entity.members ? draft.members.has(guid) : (entity.members ?? []).some((m) => m.guid === guid);
	if (!present) return skip('not-a-member', `Group ${event.entityGuid} has no member ${guid}.`);
	const { members, at } = ownMembers(entity, draft);
	if (at.size !== members.length) {
		// A custom applier left a guid in the list twice: every entry of it goes, as it always did.
		const kept = members.filter((m) => m.guid !== guid);
		members.length = 0;
		for (const m of kept) members.push(m);
		draft.members = positions(members);
		return { ...entity, members };
	}
	const index = at.get(guid) as number;
	members.splice(index, 1);
	at.delete(guid);
	for (let i = index; i < members.length; i++) at.set((members[i] as Member).guid, i);
	return { ...entity, members };
};

/** Marks any entity deleted; it keeps its history, and later updates still apply to it. */
const deleteFrom: BuiltinApplier = (state, event) => {
	const entity = requireEntity(state, event);
	if ('skip' in entity) return entity;
	if (entity.deleted) return skip('already-deleted', `Entity ${event.entityGuid} is already deleted.`);
	return { ...entity, deleted: true };
};

/** A built-in as an {@link Applier}: it owns nothing of its arguments, so it changes neither. */
function pure(applier: BuiltinApplier): Applier {
	return (entity, event) => applier(entity, event, freshDraft());
}

const IN_PLACE = {
	'create-individual': creator('individual'),
	'create-group': creator('group'),
	'update-individual': updater('individual'),
	'update-group': updater('group'),
	'add-member': addMemberTo,
	'remove-member': removeMemberFrom,
	'delete-entity': deleteFrom
} as const;

export const addMember: Applier = pure(IN_PLACE['add-member']);
export const removeMember: Applier = pure(IN_PLACE['remove-member']);
export const deleteEntity: Applier = pure(IN_PLACE['delete-entity']);
export const createIndividual: Applier = pure(IN_PLACE['create-individual']);
export const createGroup: Applier = pure(IN_PLACE['create-group']);
export const updateIndividual: Applier = pure(IN_PLACE['update-individual']);
export const updateGroup: Applier = pure(IN_PLACE['update-group']);

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

const IN_PLACE_OF = new Map<Applier, BuiltinApplier>(BUILTIN_TYPES.map((type) => [BUILTIN_APPLIERS[type], IN_PLACE[type]]));

/**
 * The in-place form of a shipped built-in applier, or undefined for any other applier. Built-ins
 * never change what the draft does not own and copy any object they take from an event, so evolve
 * hands them the state and event as they are.
 */
export function builtinInPlace(applier: Applier): BuiltinApplier | undefined {
	return IN_PLACE_OF.get(applier);
}

/** Registers the built-in types on `registry`, the way custom types register. */
export function registerBuiltins(registry: ApplierRegistry): ApplierRegistry {
	for (const type of BUILTIN_TYPES) registry.register(type, BUILTIN_APPLIERS[type]);
	return registry;
}
