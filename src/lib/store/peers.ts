/**
 * Devices seen: what the verified bundles of other devices proved about their logs, fork detection,
 * and the import of a verified bundle in one transaction.
 *
 * A bundle with prefix [0, from) and leaves [from, treeSize) determines a set of perfect Merkle
 * nodes of its device's log: the prefix nodes, every leaf, and every node the leaves complete.
 * Each is kept by its position (level, index). A later bundle from that device extends the same
 * history only if every node it determines that was determined before has the same hash: equal
 * leaf positions hold equal leaves (level 0), its prefix matches the received history it covers,
 * and two checkpoints are consistent wherever both determine the same node (the nodes of a
 * checkpoint's compact range fold into its root). A node that differs is a fork: the device signed
 * two logs that cannot both be true. A bundle that starts after what was received is a gap, not a
 * fork: it is accepted and the missing range is reported.
 *
 * Nodes cannot compare a bundle with a checkpoint whose subtrees it does not determine: having
 * received [0, 10), a bundle starting at 12 carries the node over [8, 12) and says nothing of
 * [8, 10). Version 2 bundles close that gap (docs/bundle-format-v2.md): they prove the root their
 * tree had at every size the device signed before, so each checkpoint known here is compared by
 * root. A proven root that differs is a fork; a needed proof that is absent refuses the bundle with
 * 'missing-consistency-proof'. A version 1 bundle has no proofs, so it is accepted across a gap as
 * before, unless its device has sent version 2 before (a downgrade would otherwise skip the check).
 *
 * Bundle contents are attacker-controlled; this module only sees bundles that passed verifyBundle.
 */
import { CasetrailError } from '../core/errors';
import { attachmentHash, eventReferences } from '../core/attachments';
import type { VerifiedBundle } from '../core/bundle/types';
import { compareByConsistency as compareRoots, nodeSpan, type ForkProof, type LeafRange, type TreeNode } from '../core/bundle/nodes';
import type { CasetrailEvent } from '../core/event';
import { compactRangeAt, emptyRoot, foldCompactRange } from '../core/merkle';
import type { AppendOptions, AppendResult } from './append';
import type { CasetrailDb, HeadValue, ImportMarker } from './db';
import { appendChunk, beginImport, endImport, firstPace, holdingImport, nextPace, stagePeerNodes, undoImport, type ChunkSizing, type ImportProgress } from './import';
import { guarded } from './errors';
import type { DeviceRow, ForkRow, PeerNodeRow, SeenCheckpoint } from './exchange-schema';
import { nodeReader } from './nodes';
import { equalBytes } from '../core/encoding';

export { bundleNodes, nodeSpan, type LeafRange, type TreeNode, type ForkProof } from '../core/bundle/nodes';

/** The union of the leaf ranges the checkpoints' bundles carried, merged and sorted. */
export function receivedRanges(checkpoints: readonly Pick<SeenCheckpoint, 'from' | 'treeSize'>[]): LeafRange[] {
	const ranges = checkpoints
		.filter((c) => c.treeSize > c.from)
		.map((c) => ({ begin: c.from, end: c.treeSize }))
		.sort((a, b) => a.begin - b.begin);
	const merged: LeafRange[] = [];
	for (const r of ranges) {
		const last = merged[merged.length - 1];
		if (last && r.begin <= last.end) last.end = Math.max(last.end, r.end);
		else merged.push({ ...r });
	}
	return merged;
}

/** The leaf ranges in [0, size) that `received` does not cover: events known to exist but never received. */
export function missingRanges(received: readonly LeafRange[], size: number): LeafRange[] {
	const missing: LeafRange[] = [];
	let at = 0;
	for (const r of received) {
		if (r.begin > at) missing.push({ begin: at, end: Math.min(r.begin, size) });
		at = Math.max(at, r.end);
	}
	if (at < size) missing.push({ begin: at, end: size });
	return missing.filter((r) => r.end > r.begin);
}

/** The largest tree size among the checkpoints (0 for none). */
function knownSize(checkpoints: readonly SeenCheckpoint[]): number {
	return checkpoints.reduce((max, c) => Math.max(max, c.treeSize), 0);
}

/** Where two logs of one device disagree, and the earlier checkpoint that said otherwise. */
export interface Conflict {
	/** The leaves under the node whose hashes differ (for a proven root that differs: [0, its size)). */
	span: LeafRange;
	/** The checkpoint whose bundle first determined the node; undefined for this device's own log. */
	seen: SeenCheckpoint | undefined;
	/**
	 * Version 2: the bundle's consistency entry whose proven root differs from `seen`. With the
	 * bundle's checkpoint it shows that the signed tree had another root at that size.
	 */
	proof?: ForkProof;
}

