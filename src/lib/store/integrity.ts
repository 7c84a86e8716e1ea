/**
 * The integrity check of the whole log: recompute every leaf hash from the stored canonical events
 * and the root from those leaves, compare them with what the store holds, and name the exact events
 * that no longer match (a record edited by hand in IndexedDB, a row deleted). It reads the log in
 * chunks outside any long transaction, so memory stays flat and the app keeps working meanwhile.
 *
 * The first pass compares each event with its own leaf hash and with its indexed copies, and the
 * recomputed root with the head. Only when the roots differ does a second pass compare every stored
 * interior node with its recomputed value, to find tampering that kept each row self-consistent
 * (an event edited together with its leaf hash).
 */
import { CasetrailError } from '../core/errors';
import { instantOf, type CasetrailEvent } from '../core/event';
import { CompactRange, compactRangeNodes, emptyRoot, foldCompactRange, leafHash as nobleLeafHash } from '../core/merkle';
import type { CasetrailDb, EventRow, HeadValue, NodeRow } from './db';
import { guarded } from './errors';

export type IntegrityProblemKind =
	/** The canonical bytes no longer hash to the leaf hash stored with them. */
	| 'leaf-mismatch'
	/** An indexed copy (guid, entityGuid, type, timestamp, instant) differs from the canonical event. */
	| 'field-mismatch'
	/** The canonical text is not a JSON object any more. */
	| 'unreadable'
	/** No event row at a leaf index below the log size. */
	| 'missing'
	/** A stored interior node differs from the one recomputed from the events under it. */
	| 'node-mismatch'
	/** The stored head (the compact range) differs from the one recomputed from the events. */
	| 'head-mismatch';

export interface IntegrityProblem {
	kind: IntegrityProblemKind;
	/** The leaves concerned, [begin, end): one event, or every leaf under a node that no longer matches. */
	begin: number;
	end: number;
	message: string;
}

export interface IntegrityReport {
	/** True when every event, node and the root match. */
	ok: boolean;
	/** Size of the log checked (its size when the check started). */
	size: number;
	/** The root the store holds, and the one recomputed from the stored events. */
	storedRoot: Uint8Array;
	computedRoot: Uint8Array;
	/**
	 * Leaf indexes of the events found changed or missing, in order, each once. Tampering that kept
	 * a row self-consistent is reported as a 'node-mismatch' problem over the leaves of the node.
	 */
	tampered: number[];
	problems: IntegrityProblem[];
}

export interface IntegrityProgress {
	/** Which pass: events (every check) or nodes (only after a root mismatch). */
	phase: 'events' | 'nodes';
	done: number;
	total: number;
}

/** How the leaf hashes are recomputed. */
export type LeafHasher = (leaves: Uint8Array[]) => Promise<Uint8Array[]>;

export interface IntegrityOptions {
	/** Events read per chunk (default 2000). */
	chunkSize?: number;
	onProgress?: (progress: IntegrityProgress) => void;
	/** Leaf hashing; default {@link defaultLeafHasher}. */
	hashLeaves?: LeafHasher;
}

/** Synchronous noble SHA-256 of each leaf (RFC 6962 leaf hash). */
export const nobleLeafHasher: LeafHasher = async (leaves) => leaves.map(nobleLeafHash);

/**
 * WebCrypto SHA-256 of each leaf, all of a chunk in flight at once, or undefined where there is no
 * WebCrypto. Allowed here because the check runs outside any transaction.
 */
export function webCryptoLeafHasher(subtle: SubtleCrypto | undefined = globalThis.crypto?.subtle): LeafHasher | undefined {
	if (!subtle) return undefined;
	return (leaves) =>
		Promise.all(
			leaves.map(async (leaf) => {
				const prefixed = new Uint8Array(leaf.length + 1);
				prefixed.set(leaf, 1);
				return new Uint8Array(await subtle.digest('SHA-256', prefixed));
			})
		);
}

/** The leaf hasher the check uses unless told otherwise: noble (see bench/README.md for why). */
export const defaultLeafHasher: LeafHasher = nobleLeafHasher;

function equalBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
	if (!(a instanceof Uint8Array) || !(b instanceof Uint8Array) || a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
	return true;
}

const utf8 = new TextEncoder();

