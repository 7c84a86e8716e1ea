/**
 * Appending to the log: one readwrite transaction per call (one event or a batch) over the event
 * rows, the Merkle nodes, the entity projections, their snapshots and the head (invariant 2). The
 * transaction reads the head it extends, so appends from two tabs interleave safely: IndexedDB runs
 * readwrite transactions over the same tables one after the other.
 *
 * Nothing inside the transaction awaits anything but IndexedDB: validation, canonical JSON and leaf
 * hashes do not depend on the log and are computed before it starts; the merges with the frontier
 * (one hash per event amortized, invariant 3) and the projections use the synchronous SHA-256 and
 * evolve inside it.
 */
import Dexie from 'dexie';
import type { ApplierRegistry } from '../core/appliers';
import { createRegistry } from '../core/appliers';
import { canonicalJson } from '../core/canonical';
import { CasetrailError, isCasetrailError } from '../core/errors';
import { instantOf, validateEvent, type CasetrailEvent } from '../core/event';
import { CompactRange, HASH_SIZE, leafHash } from '../core/merkle';
import { attachmentHash, eventReferences, type AttachmentRef } from '../core/attachments';
import { presealAttachment, presealAttachmentAsync } from './vault';
import { bytesToHex } from '../core/encoding';
import { assertSessionKeyCurrent } from './key-check';
import { authenticateHead, forgedHead, headAuthenticity } from './head-mac';
import type { AttachmentRow, CasetrailDb, EntityRow, EventOrigin, EventRow, HeadValue, SnapshotRow, StatsValue, StoredPosition } from './db';
import { guarded } from './errors';
import { comparePositions, DEFAULT_FIRST_SNAPSHOT, entityRow, foldInto, type FoldItem, type FoldState, type SkippedEvent } from './fold';
import type { AppendRate } from './rate';

/** Options of {@link appendEvents}. */
export interface AppendOptions {
	/**
	 * Import bookkeeping, one entry per event at the same position: where an imported event was
	 * first recorded. An event with an origin is stored with sync status 'imported'; one without is
	 * 'local'. Never hashed (invariant 6).
	 */
	origins?: readonly (EventOrigin | undefined)[];
	/** The appliers the projections use; the shipped registry when absent. */
	registry?: ApplierRegistry;
	/** An entity's state is snapshotted after this many of its events, then each time their count doubles (default 64; fold.ts). */
	firstSnapshot?: number;
	/** Receives the number of events appended and the time the call took, for metrics. */
	rate?: AppendRate;
	/**
	 * The bytes of attachments the events reference (core/attachments.ts), stored in the same
	 * transaction as the events. Every reference in the events must be to bytes given here or already
	 * stored; given bytes no event references are not stored.
	 */
	attachments?: readonly Uint8Array[];
	/**
	 * The leaf hash of each event at the same position, as a bundle's verification computed them from
	 * the same canonical bytes (store/import.ts): used instead of hashing each event again.
	 */
	leafHashes?: readonly Uint8Array[];
	/** The id of the import whose chunk this is: the one append allowed while its mark is in the head. */
	importId?: string;
}

/** What an append did. */
export interface AppendResult {
	/** The leaf index of each given event, in the order given; a duplicate gets its stored index. */
	seqs: number[];
	/** Events newly stored. */
	appended: number;
	/** Events already stored with identical bytes: no-ops. */
	duplicates: number;
	/** Size of the log after the append. */
	size: number;
	/** RFC 6962 root of the log after the append. */
	root: Uint8Array;
	/** New events that were stored but did not change their entity, and why (they stay in the log). */
	skipped: SkippedEvent[];
}

/** An event made ready outside the transaction: everything that does not depend on the log. */
interface Prepared {
	event: CasetrailEvent;
	canonical: string;
	leafHash: Uint8Array;
	bytes: number;
	position: StoredPosition;
	origin: EventOrigin | undefined;
}

const utf8 = new TextEncoder();

let sharedRegistry: ApplierRegistry | undefined;

/** The shipped registry, made once: building it registers every built-in type and upcaster. */
export function defaultAppendRegistry(): ApplierRegistry {
	sharedRegistry ??= createRegistry();
	return sharedRegistry;
}


function isOrigin(value: unknown): value is EventOrigin {
	if (typeof value !== 'object' || value === null) return false;
	const { deviceId, index } = value as Record<string, unknown>;
	return typeof deviceId === 'string' && deviceId.length > 0 && Number.isSafeInteger(index) && (index as number) >= 0;
}

