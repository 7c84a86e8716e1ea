/**
 * The integrity check of the whole log: recompute every leaf hash from the stored canonical events,
 * every interior node from those leaves and the root from the nodes, compare each with what the
 * store holds, and name the exact events that no longer match (a record edited by hand in
 * IndexedDB, a row deleted). It reads the log in chunks outside any long transaction, so memory
 * stays flat and the app keeps working meanwhile.
 *
 * One pass is enough: an event row holds its leaf hash and the interior nodes its append completed
 * (db.ts), and the compact range rebuilding the tree completes the same nodes at the same leaf. So
 * tampering that kept a row self-consistent (an event edited together with its leaf hash) shows at
 * the lowest stored node above it, read in the same pass.
 */
import { CasetrailError } from '../core/errors';
import type { CasetrailEvent } from '../core/event';
import { CompactRange, compactRangeNodes, digest, emptyRoot, foldCompactRange, leafHash } from '../core/merkle';
import { installFastSha256 } from '../crypto/fast-sha256';
import { assertSessionKeyCurrent } from './key-check';
import type { CasetrailDb, EventRow, HeadValue } from './db';
import { guarded } from './errors';
import { headAuthenticity } from './head-mac';
import { nodeOfRow, nodeSeq } from './nodes';
import { equalBytes } from '../core/encoding';
import { eventChunks } from './event-reader';

export type IntegrityProblemKind =
	/** The canonical bytes no longer hash to the leaf hash stored with them. */
	| 'leaf-mismatch'
	/** An indexed copy (guid, entityGuid, type, timestamp, instant) differs from the canonical event. */
	| 'field-mismatch'
	/** The canonical text is not a JSON object any more. */
	| 'unreadable'
	/** No event row at a leaf index below the log size. */
	| 'missing'
	/** Event rows at leaf indexes the head does not reach: added on disk, or the head was cut or deleted. */
	| 'beyond-head'
	/** A stored interior node differs from the one recomputed from the events under it. */
	| 'node-mismatch'
	/** The stored head (the compact range) differs from the one recomputed from the events. */
	| 'head-mismatch'
	/** The stored head does not carry a valid MAC under the data key: it was written without it. */
	| 'head-unauthenticated'
	/** Fewer export rows than the authenticated head counts: signed checkpoints were deleted. */
	| 'checkpoint-missing'
	/** A checkpoint this device signed is larger than the log: events were removed (worker/history.ts). */
	| 'checkpoint-beyond-log'
	/** No consistency proof leads from a checkpoint this device signed to the log (worker/history.ts). */
	| 'checkpoint-inconsistent'
	/** An export row's checkpoint is not one this device signed for that size (worker/history.ts). */
	| 'checkpoint-invalid'
	/** A stored record (entity row or its snapshots) differs from what its events project to (worker/log.ts). */
	| 'record-mismatch'
	/** A stored photo or signature does not open, or its bytes do not hash to its key (store/attachments.ts). */
	| 'attachment-mismatch'
	/** An event references a photo or signature that is not stored (store/attachments.ts). */
	| 'attachment-missing';

export interface IntegrityProblem {
	kind: IntegrityProblemKind;
	/** For 'record-mismatch': the record concerned. */
	entityGuid?: string;
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
	 * a row self-consistent is reported as a 'node-mismatch' problem over the leaves of the lowest
	 * stored node that shows it.
	 */
	tampered: number[];
	problems: IntegrityProblem[];
}

export interface IntegrityProgress {
	/** The one pass: each event row with the Merkle nodes it holds. */
	phase: 'events';
	done: number;
	total: number;
}

/** How the leaf hashes are recomputed: one RFC 6962 leaf hash per canonical text, in order. */
export type LeafHasher = (canonical: string[]) => Promise<Uint8Array[]>;

export interface IntegrityOptions {
	/** Events read per chunk (default 5000: about 3 MB of rows; fewer, larger reads are faster). */
	chunkSize?: number;
	onProgress?: (progress: IntegrityProgress) => void;
	/**
	 * Leaf hashing; default {@link defaultLeafHasher}, which for sealed rows hashes the bytes they
	 * opened to rather than encoding each text again (defaultChunkHashes).
	 */
	hashLeaves?: LeafHasher;
	/** Told each chunk of event rows as it is read, so another check rides on this pass (attachments). */
	onRows?: (rows: readonly EventRow[]) => void;
}

const utf8 = new TextEncoder();

/** Reused for every leaf: 0x00 then the UTF-8 text, grown when a text does not fit. */
let leafBuffer = new Uint8Array(4096);

/** SHA-256(0x00 || UTF-8(text)), synchronous, encoding straight into one reused buffer. */
function syncLeaf(text: string): Uint8Array {
	if (leafBuffer.length < text.length * 3 + 1) leafBuffer = new Uint8Array(text.length * 3 + 1);
	leafBuffer[0] = 0x00;
	const { written } = utf8.encodeInto(text, leafBuffer.subarray(1));
	return digest(leafBuffer.subarray(0, written + 1));
}

