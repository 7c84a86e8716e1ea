/**
 * Reading the log and the projections: an entity's events in time order, pages of the log by
 * position, a streaming iterator over the whole log, an event with its inclusion proof, consistency
 * proofs and historical roots, and entities (one, or a searched, sorted, paged list).
 *
 * Log cursors are leaf indexes, never timestamps: the log only grows at its end, so "everything
 * after position p" is exact, whereas many events can share a timestamp and an imported or late
 * event can carry an old one, and paging by timestamp skips or repeats them at page edges.
 */
import Dexie, { cmp } from 'dexie';
import type { Entity } from '../core/appliers';
import { CasetrailError } from '../core/errors';
import type { CasetrailEvent } from '../core/event';
import { consistencyProof, emptyRoot, foldCompactRange, inclusionProof, leafHash, rootAt, verifyConsistency, verifyInclusion } from '../core/merkle';
import type { CasetrailDb, EntityRow, EventOrigin, EventRow, HeadValue, SyncStatus } from './db';
import { guarded } from './errors';
import { nodeReader } from './nodes';
import { nameWordTest, wordsOf } from './search';
import { nameOrder } from './name-index';
import { openEntityRows, vaultOf, walkNameOrder, type NameEntry, type Vault } from './vault';

/** An event as stored: the wire form, its exact leaf bytes, and local bookkeeping beside it. */
export interface StoredEvent {
	/** Leaf index in this device's log. */
	seq: number;
	/** The wire form, parsed from `canonical`. */
	event: CasetrailEvent;
	/** The RFC 8785 canonical JSON: the leaf preimage. */
	canonical: string;
	leafHash: Uint8Array;
	sync: SyncStatus;
	origin?: EventOrigin;
}

export function toStoredEvent(row: EventRow): StoredEvent {
	const stored: StoredEvent = {
		seq: row.seq,
		event: JSON.parse(row.canonical) as CasetrailEvent,
		canonical: row.canonical,
		leafHash: row.leafHash,
		sync: row.sync
	};
	if (row.origin) stored.origin = row.origin;
	return stored;
}

/** Size and root of the log. */
export interface TreeHead {
	size: number;
	root: Uint8Array;
}

function headOf(value: HeadValue | undefined): TreeHead {
	if (!value || value.size === 0) return { size: 0, root: emptyRoot() };
	return { size: value.size, root: foldCompactRange(value.frontier) };
}

async function readHead(db: CasetrailDb): Promise<HeadValue | undefined> {
	return (await db.meta.get('head'))?.value as HeadValue | undefined;
}

/** The current size and RFC 6962 root of the log. */
export async function getTreeHead(db: CasetrailDb): Promise<TreeHead> {
	return guarded(db, async () => headOf(await readHead(db)));
}

/** All events of one entity in the order they apply: by instant, then guid (invariant 5). */
export async function getEntityEvents(db: CasetrailDb, entityGuid: string): Promise<StoredEvent[]> {
	return guarded(db, async () => {
		const rows = await db.events
			.where('[entityGuid+instant+guid]')
			.between([entityGuid, -Infinity, Dexie.minKey], [entityGuid, Infinity, Dexie.maxKey], true, true)
			.toArray();
		return rows.map(toStoredEvent);
	});
}

/** The stored event with this guid, or undefined. */
export async function getEvent(db: CasetrailDb, guid: string): Promise<StoredEvent | undefined> {
	return guarded(db, async () => {
		const row = await db.events.where('guid').equals(guid).first();
		return row && toStoredEvent(row);
	});
}

/** One page of the log. */
export interface EventPage {
	events: StoredEvent[];
	/** The cursor of the next page: the leaf index after the last event returned. */
	next: number;
	/** True when the page reaches the end of the log as it was when read. */
	done: boolean;
}

function requirePageSize(limit: number): void {
	if (!Number.isSafeInteger(limit) || limit < 1) throw new CasetrailError('out-of-range', `A page holds a whole number >= 1 of items, not ${String(limit)}.`);
}

