/**
 * The Dexie schema: the table of contents of what a device keeps. Runs in the worker only.
 *
 * DO NOT RENAME the database, a table or an index without a migration (a new `version(n)` with an
 * upgrade): devices in the field hold years of records under these names.
 *
 * Layout (docs/decisions/store-schema.md; shared note compact-ranges-storage.md §3):
 * - `events`: one row per leaf, keyed by the leaf index, and the whole Merkle tree with it. The
 *   canonical JSON is the leaf preimage and is byte-exact forever; the other event members are
 *   copied out only so indexes can use them. Every perfect node is stored on the row of the leaf
 *   whose append completed it: the leaf hash, node (0, seq), and the interior nodes (L, i) with
 *   (i+1)·2^L - 1 = seq, one per trailing 1-bit of seq. So an append writes one row per event for
 *   the log and its tree, and the integrity check reads each row once (bench/README.md: per-row
 *   cost dominates IndexedDB writes, so a second row per event cost a quarter of append speed).
 * - `entities`: the projection of each entity that has events, kept in step inside every append.
 * - `snapshots`: an entity's state after 64, 128, 256, ... of its events (store/fold.ts), so a late event re-projects from near it.
 * - `meta`: the compact range of the log ('head'), counters for metrics ('stats'), the number of
 *   rebuilds that changed the projections ('projections'), the check that a data key is this
 *   device's ('vault') and, with a vault, the sealed snapshot of the name order ('names',
 *   'names:<i>': name-index.ts).
 * - `users` (version 2): the people who use the device, each with their own wrapped copy of the data
 *   key (store/users.ts). With a vault installed (store/vault.ts) events, entities and snapshots are
 *   stored encrypted under that key.
 * - `keys`, `devices`, `peerNodes`, `forks`, `exports` (version 3, issue 7): bundle exchange, declared
 *   in exchange-schema.ts (this device's signing key, devices seen, fork evidence, exports).
 * - `entities.*memberGuids` (version 4): the households of a person by index (member-index.ts).
 * - `attachments` (version 5, issue 17): photos and signatures by their SHA-256, sealed like events;
 *   an event holds the reference (core/attachments.ts) and is stored in the same transaction.
 * - version 6: no `type` index on events; blind tokens stored as bytes (compact-tokens.ts).
 */
import Dexie, { type EntityTable } from 'dexie';
import { CasetrailError } from '../core/errors';
import type { CasetrailEvent } from '../core/event';
import type { Entity } from '../core/appliers/entity';
import type { Role } from '../core/access';
import type { SecretKind, UserKeyPair, WrappedKey } from '../crypto/keys';
import type { PinAttempts } from '../crypto/pin';
import { EXCHANGE_SCHEMA_VERSION, EXCHANGE_STORES, type ExchangeTables } from './exchange-schema';
import { fillMemberGuids } from './member-index';
import { compactTokens } from './compact-tokens';
import type { NameChunkValue, NameIndexValue } from './name-index';

export const DB_NAME = 'casetrail';

/** The schema version this build writes. A newer build raising it makes older tabs stop writing. */
export const SCHEMA_VERSION = 6;

/** Where an imported event was first recorded: the device and its leaf index there. */
export interface EventOrigin {
	deviceId: string;
	index: number;
}

/** 'local' until exported; 'exported' after; 'imported' when it came in a bundle. */
export type SyncStatus = 'local' | 'exported' | 'imported';

/** One stored leaf: the wire-form event and, beside it, local bookkeeping that is never hashed. */
export interface EventRow {
	/** Leaf index in this device's log: 0, 1, 2, ... Primary key. */
	seq: number;
	/** The canonical JSON (RFC 8785) that is the leaf preimage: byte-exact forever. */
	canonical: string;
	/** SHA-256(0x00 || UTF-8(canonical)): the tree node (0, seq). */
	leafHash: Uint8Array;
	/**
	 * The interior nodes this leaf completed, 32 bytes each, level 1 first: node (L, (seq+1) / 2^L - 1)
	 * for L = 1 .. the number of trailing 1-bits of seq. Absent when seq is even (none).
	 */
	nodes?: Uint8Array;
	// Copies of event members for the indexes; the integrity check compares them with `canonical`.
	guid: string;
	entityGuid: string;
	type: string;
	timestamp: string;
	/** Milliseconds since the epoch of `timestamp` (core instantOf), so indexes order by instant. */
	instant: number;
	sync: SyncStatus;
	/** For imported events: the device that recorded it and its leaf index there. */
	origin?: EventOrigin;
}


