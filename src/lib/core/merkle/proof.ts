/**
 * Inclusion and consistency proofs (RFC 6962 §2.1.1-§2.1.2, RFC 9162 §2.1.3-§2.1.4) and historical
 * roots, built from stored perfect nodes with O(log n) reads (shared note compact-ranges-storage.md
 * §4). Every node a proof for size n reads is perfect at n, and a perfect node never changes, so the
 * nodes persisted by {@link CompactRange.append} serve proofs for every past size too.
 *
 * Planning (which ids to read) is separate from reading, so a store can fetch all of a proof's nodes
 * in one batched read (one IndexedDB bulkGet).
 */
import { CasetrailError } from '../errors';
import { isHash } from './hash';
import { differingBitLength, isIndex, shiftRight, trailingZeros } from './bits';
import { CompactRange, compactRangeNodes, foldCompactRange, type NodeId } from './compact';

export type { NodeId } from './compact';

/**
 * Reads stored perfect nodes: resolves to one 32-byte hash per id, in the order asked. A store
 * throws its own error (e.g. 'not-found') for a node it does not hold.
 */
export type NodeReader = (ids: NodeId[]) => Promise<Uint8Array[]>;

/**
 * The stored nodes a proof is made of, in proof order. The hashes of `ids[rehashBegin..rehashEnd)`
 * cover the ephemeral sibling on the right edge and fold (right to left) into one proof entry; the
 * slice is empty when there is no such sibling.
 */
export interface ProofNodes {
	ids: NodeId[];
	rehashBegin: number;
	rehashEnd: number;
}

function outOfRange(message: string): CasetrailError {
	return new CasetrailError('out-of-range', message);
}

/**
 * The nodes of the path from node `(level, index)` up to the root of the tree of `size` leaves,
 * optionally led by the node itself. Requires the node to be perfect at `size`.
 */
function pathNodes(level: number, index: number, size: number, withSeed: boolean): ProofNodes {
	// The fork is the highest ancestor of the node that is still perfect at `size`: the path to it
	// and the path to leaf `size` part there. Its sibling is the ephemeral node.
	const inner = differingBitLength(index, shiftRight(size, level)) - 1;
	const forkLevel = level + inner;
	const forkWidth = 2 ** forkLevel;
	const forkBegin = shiftRight(index, inner) * forkWidth;
	const forkEnd = forkBegin + forkWidth;

	const ids: NodeId[] = withSeed ? [{ level, index }] : [];
	let at = index;
	for (let l = level; l < forkLevel; l++) {
		ids.push({ level: l, index: at % 2 === 0 ? at + 1 : at - 1 });
		at = Math.floor(at / 2);
	}
	const rehashBegin = ids.length;
	ids.push(...compactRangeNodes(forkEnd, size));
	const rehashEnd = ids.length;
	// The left side in proof order: nearest (lowest) first.
	ids.push(...compactRangeNodes(0, forkBegin).reverse());
	return { ids, rehashBegin, rehashEnd };
}

/**
 * The nodes of the inclusion proof of leaf `index` in the tree of `size` leaves. Requires
 * 0 <= index < size (else 'out-of-range'). At most about 2·log2(size) ids; none when size is 1.
 */
export function inclusionProofNodes(index: number, size: number): ProofNodes {
	if (!isIndex(index) || !isIndex(size) || index >= size) {
		throw outOfRange(`Leaf ${String(index)} is not in a tree of ${String(size)} leaves.`);
	}
	return pathNodes(0, index, size, false);
}

/**
 * The nodes of the consistency proof from the tree of `size1` leaves to the tree of `size2`.
 * Requires 0 < size1 <= size2 (else 'out-of-range'); equal sizes need no nodes.
 *
 * The proof is the last perfect node of the old tree, X = (L, size1/2^L - 1) with L the trailing
 * zeros of size1, then X's inclusion path in the new tree. X is left out when size1 is a power of
 * two, because X is then the old root, which the verifier already holds (RFC 6962 SUBPROOF).
 */