/**
 * Up to `limit` events from leaf index `cursor` on, in log order. Start at 0 and pass `next` back
 * to get the following page: no event is skipped or repeated, however many share a timestamp or
 * arrive late with an old one, because the log only grows at its end.
 */
export async function eventsSince(db: CasetrailDb, cursor = 0, limit = 500): Promise<EventPage> {
	requirePageSize(limit);
	if (!Number.isSafeInteger(cursor) || cursor < 0) throw new CasetrailError('out-of-range', `A log cursor is a leaf index >= 0, not ${String(cursor)}.`);
	return guarded(db, () =>
		db.transaction('r', [db.events, db.meta], async () => {
			const [rows, head] = await Promise.all([db.events.where('seq').aboveOrEqual(cursor).limit(limit).toArray(), readHead(db)]);
			const next = rows.length > 0 ? (rows[rows.length - 1] as EventRow).seq + 1 : cursor;
			return { events: rows.map(toStoredEvent), next, done: next >= (head?.size ?? 0) };
		})
	);
}

/**
 * The whole log (or from leaf `from` on) in batches of `batchSize`, in log order, reading one batch
 * at a time so memory stays flat. Events appended while iterating are included.
 */
export async function* iterateLog(db: CasetrailDb, options: { batchSize?: number; from?: number } = {}): AsyncGenerator<StoredEvent[], void, undefined> {
	let cursor = options.from ?? 0;
	const batchSize = options.batchSize ?? 1000;
	for (;;) {
		const page = await eventsSince(db, cursor, batchSize);
		if (page.events.length > 0) yield page.events;
		if (page.done || page.events.length === 0) return;
		cursor = page.next;
	}
}

/** An RFC 9162 inclusion proof of one event in the log of `treeSize` leaves with root `root`. */
export interface InclusionProof {
	leafIndex: number;
	treeSize: number;
	path: Uint8Array[];
	root: Uint8Array;
}

export interface EventWithProof {
	event: StoredEvent;
	proof: InclusionProof;
}

/**
 * The event with this guid and its inclusion proof, read in one transaction so the proof and the
 * root agree. Against the current log, or the log of `treeSize` leaves (e.g. the size of a signed
 * checkpoint; requires the event to be in it, else 'out-of-range'). Undefined for an unknown guid.
 */
export async function getEventWithProof(db: CasetrailDb, guid: string, treeSize?: number): Promise<EventWithProof | undefined> {
	return guarded(db, () =>
		db.transaction('r', [db.events, db.meta], async () => {
			const [row, head] = await Promise.all([db.events.where('guid').equals(guid).first(), readHead(db)]);
			if (!row) return undefined;
			const current = headOf(head);
			const size = treeSize ?? current.size;
			if (!Number.isSafeInteger(size) || size > current.size || row.seq >= size) {
				throw new CasetrailError('out-of-range', `Event ${guid} (leaf ${row.seq}) is not in a log of ${String(size)} events; this log has ${current.size}.`);
			}
			const read = nodeReader(db);
			const [path, root] = await Promise.all([inclusionProof(row.seq, size, read), size === current.size ? current.root : rootAt(size, read)]);
			return { event: toStoredEvent(row), proof: { leafIndex: row.seq, treeSize: size, path, root } };
		})
	);
}

const utf8 = new TextEncoder();

/**
 * True when the proof shows that the event's canonical bytes are leaf `leafIndex` of the tree with
 * root `root` (default: the root that came with the proof; pass a root from a signed checkpoint to
 * check against something this store did not produce). Recomputes the leaf hash from the bytes.
 */
export function verifyEventProof(result: EventWithProof, root: Uint8Array = result.proof.root): boolean {
	const leaf = leafHash(utf8.encode(result.event.canonical));
	const { leafIndex, treeSize, path } = result.proof;
	return verifyInclusion(leaf, leafIndex, treeSize, path, root);
}