/**
 * Validates, canonicalizes and hashes every event; throws 'invalid-event' naming the first bad one.
 * The event folded into projections is the parse of its canonical JSON, so a later rebuild from the
 * stored bytes sees exactly what this append saw (invariant 4).
 */
function prepare(events: readonly unknown[], origins: AppendOptions['origins'], leafHashes: AppendOptions['leafHashes']): Prepared[] {
	if (origins !== undefined && (!Array.isArray(origins) || origins.length !== events.length)) {
		throw new CasetrailError('invalid-event', `Nothing was stored: ${events.length} events came with ${Array.isArray(origins) ? origins.length : 'no list of'} origins; give one origin (or undefined) per event.`);
	}
	if (leafHashes !== undefined && leafHashes.length !== events.length) {
		throw new CasetrailError('invalid-event', `Nothing was stored: ${events.length} events came with ${leafHashes.length} leaf hashes.`);
	}
	return events.map((value, i) => {
		try {
			validateEvent(value);
			const canonical = canonicalJson(value);
			const event = JSON.parse(canonical) as CasetrailEvent;
			const origin: unknown = origins?.[i];
			if (origin !== undefined && !isOrigin(origin)) {
				throw new CasetrailError('invalid-event', `its origin must be { deviceId: non-empty string, index: whole number >= 0 }.`);
			}
			const bytes = utf8.encode(canonical);
			return {
				event,
				canonical,
				leafHash: leafHashes?.[i] ?? leafHash(bytes),
				bytes: bytes.length,
				position: { instant: instantOf(event), guid: event.guid },
				origin
			};
		} catch (e) {
			const detail = isCasetrailError(e) ? e.message : String(e);
			throw new CasetrailError('invalid-event', `Nothing was stored: event ${i + 1} of ${events.length} is not valid. ${detail}`);
		}
	});
}

/** The refusal of an append (or an export) while a bundle import holds the log. */
export function importRunning(): CasetrailError {
	return new CasetrailError(
		'import-running',
		'Nothing was stored: a bundle is being imported on this device (in this tab or another). Try again when the import has finished; it shows its progress on the Exchange page.'
	);
}

function conflict(guid: string): CasetrailError {
	return new CasetrailError('event-conflict', `Nothing was stored: event ${guid} is already stored with different content. Stored events never change; record the change as a new event.`);
}

function eventRow(seq: number, p: Prepared, nodes: Uint8Array[]): EventRow {
	const { event } = p;
	const row: EventRow = {
		seq,
		canonical: p.canonical,
		leafHash: p.leafHash,
		guid: event.guid,
		entityGuid: event.entityGuid,
		type: event.type,
		timestamp: event.timestamp,
		instant: p.position.instant,
		sync: p.origin ? 'imported' : 'local'
	};
	if (p.origin) row.origin = { deviceId: p.origin.deviceId, index: p.origin.index };
	if (nodes.length > 0) {
		const packed = new Uint8Array(nodes.length * HASH_SIZE);
		nodes.forEach((hash, i) => packed.set(hash, i * HASH_SIZE));
		row.nodes = packed;
	}
	return row;
}

/** The stored history of one entity that a late event must be folded into, from its best snapshot on. */
interface History {
	state: FoldState;
	stored: FoldItem[];
}

/**
 * Reads what re-projecting `entityGuid` needs when an event older than its last folded one arrives:
 * the latest snapshot before `first` (the earliest new event) and every stored event after that
 * snapshot; deletes the snapshots after it, which the new event makes stale. IndexedDB reads only.
 */
async function loadHistory(db: CasetrailDb, entityGuid: string, first: StoredPosition): Promise<History> {
	const snapshots = await db.snapshots.where('[entityGuid+position]').between([entityGuid, 0], [entityGuid, Infinity]).toArray();
	let base: SnapshotRow | undefined;
	for (const s of snapshots) if (comparePositions(s.last, first) < 0) base = s;
	const stale = snapshots.filter((s) => s.position > (base?.position ?? 0)).map((s): [string, number] => [entityGuid, s.position]);
	const lower = base ? [entityGuid, base.last.instant, base.last.guid] : [entityGuid, -Infinity, Dexie.minKey];
	const [rows] = await Promise.all([
		db.events.where('[entityGuid+instant+guid]').between(lower, [entityGuid, Infinity, Dexie.maxKey], !base, true).toArray(),
		stale.length > 0 ? db.snapshots.bulkDelete(stale) : undefined
	]);
	return {
		state: { entity: base?.entity, count: base?.position ?? 0, last: base?.last },
		stored: rows.map((row) => ({ event: JSON.parse(row.canonical) as CasetrailEvent, position: { instant: row.instant, guid: row.guid } }))
	};
}