/**
 * Where a version 2 bundle (or a version 1 bundle from a device that sent version 2) cannot be
 * compared with a checkpoint known here: the checkpoint a proof was needed for.
 */
export interface MissingProof {
	seen: SeenCheckpoint;
}

/**
 * Compares a verified bundle with each checkpoint of its device known here whose size is below the
 * bundle's: by the root its consistency proof proves for that size, or else by nodes (which
 * {@link compareWithKnown} did). Returns the first contradiction, or the first checkpoint that
 * needs a proof the bundle lacks. Pure: reads only its arguments (core/bundle/nodes.ts, which the
 * registry's ingest runs too).
 */
export function compareByConsistency(
	verified: Pick<VerifiedBundle, 'version' | 'treeSize' | 'consistency'>,
	device: DeviceRow | undefined,
	nodes: readonly TreeNode[]
): { conflict: Conflict | undefined; missingProof: MissingProof | undefined } {
	return compareRoots(verified, device, nodes);
}

/** What is known of a device's log, compared with the nodes a bundle determines. */
export interface Comparison {
	/** The first node whose hash differs from what was known, or undefined. */
	conflict: Conflict | undefined;
	/** The nodes not known before (none for this device's own log, which is not recorded here). */
	unseen: TreeNode[];
	/** The device as recorded, or undefined for a device never seen (and for this device). */
	device: DeviceRow | undefined;
}

/**
 * Compares the nodes a bundle of `deviceId` determines with what is known of that device's log.
 * For this device's own bundles the own log is the reference: every node must be in it with the
 * same hash. Reads only; run it inside a transaction over `devices`, `peerNodes`, `events`, `meta`.
 *
 * It reads no more than can be stored: nothing for a device never seen; nothing when `verified`
 * carries again (a part of) a signed tree whose checkpoint is known, since every node it determines
 * was stored with that checkpoint and all of a device's stored nodes agree (each import checked them);
 * otherwise only the nodes within the largest tree known of that device (a stored node lies within
 * the tree of the checkpoint whose bundle determined it). For the own log, the bundle's root is
 * compared with the log's root at its size first; the nodes are read only to say where they differ.
 */
export async function compareWithKnown(
	db: CasetrailDb,
	deviceId: string,
	ownDeviceId: string,
	nodes: readonly TreeNode[],
	verified?: Pick<VerifiedBundle, 'treeSize' | 'rootHash' | 'rootHashB64' | 'from'>
): Promise<Comparison> {
	if (deviceId === ownDeviceId) return { conflict: await findOwnConflict(db, nodes, verified), unseen: [], device: undefined };
	const device = await db.devices.get(deviceId);
	if (!device) return { conflict: undefined, unseen: [...nodes], device };
	if (verified && device.checkpoints.some((c) => c.treeSize === verified.treeSize && c.rootHash === verified.rootHashB64 && c.from <= verified.from)) {
		return { conflict: undefined, unseen: [], device };
	}
	const known = knownSize(device.checkpoints);
	const candidates = nodes.filter((n) => nodeSpan(n.level, n.index).end <= known);
	const stored = candidates.length > 0 ? await db.peerNodes.bulkGet(candidates.map((n) => [deviceId, n.level, n.index])) : [];
	const unseen: TreeNode[] = nodes.filter((n) => nodeSpan(n.level, n.index).end > known);
	for (let i = 0; i < candidates.length; i++) {
		const row = stored[i];
		const node = candidates[i] as TreeNode;
		if (!row) unseen.push(node);
		else if (!equalBytes(row.hash, node.hash)) {
			const seen = device.checkpoints.find((c) => c.treeSize === row.treeSize) ?? latestOf(device);
			return { conflict: { span: nodeSpan(node.level, node.index), seen }, unseen: [], device };
		}
	}
	return { conflict: undefined, unseen, device };
}