/** An RFC 9162 consistency proof between two sizes of the log, with both roots. */
export interface ConsistencyProof {
	fromSize: number;
	toSize: number;
	fromRoot: Uint8Array;
	toRoot: Uint8Array;
	path: Uint8Array[];
}

function requireSize(size: number, current: number, what: string): void {
	if (!Number.isSafeInteger(size) || size < 0 || size > current) {
		throw new CasetrailError('out-of-range', `${what} ${String(size)} is not a size this log has had; it has ${current} events.`);
	}
}

/**
 * The consistency proof that the log of `toSize` leaves (default: now) extends the log of
 * `fromSize` leaves. Requires 0 < fromSize <= toSize <= current size (else 'out-of-range').
 */
export async function getConsistencyProof(db: CasetrailDb, fromSize: number, toSize?: number): Promise<ConsistencyProof> {
	return guarded(db, () =>
		db.transaction('r', [db.events, db.meta], async () => {
			const current = headOf(await readHead(db));
			const to = toSize ?? current.size;
			requireSize(to, current.size, 'Size');
			requireSize(fromSize, to, 'Size');
			if (fromSize === 0) throw new CasetrailError('out-of-range', 'There is no consistency proof from the empty log; it is consistent with every log.');
			const read = nodeReader(db);
			const [path, fromRoot, toRoot] = await Promise.all([
				consistencyProof(fromSize, to, read),
				rootAt(fromSize, read),
				to === current.size ? current.root : rootAt(to, read)
			]);
			return { fromSize, toSize: to, fromRoot, toRoot, path };
		})
	);
}

/** True when the proof shows that its `toRoot` log extends its `fromRoot` log (RFC 9162 §2.1.4.2). */
export function verifyConsistencyProof(proof: ConsistencyProof, fromRoot: Uint8Array = proof.fromRoot, toRoot: Uint8Array = proof.toRoot): boolean {
	return verifyConsistency(proof.fromSize, proof.toSize, proof.path, fromRoot, toRoot);
}

/** The RFC 6962 root of the first `size` leaves, from stored nodes (at most log2(size)+1 reads). */
export async function getRootAt(db: CasetrailDb, size: number): Promise<Uint8Array> {
	return guarded(db, () =>
		db.transaction('r', [db.events, db.meta], async () => {
			const current = headOf(await readHead(db));
			requireSize(size, current.size, 'Size');
			return size === current.size ? current.root : rootAt(size, nodeReader(db));
		})
	);
}

// ---------------------------------------------------------------------------------------------
// Entities

/** The current projection of one entity, or undefined when its events have not created it. */
export async function getEntity(db: CasetrailDb, guid: string): Promise<Entity | undefined> {
	return guarded(db, async () => (await db.entities.get(guid))?.entity);
}

/** Where the next page of an entity list starts: the sort key and guid of the last entity shown. */
export interface EntityCursor {
	key: string | number;
	guid: string;
}

export interface EntityQuery {
	/** Words typed by a person; an entity matches when every word is the start of one of its name or id words. */
	text?: string;
	/** Only entities of this type (`individual`, `group`, a custom type). */
	type?: string;
	/** Deleted entities: left out (default), included, or the only ones. */
	deleted?: 'exclude' | 'include' | 'only';
	/** By display name (default, A to Z) or by last update (default, newest first). */
	sort?: 'name' | 'lastUpdated';
	direction?: 'asc' | 'desc';
	/** Page size, default 50. */
	limit?: number;
	/** The `next` of the previous page. */
	after?: EntityCursor;
}

export interface EntityPage {
	entities: Entity[];
	/** Pass as `after` for the following page; null on the last page. */
	next: EntityCursor | null;
}

/**
 * Above this many index entries for the rarest query word, a search walks the sort index and stops
 * at a page's worth of matches instead of loading every match to sort it.
 */
export const SEARCH_LOAD_LIMIT = 2000;