/** Each leaf hashed in this thread with the tree's synchronous SHA-256 (core merkle/hash.ts). */
export const syncLeafHasher: LeafHasher = async (texts) => texts.map(syncLeaf);

/**
 * WebCrypto SHA-256 of each leaf, all of a chunk in flight at once, or undefined where there is no
 * WebCrypto. Allowed here because the check runs outside any transaction.
 */
export function webCryptoLeafHasher(subtle: SubtleCrypto | undefined = globalThis.crypto?.subtle): LeafHasher | undefined {
	if (!subtle) return undefined;
	return (texts) => Promise.all(texts.map((text) => webCryptoLeaf(subtle, text)));
}

async function webCryptoLeaf(subtle: SubtleCrypto, text: string): Promise<Uint8Array> {
	const bytes = utf8.encode(text);
	const prefixed = new Uint8Array(bytes.length + 1);
	prefixed.set(bytes, 1);
	return new Uint8Array(await subtle.digest('SHA-256', prefixed));
}

/**
 * The leaf hasher the check uses unless told otherwise: in this thread, with the WebAssembly SHA-256
 * the check installs first (crypto/fast-sha256.ts). WebCrypto, a share of each chunk given to
 * WebCrypto, and a hashing worker were measured too and were no faster on the benchmark machine
 * (bench/README.md): per-call and copying costs ate what a second core gave.
 */
export const defaultLeafHasher: LeafHasher = syncLeafHasher;

/** Which indexed copy of an event differs from its canonical JSON, or undefined when all agree. */
function fieldProblem(row: EventRow, event: CasetrailEvent): string | undefined {
	for (const field of ['guid', 'entityGuid', 'type', 'timestamp'] as const) {
		if (row[field] !== event[field]) return `its stored ${field} (${String(row[field])}) differs from the event's (${String(event[field])})`;
	}
	// Date.parse reads the one timestamp form Casetrail accepts exactly (core parseTimestamp), faster.
	if (row.instant !== Date.parse(event.timestamp)) return `its stored instant (${String(row.instant)}) differs from its timestamp ${event.timestamp}`;
	return undefined;
}

/**
 * Checks the whole log against itself: see the file comment. Resolves a report (never throws for a
 * mismatch; 'storage-failed' only when the database cannot be read). The log may grow while it
 * runs: the check covers the size it had when it started.
 */
export async function checkIntegrity(db: CasetrailDb, options: IntegrityOptions = {}): Promise<IntegrityReport> {
	const chunkSize = options.chunkSize ?? 5000;
	if (!Number.isSafeInteger(chunkSize) || chunkSize < 1) throw new CasetrailError('out-of-range', `The check reads a whole number >= 1 of events at a time, not ${String(chunkSize)}.`);
	await installFastSha256();
	return check(db, chunkSize, options.hashLeaves, options.onProgress, options.onRows);
}

/**
 * The leaf hashes of a chunk with the default hasher: where the reader opened a sealed row, the
 * SHA-256 of the leaf input it left (0x00 then the very bytes the text was decoded from:
 * event-reader.ts), with no second encoding of the text; elsewhere {@link syncLeaf} of the text.
 */
function defaultChunkHashes(rows: readonly EventRow[], leaves: readonly (Uint8Array | undefined)[] | undefined): Uint8Array[] {
	return rows.map((row, k) => {
		const leaf = leaves?.[k];
		return leaf ? digest(leaf) : syncLeaf(typeof row.canonical === 'string' ? row.canonical : '');
	});
}

