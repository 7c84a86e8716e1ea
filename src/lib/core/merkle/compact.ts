/**
 * Compact ranges of an RFC 6962 log (shared note compact-ranges-storage.md §1-§2): the node
 * addressing, the O(log n) state that appends a leaf with O(1) amortized hashing and yields the root,
 * and the node ids that cover any half-open leaf range [begin, end).
 *
 * A node `(level, index)` covers the leaves [index·2^level, (index+1)·2^level); level 0 holds the leaf
 * hashes. A node is perfect in a tree of size n when all its leaves exist; its hash then never
 * changes, which is why a store can write each perfect node once, when `append` reports it.
 */
import { CasetrailError } from '../errors';
import { emptyRoot, isHash, nodeHash } from './hash';
import { bitLength, isIndex, popcount, trailingZeros } from './bits';

/** The address of a node: it covers the leaves [index·2^level, (index+1)·2^level). */
export type NodeId = { level: number; index: number };

/** Receives each perfect node an append creates, leaf first, then every merge upwards. */
export type NodeVisitor = (level: number, index: number, hash: Uint8Array) => void;

/** The persisted form of a compact range [0, size): plain data, safe to structured-clone or store. */
export interface CompactRangeState {
	size: number;
	/** One hash per 1-bit of `size`, largest block (leftmost) first. */
	frontier: Uint8Array[];
}

function requireHash(value: unknown, what: string): asserts value is Uint8Array {
	if (!isHash(value)) throw new CasetrailError('malformed', `The ${what} is not a 32-byte hash.`);
}

/**
 * The compact range [0, size) of a log: the roots of its perfect subtrees, one per 1-bit of `size`,
 * largest first. Enough to keep appending and to compute the root; holds no other state.
 */
export class CompactRange {
	#size: number;
	#frontier: Uint8Array[];

	/**
	 * Restores a compact range [0, size) from its frontier. Requires `frontier.length` to equal the
	 * number of 1-bits of `size` (else 'size-mismatch') and every entry to be 32 bytes (else
	 * 'malformed'). The hashes are copied, so later changes to the caller's arrays cannot reach it.
	 */
	constructor(size = 0, frontier: readonly Uint8Array[] = []) {
		if (!isIndex(size)) throw new CasetrailError('out-of-range', `A tree size must be a whole number from 0 to 2^53-1, not ${String(size)}.`);
		if (!Array.isArray(frontier) || frontier.length !== popcount(size)) {
			const got = Array.isArray(frontier) ? String(frontier.length) : 'no list of';
			throw new CasetrailError('size-mismatch', `A compact range of size ${size} needs ${popcount(size)} hashes (one per set bit), but ${got} hashes were given.`);
		}
		frontier.forEach((hash, i) => requireHash(hash, `compact range entry ${i}`));
		this.#size = size;
		this.#frontier = frontier.map((hash) => hash.slice());
	}

	/** Restores a compact range from what {@link CompactRange.toState} returned; validates as the constructor does. */
	static fromState(state: CompactRangeState): CompactRange {
		return new CompactRange(state.size, state.frontier);
	}

	/** Number of leaves in the range [0, size). */
	get size(): number {
		return this.#size;
	}

	/** A copy of the frontier: one hash per 1-bit of `size`, largest block first. */
	get frontier(): Uint8Array[] {
		return this.#frontier.map((hash) => hash.slice());
	}

