/**
 * The one place where access is decided for every record the worker returns (architecture invariant
 * 9, issue 15). The API object is wrapped once (api.ts): whatever a method returns is walked, and
 * every record in it (an entity, or an event on one) that the signed-in user may not see is replaced
 * by a HiddenRecord (core/access.ts), however deep it sits: a household's members, a person's households, a
 * duplicate match, an inspected event. Methods still refuse a record asked for by its id and leave
 * hidden records out of their lists (so a page of a list is full); this walk is what keeps a record
 * that comes along with another from ever leaving the worker.
 */
import { assertCanSee, can, canSee, creatorOf, hiddenRecord, type EntityAccess, type User } from '../core/access';
import type { Entity } from '../core/appliers';
import type { CasetrailEvent } from '../core/event';
import { CasetrailError, type Result } from '../core/errors';
import type { CasetrailDb } from '../store/db';
import { getEntity, getEntityEvents } from '../store/read';

/**
 * Who created each of `guids` and who it is assigned to, for canSee: one read of the entity rows.
 * The creator comes from the row; a row written before rows kept it falls back to replaying the
 * entity's events with the same rule (core/access.ts creatorOf).
 */
export async function accessOf(db: CasetrailDb, guids: readonly string[]): Promise<Map<string, EntityAccess>> {
	const unique = [...new Set(guids)];
	const rows = await db.entities.bulkGet(unique);
	const access = new Map<string, EntityAccess>();
	await Promise.all(
		unique.map(async (guid, i) => {
			const row = rows[i];
			const createdBy = row?.createdBy ?? (row ? creatorOf((await getEntityEvents(db, guid)).map((stored) => stored.event)) : undefined);
			access.set(guid, { guid, createdBy, caseWorker: row?.entity?.caseWorker });
		})
	);
	return access;
}

/**
 * The entity `guid` for `user`, asked for by its id: 'not-found' when there is none, 'forbidden' when
 * the user may not see it (core/access.ts canSee, with {@link accessOf}).
 */
export async function visibleEntity(db: CasetrailDb, guid: string, user: User): Promise<Entity> {
	const entity = await getEntity(db, guid);
	if (!entity) throw new CasetrailError('not-found', 'No record with this id exists on this device.');
	assertCanSee(user, (await accessOf(db, [guid])).get(guid) ?? { guid });
	return entity;
}

/** Structurally an entity projection (core/appliers Entity). */
function isEntity(value: Record<string, unknown>): value is Record<string, unknown> & Entity {
	return typeof value.guid === 'string' && typeof value.type === 'string' && typeof value.data === 'object' && typeof value.deleted === 'boolean' && typeof value.version === 'number';
}

/** Structurally an event (core/event CasetrailEvent). */
function isEvent(value: Record<string, unknown>): value is Record<string, unknown> & CasetrailEvent {
	return typeof value.guid === 'string' && typeof value.entityGuid === 'string' && typeof value.type === 'string' && 'data' in value;
}

/** The entity a record is about, when `value` is a record. */
function recordOf(value: unknown): string | undefined {
	if (typeof value !== 'object' || value === null || Array.isArray(value) || ArrayBuffer.isView(value)) return undefined;
	const v = value as Record<string, unknown>;
	if (isEvent(v)) return v.entityGuid;
	if (isEntity(v)) return v.guid;
	return undefined;
}

function collect(value: unknown, into: Set<string>): void {
	if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value) || value instanceof Blob) return;
	const entityGuid = recordOf(value);
	if (entityGuid !== undefined) into.add(entityGuid);
	for (const child of Object.values(value)) collect(child, into);
}

function replace(value: unknown, visible: (entityGuid: string) => boolean): unknown {
	if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value) || value instanceof Blob) return value;
	const entityGuid = recordOf(value);
	if (entityGuid !== undefined && !visible(entityGuid)) return hiddenRecord((value as { guid: string }).guid);
	if (Array.isArray(value)) return value.map((child) => replace(child, visible));
	const out: Record<string, unknown> = {};
	for (const [key, child] of Object.entries(value)) out[key] = replace(child, visible);
	return out;
}

/**
 * `value` with every record `user` may not see replaced by a HiddenRecord. Someone who sees
 * every record gets `value` itself; nobody signed in sees no record.
 */
export async function revealTo<T>(db: CasetrailDb, user: User | undefined, value: T): Promise<T> {
	if (can(user, 'view-all')) return value;
	const guids = new Set<string>();
	collect(value, guids);
	if (guids.size === 0) return value;
	const access = await accessOf(db, [...guids]);
	const visible = (guid: string) => canSee(user, access.get(guid) ?? { guid });
	if ([...guids].every(visible)) return value;
	return replace(value, visible) as T;
}

type ApiMethod = (...args: never[]) => Promise<Result<unknown>>;

/**
 * `api` with every method's value passed through {@link revealTo} for the user signed in when the
 * method returns. A method's failure passes unchanged: an error names no record's content.
 */
export function gated<A extends Record<string, ApiMethod>>(db: CasetrailDb, user: () => User | undefined, api: A): A {
	const out: Record<string, ApiMethod> = {};
	for (const [name, method] of Object.entries(api)) {
		out[name] = async (...args: never[]) => {
			const returned = await method(...args);
			if (!returned.ok) return returned;
			return { ok: true, value: await revealTo(db, user(), returned.value) };
		};
	}
	return out as A;
}