/**
 * SEARCH_LOAD_LIMIT of a search by last update on an encrypted store: there every row loaded is also
 * opened (AES-GCM and JSON, about 50 µs in Chromium), so above this many candidates the last-update
 * index is walked instead of opening every candidate to sort them (issue 20). A search by name there
 * always walks the name order in memory (`searchNameOrder`).
 */
export const VAULT_SEARCH_LOAD_LIMIT = 150;

/** Tuning of `listEntities` that never changes its results: only which way they are found. */
export interface ListTuning {
	/** Overrides SEARCH_LOAD_LIMIT (tests use 0 to send every search down the many-hits path). */
	searchLoadLimit?: number;
}

/**
 * A page of entities matching `query`, sorted and paged in the store: the list walks the name or
 * last-update index and stops at `limit` matches; a text search loads only the entities whose words
 * start with the query's longest word (or, when that word is too common, walks the sort index). On
 * an encrypted store a text search matches names on the name order in memory (`searchNameOrder`).
 */
export async function listEntities(db: CasetrailDb, query: EntityQuery = {}, tuning: ListTuning = {}): Promise<EntityPage> {
	const limit = query.limit ?? 50;
	requirePageSize(limit);
	const sort = query.sort ?? 'name';
	const desc = (query.direction ?? (sort === 'name' ? 'asc' : 'desc')) === 'desc';
	const deleted = query.deleted ?? 'exclude';
	const words = wordsOf(query.text ?? '');
	const keyOf = (row: EntityRow): string | number => (sort === 'name' ? (row.sortName as string) : (row.updatedAt as number));
	const matches = (row: EntityRow): boolean => {
		if (!row.entity) return false;
		if (query.type !== undefined && row.type !== query.type) return false;
		if (deleted === 'exclude' && row.deleted === 1) return false;
		if (deleted === 'only' && row.deleted !== 1) return false;
		return words.every((w) => row.words?.some((own) => own.startsWith(w)) ?? false);
	};
	const afterCursor = (row: EntityRow): boolean => {
		if (!query.after) return true;
		const c = compareKeys([keyOf(row), row.guid], [query.after.key, query.after.guid]);
		return desc ? c < 0 : c > 0;
	};
	const page = (rows: EntityRow[]): EntityPage => {
		const shown = rows.slice(0, limit);
		const last = shown[shown.length - 1];
		return {
			entities: shown.map((row) => row.entity as Entity),
			next: rows.length > limit && last ? { key: keyOf(last), guid: last.guid } : null
		};
	};

	// Before the transaction: on a vault database the name order is opened with WebCrypto, which
	// must not be awaited inside one (store/vault.ts); elsewhere this is undefined. A text search on
	// a vault database needs it in either sort: names are matched there, not through the index.
	const vault = vaultOf(db);
	const names = sort === 'name' || (vault && words.length > 0) ? await guarded(db, () => nameOrder(db)) : undefined;
	if (vault && names && words.length > 0) {
		const search: OrderSearch = { names, vault, words, sort, desc, limit, matches, afterCursor, keyOf, page, ...(query.after !== undefined && { after: query.after }) };
		return guarded(db, () => searchNameOrder(db, search, tuning));
	}
	// A vault database keeps no name index on disk (names are encrypted there): the name order is
	// held in worker memory, walked after the transaction so the rows it needs are opened with
	// WebCrypto (store/vault.ts openEntityRows); inside a caller's transaction, within it.
	if (names) {
		const after: [string, string] | undefined = query.after ? [String(query.after.key), query.after.guid] : undefined;
		return guarded(db, async () => page(await walkNameOrder(db, names, { after, desc, want: limit + 1, matches })));
	}
	return guarded(db, () =>
		db.transaction('r', db.entities, async (): Promise<EntityPage> => {
			if (words.length > 0) {
				const probe = words.reduce((a, b) => (b.length > a.length ? b : a));
				const hits = db.entities.where('words').startsWith(probe);
				// Keys only: counting the hits this way costs about what count() does, and the
				// many-hits walk below needs them anyway.
				const hitKeys = await hits.primaryKeys();
				if (hitKeys.length <= (tuning.searchLoadLimit ?? SEARCH_LOAD_LIMIT)) {
					const rows = (await hits.distinct().toArray()).filter((row) => matches(row) && afterCursor(row));
					rows.sort((a, b) => compareKeys([keyOf(a), a.guid], [keyOf(b), b.guid]) * (desc ? -1 : 1));
					return page(rows.slice(0, limit + 1));
				}
				// The guids that may match a text search with many hits: the only rows worth loading.
				return page(await walkIndexKeys(db, sort === 'name' ? 'sortName' : 'updatedAt', query.after, desc, limit + 1, matches, new Set(hitKeys)));
			}
			return page(await walkIndex(db, sort === 'name' ? 'sortName' : 'updatedAt', query.after, desc, limit + 1, matches));
		})
	);
}