export function consistencyProofNodes(size1: number, size2: number): ProofNodes {
	if (!isIndex(size1) || !isIndex(size2) || size1 === 0 || size1 > size2) {
		throw outOfRange(`There is no consistency proof from size ${String(size1)} to size ${String(size2)}; it needs 0 < size1 <= size2.`);
	}
	if (size1 === size2) return { ids: [], rehashBegin: 0, rehashEnd: 0 };
	const level = trailingZeros(size1);
	const index = shiftRight(size1, level) - 1;
	return pathNodes(level, index, size2, index !== 0);
}

/**
 * Turns the hashes read for `nodes` (one per id, same order) into the proof: the rehash slice folds
 * into one entry, everything else is used as is.
 */
export function rehash(nodes: ProofNodes, hashes: readonly Uint8Array[]): Uint8Array[] {
	if (hashes.length !== nodes.ids.length) {
		throw new CasetrailError('storage-failed', `A proof needs ${nodes.ids.length} node hashes, but ${hashes.length} were read.`);
	}
	const { rehashBegin, rehashEnd } = nodes;
	if (rehashEnd - rehashBegin < 2) return hashes.slice();
	return [...hashes.slice(0, rehashBegin), foldCompactRange(hashes.slice(rehashBegin, rehashEnd)), ...hashes.slice(rehashEnd)];
}

/** Reads `ids` in one batch and checks the reader kept its contract; no call at all for no ids. */
async function readNodes(ids: NodeId[], read: NodeReader): Promise<Uint8Array[]> {
	if (ids.length === 0) return [];
	const hashes = await read(ids);
	if (!Array.isArray(hashes) || hashes.length !== ids.length) {
		throw new CasetrailError('storage-failed', `The node store returned ${Array.isArray(hashes) ? hashes.length : 'no list of'} hashes for ${ids.length} nodes.`);
	}
	hashes.forEach((hash, i) => {
		if (!isHash(hash)) {
			const id = ids[i] as NodeId;
			throw new CasetrailError('storage-failed', `The stored node (${id.level}, ${id.index}) is not a 32-byte hash.`);
		}
	});
	return hashes;
}

/**
 * The RFC 9162 inclusion proof of leaf `index` in the tree of `size` leaves, from stored nodes, in
 * one batched read. Requires 0 <= index < size (else 'out-of-range').
 */
export async function inclusionProof(index: number, size: number, read: NodeReader): Promise<Uint8Array[]> {
	const nodes = inclusionProofNodes(index, size);
	return rehash(nodes, await readNodes(nodes.ids, read));
}

/**
 * The RFC 9162 consistency proof from size `size1` to size `size2`, from stored nodes, in one
 * batched read. Requires 0 < size1 <= size2 (else 'out-of-range'); equal sizes give an empty proof.
 */
export async function consistencyProof(size1: number, size2: number, read: NodeReader): Promise<Uint8Array[]> {
	const nodes = consistencyProofNodes(size1, size2);
	return rehash(nodes, await readNodes(nodes.ids, read));
}

/**
 * The compact range [0, size) rebuilt from stored nodes with popcount(size) reads in one batch:
 * how a store restores its append state for any size it has reached. Requires 0 <= size.
 */
export async function compactRangeAt(size: number, read: NodeReader): Promise<CompactRange> {
	if (!isIndex(size)) throw outOfRange(`A tree size must be a whole number from 0 to 2^53-1, not ${String(size)}.`);
	return new CompactRange(size, await readNodes(compactRangeNodes(0, size), read));
}

/** The root of the tree of the first `size` leaves, from stored nodes. Requires 0 <= size. */
export async function rootAt(size: number, read: NodeReader): Promise<Uint8Array> {
	return (await compactRangeAt(size, read)).rootHash();
}
