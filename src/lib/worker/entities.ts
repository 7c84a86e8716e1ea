/**
 * The worker API for entities: commands that record changes, and the reads the case worker's pages
 * make (lists, an entity with its households, its audit trail, time travel).
 */
import { decide, type Command } from '../core/commands';
import { auditTrail, type AuditEntry } from '../core/audit';
import { exportTables, type EntityTrail, type Table } from '../core/tables';
import { entityAsOf, entityAsOfEvent } from '../core/projection';
import { assertCan, assertCanSee, can, canSee, type EntityAccess, type HiddenRecord, type User } from '../core/access';
import type { Entity } from '../core/appliers';
import type { CasetrailEvent } from '../core/event';
import { bytesToHex } from '../core/encoding';
import { appendEvents } from '../store/append';
import { releaseStaged, stagedFor } from './attachments';
import { checkLocation, type GeoLocation } from '../core/location';
import { guarded } from '../store/errors';
import { completeMemberIndex } from '../store/member-index';
import { getMetrics } from '../store/metrics';
import { getEntity, getEntityEvents, getTreeHead, listEntities, type EntityPage, type EntityQuery } from '../store/read';
import { commandEnv, result, type WorkerContext } from './context';
import { accessOf as accessOfGuids, visibleEntity } from './visibility';
import type { Result } from '../core/errors';
import { appendRateOf } from './rate';
import { duplicateCandidates, duplicateReasons, rankMatches, type DuplicateMatch, type DuplicateQuery, type DuplicateReport } from './duplicates';

export type { DuplicateMatch, DuplicateQuery, DuplicateReason, DuplicateReport } from './duplicates';

/** At most this many records are looked at for one list page of someone who sees only some records. */
const CASE_WORKER_SCAN = 1000;

/** Candidates read per looked-up word (by id or phone; on a store without a vault, by name too): bounds the check on a very common value. */
const DUPLICATE_CANDIDATES = 5000;
/** Entities read per page while gathering the export tables. */
const EXPORT_PAGE = 500;

/** Matches returned: more than a person can compare on a phone screen is no help. */
const DUPLICATE_MATCHES = 20;

/** Options of `execute`. */
export interface ExecuteOptions {
	/** Where the change is recorded: written into each event's metadata. */
	location?: GeoLocation;
}

export interface ExecuteResult {
	events: CasetrailEvent[];
	/** The entity the command changed, as it is now. */
	entity: Entity | undefined;
	size: number;
	root: string;
}

export interface EntityView {
	entity: Entity;
	/** Groups (households) this entity is a member of, with its role there; hidden when the user may not see one. */
	memberOf: { group: Entity | HiddenRecord; role: string | undefined }[];
	/** The members of a group, resolved (hidden when the user may not see one); empty for an individual. */
	members: { entity: Entity | HiddenRecord | undefined; guid: string; role: string | undefined }[];
}

export interface StatusView {
	size: number;
	root: string;
	individuals: number;
	groups: number;
	/** Sum of the canonical bytes of the stored events (about what an export of them all holds). */
	eventBytes: number;
	user: User | undefined;
}