/**
 * Appends `events` to the log in one transaction: all of them are stored, with their Merkle nodes,
 * projections and the new head, or none is.
 *
 * - An event whose guid is stored already is a no-op when its canonical bytes are identical (also
 *   within the batch); when they differ the whole call fails with 'event-conflict'.
 * - An invalid event fails the whole call with 'invalid-event'; a full disk with 'quota-exceeded';
 *   an outdated connection with 'schema-outdated'. Nothing is stored in each case, and the events of
 *   a rejected call are added to the `failedEvents` counter.
 * - Projections update incrementally; an event older than its entity's last folded event
 *   re-projects that entity from its latest earlier snapshot (invariant 5).
 */
export async function appendEvents(db: CasetrailDb, events: readonly unknown[], options: AppendOptions = {}): Promise<AppendResult> {
	const started = performance.now();
	try {
		const result = await guarded(db, () => appendInTransaction(db, events, options));
		options.rate?.record(result.appended, performance.now() - started);
		return result;
	} catch (e) {
		// A refused bundle changes nothing, its chunks included (store/import.ts): the import reports it.
		if (isCasetrailError(e) && e.code !== 'schema-outdated' && options.importId === undefined) await countFailure(db, events.length);
		throw e;
	}
}

/** True when `e` is a bulk write refused by a unique index: here, a guid that is already stored. */
function isConstraintError(e: unknown): boolean {
	if (typeof e !== 'object' || e === null) return false;
	const { name, failures } = e as { name?: unknown; failures?: unknown };
	if (name === Dexie.errnames.Constraint) return true;
	return name === 'BulkError' && Array.isArray(failures) && failures.some((f) => (f as { name?: unknown } | null)?.name === Dexie.errnames.Constraint);
}

async function appendInTransaction(db: CasetrailDb, events: readonly unknown[], options: AppendOptions): Promise<AppendResult> {
	const registry = options.registry ?? defaultAppendRegistry();
	const firstSnapshot = options.firstSnapshot ?? DEFAULT_FIRST_SNAPSHOT;
	if (!Number.isSafeInteger(firstSnapshot) || firstSnapshot < 1) {
		throw new CasetrailError('out-of-range', `The first snapshot of an entity is taken after a whole number >= 1 of its events, not ${String(firstSnapshot)}.`);
	}
	const prepared = prepare(events, options.origins, options.leafHashes);
	// Alone, hash and seal photos with WebCrypto before the transaction; nested in a caller's
	// transaction (an import), nothing may be awaited but IndexedDB, so the synchronous ciphers do it.
	const attachments = Dexie.currentTransaction ? prepareAttachments(db, prepared, options.attachments ?? []) : await prepareAttachmentsAsync(db, prepared, options.attachments ?? []);

	// Within the batch: the first occurrence of a guid is the one stored; identical repeats point at it.
	const firstOf = new Map<string, number>();
	const sameAs: number[] = prepared.map((p, i) => {
		const at = firstOf.get(p.event.guid);
		if (at === undefined) {
			firstOf.set(p.event.guid, i);
			return i;
		}
		if ((prepared[at] as Prepared).canonical !== p.canonical) throw conflict(p.event.guid);
		return at;
	});
	const batch: Batch = { prepared, firstOf, sameAs, registry, firstSnapshot, attachments, importId: options.importId };

	// Nested in a caller's transaction (an import), a refused write would abort the caller's work
	// too, so look every guid up first. Alone, write without looking: a stored guid is rare, and the
	// unique guid index refuses it, which aborts this transaction; then look up and do it again.
	if (Dexie.currentTransaction) return appendBatch(db, batch, true);
	try {
		return await appendBatch(db, batch, false);
	} catch (e) {
		if (!isConstraintError(e)) throw e;
		return appendBatch(db, batch, true);
	}
}

