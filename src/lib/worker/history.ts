/**
 * This device's signed history: every checkpoint it signed (one per export, kept in `exports`),
 * checked against its own log. A device that signed "my log had m events with root r" can only
 * ever extend that log; an RFC 6962 consistency proof from m to the current size, built from the
 * stored nodes, shows it did. The export refuses to sign a history that fails this, and version 2
 * bundles carry the same proofs to receivers (docs/bundle-format-v2.md).
 *
 * The rows of `exports` are clear data on disk: a checkpoint is believed only after its signature
 * verifies with this device's key (invariant 10). WebCrypto runs outside any IndexedDB transaction.
 */
import { CasetrailError } from '../core/errors';
import { verifyCheckpoint } from '../core/bundle/checkpoint';
import { consistencyEntry } from '../core/bundle/build';
import type { ConsistencyEntry } from '../core/bundle/types';
import { base64urlToBytes, bytesToBase64url, equalBytes } from '../core/encoding';
import { consistencyProof, verifyConsistency, type NodeReader } from '../core/merkle';
import type { CasetrailDb, HeadValue } from '../store/db';
import { guarded } from '../store/errors';
import { headAuthenticity } from '../store/head-mac';
import { nodeReader } from '../store/nodes';

/** A checkpoint this device signed, its signature checked. */
export interface SignedCheckpoint {
	treeSize: number;
	rootHash: Uint8Array;
	rootHashB64: string;
	issuedAt: string;
	jws: string;
}

/** A signed checkpoint the log does not extend. */
export interface HistoryProblem {
	treeSize: number;
	issuedAt: string;
	/** 'truncated': the log is shorter than the checkpoint; 'inconsistent': no consistency proof verifies. */
	reason: 'truncated' | 'inconsistent';
	message: string;
}

// A checkpoint's signature, once verified, stays verified: the JWS is its own content.
const verified = new Map<string, { checkpoint: SignedCheckpoint; signer: string }>();

function plural(n: number): string {
	return n === 1 ? '1 event' : `${n} events`;
}

/**
 * Every checkpoint this device signed, smallest size first, one per size. Throws
 * 'history-inconsistent' when a stored checkpoint is not signed by `deviceId`'s key or two of them
 * sign different roots for one size: the table was edited.
 */
export async function signedCheckpoints(db: CasetrailDb, deviceId: string): Promise<SignedCheckpoint[]> {
	const rows = await guarded(db, () => db.exports.toArray());
	const bySize = new Map<number, SignedCheckpoint>();
	for (const row of rows) {
		const known = verified.get(row.checkpoint);
		let checkpoint = known?.checkpoint;
		let signer = known?.signer;
		if (!known) {
			try {
				const { payload, rootHash } = await verifyCheckpoint(row.checkpoint);
				signer = payload.deviceId;
				checkpoint = { treeSize: payload.treeSize, rootHash, rootHashB64: payload.rootHash, issuedAt: payload.issuedAt, jws: row.checkpoint };
			} catch {
				signer = undefined;
			}
			if (checkpoint && signer) verified.set(row.checkpoint, { checkpoint, signer });
		}
		if (!checkpoint || signer !== deviceId || checkpoint.treeSize !== row.treeSize) {
			throw new CasetrailError(
				'history-inconsistent',
				`The export of ${plural(row.treeSize)} recorded on ${row.issuedAt} does not carry a checkpoint this device signed for that size: the device storage was edited. Nothing was signed.`
			);
		}
		const same = bySize.get(checkpoint.treeSize);
		if (same && !equalBytes(same.rootHash, checkpoint.rootHash)) {
			throw new CasetrailError(
				'history-inconsistent',
				`This device signed two different logs of ${plural(checkpoint.treeSize)} (on ${same.issuedAt} and ${checkpoint.issuedAt}); its history was rewritten. Nothing was signed.`
			);
		}
		if (!same) bySize.set(checkpoint.treeSize, checkpoint);
	}
	return [...bySize.values()].sort((a, b) => a.treeSize - b.treeSize);
}

/** Whether the log of `size` leaves with root `root` extends `checkpoint`, by a consistency proof read through `read`. */
async function extendsCheckpoint(checkpoint: SignedCheckpoint, size: number, root: Uint8Array, read: NodeReader): Promise<boolean> {
	const m = checkpoint.treeSize;
	if (m === 0) return true;
	if (m === size) return equalBytes(checkpoint.rootHash, root);
	try {
		return verifyConsistency(m, size, await consistencyProof(m, size, read), checkpoint.rootHash, root);
	} catch {
		// A node the proof needs is missing: nothing shows the log extends the checkpoint.
		return false;
	}
}