/** Entity commands and reads. */
export function entitiesApi(ctx: WorkerContext) {
	const { db } = ctx;

	/**
	 * The households `guid` is a member of now, from the `*memberGuids` index of the entities table
	 * (store/member-index.ts): one index lookup, whatever the size of the log. In group guid order.
	 */
	async function groupsOf(guid: string): Promise<EntityView['memberOf']> {
		return guarded(db, async () => {
			await completeMemberIndex(db);
			const rows = await db.entities.where('memberGuids').equals(guid).toArray();
			const memberOf: EntityView['memberOf'] = [];
			for (const { entity: group } of rows) {
				const member = group?.members?.find((m) => m.guid === guid);
				if (group && member) memberOf.push({ group, role: member.role });
			}
			return memberOf;
		});
	}

	/** Who created each entity and who it is assigned to, for canSee (visibility.ts). */
	async function accessOfAll(entities: readonly Entity[]): Promise<EntityAccess[]> {
		const access = await accessOfGuids(db, entities.map((entity) => entity.guid));
		return entities.map((entity) => access.get(entity.guid) ?? { guid: entity.guid });
	}

	async function accessOf(entity: Entity): Promise<EntityAccess> {
		return (await accessOfAll([entity]))[0] as EntityAccess;
	}

	return {
		/**
		 * Validates a command, turns it into events and appends them in one transaction. With
		 * `options.location` (the browser's position, where the programme records it), every event's
		 * metadata carries it ('validation-failed' when it is not a position).
		 */
		execute(command: Command, options: ExecuteOptions = {}): Promise<Result<ExecuteResult>> {
			return result(async () => {
				const user = assertCan(ctx.user(), commandAction(command));
				const targets = commandTargets(command);
				const known = new Map<string, Entity>();
				for (const guid of targets) {
					const entity = await getEntity(db, guid);
					if (entity) {
						if (command.type !== 'register-individual' && command.type !== 'create-group') assertCanSee(user, await accessOf(entity));
						known.set(guid, entity);
					}
				}
				const env = await commandEnv(ctx, user.id);
				if (options.location !== undefined) env.metadata = { ...env.metadata, location: checkLocation(options.location) };
				const events = decide(command, known, env);
				// The photos the command references, held since the page handed them over (attachments.ts).
				const appended = await appendEvents(db, events, { rate: appendRateOf(ctx), attachments: stagedFor(ctx, events) });
				releaseStaged(ctx, events);
				ctx.announce({ size: appended.size });
				const changed = events[0]?.entityGuid;
				return {
					events,
					entity: changed ? await getEntity(db, changed) : undefined,
					size: appended.size,
					root: bytesToHex(appended.root)
				};
			});
		},

		/** One entity with its households and members, if the user may see it. */
		entity(guid: string): Promise<Result<EntityView>> {
			return result(async () => {
				const user = assertCan(ctx.user(), 'read');
				const entity = await visibleEntity(db, guid, user);
				const members = await Promise.all(
					(entity.members ?? []).map(async (m) => ({ guid: m.guid, role: m.role, entity: await getEntity(db, m.guid) }))
				);
				const memberOf = entity.type === 'individual' ? await groupsOf(guid) : [];
				return { entity, members, memberOf };
			});
		},

		/**
		 * A page of the entities the user may see, searched and sorted in the store. For someone who
		 * sees only some records, the store is read on, a short page at a time (so the cursor is always
		 * a page end), until the page is full or {@link CASE_WORKER_SCAN} rows were looked at; a page
		 * can then be short with a `next` to read on from.
		 */
		listEntities(query: EntityQuery): Promise<Result<EntityPage>> {
			return result(async () => {
				const user = assertCan(ctx.user(), 'read');
				if (can(user, 'view-all')) return listEntities(db, query);
				const limit = query.limit ?? 50;
				const visible: Entity[] = [];
				let page: EntityPage = { entities: [], next: query.after ?? null };
				let scanned = 0;
				do {
					const after = page.next ?? undefined;
					page = await listEntities(db, { ...query, limit: limit - visible.length, ...(after && { after }) });
					const access = await accessOfAll(page.entities);
					page.entities.forEach((entity, i) => {
						if (canSee(user, access[i] as EntityAccess)) visible.push(entity);
					});
					scanned += page.entities.length;
				} while (page.next && visible.length < limit && scanned < CASE_WORKER_SCAN);
				return { entities: visible, next: page.next };
			});
		},

		/** The audit trail of one entity: who changed what, when and why, field by field. */
		history(guid: string): Promise<Result<AuditEntry[]>> {
			return result(async () => {
				const user = assertCan(ctx.user(), 'read');
				await visibleEntity(db, guid, user);
				const events = (await getEntityEvents(db, guid)).map((row) => row.event);
				return auditTrail(events);
			});
		},

		/**
		 * The flat tables of core/tables.ts (individuals, households, members, audit trail) of every
		 * record the user may see, deleted ones included: the registry's `casetrail export`, for one
		 * device.
		 */
		exportTables(): Promise<Result<Table[]>> {
			return result(async () => {
				const user = assertCan(ctx.user(), 'read');
				const all = can(user, 'view-all');
				const visible: Entity[] = [];
				let after: EntityPage['next'] = null;
				do {
					const page: EntityPage = await listEntities(db, { deleted: 'include', limit: EXPORT_PAGE, ...(after && { after }) });
					const access = all ? [] : await accessOfAll(page.entities);
					page.entities.forEach((entity, i) => {
						if (all || canSee(user, access[i] as EntityAccess)) visible.push(entity);
					});
					after = page.next;
				} while (after);
				const trails: EntityTrail[] = [];
				for (const entity of visible) {
					trails.push({ entityGuid: entity.guid, entries: auditTrail((await getEntityEvents(db, entity.guid)).map((row) => row.event)) });
				}
				return exportTables(visible, trails);
			});
		},

		/** The entity as it was at an instant, or right after one of its events. */
		entityAsOf(guid: string, at: { instant: string } | { eventGuid: string }): Promise<Result<Entity | undefined>> {
			return result(async () => {
				const user = assertCan(ctx.user(), 'read');
				await visibleEntity(db, guid, user);
				const events = (await getEntityEvents(db, guid)).map((row) => row.event);
				return 'instant' in at ? entityAsOf(events, guid, at.instant) : entityAsOfEvent(events, guid, at.eventGuid);
			});
		},

		/**
		 * People already on the device who may be the one `query` describes (see duplicates.ts). Runs
		 * before a registration is saved; matches on records the user may not open are only counted.
		 */
		findDuplicates(query: DuplicateQuery): Promise<Result<DuplicateReport>> {
			return result(async () => {
				const user = assertCan(ctx.user(), 'read');
				const found: DuplicateMatch[] = [];
				for (const row of await guarded(db, () => duplicateCandidates(db, query, DUPLICATE_CANDIDATES))) {
					const entity = row.entity;
					if (!entity) continue;
					const reasons = duplicateReasons(query, entity);
					if (reasons.length > 0) found.push({ entity, reasons });
				}
				const access = await accessOfAll(found.map((match) => match.entity));
				const matches = found.filter((_, i) => canSee(user, access[i] as EntityAccess));
				return { matches: rankMatches(matches).slice(0, DUPLICATE_MATCHES), hidden: found.length - matches.length };
			});
		},

		/**
		 * Counts and the tree head, for the home page. Individuals and households are counted by their
		 * creating events, so a deleted record still counts (it stays on the device, marked deleted).
		 */
		status(): Promise<Result<StatusView>> {
			return result(async () => {
				// The creation counters kept by every append: O(1) at any size, and readable while locked
				// (the entities table has no type index, and counting rows would open every one).
				const [head, metrics] = await Promise.all([getTreeHead(db), getMetrics(db)]);
				const types = metrics.eventTypeDistribution;
				return {
					size: head.size,
					root: bytesToHex(head.root),
					individuals: types['create-individual'] ?? 0,
					groups: types['create-group'] ?? 0,
					eventBytes: Math.round(metrics.averageEventSize * metrics.totalEvents),
					user: ctx.user()
				};
			});
		}
	};
}

/** The permission a command needs. */
function commandAction(command: Command) {
	switch (command.type) {
		case 'register-individual':
		case 'create-group':
			return 'register' as const;
		case 'update-entity':
		case 'add-member':
		case 'remove-member':
			return 'update' as const;
		case 'delete-entity':
			return 'delete' as const;
		case 'assign-case-worker':
			return 'assign' as const;
	}
}

/** The entities a command reads before it decides. */
function commandTargets(command: Command): string[] {
	switch (command.type) {
		case 'register-individual':
		case 'create-group':
			return [];
		case 'add-member':
		case 'remove-member':
			return [command.groupGuid, command.memberGuid];
		default:
			return [command.entityGuid];
	}
}