/** A validated batch and what the transaction needs to store it. */
interface Batch {
	prepared: Prepared[];
	/** Each guid of the batch and the position of its first occurrence. */
	firstOf: Map<string, number>;
	/** For each event, the position of the occurrence of its guid that is stored. */
	sameAs: number[];
	registry: ApplierRegistry;
	firstSnapshot: number;
	attachments: PreparedAttachments;
	importId: string | undefined;
}

/** The attachments of a batch: the references its events make and the given bytes for them. */
interface PreparedAttachments {
	refs: AttachmentRef[];
	/** Rows of the given bytes that a reference names, sealed already when there is a vault. */
	given: Map<string, AttachmentRow>;
}

function mismatch(ref: AttachmentRef, size: number): CasetrailError {
	return new CasetrailError('attachment-mismatch', `Nothing was stored: an event says attachment ${ref.sha256.slice(0, 12)}… has ${ref.size} bytes, but its bytes are ${size} bytes long.`, undefined, {
		params: { attachment: ref.sha256, size: ref.size, actualSize: size }
	});
}

function missing(ref: AttachmentRef): CasetrailError {
	return new CasetrailError('attachment-missing', `Nothing was stored: an event references attachment ${ref.sha256.slice(0, 12)}… (${ref.mediaType}), whose bytes are neither given nor stored on this device.`, undefined, {
		params: { attachment: ref.sha256, mediaType: ref.mediaType }
	});
}

/**
 * Hashes the given attachment bytes, keeps those the events reference (checking their size against
 * each reference: 'attachment-mismatch') and seals them (vault.ts): with the synchronous ciphers,
 * for an append nested in a caller's transaction, where nothing but IndexedDB may be awaited.
 */
function prepareAttachments(db: CasetrailDb, prepared: readonly Prepared[], bytes: readonly Uint8Array[]): PreparedAttachments {
	const refs = eventReferences(prepared.map((p) => p.event));
	if (refs.length === 0) return { refs, given: new Map() };
	const byHash = new Map<string, Uint8Array>();
	for (const b of checkedBytes(bytes)) byHash.set(attachmentHash(b), b);
	const given = rowsFor(prepared, refs, byHash);
	for (const row of given.values()) presealAttachment(db, row);
	return { refs, given };
}

/** {@link prepareAttachments} with WebCrypto, several times faster on a photo: before the transaction. */
async function prepareAttachmentsAsync(db: CasetrailDb, prepared: readonly Prepared[], bytes: readonly Uint8Array[]): Promise<PreparedAttachments> {
	const refs = eventReferences(prepared.map((p) => p.event));
	if (refs.length === 0) return { refs, given: new Map() };
	const byHash = new Map<string, Uint8Array>();
	for (const b of checkedBytes(bytes)) byHash.set(bytesToHex(new Uint8Array(await crypto.subtle.digest('SHA-256', new Uint8Array(b)))), b);
	const given = rowsFor(prepared, refs, byHash);
	for (const row of given.values()) await presealAttachmentAsync(db, row);
	return { refs, given };
}

function checkedBytes(bytes: readonly Uint8Array[]): readonly Uint8Array[] {
	for (const b of bytes) if (!(b instanceof Uint8Array)) throw new CasetrailError('invalid-event', 'Nothing was stored: an attachment must be given as bytes (a Uint8Array).');
	return bytes;
}

/** The rows of the given bytes that a reference names; 'attachment-mismatch' when a reference's size is not theirs. */
function rowsFor(prepared: readonly Prepared[], refs: readonly AttachmentRef[], byHash: ReadonlyMap<string, Uint8Array>): Map<string, AttachmentRow> {
	for (const event of prepared) {
		for (const ref of eventReferences([event.event])) {
			const b = byHash.get(ref.sha256);
			if (b && b.length !== ref.size) throw mismatch(ref, b.length);
		}
	}
	const given = new Map<string, AttachmentRow>();
	for (const ref of refs) {
		const b = byHash.get(ref.sha256);
		if (b && !given.has(ref.sha256)) given.set(ref.sha256, { sha256: ref.sha256, size: b.length, bytes: b });
	}
	return given;
}

/**
 * Inside the append's transaction: every referenced attachment is given or stored (with the size
 * each reference says), else 'attachment-missing' or 'attachment-mismatch'; returns the given rows
 * not stored yet. Reads keys only: no stored photo is opened.
 */
