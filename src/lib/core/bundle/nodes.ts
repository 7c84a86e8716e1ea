/**
 * What a verified bundle determines of its device's log, and how it compares with checkpoints of
 * that device kept before: pure functions shared by the app's import (store/peers.ts) and the
 * registry's ingest (registry/ingest.ts), so both refuse the same bundles.
 *
 * A bundle with prefix [0, from) and leaves [from, treeSize) determines a set of perfect Merkle
 * nodes: the prefix nodes, every leaf, and every node the leaves complete. A version 2 bundle also
 * proves, by consistency proofs, the root its tree had at each earlier size its device signed.
 */
import { CompactRange, compactRangeNodes, foldCompactRange } from '../merkle';
import { bytesToBase64url } from '../encoding';
import type { VerifiedBundle } from './types';

/** A perfect node of a device's log and its hash. */
export interface TreeNode {
	level: number;
	index: number;
	hash: Uint8Array;
}

/** A half-open range [begin, end) of leaf positions. */
export interface LeafRange {
	begin: number;
	end: number;
}

/** A checkpoint kept of a device: its size and root (base64url of the 32-byte root). */
export interface KeptRoot {
	treeSize: number;
	rootHash: string;
}

/** A consistency entry kept as fork evidence: the proof binds `rootHash` to the offered checkpoint's root. */
export interface ForkProof {
	treeSize: number;
	rootHash: string;
	proof: string[];
}

/**
 * Every perfect node of its device's log that a bundle determines: the nodes of the compact range
 * [0, from) (the prefix, largest first), then each leaf and each node an append completes, in
 * append order. Requires prefix.length = popcount(from), as a verified bundle has.
 */
export function bundleNodes(from: number, prefix: readonly Uint8Array[], leafHashes: readonly Uint8Array[]): TreeNode[] {
	const nodes: TreeNode[] = compactRangeNodes(0, from).map((id, i) => ({ level: id.level, index: id.index, hash: prefix[i] as Uint8Array }));
	const range = new CompactRange(from, prefix);
	for (const leaf of leafHashes) range.append(leaf, (level, index, hash) => nodes.push({ level, index, hash }));
	return nodes;
}

/** The leaves [begin, end) under node (level, index). */
export function nodeSpan(level: number, index: number): LeafRange {
	const width = 2 ** level;
	return { begin: index * width, end: (index + 1) * width };
}

/** The root at `size` (> 0) that `nodes` determine (every node of the compact range [0, size) is among them), or undefined. */
export function rootDeterminedAt(nodes: readonly TreeNode[], size: number): Uint8Array | undefined {
	const byId = new Map(nodes.map((n) => [`${n.level}:${n.index}`, n.hash]));
	const hashes: Uint8Array[] = [];
	for (const id of compactRangeNodes(0, size)) {
		const hash = byId.get(`${id.level}:${id.index}`);
		if (!hash) return undefined;
		hashes.push(hash);
	}
	return hashes.length === 0 ? undefined : foldCompactRange(hashes);
}

/**
 * Compares a verified bundle with each checkpoint of its device kept before whose size is below the
 * bundle's: by the root its consistency proof proves for that size, or else by nodes (which the
 * caller compares). Returns the first contradiction, or the first checkpoint that needs a proof the
 * bundle lacks: proofs are expected of a version 2 bundle and of any bundle of a device that sent
 * version 2 before (a downgrade would otherwise skip the check). Pure: reads only its arguments.
 */
export function compareByConsistency<C extends KeptRoot>(
	verified: Pick<VerifiedBundle, 'version' | 'treeSize' | 'consistency'>,
	device: { checkpoints: readonly C[]; formatVersion?: number | undefined } | undefined,
	nodes: readonly TreeNode[]
): { conflict: { span: LeafRange; seen: C; proof: ForkProof } | undefined; missingProof: { seen: C } | undefined } {
	const proven = new Map(verified.consistency.map((c) => [c.treeSize, c]));
	const proofsExpected = verified.version === 2 || device?.formatVersion === 2;
	let known: Set<string> | undefined;
	let missingProof: { seen: C } | undefined;
	for (const seen of [...(device?.checkpoints ?? [])].sort((a, b) => a.treeSize - b.treeSize)) {
		if (seen.treeSize === 0 || seen.treeSize >= verified.treeSize) continue;
		const entry = proven.get(seen.treeSize);
		if (entry) {
			if (entry.rootHashB64 !== seen.rootHash) {
				const proof = { treeSize: entry.treeSize, rootHash: entry.rootHashB64, proof: entry.proof.map(bytesToBase64url) };
				return { conflict: { span: { begin: 0, end: seen.treeSize }, seen, proof }, missingProof: undefined };
			}
		} else if (proofsExpected && !missingProof) {
			const ids = (known ??= new Set(nodes.map((n) => `${n.level}:${n.index}`)));
			if (!compactRangeNodes(0, seen.treeSize).every((id) => ids.has(`${id.level}:${id.index}`))) missingProof = { seen };
		}
	}
	return { conflict: undefined, missingProof };
}