async function findOwnConflict(db: CasetrailDb, nodes: readonly TreeNode[], verified: Pick<VerifiedBundle, 'treeSize' | 'rootHash'> | undefined): Promise<Conflict | undefined> {
	const size = ((await db.meta.get('head'))?.value as HeadValue | undefined)?.size ?? 0;
	const beyond = nodes.find((n) => nodeSpan(n.level, n.index).end > size);
	if (beyond) return { span: { begin: Math.max(size, nodeSpan(beyond.level, beyond.index).begin), end: nodeSpan(beyond.level, beyond.index).end }, seen: undefined };
	if (nodes.length === 0) return undefined;
	const read = nodeReader(db);
	// The same root at the same size: the same tree, so every node the bundle determines is ours.
	if (verified && verified.treeSize > 0 && equalBytes(foldCompactRange((await compactRangeAt(verified.treeSize, read)).frontier), verified.rootHash)) return undefined;
	const hashes = await read(nodes.map((n) => ({ level: n.level, index: n.index })));
	const at = nodes.findIndex((n, i) => !equalBytes(n.hash, hashes[i] as Uint8Array));
	const node = nodes[at];
	return node ? { span: nodeSpan(node.level, node.index), seen: undefined } : undefined;
}

function latestOf(device: DeviceRow | undefined): SeenCheckpoint | undefined {
	return device?.checkpoints.reduce<SeenCheckpoint | undefined>((a, c) => (a === undefined || c.treeSize > a.treeSize ? c : a), undefined);
}

/** What a verified bundle would do to the record of its device, without changing anything. */
export interface PeerPreview {
	/** 'own': signed by this device; 'new': never seen; 'known': seen before. */
	relation: 'own' | 'new' | 'known';
	/** Where it contradicts what was seen before; importing it would be refused with 'fork-detected'. */
	conflict: Conflict | undefined;
	/** A checkpoint seen before that it carries no proof for; importing it would be refused with 'missing-consistency-proof'. */
	missingProof: MissingProof | undefined;
	/** Leaf ranges of that device's log that would still be missing here after importing it. */
	missing: LeafRange[];
}

/** {@link PeerPreview} of a verified bundle, in one read transaction. */
export async function previewBundle(db: CasetrailDb, verified: VerifiedBundle, ownDeviceId: string, nodes: readonly TreeNode[]): Promise<PeerPreview> {
	return guarded(db, () =>
		db.transaction('r', [db.devices, db.peerNodes, db.events, db.meta], async () => {
			const compared = await compareWithKnown(db, verified.deviceId, ownDeviceId, nodes, verified);
			const { device } = compared;
			if (verified.deviceId === ownDeviceId) return { relation: 'own' as const, conflict: compared.conflict, missingProof: undefined, missing: [] };
			const byProof = compared.conflict ? { conflict: undefined, missingProof: undefined } : compareByConsistency(verified, device, nodes);
			const checkpoints = [...(device?.checkpoints ?? []), { from: verified.from, treeSize: verified.treeSize }];
			const size = Math.max(verified.treeSize, knownSize(device?.checkpoints ?? []));
			return {
				relation: device ? ('known' as const) : ('new' as const),
				conflict: compared.conflict ?? byProof.conflict,
				missingProof: byProof.missingProof,
				missing: missingRanges(receivedRanges(checkpoints), size)
			};
		})
	);
}

/** What {@link importVerifiedBundle} did. */
export interface ImportOutcome {
	/** The appends of its chunks together; events already here count as duplicates. */
	append: Omit<AppendResult, 'seqs'>;
	relation: PeerPreview['relation'];
	/** Leaf ranges of the sending device's log never received here (empty for this device's own). */
	missing: LeafRange[];
}

function missingProofMessage(deviceId: string, missing: MissingProof, verified: VerifiedBundle): string {
	const why = verified.version === 1 ? 'it is a version 1 bundle, and that device has sent version 2 bundles before' : 'it carries no consistency proof from that size';
	return (
		`This bundle of device ${deviceId.slice(0, 8)} (${events(verified.treeSize)}, signed ${verified.issuedAt}) cannot be checked against its checkpoint of ` +
		`${events(missing.seen.treeSize)} signed ${missing.seen.issuedAt}: ${why}, and it does not hold those events. Nothing was imported; ask for a new export from that device.`
	);
}

function checkpointOf(verified: VerifiedBundle, receivedAt: string): SeenCheckpoint {
	return { treeSize: verified.treeSize, rootHash: verified.rootHashB64, issuedAt: verified.issuedAt, jws: verified.checkpoint, from: verified.from, receivedAt };
}

function events(n: number): string {
	return n === 1 ? '1 event' : `${n} events`;
}

/** "events 4 to 7" for a leaf range, counting from 1 as people do. */
export function describeRange(range: LeafRange): string {
	return range.end - range.begin === 1 ? `event ${range.begin + 1}` : `events ${range.begin + 1} to ${range.end}`;
}