async function attachmentsToWrite(db: CasetrailDb, attachments: PreparedAttachments): Promise<AttachmentRow[]> {
	const { refs, given } = attachments;
	if (refs.length === 0) return [];
	const hashes = [...new Set(refs.map((r) => r.sha256))];
	const storedKeys = new Set(await db.attachments.where('sha256').anyOf(hashes).primaryKeys());
	const sizes = [...new Set(refs.filter((r) => storedKeys.has(r.sha256)).map((r) => r.size))];
	const withSize = new Map<number, Set<string>>();
	await Promise.all(sizes.map(async (size) => withSize.set(size, new Set(await db.attachments.where('size').equals(size).primaryKeys()))));
	for (const ref of refs) {
		if (storedKeys.has(ref.sha256)) {
			if (!withSize.get(ref.size)?.has(ref.sha256)) throw new CasetrailError('attachment-mismatch', `Nothing was stored: an event says attachment ${ref.sha256.slice(0, 12)}… has ${ref.size} bytes, but the stored bytes with that hash have another size.`, undefined, { params: { attachment: ref.sha256, size: ref.size } });
		} else if (!given.has(ref.sha256)) throw missing(ref);
	}
	return [...given.values()].filter((row) => !storedKeys.has(row.sha256));
}

/**
 * The transaction of one append. With `lookUp`, every guid is looked up first (stored with the same
 * bytes: a no-op; with others: 'event-conflict'); without, the batch is written as new and a stored
 * guid makes the write fail with a ConstraintError.
 */