	/** The plain data to persist; {@link CompactRange.fromState} turns it back into a range. */
	toState(): CompactRangeState {
		return { size: this.#size, frontier: this.frontier };
	}

	/** An independent copy, e.g. to compute the next state before a transaction commits it. */
	clone(): CompactRange {
		return new CompactRange(this.#size, this.#frontier);
	}

	/**
	 * Appends the leaf whose hash is `leafHash` at index `size`. Calls `visit` for every new perfect
	 * node: the leaf `(0, size)` first, then each merge `(L+1, ⌊size/2^(L+1)⌋)` for every trailing
	 * 1-bit L of the old size, so amortized one hash per append. Requires a 32-byte hash (else
	 * 'malformed'). If `visit` throws, the range is left as it was.
	 */
	append(leafHash: Uint8Array, visit?: NodeVisitor): void {
		requireHash(leafHash, 'leaf hash');
		const size = this.#size;
		if (size >= Number.MAX_SAFE_INTEGER) throw new CasetrailError('out-of-range', 'The log cannot grow past 2^53-1 leaves.');
		let hash: Uint8Array = leafHash.slice();
		visit?.(0, size, hash);
		// Merge with the frontier's smallest blocks while they are siblings, i.e. for each trailing
		// 1-bit of size. Read without popping so a throwing visitor leaves the state untouched.
		let merges = 0;
		let rest = size;
		while (rest % 2 === 1) {
			const left = this.#frontier[this.#frontier.length - 1 - merges];
			if (left === undefined) throw new Error('unreachable: the frontier has one hash per set bit of size');
			hash = nodeHash(left, hash);
			merges++;
			rest = (rest - 1) / 2;
			visit?.(merges, rest, hash);
		}
		this.#frontier.length -= merges;
		this.#frontier.push(hash);
		this.#size = size + 1;
	}

	/** The RFC 6962 Merkle Tree Hash of the leaves [0, size); SHA-256("") for the empty tree. */
	rootHash(): Uint8Array {
		return this.#frontier.length === 0 ? emptyRoot() : foldCompactRange(this.#frontier);
	}
}

/**
 * Folds the hashes of a compact range, given left to right, into the RFC 6962 hash of the leaves it
 * covers: start with the rightmost, then `acc = nodeHash(left, acc)` for each one further left.
 * Requires at least one hash. One hash folds to itself.
 */
export function foldCompactRange(hashes: readonly Uint8Array[]): Uint8Array {
	let acc = hashes[hashes.length - 1];
	if (acc === undefined) throw new CasetrailError('out-of-range', 'An empty compact range has no hash to fold.');
	for (let i = hashes.length - 2; i >= 0; i--) acc = nodeHash(hashes[i] as Uint8Array, acc);
	return acc;
}

/**
 * The root of the tree [0, from + leafHashes.length) from the compact range `prefix` of [0, from)
 * and the leaf hashes that follow, as spec/bundle-format.md "Root from a compact range" defines it.
 * Requires `prefix.length` = number of set bits of `from` (else 'size-mismatch') and 32-byte hashes
 * (else 'malformed').
 *
 * The spec pushes each leaf with size 1 and merges the two rightmost entries while their sizes are
 * equal; with the prefix's sizes being the set bits of `from`, those merges are exactly one per
 * trailing 1-bit of the current size, which is what {@link CompactRange.append} does.
 */
export function rootFromRange(from: number, prefix: readonly Uint8Array[], leafHashes: readonly Uint8Array[]): Uint8Array {
	const range = new CompactRange(from, prefix);
	leafHashes.forEach((hash, i) => {
		requireHash(hash, `leaf hash ${i}`);
		range.append(hash);
	});
	return range.rootHash();
}

/**
 * The node ids of the compact range [begin, end): the fewest perfect nodes that cover exactly those
 * leaves, left to right. Requires 0 <= begin <= end <= 2^53-1 (else 'out-of-range'). Walks from
 * `begin`, each time taking the largest aligned block that still fits before `end`; at most about
 * 2·log2(end - begin) nodes. For [0, n) that is one node per 1-bit of n, largest first.
 */
export function compactRangeNodes(begin: number, end: number): NodeId[] {
	if (!isIndex(begin) || !isIndex(end) || begin > end) {
		throw new CasetrailError('out-of-range', `[${String(begin)}, ${String(end)}) is not a range of leaf indexes.`);
	}
	const ids: NodeId[] = [];
	let pos = begin;
	while (pos < end) {
		let level = bitLength(end - pos) - 1;
		if (pos > 0) level = Math.min(level, trailingZeros(pos));
		const width = 2 ** level;
		ids.push({ level, index: pos / width });
		pos += width;
	}
	return ids;
}