function forkMessage(deviceId: string, conflict: Conflict, verified: VerifiedBundle): string {
	if (!conflict.seen) {
		return `This bundle is signed by this device, but ${describeRange(conflict.span)} of its log differ from what this device holds. Nothing was imported.`;
	}
	if (conflict.proof) {
		return (
			`Device ${deviceId.slice(0, 8)} rewrote or removed events it had sent before: its bundle's checkpoint of ${events(verified.treeSize)} signed ${verified.issuedAt} proves ` +
			`that its first ${events(conflict.seen.treeSize)} are not those of its checkpoint signed ${conflict.seen.issuedAt}. ` +
			'Nothing was imported; both checkpoints and the proof are kept as evidence under Devices seen.'
		);
	}
	return (
		`Device ${deviceId.slice(0, 8)} rewrote or removed events it had sent before: ${describeRange(conflict.span)} of its log differ between the checkpoint of ` +
		`${events(conflict.seen.treeSize)} signed ${conflict.seen.issuedAt} and this bundle's checkpoint of ${events(verified.treeSize)} signed ${verified.issuedAt}. ` +
		'Nothing was imported; both checkpoints are kept as evidence under Devices seen.'
	);
}

/** Options of {@link importVerifiedBundle}. */
export interface ImportContext {
	ownDeviceId: string;
	/** The nodes the bundle determines (bundleNodes). */
	nodes: readonly TreeNode[];
	now: string;
	append?: Pick<AppendOptions, 'registry' | 'firstSnapshot' | 'rate'>;
	/** Events per append transaction; by default sized by time (`sizing`). */
	chunkSize?: number;
	/** How chunks are sized by time when `chunkSize` is not given (default IMPORT_SIZING). */
	sizing?: ChunkSizing;
	/**
	 * Told after each step. An exception it throws stops the import there without undoing it, as a
	 * closed tab would (the tests use it): the next import or sign-in undoes it (store/import.ts).
	 */
	onProgress?: (progress: ImportProgress) => void;
}

/** An exception of the progress callback: the import stops as if its tab had closed. */
class Interrupted extends Error {}

/**
 * Imports a verified bundle, all or nothing, in short transactions (store/import.ts): checks it
 * against what its device sent before, skips the events of leaf positions received from that device
 * before (each import was whole, and the nodes just compared show they are the same events) without
 * reading them, appends the others in chunks (each event with its origin: the sending device and its
 * position there; an event already stored with the same bytes is skipped), and publishes the device,
 * its checkpoint and the nodes the bundle determined in one short transaction. A failure midway
 * undoes what the chunks stored.
 *
 * Throws CasetrailError: 'fork-detected' when the bundle contradicts what its device sent before
 * (the two checkpoints are then stored in `forks`, the only write a refused bundle leaves),
 * 'missing-consistency-proof', 'event-conflict' (from appendEvents) when an event is already stored
 * with different content, 'import-running' when another import holds the log, or a store error.
 */