/** What {@link searchNameOrder} needs of a `listEntities` call. */
interface OrderSearch {
	names: readonly NameEntry[];
	vault: Vault;
	words: string[];
	sort: 'name' | 'lastUpdated';
	desc: boolean;
	limit: number;
	after?: EntityCursor;
	matches: (row: EntityRow) => boolean;
	afterCursor: (row: EntityRow) => boolean;
	keyOf: (row: EntityRow) => string | number;
	page: (rows: EntityRow[]) => EntityPage;
}

/**
 * A text search on an encrypted store (issue 20). Its words are matched on two sources whose union is
 * what a row's words hold: the name words, on the name order held in memory (sort names, and the few
 * extra name words beside them: store/search.ts `nameWordTest`), and the id and phone words, through
 * their blind tokens (keys only; store/vault.ts stores no token of a name). A record is a candidate
 * when each query word starts one of its name words or finds it by token; only candidates are opened,
 * in the order of the list, and the match is then checked on the opened row as everywhere else. So the
 * results are those of matching every row, and a common name prefix costs no index read of its
 * thousands of keys: a walk of the order in memory (62,410 entries in a few milliseconds).
 */
async function searchNameOrder(db: CasetrailDb, s: OrderSearch, tuning: ListTuning): Promise<EntityPage> {
	const distinct = [...new Set(s.words)];
	const inCallersTransaction = Boolean(Dexie.currentTransaction);
	// Keys only, one read per query word: the records an id or a phone word of theirs may match.
	const keys = await db.transaction('r', db.entities, () => Promise.all(distinct.map((w) => db.entities.where('words').startsWith(w).primaryKeys())));
	// Undefined for a word no token finds (the common case for a name): no lookup per entry then.
	const byToken = keys.map((found) => (found.length > 0 ? new Set(found) : undefined));
	const vault = s.vault;
	const extras = vault.extraNames().size > 0;
	const tests = distinct.map(nameWordTest);
	// Runs on every entry of the order until a page is found (all of them for an absent prefix).
	const keep = (entry: NameEntry): boolean => {
		const sortName = entry[0];
		const extra = extras ? vault.extraNamesOf(entry[1]) : undefined;
		for (let i = 0; i < tests.length; i++) {
			if ((tests[i] as (sortName: string, extra: string | undefined) => boolean)(sortName, extra)) continue;
			const hits = byToken[i];
			if (hits === undefined || !hits.has(entry[1])) return false;
		}
		return true;
	};
	if (s.sort === 'name') {
		const after: NameEntry | undefined = s.after ? [String(s.after.key), s.after.guid] : undefined;
		return s.page(await walkNameOrder(db, s.names, { after, desc: s.desc, want: s.limit + 1, matches: s.matches, keep }));
	}
	// By last update: the candidates from the order, then their rows sorted, or the index walked for many.
	const candidates = new Set<string>();
	for (const entry of s.names) if (keep(entry)) candidates.add(entry[1]);
	if (candidates.size <= (tuning.searchLoadLimit ?? VAULT_SEARCH_LOAD_LIMIT)) {
		const guids = [...candidates];
		const loaded = inCallersTransaction ? await db.entities.bulkGet(guids) : await openEntityRows(db, guids);
		const rows = loaded.filter((row): row is EntityRow => row !== undefined && s.matches(row) && s.afterCursor(row));
		rows.sort((a, b) => compareKeys([s.keyOf(a), a.guid], [s.keyOf(b), b.guid]) * (s.desc ? -1 : 1));
		return s.page(rows.slice(0, s.limit + 1));
	}
	return db.transaction('r', db.entities, async () => s.page(await walkIndexKeys(db, 'updatedAt', s.after, s.desc, s.limit + 1, s.matches, candidates)));
}

