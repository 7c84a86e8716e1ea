/**
 * Who recorded an event, readable on every device (issue 15, point 8): a device describes its users
 * in `describe-user` events, so their names and roles travel in bundles like every other event,
 * under the Merkle tree and the signed checkpoint. A Casetrail extension, documented in
 * docs/user-profiles.md; spec/projection.md is unchanged.
 *
 * `describe-user` is recorded on the fixed entity guid {@link USERS_ENTITY} (every description is
 * read with one index lookup, as forms are): `data = { userId, name, role }` and nothing else; never
 * a secret, a key, a salt or PIN data. It has no applier: the projection reports it as skipped
 * (`no-applier`) and it appears in no list of records.
 *
 * A description is shown as the claim of the device that signed the bundle that brought it (its
 * signer), never of its `metadata.deviceId`, which whoever wrote the event chose. When several
 * describe the same user id, {@link describedUsers} prefers a first-hand one (its signer is the
 * device its `metadata.deviceId` names) over a relayed one, then one not dated after the reading
 * device's clock over a future-dated one, then the last in event order (timestamp, then guid).
 * Data coming from another device is attacker-controlled: a description that is not exactly the
 * shape below is refused with `profile-invalid` by a receiving device (the whole bundle, like the
 * bundle limits) and ignored by {@link describedUsers}.
 */
import { isRole, type Role } from './access';
import { CasetrailError } from './errors';
import { compareEvents, instantOf, isPlainObject, validateEvent, type CasetrailEvent, type EventContext, type EventMetadata } from './event';

/** The event type. */
export const DESCRIBE_USER = 'describe-user';
/** The entity guid every `describe-user` event is recorded on. */
export const USERS_ENTITY = 'casetrail-users';
/** Longest name and user id a description may carry, in characters (a user's name on a device is at most 100). */
export const MAX_PROFILE_TEXT = 100;

/** The members of a description's data, and no others. */
const DATA_KEYS = ['name', 'role', 'userId'] as const;

/** What one `describe-user` event says. */
export interface Description {
	/** The user id events carry in `userId`. */
	id: string;
	name: string;
	role: Role;
	/** The describing event's guid and timestamp. */
	eventGuid: string;
	describedAt: string;
}

/** A user as the description that counts (see {@link describedUsers}) says they are. */
export interface DescribedUser extends Description {
	/**
	 * The device that signed the bundle that brought the description (on the device that recorded
	 * it: that device), whose claim it is; absent when not known. Never read from the event.
	 */
	deviceId?: string;
	/** True when that device is also the one the event's `metadata.deviceId` names (not relayed). */
	firstHand: boolean;
}

/** An event as a device holds it, with the device that signed the bundle that brought it. */
export interface SignedEvent {
	event: CasetrailEvent;
	/**
	 * The importing device's stored origin of the event (the device whose signed bundle first brought
	 * it), this device's own id for an event it recorded, or the bundle's signer in `casetrail show`.
	 */
	signer: string | undefined;
}

/** What a device knows of who it is describing: its user table's row, never more. */
export interface UserDescription {
	id: string;
	name: string;
	role: Role;
}

/** Where and when a description is recorded. */
export interface DescriptionEnv {
	now(): Date;
	newGuid(): string;
	/** Who records it: the signed-in user. */
	userId: string;
	metadata?: EventMetadata;
	context?: EventContext;
}

function problem(message: string): never {
	throw new CasetrailError('profile-invalid', message);
}

/** Printable one-line text: no control characters, no line or paragraph separators. */
function isPlainText(value: string): boolean {
	return !/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(value);
}

function checkText(value: unknown, what: string): string {
	if (typeof value !== 'string') problem(`A user description's ${what} must be text.`);
	if (value.length === 0 || value.length > MAX_PROFILE_TEXT || value.trim() !== value) {
		problem(`A user description's ${what} must be 1 to ${MAX_PROFILE_TEXT} characters without leading or trailing spaces (this one has ${value.length}).`);
	}
	if (!isPlainText(value)) problem(`A user description's ${what} must be one line of printable text.`);
	return value;
}

/** Checks `data` is exactly `{ userId, name, role }` with valid values; throws profile-invalid. */
function checkData(data: unknown): { userId: string; name: string; role: Role } {
	if (!isPlainObject(data)) problem('A user description must carry an object.');
	const keys = Object.keys(data).sort();
	if (keys.length !== DATA_KEYS.length || keys.some((key, i) => key !== DATA_KEYS[i])) {
		problem('A user description carries exactly userId, name and role, and nothing else.');
	}
	const userId = checkText(data.userId, 'userId');
	const name = checkText(data.name, 'name');
	if (!isRole(data.role)) problem('A user description\'s role must be administrator, supervisor or case-worker.');
	return { userId, name, role: data.role };
}