export async function importVerifiedBundle(db: CasetrailDb, verified: VerifiedBundle, context: ImportContext): Promise<ImportOutcome> {
	const { ownDeviceId, nodes, now } = context;
	const deviceId = verified.deviceId;
	const own = deviceId === ownDeviceId;
	const chunkSize = context.chunkSize;
	if (chunkSize !== undefined && (!Number.isSafeInteger(chunkSize) || chunkSize < 1)) throw new CasetrailError('out-of-range', `An import appends a whole number >= 1 of events at a time, not ${String(chunkSize)}.`);
	const progress = (p: ImportProgress): void => {
		try {
			context.onProgress?.(p);
		} catch (e) {
			throw new Interrupted('stopped', { cause: e });
		}
	};
	const id = crypto.randomUUID();
	return holdingImport(db, id, async () => {
		const marker = await beginImport(db, { id, deviceId, newDevice: false, startedAt: now });
		let wrote = false;
		try {
			const compared = await guarded(db, () =>
				db.transaction('r', [db.devices, db.peerNodes, db.events, db.meta], async () => {
					const result = await compareWithKnown(db, deviceId, ownDeviceId, nodes, verified);
					const head = (await db.meta.get('head'))?.value as HeadValue | undefined;
					return { ...result, head };
				})
			);
			const { unseen, device } = compared;
			const byProof = compared.conflict || own ? { conflict: undefined, missingProof: undefined } : compareByConsistency(verified, device, nodes);
			const conflict = compared.conflict ?? byProof.conflict;
			if (conflict) {
				const reason = forkMessage(deviceId, conflict, verified);
				await dropMarker(db, id);
				if (conflict.seen) {
					await keepEvidence(db, {
						deviceId,
						detectedAt: now,
						reason,
						begin: conflict.span.begin,
						end: conflict.span.end,
						seen: conflict.seen,
						offered: checkpointOf(verified, now),
						...(conflict.proof ? { proof: conflict.proof } : {})
					});
				}
				throw new CasetrailError('fork-detected', reason);
			}
			if (byProof.missingProof) throw new CasetrailError('missing-consistency-proof', missingProofMessage(deviceId, byProof.missingProof, verified));

			// Leaf positions received from this device before hold these very events (the nodes agree):
			// they are here, and need no read. The own log holds all of a bundle without a conflict.
			const received = own ? [{ begin: verified.from, end: verified.treeSize }] : receivedRanges(device?.checkpoints ?? []);
			const todo: number[] = [];
			for (let i = 0; i < verified.events.length; i++) if (!inRanges(received, verified.from + i)) todo.push(i);
			const total = { appended: 0, duplicates: verified.events.length - todo.length, skipped: [] as AppendResult['skipped'], size: compared.head?.size ?? 0, root: compared.head && compared.head.size > 0 ? foldCompactRange(compared.head.frontier) : emptyRoot() };

			const fresh = unseen.map((n): PeerNodeRow => ({ deviceId, level: n.level, index: n.index, hash: n.hash, treeSize: verified.treeSize }));
			const newDevice = !own && !device;
			if (newDevice && fresh.length > 0 && todo.length > 0) {
				// A device never seen: its nodes are staged before, not written by the short publish.
				await markNewDevice(db, id);
				wrote = true;
				await stagePeerNodes(db, fresh, (done) => progress({ phase: 'nodes', done, total: fresh.length }));
			}
			// The carried photos and signatures by hash: each chunk takes those its events reference.
			const carried = new Map(verified.attachments.map((bytes) => [attachmentHash(bytes), bytes]));
			let pace = firstPace(context.sizing);
			for (let at = 0; at < todo.length; ) {
				const picked = todo.slice(at, at + (chunkSize ?? pace.size));
				const started = performance.now();
				const events = picked.map((i) => verified.events[i] as CasetrailEvent);
				const attachments = [...new Set(eventReferences(events).map((ref) => carried.get(ref.sha256)))].filter((b): b is Uint8Array => b !== undefined);
				wrote = true;
				const done = await appendChunk(
					db,
					id,
					events,
					picked.map((i) => ({ deviceId, index: verified.from + i })),
					picked.map((i) => verified.leafHashes[i] as Uint8Array),
					{ ...context.append, attachments }
				);
				total.appended += done.appended;
				total.duplicates += done.duplicates;
				total.skipped.push(...done.skipped);
				total.size = done.size;
				total.root = done.root;
				pace = nextPace(pace, picked.length, performance.now() - started, context.sizing);
				at += picked.length;
				progress({ phase: 'events', done: at, total: todo.length });
			}
			progress({ phase: 'publishing', done: todo.length, total: todo.length });

			// Publish: the device and its checkpoint, its nodes unless staged, and the head without the mark.
			const published = await guarded(db, () =>
				db.transaction('rw', [db.meta, db.devices, db.peerNodes], async () => {
					await endImport(db, id);
					if (own) return { relation: 'own' as const, missing: [] };
					const current = await db.devices.get(deviceId);
					// One checkpoint per size: an equal size here has an equal root (else it was a fork), so
					// only a bundle that carried more of the log (a smaller `from`) replaces it.
					const checkpoints = (current?.checkpoints ?? []).filter((c) => c.treeSize !== verified.treeSize || c.from <= verified.from);
					if (!checkpoints.some((c) => c.treeSize === verified.treeSize)) {
						checkpoints.push(checkpointOf(verified, now));
						checkpoints.sort((a, b) => a.treeSize - b.treeSize);
					}
					const row: DeviceRow = {
						deviceId,
						publicJwk: verified.publicJwk,
						firstSeen: current?.firstSeen ?? now,
						lastSeen: now,
						checkpoints,
						// Once a device has sent version 2, its version 1 bundles must carry what version 2 proves.
						...(verified.version === 2 || current?.formatVersion === 2 ? { formatVersion: 2 as const } : {})
					};
					const staged = newDevice && todo.length > 0;
					await Promise.all([db.devices.put(row), !staged && fresh.length > 0 ? db.peerNodes.bulkPut(fresh) : undefined]);
					return { relation: device ? ('known' as const) : ('new' as const), missing: missingRanges(receivedRanges(checkpoints), knownSize(checkpoints)) };
				})
			);
			return { append: total, ...published };
		} catch (e) {
			if (e instanceof Interrupted) throw e.cause;
			// Nothing but the mark was written: take it away; else undo what the chunks stored.
			await (wrote ? undoImport(db, (await currentMarker(db, id)) ?? marker) : dropMarker(db, id)).catch(() => undefined);
			throw e;
		}
	});
}

