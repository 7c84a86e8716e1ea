/**
 * Who may do what: the roles of the people sharing a device, the permission table, and which
 * entities a person may see. Pure rules, no storage: the worker asks them before every method, so a
 * refused action changes nothing and says why (issue 8). The page may ask them too, to hide what
 * would be refused, but hiding is never the protection.
 */
import { CasetrailError } from './errors';
import { compareEvents, type CasetrailEvent } from './event';
import { evolve, type ApplierRegistry, type Entity, type EvolveResult } from './appliers';

/** The roles, from most to least powerful. Stored in the users table: never rename one. */
export type Role = 'administrator' | 'supervisor' | 'case-worker';

export const ROLES: readonly Role[] = Object.freeze(['administrator', 'supervisor', 'case-worker']);

/** How each role is named in a sentence. */
const ROLE_NAMES: Readonly<Record<Role, string>> = Object.freeze({
	administrator: 'an administrator',
	supervisor: 'a supervisor',
	'case-worker': 'a case worker'
});

export function isRole(value: unknown): value is Role {
	return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** A person with a profile on this device. Never holds a secret: keys live beside it in the store. */
export interface User {
	id: string;
	/** The name shown when choosing who signs in. */
	name: string;
	role: Role;
	/** ISO 8601 UTC instant the profile was made. */
	createdAt: string;
	/** Id of the administrator who added this user; the first administrator names itself. */
	createdBy: string;
}

/**
 * Everything the worker checks a role for. Reading and changing one entity are also limited by
 * {@link canSee}; these say whether the role may do the kind of thing at all.
 */
export type Action =
	/** Read entities, their events, history and proofs (only those {@link canSee} allows). */
	| 'read'
	/** Register a new individual or household. */
	| 'register'
	/** Update an entity, add or remove a household member. */
	| 'update'
	/** Mark an entity deleted. */
	| 'delete'
	/** Assign an entity to a case worker (assign-case-worker). */
	| 'assign'
	/** Export a signed bundle of the log: it carries every record, so it is the backup. */
	| 'export'
	/** Import a bundle into this device's log. */
	| 'import'
	/** Verify a bundle file without importing it: reads nothing from the device. */
	| 'verify-bundle'
	/** Check the whole log against its Merkle tree. */
	| 'integrity'
	/** Counts and rates over the whole log. */
	| 'metrics'
	/** See every entity, whoever created it or is assigned to it. */
	| 'view-all'
	/** Add users, change their role, reset their passphrase. */
	| 'manage-users'
	/** Publish a form (an ODK XForm) that registrations and follow-ups are made with. */
	| 'publish-form';

export const ACTIONS: readonly Action[] = Object.freeze([
	'read',
	'register',
	'update',
	'delete',
	'assign',
	'export',
	'import',
	'verify-bundle',
	'integrity',
	'metrics',
	'view-all',
	'manage-users',
	'publish-form'
]);

/**
 * The permission table. A case worker does the field work on their own records; moving data on or
 * off the device (export, import), looking across everyone's records and deciding who handles a
 * case belong to supervisors; only administrators manage who uses the device.
 */
const PERMISSIONS: Readonly<Record<Role, ReadonlySet<Action>>> = Object.freeze({
	administrator: new Set<Action>(ACTIONS),
	supervisor: new Set<Action>(['read', 'register', 'update', 'delete', 'assign', 'export', 'import', 'verify-bundle', 'integrity', 'metrics', 'view-all', 'publish-form']),
	'case-worker': new Set<Action>(['read', 'register', 'update', 'verify-bundle'])
});

/** What each action is, for the sentence of a refusal ("A case worker cannot export bundles."). */
const ACTION_PHRASES: Readonly<Record<Action, string>> = Object.freeze({
	read: 'read records',
	register: 'register people or households',
	update: 'change records',
	delete: 'delete records',
	assign: 'assign records to case workers',
	export: 'export bundles',
	import: 'import bundles',
	'verify-bundle': 'verify bundles',
	integrity: 'run the integrity check',
	metrics: 'see the log metrics',
	'view-all': "see other case workers' records",
	'manage-users': 'manage users',
	'publish-form': 'publish forms'
});

/** True when `user` is signed in and their role allows `action`. */
export function can(user: User | undefined, action: Action): boolean {
	return user !== undefined && isRole(user.role) && PERMISSIONS[user.role].has(action);
}

/** The role's name as it starts a sentence: "An administrator", "A case worker". */
function roleSubject(role: Role): string {
	const name = ROLE_NAMES[role];
	return name.charAt(0).toUpperCase() + name.slice(1);
}

/** Throws CasetrailError('not-signed-in') when nobody is signed in; returns the user otherwise. */
export function requireUser(user: User | undefined): User {
	if (user === undefined) throw new CasetrailError('not-signed-in', 'Sign in first: nothing can be read or recorded without a signed-in user.');
	return user;
}

/**
 * Returns the signed-in user when their role allows `action`. Throws CasetrailError('not-signed-in')
 * when nobody is signed in and CasetrailError('forbidden') naming the role and the action otherwise.
 */
export function assertCan(user: User | undefined, action: Action): User {
	const who = requireUser(user);
	if (!can(who, action)) {
		const role = isRole(who.role) ? roleSubject(who.role) : 'A user without a known role';
		throw new CasetrailError('forbidden', `${role} cannot ${ACTION_PHRASES[action]}. Ask a supervisor or an administrator.`);
	}
	return who;
}

/**
 * Who an entity belongs to, as far as access goes. `createdBy` is the userId of the event that
 * created the entity (see {@link createsEntity}); `caseWorker` is the user the last
 * assign-case-worker named.
 */
export interface EntityAccess {
	guid: string;
	createdBy?: string | undefined;
	caseWorker?: string | undefined;
}

/**
 * True when `user` may see `entity` and the events on it: administrators and supervisors see every
 * entity; a case worker sees the entities they created or are assigned to. Nobody signed in sees
 * nothing.
 */
export function canSee(user: User | undefined, entity: EntityAccess): boolean {
	if (user === undefined) return false;
	if (can(user, 'view-all')) return true;
	if (!can(user, 'read')) return false;
	return entity.createdBy === user.id || entity.caseWorker === user.id;
}

/**
 * Returns the signed-in user when they may see `entity`. Throws CasetrailError('not-signed-in') when
 * nobody is signed in and CasetrailError('forbidden') otherwise; the sentence names the entity but
 * nothing in it, because a refusal must not leak what it protects.
 */
export function assertCanSee(user: User | undefined, entity: EntityAccess): User {
	const who = requireUser(user);
	if (!canSee(who, entity)) {
		throw new CasetrailError('forbidden', `Record ${entity.guid} is neither registered by you nor assigned to you. Ask a supervisor to assign it to you.`);
	}
	return who;
}

/**
 * Returns the signed-in user when they may make a change of kind `action` to `entity`: their role
 * allows the action and they can see the entity. Throws as {@link assertCan} and
 * {@link assertCanSee} do, checking the role first.
 */
export function assertCanChange(user: User | undefined, action: Action, entity: EntityAccess): User {
	assertCan(user, action);
	return assertCanSee(user, entity);
}

/** What the user learns of a record they may not see: that it exists, by its id, and nothing of it. */
export interface HiddenRecord {
	guid: string;
	hidden: true;
	note: typeof NOT_VISIBLE;
}

export const NOT_VISIBLE = 'not visible to you';

export function hiddenRecord(guid: string): HiddenRecord {
	return { guid, hidden: true, note: NOT_VISIBLE };
}

/** True for a stub that stands in for a record the user may not see. */
export function isHidden(value: unknown): value is HiddenRecord {
	return typeof value === 'object' && value !== null && (value as { hidden?: unknown }).hidden === true;
}

/**
 * True when `event`, which `evolve` turned `before` into `result` with, created the entity: the first
 * event that applied to an entity that did not exist yet (a built-in `create-*`; an update or a
 * delete on a missing entity is skipped, so it never counts). An event that was skipped, such as an
 * imported update from a device whose clock was behind and so ordered first, never makes its author
 * the creator (issue 15).
 */
export function createsEntity(before: Entity | undefined, result: EvolveResult): boolean {
	return before === undefined && result.applied;
}

/**
 * The userId of the event that created the entity (see {@link createsEntity}), replaying `events` in
 * (timestamp, guid) order whichever order they come in, as the projection does. Undefined when no
 * event created it (no events, or none applied). Requires `events` to be of one entity.
 */
export function creatorOf(events: readonly CasetrailEvent[], registry?: ApplierRegistry): string | undefined {
	let entity: Entity | undefined;
	for (const event of [...events].sort(compareEvents)) {
		const result = evolve(entity, event, registry);
		if (createsEntity(entity, result)) return event.userId;
		entity = result.entity;
	}
	return undefined;
}