async function appendBatch(db: CasetrailDb, batch: Batch, lookUp: boolean): Promise<AppendResult> {
	const { prepared, firstOf, sameAs, registry, firstSnapshot, importId } = batch;
	const entityGuids = [...new Set(prepared.map((p) => p.event.entityGuid))];
	// The attachments table joins only when the batch references attachments: most appends do not.
	const tables = batch.attachments.refs.length > 0 ? [db.events, db.entities, db.snapshots, db.meta, db.attachments] : [db.events, db.entities, db.snapshots, db.meta];
	return db.transaction('rw', tables, async () => {
		const [newAttachments, head, found, rows] = await Promise.all([
			attachmentsToWrite(db, batch.attachments),
			db.meta.get('head'),
			// One point lookup per guid, all in flight at once (anyOf walks a cursor, one hop at a time).
			lookUp ? Promise.all([...firstOf.keys()].map((guid) => db.events.where('guid').equals(guid).first())) : [],
			entityGuids.length > 0 ? db.entities.bulkGet(entityGuids) : []
		]);
		const storedSeq = new Map<string, number>();
		for (const row of found as (EventRow | undefined)[]) {
			if (!row) continue;
			const at = firstOf.get(row.guid) as number;
			if ((prepared[at] as Prepared).canonical !== row.canonical) throw conflict(row.guid);
			storedSeq.set(row.guid, row.seq);
		}

		const headValue = head?.value as HeadValue | undefined;
		// An import appending in chunks holds the log until it is published or undone (store/import.ts).
		if (headValue?.importing && headValue.importing.id !== importId) throw importRunning();
		if (importId !== undefined && headValue?.importing?.id !== importId) {
			throw new CasetrailError('import-running', 'Nothing was stored: this import was stopped and undone meanwhile. Import the bundle again.');
		}
		// Extending a head written without the data key would give it a valid MAC and hide the edit.
		if ((await headAuthenticity(db, headValue)) === 'forged') {
			// Or this tab's key was replaced by another tab's rotation: then it signs in again.
			await assertSessionKeyCurrent(db);
			throw forgedHead();
		}
		const range = headValue ? new CompactRange(headValue.size, headValue.frontier) : new CompactRange();
		const bytes = { total: headValue?.bytes ?? 0 };
		const types: Record<string, number> = { ...(headValue?.types ?? {}) };
		// The interior nodes the current leaf completes; they are stored on its row (db.ts).
		let completed: Uint8Array[] = [];
		const visit = (level: number, _index: number, hash: Uint8Array): void => {
			if (level > 0) completed.push(hash);
		};
		const eventRows: EventRow[] = [];
		const seqOf = new Map<string, number>(storedSeq);
		const fresh: Prepared[] = [];
		for (const [guid, at] of firstOf) {
			if (storedSeq.has(guid)) continue;
			const p = prepared[at] as Prepared;
			const seq = range.size;
			completed = [];
			range.append(p.leafHash, visit);
			eventRows.push(eventRow(seq, p, completed));
			seqOf.set(guid, seq);
			fresh.push(p);
			bytes.total += p.bytes;
			types[p.event.type] = (types[p.event.type] ?? 0) + 1;
		}
		const seqs = sameAs.map((at) => seqOf.get((prepared[at] as Prepared).event.guid) as number);
		const duplicates = prepared.length - fresh.length;
		if (fresh.length === 0) {
			return { seqs, appended: 0, duplicates, size: range.size, root: range.rootHash(), skipped: [] };
		}

		// Projections, per entity, in (instant, guid) order.
		const byEntity = new Map<string, FoldItem[]>();
		for (const p of fresh) {
			const items = byEntity.get(p.event.entityGuid);
			const item = { event: p.event, position: p.position };
			if (items) items.push(item);
			else byEntity.set(p.event.entityGuid, [item]);
		}
		const rowOf = new Map<string, EntityRow>();
		rows.forEach((row, i) => {
			if (row) rowOf.set(entityGuids[i] as string, row);
		});
		const skipped: SkippedEvent[] = [];
		const snapshotRows: SnapshotRow[] = [];
		const entityRows: EntityRow[] = [];
		const late: [string, FoldItem[]][] = [];
		for (const [entityGuid, items] of byEntity) {
			if (items.length > 1) items.sort((a, b) => comparePositions(a.position, b.position));
			const row = rowOf.get(entityGuid);
			const first = (items[0] as FoldItem).position;
			if (row && comparePositions(first, row.last) < 0) {
				late.push([entityGuid, items]);
				continue;
			}
			const state: FoldState = row ? { entity: row.entity, count: row.count, last: row.last, createdBy: row.createdBy } : { entity: undefined, count: 0, last: undefined };
			foldInto(state, entityGuid, items, registry, firstSnapshot, snapshotRows, (s) => skipped.push(s));
			entityRows.push(entityRow(entityGuid, state));
		}
		if (late.length > 0) {
			const histories = await Promise.all(late.map(([entityGuid, items]) => loadHistory(db, entityGuid, (items[0] as FoldItem).position)));
			late.forEach(([entityGuid, items], k) => {
				const { state, stored: history } = histories[k] as History;
				// Replay starts from a snapshot: when the entity existed there, the event that created it
				// lies before the snapshot and is unchanged, so the creator the row knows stands; when it
				// did not, the replay finds the creating event.
				if (state.count > 0 && state.entity !== undefined) state.createdBy = rowOf.get(entityGuid)?.createdBy;
				const isNew = new Set(items.map((item) => item.event.guid));
				const all = [...history, ...items].sort((a, b) => comparePositions(a.position, b.position));
				foldInto(state, entityGuid, all, registry, firstSnapshot, snapshotRows, (s) => {
					if (isNew.has(s.guid)) skipped.push(s);
				});
				entityRows.push(entityRow(entityGuid, state));
			});
		}

		// The signed-checkpoint summary is carried as it is: only an export changes it (exports.ts).
		const newHead = authenticateHead(db, {
			size: range.size,
			frontier: range.frontier,
			bytes: bytes.total,
			types,
			...(headValue?.signed ? { signed: headValue.signed } : {}),
			...(headValue?.importing ? { importing: headValue.importing } : {})
		});
		await Promise.all([
			db.events.bulkAdd(eventRows),
			db.entities.bulkPut(entityRows),
			snapshotRows.length > 0 ? db.snapshots.bulkPut(snapshotRows) : undefined,
			db.meta.put({ key: 'head', value: newHead }),
			newAttachments.length > 0 ? db.attachments.bulkPut(newAttachments) : undefined
		]);
		return { seqs, appended: fresh.length, duplicates, size: range.size, root: range.rootHash(), skipped };
	});
}

/**
 * Adds `count` to the `failedEvents` counter in its own small transaction (the rejected one left
 * nothing). Best effort: when even this cannot be written (the disk is full), the count is lost
 * rather than hiding the error the caller is about to get.
 */
async function countFailure(db: CasetrailDb, count: number): Promise<void> {
	try {
		await db.transaction('rw', db.meta, async () => {
			const stats = (await db.meta.get('stats'))?.value as StatsValue | undefined;
			await db.meta.put({ key: 'stats', value: { failedEvents: (stats?.failedEvents ?? 0) + count } });
		});
	} catch {
		// Deliberately ignored: see the doc comment.
	}
}