/** Which indexed copy of an event differs from its canonical JSON, or undefined when all agree. */
function fieldProblem(row: EventRow, event: CasetrailEvent): string | undefined {
	for (const field of ['guid', 'entityGuid', 'type', 'timestamp'] as const) {
		if (row[field] !== event[field]) return `its stored ${field} (${String(row[field])}) differs from the event's (${String(event[field])})`;
	}
	if (row.instant !== instantOf(event)) return `its stored instant (${String(row.instant)}) differs from its timestamp ${event.timestamp}`;
	return undefined;
}

/**
 * Checks the whole log against itself: see the file comment. Resolves a report (never throws for a
 * mismatch; 'storage-failed' only when the database cannot be read). The log may grow while it
 * runs: the check covers the size it had when it started.
 */
export async function checkIntegrity(db: CasetrailDb, options: IntegrityOptions = {}): Promise<IntegrityReport> {
	const chunkSize = options.chunkSize ?? 2000;
	if (!Number.isSafeInteger(chunkSize) || chunkSize < 1) throw new CasetrailError('out-of-range', `The check reads a whole number >= 1 of events at a time, not ${String(chunkSize)}.`);
	const hashLeaves = options.hashLeaves ?? defaultLeafHasher;
	return guarded(db, async () => {
		const head = (await db.meta.get('head'))?.value as HeadValue | undefined;
		const size = head?.size ?? 0;
		const storedRoot = head && head.size > 0 ? foldCompactRange(head.frontier) : emptyRoot();
		const problems: IntegrityProblem[] = [];
		const tampered = new Set<number>();
		const flag = (kind: IntegrityProblemKind, seq: number, message: string): void => {
			problems.push({ kind, begin: seq, end: seq + 1, message: `Event ${seq}: ${message}.` });
			tampered.add(seq);
		};

		const range = new CompactRange();
		await eachChunk(db, size, chunkSize, hashLeaves, (seq, row, recomputed) => {
			if (!row) {
				flag('missing', seq, 'its row is missing from the store');
			} else if (!recomputed) {
				flag('unreadable', seq, 'its stored text is no longer a JSON event');
			} else {
				if (!equalBytes(recomputed.hash, row.leafHash)) flag('leaf-mismatch', seq, 'its stored bytes no longer hash to its leaf hash: the record was changed after it was written');
				const field = fieldProblem(row, recomputed.event);
				if (field !== undefined) flag('field-mismatch', seq, field);
			}
			// A missing or unreadable event still takes its place in the tree, as the empty leaf, so
			// the leaves after it keep their indexes.
			range.append(recomputed?.hash ?? nobleLeafHash(new Uint8Array(0)));
		}, (done) => options.onProgress?.({ phase: 'events', done, total: size }));

		const computedRoot = range.rootHash();
		const rootMatches = equalBytes(computedRoot, storedRoot);
		if (!rootMatches) {
			await compareNodes(db, size, chunkSize, hashLeaves, tampered, problems, (done) => options.onProgress?.({ phase: 'nodes', done, total: size }));
			// The head repeats stored perfect nodes; when it still agrees with them, the problems
			// found below it explain the different root, and the head itself was not edited.
			for (const [begin, end] of await headDisagreements(db, head)) {
				problems.push({
					kind: 'head-mismatch',
					begin,
					end,
					message: `The stored head of the log disagrees with the stored tree over events ${begin} to ${end - 1}: the head, or those events together with their hashes, were changed after they were written.`
				});
			}
		}
		return { ok: rootMatches && problems.length === 0, size, storedRoot, computedRoot, tampered: [...tampered].sort((a, b) => a - b), problems };
	});
}

/**
 * The leaf ranges of the head's frontier entries that differ from the stored node they stand for
 * (a missing node is reported by the node pass instead). None when the head agrees with the tree.
 */
async function headDisagreements(db: CasetrailDb, head: HeadValue | undefined): Promise<[number, number][]> {
	if (!head) return [];
	const ids = compactRangeNodes(0, head.size);
	if (ids.length !== head.frontier.length) return [[0, head.size]];
	const [leaves, nodes] = await Promise.all([
		db.events.bulkGet(ids.filter((id) => id.level === 0).map((id) => id.index)),
		db.nodes.bulkGet(ids.filter((id) => id.level > 0).map((id): [number, number] => [id.level, id.index]))
	]);
	let leaf = 0;
	let node = 0;
	const ranges: [number, number][] = [];
	ids.forEach((id, i) => {
		const stored = id.level === 0 ? leaves[leaf++]?.leafHash : nodes[node++]?.hash;
		if (stored !== undefined && !equalBytes(stored, head.frontier[i])) {
			const begin = id.index * 2 ** id.level;
			ranges.push([begin, Math.min(head.size, begin + 2 ** id.level)]);
		}
	});
	return ranges;
}