/**
 * Checks every signed checkpoint against the log of `size` leaves whose root is `root`: a
 * checkpoint of a larger size means events were removed; for the others an RFC 6962 consistency
 * proof from the stored nodes must verify from the signed root to `root`. Returns the problems,
 * smallest size first (empty when the log extends all of them).
 */
export async function checkSignedHistory(db: CasetrailDb, checkpoints: readonly SignedCheckpoint[], size: number, root: Uint8Array): Promise<HistoryProblem[]> {
	const problems: HistoryProblem[] = [];
	const read = nodeReader(db);
	for (const checkpoint of checkpoints) {
		if (checkpoint.treeSize > size) {
			problems.push({
				treeSize: checkpoint.treeSize,
				issuedAt: checkpoint.issuedAt,
				reason: 'truncated',
				message: `This device signed a log of ${plural(checkpoint.treeSize)} on ${checkpoint.issuedAt}, but its log now has ${plural(size)}: events were removed from the device storage.`
			});
		} else if (!(await guarded(db, () => db.transaction('r', [db.events], () => extendsCheckpoint(checkpoint, size, root, read))))) {
			problems.push({
				treeSize: checkpoint.treeSize,
				issuedAt: checkpoint.issuedAt,
				reason: 'inconsistent',
				message: `The log does not extend the checkpoint of ${plural(checkpoint.treeSize)} this device signed on ${checkpoint.issuedAt}: events it covered were changed in the device storage.`
			});
		}
	}
	return problems;
}

/**
 * The consistency entries of a version 2 export of the tree of `end` leaves with root `root`: one
 * from each signed checkpoint below `end`, each proof verified against that checkpoint's signed
 * root. Throws 'history-inconsistent' naming the first checkpoint the log does not extend (at any
 * size, up to the log's current `size`), so a device never signs a history that contradicts its
 * own earlier checkpoints.
 */
export async function consistencyForExport(
	db: CasetrailDb,
	checkpoints: readonly SignedCheckpoint[],
	end: number,
	root: Uint8Array,
	size: number,
	currentRoot: Uint8Array
): Promise<ConsistencyEntry[]> {
	const problems = await checkSignedHistory(db, checkpoints, size, currentRoot);
	const first = problems[0];
	if (first) throw new CasetrailError('history-inconsistent', `${first.message} Nothing was exported; run the integrity check.`);
	const read = nodeReader(db);
	const entries: ConsistencyEntry[] = [];
	for (const checkpoint of checkpoints) {
		if (checkpoint.treeSize === 0 || checkpoint.treeSize >= end) continue;
		const entry = await guarded(db, () => db.transaction('r', [db.events], () => consistencyEntry(checkpoint.treeSize, end, read)));
		const proof = entry.proof.map((p) => base64urlToBytes(p));
		if (entry.rootHash !== bytesToBase64url(checkpoint.rootHash) || !verifyConsistency(checkpoint.treeSize, end, proof, checkpoint.rootHash, root)) {
			throw new CasetrailError(
				'history-inconsistent',
				`The log does not extend the checkpoint of ${plural(checkpoint.treeSize)} this device signed on ${checkpoint.issuedAt}. Nothing was exported; run the integrity check.`
			);
		}
		entries.push(entry);
	}
	return entries;
}

/**
 * Throws 'history-inconsistent' unless the stored head carries its MAC (it was written with the data
 * key) and as many export rows are stored as it counts signed checkpoints: what an export relies on
 * before it signs.
 */
export async function assertAuthenticHead(db: CasetrailDb): Promise<void> {
	const { head, exports, authenticity } = await guarded(db, () =>
		db.transaction('r', [db.meta, db.exports, db.events], async () => {
			const stored = (await db.meta.get('head'))?.value as HeadValue | undefined;
			return { head: stored, exports: await db.exports.count(), authenticity: await headAuthenticity(db, stored) };
		})
	);
	if (authenticity === 'forged') {
		throw new CasetrailError('history-inconsistent', 'The stored head of the log was changed without this device’s key (for example to hide removed events). Nothing was exported; run the integrity check.');
	}
	if (head?.signed && exports < head.signed.count) {
		throw new CasetrailError('history-inconsistent', `This device signed ${head.signed.count} checkpoints but only ${exports} are stored: signed checkpoints were deleted. Nothing was exported; run the integrity check.`);
	}
}