/** Where an event sits in the (instant, guid) order; kept beside entities and snapshots. */
export interface StoredPosition {
	instant: number;
	guid: string;
}

/**
 * The current projection of one entity guid that has events, kept in step with the log inside every
 * append. A guid whose events have not created an entity (an update that came before its create)
 * still has a row, with no `entity` and none of the indexed fields, so it appears in no list; the
 * row remembers how far the log has been folded so a late create re-projects the whole history.
 */
export interface EntityRow {
	guid: string;
	/** The last event folded in, in (instant, guid) order. */
	last: StoredPosition;
	/** Number of the entity's events folded in (applied or skipped). */
	count: number;
	/**
	 * userId of the entity's first event in (instant, guid) order, for who may see it (core access).
	 * Absent on rows written before it was kept; readers then take it from the events, and a rebuild
	 * of the records fills it in.
	 */
	createdBy?: string;
	entity?: Entity;
	// Index fields, present only when `entity` is.
	type?: string;
	deleted?: 0 | 1;
	/** Instant of `entity.lastUpdated`, for the "recently updated" list. */
	updatedAt?: number;
	/** Normalized words of the name and ids, for search as you type (multi-entry index). */
	words?: string[];
	/** Sort key: the normalized display name. */
	sortName?: string;
	/**
	 * Guids of the current members, for "the households this person is in" (multi-entry index).
	 * Present when the entity has a member list (groups), even an empty one.
	 */
	memberGuids?: string[];
}

/** The state of an entity after the first `position` of its events in (instant, guid) order. */
export interface SnapshotRow {
	entityGuid: string;
	/** Number of the entity's events folded into this state. */
	position: number;
	/** The last event folded in. */
	last: StoredPosition;
	/** Absent while the events so far have not created the entity. */
	entity?: Entity;
}

/**
 * The state of the log, rewritten by every append: the compact range (everything needed to extend
 * the tree) and the counters of the metrics, which are exact because they change in the same
 * transaction as the events they count.
 */
export interface HeadValue {
	size: number;
	/** One hash per 1-bit of `size`, largest block first. */
	frontier: Uint8Array[];
	/** Sum of the canonical byte lengths of all stored events. */
	bytes: number;
	/** Stored events per type. */
	types: Record<string, number>;
	/**
	 * This device's signed checkpoints (its exports) when the head was written: how many and the
	 * largest size. Carried by every append, so deleting export rows shows against an authentic head.
	 */
	signed?: { count: number; size: number };
	/** HMAC-SHA-256 of the rest under a key derived from the data key (head-mac.ts); absent without a vault. */
	mac?: Uint8Array;
	/** A bundle import under way (store/import.ts): only its own chunks append meanwhile. Not covered by the MAC. */
	importing?: ImportMarker;
}

/**
 * The mark of a bundle import that appends in chunks (store/import.ts). While it is in the head,
 * every other append and every export is refused with 'import-running'; an import that stops midway
 * (a failure, a closed tab) is undone from it: the log cut back to `before`, the records rebuilt.
 */
export interface ImportMarker {
	id: string;
	/** The head as it was before the import's first chunk, with its MAC: what an undo restores. */
	before: HeadValue;
	/** The device whose bundle is imported. */
	deviceId: string;
	/** No row of that device was here: every peer node of it belongs to this import. */
	newDevice: boolean;
	startedAt: string;
	/** Set once an undo has cut the log back, until the records are rebuilt. */
	undoing?: true;
}

/** Counters of what was refused, written only when an append is rejected (so never by a good append). */
export interface StatsValue {
	/** Events in appends that were rejected whole (invalid, conflicting, out of space). */
	failedEvents: number;
}

/**
 * How many rebuilds have changed the projections. A rebuild rewrites rows without moving the head,
 * so what a connection keeps of the projections in memory (the vault's name order) is current only
 * while this count is the one it was built at: another tab may have rebuilt meanwhile.
 */