function inRanges(ranges: readonly LeafRange[], position: number): boolean {
	return ranges.some((r) => position >= r.begin && position < r.end);
}

/** The marker `id` as it is now in the head, if it is there. */
async function currentMarker(db: CasetrailDb, id: string): Promise<ImportMarker | undefined> {
	const head = await guarded(db, () => db.transaction('r', db.meta, async () => (await db.meta.get('head'))?.value as HeadValue | undefined));
	return head?.importing?.id === id ? head.importing : undefined;
}

/** Records in the marker that the device was new, before its nodes are staged (so an undo deletes them). */
async function markNewDevice(db: CasetrailDb, id: string): Promise<void> {
	await guarded(db, () =>
		db.transaction('rw', db.meta, async () => {
			const head = (await db.meta.get('head'))?.value as HeadValue | undefined;
			if (!head?.importing || head.importing.id !== id) throw new CasetrailError('import-running', 'Nothing was imported: this import was stopped and undone meanwhile. Import the bundle again.');
			await db.meta.put({ key: 'head', value: { ...head, importing: { ...head.importing, newDevice: true } } });
		})
	);
}

/** Takes the marker `id` out of the head when nothing else was written. */
async function dropMarker(db: CasetrailDb, id: string): Promise<void> {
	await guarded(db, () =>
		db.transaction('rw', db.meta, async () => {
			const head = (await db.meta.get('head'))?.value as HeadValue | undefined;
			if (head?.importing?.id !== id) return;
			const { importing: _i, ...rest } = head;
			await db.meta.put({ key: 'head', value: rest });
		})
	);
}

/** Stores fork evidence once: the same pair of checkpoints is not added twice. */
async function keepEvidence(db: CasetrailDb, evidence: ForkRow): Promise<void> {
	await guarded(db, () =>
		db.transaction('rw', db.forks, async () => {
			const known = await db.forks.where('deviceId').equals(evidence.deviceId).toArray();
			if (known.some((f) => f.seen.jws === evidence.seen.jws && f.offered.jws === evidence.offered.jws)) return;
			await db.forks.add(evidence);
		})
	);
}

/** A device seen, for the Devices seen list. */
export interface DeviceView {
	deviceId: string;
	publicJwk: DeviceRow['publicJwk'];
	firstSeen: string;
	lastSeen: string;
	/** The checkpoint with the largest tree size imported from it. */
	latest: SeenCheckpoint | undefined;
	checkpoints: SeenCheckpoint[];
	/** Leaf ranges of its log received here. */
	received: LeafRange[];
	/** Leaf ranges of its log (up to the latest checkpoint) never received here. */
	missing: LeafRange[];
	/** Fork evidence: pairs of its checkpoints that contradict each other. */
	forks: ForkRow[];
}

/** Every device seen, most recently seen first, with its received and missing ranges and fork evidence. */
export async function listDevices(db: CasetrailDb): Promise<DeviceView[]> {
	return guarded(db, () =>
		db.transaction('r', [db.devices, db.forks], async () => {
			const [devices, forks] = await Promise.all([db.devices.toArray(), db.forks.toArray()]);
			return devices
				.map((d): DeviceView => {
					const received = receivedRanges(d.checkpoints);
					return {
						deviceId: d.deviceId,
						publicJwk: d.publicJwk,
						firstSeen: d.firstSeen,
						lastSeen: d.lastSeen,
						latest: latestOf(d),
						checkpoints: d.checkpoints,
						received,
						missing: missingRanges(received, knownSize(d.checkpoints)),
						forks: forks.filter((f) => f.deviceId === d.deviceId)
					};
				})
				.sort((a, b) => (a.lastSeen < b.lastSeen ? 1 : a.lastSeen > b.lastSeen ? -1 : 0));
		})
	);
}