/**
 * Up to `want` matching entity rows in the order of `index` (entries with equal keys are in guid
 * order: an IndexedDB index orders them by primary key), after the cursor `after`. The cursor's own
 * key may be shared by more entities: those after its guid come first, then the keys past it.
 */
async function walkIndex(
	db: CasetrailDb,
	index: 'sortName' | 'updatedAt',
	after: EntityCursor | undefined,
	desc: boolean,
	want: number,
	matches: (row: EntityRow) => boolean
): Promise<EntityRow[]> {
	const rows: EntityRow[] = [];
	if (after) {
		let same = db.entities.where(index).equals(after.key);
		if (desc) same = same.reverse();
		rows.push(...(await same.filter((row) => (desc ? row.guid < after.guid : row.guid > after.guid) && matches(row)).limit(want).toArray()));
		if (rows.length >= want) return rows;
	}
	let rest = after ? (desc ? db.entities.where(index).below(after.key) : db.entities.where(index).above(after.key)) : db.entities.orderBy(index);
	if (desc) rest = rest.reverse();
	rows.push(...(await rest.filter(matches).limit(want - rows.length).toArray()));
	return rows;
}

/**
 * What walkIndex returns, for a search whose rarest word has many hits: the guids in `hits` (a
 * superset of the matches) are taken in the order of `index` from its keys alone, and only they are
 * loaded, a chunk at a time, and filtered. Walking the index's rows instead deserialized every entity
 * before the first match, which for a prefix of a late given name was most of the store.
 */
async function walkIndexKeys(
	db: CasetrailDb,
	index: 'sortName' | 'updatedAt',
	after: EntityCursor | undefined,
	desc: boolean,
	want: number,
	matches: (row: EntityRow) => boolean,
	hits: ReadonlySet<string>
): Promise<EntityRow[]> {
	// Primary keys of an index range come in index order, equal keys in guid order, read in one
	// batch ascending (getAllKeys; a descending read may fall back to a cursor) and reversed here.
	const inOrder = async (range: { primaryKeys(): PromiseLike<string[]> }): Promise<string[]> => {
		const keys = await range.primaryKeys();
		return desc ? keys.reverse() : keys;
	};
	let order: string[];
	if (after) {
		const same = (await inOrder(db.entities.where(index).equals(after.key))).filter((guid) => (desc ? guid < after.guid : guid > after.guid));
		const rest = await inOrder(desc ? db.entities.where(index).below(after.key) : db.entities.where(index).above(after.key));
		order = same.concat(rest);
	} else {
		order = await inOrder(db.entities.orderBy(index));
	}
	const rows: EntityRow[] = [];
	let chunk = want;
	let i = 0;
	while (rows.length < want && i < order.length) {
		const batch: string[] = [];
		for (; i < order.length && batch.length < chunk; i++) {
			const guid = order[i] as string;
			if (hits.has(guid)) batch.push(guid);
		}
		if (batch.length === 0) break;
		for (const row of await db.entities.bulkGet(batch)) {
			if (row && matches(row)) rows.push(row);
			if (rows.length >= want) break;
		}
		// Type and deleted filters can reject most candidates: fewer round trips the further it goes.
		chunk = Math.min(chunk * 2, 1000);
	}
	return rows;
}

/** IndexedDB key order for the [string | number, string] keys of the entity lists. */
function compareKeys(a: [string | number, string], b: [string | number, string]): number {
	return cmp(a, b);
}