/** The `describe-user` event of `user` (its name and role as the device holds them), recorded by `env`'s user. */
export function describeUserEvent(user: UserDescription, env: DescriptionEnv): CasetrailEvent {
	const data = checkData({ userId: user.id, name: user.name, role: user.role });
	const out: CasetrailEvent = { guid: env.newGuid(), entityGuid: USERS_ENTITY, type: DESCRIBE_USER, data, timestamp: env.now().toISOString(), userId: env.userId, version: 1 };
	if (env.metadata && Object.keys(env.metadata).length > 0) out.metadata = structuredClone(env.metadata);
	if (env.context && Object.keys(env.context).length > 0) out.context = structuredClone(env.context);
	return validateEvent(out);
}

/**
 * The user a `describe-user` event describes. Throws CasetrailError('profile-invalid') when it is
 * not on {@link USERS_ENTITY}, is of another version, or its data is not exactly `{ userId, name,
 * role }` with a user id and a name of 1 to 100 printable characters and a known role.
 */
export function readDescription(event: CasetrailEvent): Description {
	if (event.type !== DESCRIBE_USER) problem(`${event.type} does not describe a user.`);
	if (event.entityGuid !== USERS_ENTITY) problem(`A user description is recorded on ${USERS_ENTITY}, not on another entity.`);
	if (event.version !== undefined && event.version !== 1) problem('This device reads version 1 of describe-user only.');
	const { userId, name, role } = checkData(event.data);
	return { id: userId, name, role, eventGuid: event.guid, describedAt: event.timestamp };
}

/**
 * Checks every `describe-user` event among `events` (a received bundle's), in bundle order, and
 * throws profile-invalid for the first that is not a valid description, naming its log position.
 */
export function checkDescriptions(events: readonly CasetrailEvent[], from = 0): void {
	for (let i = 0; i < events.length; i++) {
		const event = events[i] as CasetrailEvent;
		if (event.type !== DESCRIBE_USER && event.entityGuid !== USERS_ENTITY) continue;
		try {
			readDescription(event);
		} catch (e) {
			if (e instanceof CasetrailError) throw new CasetrailError('profile-invalid', `The event at log position ${from + i} is not a valid user description: ${e.message} The whole bundle is refused.`);
			throw e;
		}
	}
}

/**
 * The user each id is described as among `events`, each with the device that signed the bundle that
 * brought it. Of the valid descriptions of an id, the one that counts is, in this order of preference:
 *
 * 1. first-hand: its signer is the device its `metadata.deviceId` names, so that device signed it;
 *    a relayed one (signed by another device, or whose signer is unknown) counts only when no
 *    first-hand one exists (unless `firstHandFirst` is false, for a device asking whether its own
 *    description is the latest);
 * 2. not dated after `now` (the reading device's clock, ms since the epoch): a future-dated one
 *    counts only when no other does;
 * 3. the last in event order (timestamp, then guid).
 *
 * So a description forged by a relaying device in another device's name, or dated in the future,
 * does not replace that device's own. Events that are not valid descriptions are left out.
 */
export function describedUsers(events: readonly SignedEvent[], now: number, options: { firstHandFirst?: boolean } = {}): Map<string, DescribedUser> {
	const firstHandFirst = options.firstHandFirst ?? true;
	const byId = new Map<string, { user: DescribedUser; rank: number }>();
	for (const { event, signer } of [...events].sort((a, b) => compareEvents(a.event, b.event))) {
		if (event.type !== DESCRIBE_USER) continue;
		let described: Description;
		try {
			described = readDescription(event);
		} catch {
			continue;
		}
		const firstHand = signer !== undefined && signer.length > 0 && event.metadata?.deviceId === signer;
		const rank = (firstHandFirst && firstHand ? 2 : 0) + (instantOf(event) > now ? 0 : 1);
		const held = byId.get(described.id);
		// Sorted in event order: a later description of the same or a better rank replaces the one held.
		if (held && held.rank > rank) continue;
		const user: DescribedUser = { ...described, ...(signer !== undefined && signer.length > 0 ? { deviceId: signer } : {}), firstHand };
		byId.set(described.id, { user, rank });
	}
	return new Map([...byId].map(([id, { user }]) => [id, user]));
}
