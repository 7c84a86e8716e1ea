/**
 * Proof verifiers written from RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2 (consistency), sharing
 * nothing with the proof builders, so a builder bug cannot hide behind a matching verifier bug.
 *
 * Proofs, roots and sizes are attacker-controlled (they arrive in bundles); these functions never
 * throw on bad input and answer false instead. Edge cases follow transparency-dev/merkle, whose
 * vectors this project replays: every hash that gets hashed must be 32 bytes (the bare RFC algorithm
 * accepts an empty leaf and root for size 1), a consistency proof from size 0 is always refused, and
 * equal sizes with an empty proof verify when the two roots are byte-equal, whatever their length.
 */
import { isHash, nodeHash } from './hash';
import { isIndex, popcount } from './bits';
import { equalBytes } from '../encoding';

function isHashList(value: unknown): value is readonly Uint8Array[] {
	return Array.isArray(value) && value.every(isHash);
}

/**
 * The root that an inclusion proof of `leafHash` at `index` in a tree of `size` leaves leads to
 * (RFC 9162 §2.1.3.2 steps 1-5, without the final comparison), or null when no tree of that size can
 * have such a proof: index >= size, a hash that is not 32 bytes, or a proof of the wrong length.
 */
export function rootFromInclusionProof(leafHash: Uint8Array, index: number, size: number, proof: readonly Uint8Array[]): Uint8Array | null {
	if (!isIndex(index) || !isIndex(size) || index >= size) return null;
	if (!isHash(leafHash) || !isHashList(proof)) return null;
	let fn = index;
	let sn = size - 1;
	let r = leafHash;
	for (const p of proof) {
		if (sn === 0) return null;
		if (fn % 2 === 1 || fn === sn) {
			r = nodeHash(p, r);
			// Skip the levels where this node has no right sibling (the right edge of the tree).
			while (fn % 2 === 0 && fn !== 0) {
				fn /= 2;
				sn = Math.floor(sn / 2);
			}
		} else {
			r = nodeHash(r, p);
		}
		fn = Math.floor(fn / 2);
		sn = Math.floor(sn / 2);
	}
	return sn === 0 ? r : null;
}

/**
 * True when `proof` shows that the leaf with hash `leafHash` is leaf `index` of the tree of `size`
 * leaves whose root is `root` (RFC 9162 §2.1.3.2). False for any malformed input.
 */
export function verifyInclusion(leafHash: Uint8Array, index: number, size: number, proof: readonly Uint8Array[], root: Uint8Array): boolean {
	const computed = rootFromInclusionProof(leafHash, index, size, proof);
	return computed !== null && equalBytes(computed, root);
}

/**
 * True when `proof` shows that the tree of `size2` leaves with root `root2` extends the tree of
 * `size1` leaves with root `root1` (RFC 9162 §2.1.4.2). Requires 0 < size1 <= size2; false for any
 * malformed input.
 */
export function verifyConsistency(size1: number, size2: number, proof: readonly Uint8Array[], root1: Uint8Array, root2: Uint8Array): boolean {
	if (!isIndex(size1) || !isIndex(size2) || size1 === 0 || size1 > size2 || !Array.isArray(proof)) return false;
	if (size1 === size2) return proof.length === 0 && equalBytes(root1, root2);
	// Step 1: an empty proof between different sizes proves nothing.
	if (proof.length === 0 || !isHash(root1) || !isHash(root2) || !isHashList(proof)) return false;
	// Step 2: when size1 is a power of two the old root is the proof's implied first entry.
	const path = popcount(size1) === 1 ? [root1, ...proof] : proof;
	// Step 3-4.
	let fn = size1 - 1;
	let sn = size2 - 1;
	while (fn % 2 === 1) {
		fn = (fn - 1) / 2;
		sn = Math.floor(sn / 2);
	}
	// Step 5.
	const first = path[0] as Uint8Array;
	let fr = first;
	let sr = first;
	// Step 6.
	for (let i = 1; i < path.length; i++) {
		const c = path[i] as Uint8Array;
		if (sn === 0) return false;
		if (fn % 2 === 1 || fn === sn) {
			fr = nodeHash(c, fr);
			sr = nodeHash(c, sr);
			while (fn % 2 === 0 && fn !== 0) {
				fn /= 2;
				sn = Math.floor(sn / 2);
			}
		} else {
			sr = nodeHash(sr, c);
		}
		fn = Math.floor(fn / 2);
		sn = Math.floor(sn / 2);
	}
	// Step 7.
	return sn === 0 && equalBytes(fr, root1) && equalBytes(sr, root2);
}