async function check(db: CasetrailDb, chunkSize: number, hashLeaves: LeafHasher | undefined, onProgress: IntegrityOptions['onProgress'], onRows: IntegrityOptions['onRows']): Promise<IntegrityReport> {
	return guarded(db, async () => {
		// A tab whose key another tab's rotation replaced would take every record for changed: it signs in again.
		await assertSessionKeyCurrent(db);
		const head = (await db.meta.get('head'))?.value as HeadValue | undefined;
		const size = head?.size ?? 0;
		const storedRoot = head && head.size > 0 ? foldCompactRange(head.frontier) : emptyRoot();
		const problems: IntegrityProblem[] = [];
		// The head decides what the log is (its size above all): believed only with its MAC.
		if ((await headAuthenticity(db, head)) === 'forged') {
			problems.push({
				kind: 'head-unauthenticated',
				begin: 0,
				end: size,
				message: `The stored head of the log (${size} events) was not written by Casetrail with this device's key: it was changed in the device storage, for example to hide removed events.`
			});
		}
		const beyond = await db.events.where('seq').aboveOrEqual(size).count();
		if (beyond > 0) {
			problems.push({
				kind: 'beyond-head',
				begin: size,
				end: size + beyond,
				message: `${beyond} stored event ${beyond === 1 ? 'row lies' : 'rows lie'} past the end of the log its head records (${size} events): rows were added in the device storage, or the head was cut or deleted.`
			});
		}
		const exportRows = await db.exports.count();
		if (head?.signed && exportRows < head.signed.count) {
			problems.push({
				kind: 'checkpoint-missing',
				begin: 0,
				end: Math.min(size, head.signed.size),
				message: `This device signed ${head.signed.count} checkpoints (up to ${head.signed.size} events), but only ${exportRows} are stored: signed checkpoints were deleted from the device storage.`
			});
		}
		const tampered = new Set<number>();
		// Nodes whose mismatch is already explained by a problem reported below them, "level:index".
		const explained = new Set<string>();
		const flag = (kind: IntegrityProblemKind, seq: number, message: string): void => {
			problems.push({ kind, begin: seq, end: seq + 1, message: `Event ${seq}: ${message}.` });
			tampered.add(seq);
			explained.add(`0:${seq}`);
		};
		const range = new CompactRange();
		const emptyLeaf = leafHash(new Uint8Array(0));

		// Pipelined: the next chunk is asked for as soon as this one arrives, so the database reads it
		// (in its own process) while this one is hashed and compared here. Sealed rows are opened with
		// WebCrypto outside the read transactions (event-reader.ts).
		for await (const { begin, end, rows, leaves } of eventChunks(db, 0, size, chunkSize)) {
			onRows?.(rows);
			const hashes = hashLeaves
				? await hashLeaves(rows.map((row) => (typeof row.canonical === 'string' ? row.canonical : '')))
				: defaultChunkHashes(rows, leaves);
			const parsed = rows.map(parseRow);
			let k = 0;
			for (let seq = begin; seq < end; seq++) {
				const row = rows[k]?.seq === seq ? rows[k] : undefined;
				const event = row ? parsed[k] : undefined;
				const hash = row ? (hashes[k] as Uint8Array) : undefined;
				if (row) k++;
				if (!row) flag('missing', seq, 'its row is missing from the store');
				else if (!event) flag('unreadable', seq, 'its stored text is no longer a JSON event');
				else {
					if (!equalBytes(hash, row.leafHash)) flag('leaf-mismatch', seq, 'its stored bytes no longer hash to its leaf hash: the record was changed after it was written');
					const field = fieldProblem(row, event);
					if (field !== undefined) flag('field-mismatch', seq, field);
				}
				// A missing or unreadable event still takes its place in the tree, as the empty leaf,
				// so the leaves after it keep their indexes.
				range.append(event && hash ? hash : emptyLeaf, (level, index, recomputed) => {
					if (level === 0) return;
					if (explained.size > 0 && (explained.has(`${level - 1}:${index * 2}`) || explained.has(`${level - 1}:${index * 2 + 1}`))) {
						explained.add(`${level}:${index}`);
						return;
					}
					const stored = row && nodeOfRow(row, level);
					if (stored && equalBytes(stored, recomputed)) return;
					explained.add(`${level}:${index}`);
					const first = index * 2 ** level;
					const last = first + 2 ** level - 1;
					problems.push({
						kind: 'node-mismatch',
						begin: first,
						end: last + 1,
						message: stored
							? `The stored tree node over events ${first} to ${last} no longer matches them: one of these events, or the node, was changed after it was written.`
							: `The stored tree node over events ${first} to ${last} is missing.`
					});
				});
			}
			onProgress?.({ phase: 'events', done: end, total: size });
		}

		const computedRoot = range.rootHash();
		const rootMatches = equalBytes(computedRoot, storedRoot);
		if (!rootMatches) {
			// The head repeats stored nodes; where it still agrees with them, the problems found
			// below explain the different root and the head itself was not edited.
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

/** The parsed canonical event of a row, or undefined when its text is not a JSON object any more. */
function parseRow(row: EventRow): CasetrailEvent | undefined {
	try {
		const parsed: unknown = JSON.parse(row.canonical);
		return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as CasetrailEvent) : undefined;
	} catch {
		return undefined;
	}
}

/**
 * The leaf ranges of the head's frontier entries that differ from the stored node they stand for
 * (a node that cannot be read is reported by the pass over the events instead). None when the head
 * agrees with the tree.
 */
async function headDisagreements(db: CasetrailDb, head: HeadValue | undefined): Promise<[number, number][]> {
	if (!head) return [];
	const ids = compactRangeNodes(0, head.size);
	if (ids.length !== head.frontier.length) return [[0, head.size]];
	const rows = await db.events.bulkGet(ids.map((id) => nodeSeq(id.level, id.index)));
	const ranges: [number, number][] = [];
	ids.forEach((id, i) => {
		const row = rows[i];
		const stored = row && nodeOfRow(row, id.level);
		if (stored !== undefined && !equalBytes(stored, head.frontier[i])) {
			const begin = id.index * 2 ** id.level;
			ranges.push([begin, Math.min(head.size, begin + 2 ** id.level)]);
		}
	});
	return ranges;
}