export interface ProjectionsValue {
	rebuilt: number;
}

/** Proof that a data key is this device's: a fixed text sealed under it at setup. */
export interface VaultValue {
	check: Uint8Array;
}

/**
 * The current version of every user's profile, sealed under the data key (store/users.ts): a user
 * row whose sealed version is not the one here (a removed user's row put back, a copy from before a
 * role change) is refused at sign-in. Sealed as a whole, so no entry can be edited or dropped alone.
 */
export interface RosterValue {
	sealed: Uint8Array;
}

/** Left by the version 4 upgrade when sealed entity rows still lack `memberGuids` (member-index.ts). */
export interface MemberIndexValue {
	pending: true;
}

/**
 * A data key rotation under way (store/rotation.ts): where it has got to, sealed under the NEW data
 * key, which every remaining user's row holds wrapped to their public key (`pair.next`) until it ends.
 */
export interface RotationValue {
	sealed: Uint8Array;
}

export type MetaRow =
	| { key: 'head'; value: HeadValue }
	| { key: 'stats'; value: StatsValue }
	| { key: 'projections'; value: ProjectionsValue }
	| { key: 'vault'; value: VaultValue }
	| { key: 'memberIndex'; value: MemberIndexValue }
	| { key: 'roster'; value: RosterValue }
	| { key: 'rotation'; value: RotationValue }
	/** The device id of an unsealed signing key kept from before keys were sealed (legacy-device-key.ts). */
	| { key: 'legacyDeviceKey'; value: { sealed: Uint8Array } }
	/** The sealed, chunked snapshot of the name order of a vault database: header, then chunks (name-index.ts). */
	| { key: 'names'; value: NameIndexValue }
	| { key: `names:${number}`; value: NameChunkValue };

/** A person who uses the device. No secret is stored: only the data key wrapped under theirs. */
export interface UserRow {
	id: string;
	/** Shown in clear on the sign-in screen, before anything is unlocked. */
	name: string;
	role: Role;
	createdAt: string;
	createdBy: string;
	secretKind: SecretKind;
	/**
	 * Rows stored before key pairs (issue 15): the data key wrapped under a key derived from the
	 * user's passphrase (or, from older builds, PIN). Replaced by `pair` at the user's next
	 * passphrase sign-in; absent from rows made since.
	 */
	key?: WrappedKey;
	/**
	 * The user's ECDH key pair: the private key wrapped under their passphrase, the data key wrapped
	 * to the public key (docs/decisions/0007-data-key-rotation.md), so a rotation wraps a new data key
	 * for every remaining user without their passphrases.
	 */
	pair?: UserKeyPair;
	/**
	 * Wrong PIN tries of a PIN slot, from builds before issue 15. Written fresh, never read: PIN slots
	 * no longer sign in, and quick-unlock tries are counted in worker memory (worker/quick-unlock.ts).
	 */
	attempts: PinAttempts;
	/**
	 * id, name, role, createdAt, createdBy and the profile's version (meta 'roster') sealed under the
	 * data key: an edited role, or an older copy of the row, fails sign-in.
	 */
	profile: Uint8Array;
}

/**
 * The bytes of one attachment (a photo, a signature), keyed by their SHA-256. With a vault the bytes
 * are sealed on disk (associated data `attachment:<sha256>`); `size` stays clear and is indexed, so
 * the storage page sums it from the index without opening a row.
 */
export interface AttachmentRow {
	/** 64 lowercase hex digits: SHA-256 of `bytes`. Primary key. */
	sha256: string;
	/** Length of `bytes`. */
	size: number;
	bytes: Uint8Array;
}

export type CasetrailDb = Dexie & {
	events: EntityTable<EventRow, 'seq'>;
	entities: EntityTable<EntityRow, 'guid'>;
	snapshots: Dexie.Table<SnapshotRow, [string, number]>;
	meta: Dexie.Table<MetaRow, MetaRow['key']>;
	users: EntityTable<UserRow, 'id'>;
	attachments: EntityTable<AttachmentRow, 'sha256'>;
} & ExchangeTables;

/** Options of {@link openDb}. Tests pass fake-indexeddb's factory here. */
export interface OpenOptions {
	indexedDB?: IDBFactory;
	IDBKeyRange?: typeof IDBKeyRange;
}

