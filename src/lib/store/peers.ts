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
import type { VerifiedBundle } from '../core/bundle/types';
import { compareByConsistency as compareRoots, nodeSpan, type ForkProof, type LeafRange, type TreeNode } from '../core/bundle/nodes';
import { appendEvents, type AppendOptions, type AppendResult } from './append';
import type { CasetrailDb, HeadValue } from './db';
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
 * Compares the nodes a bundle of `deviceId` determines with what is known of that device's log, in
 * one batched read. For this device's own bundles the own log is the reference: every node must be
 * in it with the same hash. Reads only; run it inside a transaction over `devices`, `peerNodes`
 * (and, for the own log, `events`, `nodes`, `meta`).
 */
export async function compareWithKnown(db: CasetrailDb, deviceId: string, ownDeviceId: string, nodes: readonly TreeNode[]): Promise<Comparison> {
	if (deviceId === ownDeviceId) return { conflict: await findOwnConflict(db, nodes), unseen: [], device: undefined };
	const [device, stored] = await Promise.all([db.devices.get(deviceId), nodes.length > 0 ? db.peerNodes.bulkGet(nodes.map((n) => [deviceId, n.level, n.index])) : []]);
	const unseen: TreeNode[] = [];
	for (let i = 0; i < nodes.length; i++) {
		const row = stored[i];
		const node = nodes[i] as TreeNode;
		if (!row) unseen.push(node);
		else if (!equalBytes(row.hash, node.hash)) {
			const seen = device?.checkpoints.find((c) => c.treeSize === row.treeSize) ?? latestOf(device);
			return { conflict: { span: nodeSpan(node.level, node.index), seen }, unseen: [], device };
		}
	}
	return { conflict: undefined, unseen, device };
}

async function findOwnConflict(db: CasetrailDb, nodes: readonly TreeNode[]): Promise<Conflict | undefined> {
	const size = ((await db.meta.get('head'))?.value as HeadValue | undefined)?.size ?? 0;
	const beyond = nodes.find((n) => nodeSpan(n.level, n.index).end > size);
	if (beyond) return { span: { begin: Math.max(size, nodeSpan(beyond.level, beyond.index).begin), end: nodeSpan(beyond.level, beyond.index).end }, seen: undefined };
	if (nodes.length === 0) return undefined;
	const hashes = await nodeReader(db)(nodes.map((n) => ({ level: n.level, index: n.index })));
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
		db.transaction('r', db.tables, async () => {
			const compared = await compareWithKnown(db, verified.deviceId, ownDeviceId, nodes);
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
	append: AppendResult;
	relation: PeerPreview['relation'];
	/** Leaf ranges of the sending device's log never received here (empty for this device's own). */
	missing: LeafRange[];
}

/** A fork found inside the import transaction: a CasetrailError, so the store's error mapping passes it on. */
class ForkFound extends CasetrailError {
	readonly evidence: ForkRow | undefined;
	constructor(message: string, evidence: ForkRow | undefined) {
		super('fork-detected', message);
		this.evidence = evidence;
	}
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

/**
 * Imports a verified bundle in one readwrite transaction: checks it against what its device sent
 * before, appends its events to this device's log in one appendEvents batch (each with its origin:
 * the sending device and its position there; events already stored with the same bytes are
 * skipped), and records the device, its checkpoint and the nodes the bundle determined. All of it
 * is stored or none.
 *
 * Throws CasetrailError: 'fork-detected' when the bundle contradicts what its device sent before
 * (the two checkpoints are then stored in `forks`, the only write a refused bundle leaves), or
 * 'event-conflict' (from appendEvents) when an event is already stored with different content, or
 * a store error.
 */
export async function importVerifiedBundle(
	db: CasetrailDb,
	verified: VerifiedBundle,
	context: { ownDeviceId: string; nodes: readonly TreeNode[]; now: string; append?: Pick<AppendOptions, 'registry' | 'firstSnapshot' | 'rate'> }
): Promise<ImportOutcome> {
	const { ownDeviceId, nodes, now } = context;
	const deviceId = verified.deviceId;
	const own = deviceId === ownDeviceId;
	const origins = verified.events.map((_, i) => ({ deviceId, index: verified.from + i }));
	try {
		// Every table: appendEvents runs nested in this transaction and must find all it uses here.
		return await guarded(db, () =>
			db.transaction('rw', db.tables, async () => {
				const compared = await compareWithKnown(db, deviceId, ownDeviceId, nodes);
				const { unseen, device } = compared;
				const byProof = compared.conflict || own ? { conflict: undefined, missingProof: undefined } : compareByConsistency(verified, device, nodes);
				const conflict = compared.conflict ?? byProof.conflict;
				if (conflict) {
					const reason = forkMessage(deviceId, conflict, verified);
					const evidence: ForkRow | undefined = conflict.seen
						? {
								deviceId,
								detectedAt: now,
								reason,
								begin: conflict.span.begin,
								end: conflict.span.end,
								seen: conflict.seen,
								offered: checkpointOf(verified, now),
								...(conflict.proof ? { proof: conflict.proof } : {})
							}
						: undefined;
					throw new ForkFound(reason, evidence);
				}
				if (byProof.missingProof) throw new CasetrailError('missing-consistency-proof', missingProofMessage(deviceId, byProof.missingProof, verified));
				const append = await appendEvents(db, verified.events, { ...context.append, origins, attachments: verified.attachments });
				if (own) return { append, relation: 'own' as const, missing: [] };

				// One checkpoint per size: an equal size here has an equal root (else it was a fork), so
				// only a bundle that carried more of the log (a smaller `from`) replaces it.
				const checkpoints = (device?.checkpoints ?? []).filter((c) => c.treeSize !== verified.treeSize || c.from <= verified.from);
				if (!checkpoints.some((c) => c.treeSize === verified.treeSize)) {
					checkpoints.push(checkpointOf(verified, now));
					checkpoints.sort((a, b) => a.treeSize - b.treeSize);
				}
				const row: DeviceRow = {
					deviceId,
					publicJwk: verified.publicJwk,
					firstSeen: device?.firstSeen ?? now,
					lastSeen: now,
					checkpoints,
					// Once a device has sent version 2, its version 1 bundles must carry what version 2 proves.
					...(verified.version === 2 || device?.formatVersion === 2 ? { formatVersion: 2 as const } : {})
				};
				const fresh = unseen.map((n): PeerNodeRow => ({ deviceId, level: n.level, index: n.index, hash: n.hash, treeSize: verified.treeSize }));
				await Promise.all([db.devices.put(row), fresh.length > 0 ? db.peerNodes.bulkAdd(fresh) : undefined]);
				return { append, relation: device ? ('known' as const) : ('new' as const), missing: missingRanges(receivedRanges(checkpoints), knownSize(checkpoints)) };
			})
		);
	} catch (e) {
		if (e instanceof ForkFound) {
			if (e.evidence) await keepEvidence(db, e.evidence);
			throw new CasetrailError('fork-detected', e.message);
		}
		throw e;
	}
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