interface Recomputed {
	hash: Uint8Array;
	event: CasetrailEvent;
}

/**
 * Reads the events [0, size) in chunks and calls `visit` for every leaf index in order, with its row
 * (undefined when missing) and the recomputed leaf hash and parsed event (undefined when unreadable).
 */
async function eachChunk(
	db: CasetrailDb,
	size: number,
	chunkSize: number,
	hashLeaves: LeafHasher,
	visit: (seq: number, row: EventRow | undefined, recomputed: Recomputed | undefined) => void | Promise<void>,
	progress: (done: number) => void
): Promise<void> {
	for (let begin = 0; begin < size; begin += chunkSize) {
		const end = Math.min(size, begin + chunkSize);
		const rows = await db.events.where('seq').between(begin, end, true, false).toArray();
		const events: (CasetrailEvent | undefined)[] = [];
		const bytes: Uint8Array[] = [];
		for (const row of rows) {
			let event: CasetrailEvent | undefined;
			try {
				const parsed: unknown = JSON.parse(row.canonical);
				if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) event = parsed as CasetrailEvent;
			} catch {
				event = undefined;
			}
			events.push(event);
			bytes.push(utf8.encode(typeof row.canonical === 'string' ? row.canonical : ''));
		}
		const hashes = await hashLeaves(bytes);
		let k = 0;
		for (let seq = begin; seq < end; seq++) {
			const row = rows[k];
			if (row && row.seq === seq) {
				const event = events[k];
				await visit(seq, row, event ? { hash: hashes[k] as Uint8Array, event } : undefined);
				k++;
			} else {
				await visit(seq, undefined, undefined);
			}
		}
		progress(end);
	}
}

/**
 * The second pass: recomputes every perfect interior node from the events and compares it with the
 * stored one, chunk by chunk. A mismatching node is reported only when nothing below it was already
 * reported, so one edit is named once, at the lowest node that shows it.
 */
async function compareNodes(
	db: CasetrailDb,
	size: number,
	chunkSize: number,
	hashLeaves: LeafHasher,
	tampered: Set<number>,
	problems: IntegrityProblem[],
	progress: (done: number) => void
): Promise<void> {
	const range = new CompactRange();
	// Nodes already explained by a reported problem below them, as "level:index".
	const explained = new Set<string>([...tampered].map((seq) => `0:${seq}`));
	let pending: NodeRow[] = [];
	const flush = async (): Promise<void> => {
		if (pending.length === 0) return;
		const stored = await db.nodes.bulkGet(pending.map((n): [number, number] => [n.level, n.index]));
		pending.forEach((node, i) => {
			const key = `${node.level}:${node.index}`;
			const row = stored[i];
			if (row && equalBytes(row.hash, node.hash)) return;
			const below = [`${node.level - 1}:${node.index * 2}`, `${node.level - 1}:${node.index * 2 + 1}`];
			if (below.some((k) => explained.has(k))) {
				explained.add(key);
				return;
			}
			explained.add(key);
			const begin = node.index * 2 ** node.level;
			const end = Math.min(size, begin + 2 ** node.level);
			problems.push({
				kind: 'node-mismatch',
				begin,
				end,
				message: row
					? `The stored tree node over events ${begin} to ${end - 1} no longer matches them: one of these events, or the node, was changed after it was written.`
					: `The stored tree node over events ${begin} to ${end - 1} is missing.`
			});
		});
		pending = [];
	};
	await eachChunk(
		db,
		size,
		chunkSize,
		hashLeaves,
		async (_seq, _row, recomputed) => {
			range.append(recomputed?.hash ?? nobleLeafHash(new Uint8Array(0)), (level, index, hash) => {
				if (level > 0) pending.push({ level, index, hash });
			});
			if (pending.length >= chunkSize) await flush();
		},
		progress
	);
	await flush();
}