// Connections that a newer build has asked to close. A WeakSet keeps no Dexie instance alive.
const outdated = new WeakSet<Dexie>();

/** True when a newer build upgraded the database and this connection was closed for it. */
export function isOutdated(db: Dexie): boolean {
	return outdated.has(db);
}

/** The error every call on an outdated connection gets. */
export function schemaOutdatedError(): CasetrailError {
	return new CasetrailError('schema-outdated', 'A newer version of Casetrail was opened in another tab and upgraded the database. Reload this tab to keep working.');
}

/**
 * Opens (and creates or upgrades) the database. `name` lets tests keep databases apart.
 *
 * When a newer build upgrades the schema, this connection closes and stays closed (it never reopens
 * by itself with its older schema), and every later call fails with 'schema-outdated'.
 */
export function openDb(name: string = DB_NAME, options: OpenOptions = {}): CasetrailDb {
	const dexieOptions: { indexedDB?: IDBFactory; IDBKeyRange?: typeof IDBKeyRange } = {};
	if (options.indexedDB) dexieOptions.indexedDB = options.indexedDB;
	if (options.IDBKeyRange) dexieOptions.IDBKeyRange = options.IDBKeyRange;
	const db = new Dexie(name, dexieOptions) as CasetrailDb;
	// Dexie's liveQuery machinery: 'Observability' records the keys every readwrite transaction
	// touches and broadcasts them to every tab and worker of the origin, 'Cache' keeps query results
	// for live queries. Casetrail has no live query (its worker tells other tabs what changed on its
	// own channel), and the two cost about 0.3 ms of a 3 ms single append (bench/README.md).
	db.unuse({ stack: 'dbcore', name: 'Observability' });
	db.unuse({ stack: 'dbcore', name: 'Cache' });
	db.version(1).stores({
		// seq = leaf index (reading the log in order, paging by position); guid: unique, an event by
		// its id and the immutability check; an entity's history in (instant, guid) order; by type;
		// by instant (time windows).
		events: 'seq, &guid, [entityGuid+instant+guid], type, instant',
		// Lists: by name and by last update (entries with equal keys are in guid order, the primary
		// key, so a page cursor is exact); search as you type by word prefix.
		entities: 'guid, sortName, updatedAt, *words',
		snapshots: '[entityGuid+position]',
		meta: 'key'
	});
	// Version 2 (issue 8): users and their wrapped keys. Nothing to migrate: the table is new.
	db.version(2).stores({
		users: 'id'
	});
	// Version 3 (issue 7): bundle exchange. Nothing to migrate: every table is new.
	db.version(EXCHANGE_SCHEMA_VERSION).stores(EXCHANGE_STORES);
	// Version 4: the households of a person by index, not by reading every add-member event. The
	// upgrade fills the new field on existing rows (sealed ones after sign-in: member-index.ts).
	db.version(4)
		.stores({ entities: 'guid, sortName, updatedAt, *words, *memberGuids' })
		.upgrade(fillMemberGuids);
	// Version 5 (issue 17): attachments by their hash, with their size indexed (bytes used by photos).
	// Nothing to migrate: the table is new.
	db.version(5).stores({ attachments: 'sha256, size' });
	// Version 6 (issue 20: storage): the `type` index of events is gone (no query used it; the row
	// keeps the copy, which the integrity check compares), and the blind tokens of sealed entity rows
	// are stored as 8 bytes instead of 16 hex digits (compact-tokens.ts).
	db.version(6)
		.stores({ events: 'seq, &guid, [entityGuid+instant+guid], instant' })
		.upgrade(compactTokens);
	db.on('versionchange', () => {
		outdated.add(db);
		db.close({ disableAutoOpen: true });
		return false;
	});
	// Dexie 4 opens a database that is already at a higher version instead of failing, so an older
	// build would write into a schema it does not know. IndexedDB versions are Dexie's times 10
	// (plus small patch steps), hence the floor.
	db.on('ready', () => {
		if (Math.floor(db.backendDB().version / 10) > SCHEMA_VERSION) {
			outdated.add(db);
			return Promise.reject(schemaOutdatedError());
		}
		return undefined;
	});
	return db;
}

export type { CasetrailEvent };
