/**
 * A literal transcription of RFC 6962 §2.1 (MTH), §2.1.1 (PATH) and §2.1.2 (PROOF/SUBPROOF) over a
 * list of leaf hashes, kept only in tests as the oracle the incremental code is compared with. MTH
 * results are cached per leaf range so comparing every proof up to a few hundred leaves stays fast;
 * the recursion itself is the RFC's.
 */
import { emptyRoot, nodeHash } from '../../../../src/lib/core/merkle/hash';

/** The largest power of two smaller than n (RFC 6962's k). Requires n > 1. */
function split(n: number): number {
	let k = 1;
	while (k * 2 < n) k *= 2;
	return k;
}

export class ReferenceTree {
	readonly #leaves: readonly Uint8Array[];
	readonly #cache = new Map<string, Uint8Array>();

	/** A tree over these leaf hashes (each already SHA-256(0x00 || leaf)). */
	constructor(leafHashes: readonly Uint8Array[]) {
		this.#leaves = leafHashes;
	}

	/** MTH(D[begin:end]). */
	mth(begin: number, end: number): Uint8Array {
		const n = end - begin;
		if (n === 0) return emptyRoot();
		if (n === 1) return this.#leaves[begin] as Uint8Array;
		const key = `${begin}:${end}`;
		const hit = this.#cache.get(key);
		if (hit) return hit;
		const k = split(n);
		const hash = nodeHash(this.mth(begin, begin + k), this.mth(begin + k, end));
		this.#cache.set(key, hash);
		return hash;
	}

	/** The root of the first n leaves. */
	root(n: number): Uint8Array {
		return this.mth(0, n);
	}

	/** PATH(m, D[n]): the audit path of leaf m in the tree of the first n leaves. */
	path(m: number, n: number): Uint8Array[] {
		return this.#path(m, 0, n);
	}

	#path(m: number, begin: number, end: number): Uint8Array[] {
		const n = end - begin;
		if (n === 1) return [];
		const k = split(n);
		if (m < k) return [...this.#path(m, begin, begin + k), this.mth(begin + k, end)];
		return [...this.#path(m - k, begin + k, end), this.mth(begin, begin + k)];
	}

	/** PROOF(m, D[n]) = SUBPROOF(m, D[n], true): the consistency proof from size m to size n. */
	proof(m: number, n: number): Uint8Array[] {
		return this.#subproof(m, 0, n, true);
	}

	#subproof(m: number, begin: number, end: number, complete: boolean): Uint8Array[] {
		const n = end - begin;
		if (m === n) return complete ? [] : [this.mth(begin, end)];
		const k = split(n);
		if (m <= k) return [...this.#subproof(m, begin, begin + k, complete), this.mth(begin + k, end)];
		return [...this.#subproof(m - k, begin + k, end, false), this.mth(begin, begin + k)];
	}
}
