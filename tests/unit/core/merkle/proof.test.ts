/**
 * Proofs and roots built from stored perfect nodes, compared with the literal recursive RFC 6962
 * tree (./reference.ts) for every size 1..130 and every (index, size) and (m, n) pair in that
 * range, plus a sample of larger sizes; and the contract: what is persisted, how many nodes a proof
 * reads, and which requests are out of range.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { bytesToHex } from '../../../../src/lib/core/encoding';
import { isCasetrailError } from '../../../../src/lib/core/errors';
import { popcount } from '../../../../src/lib/core/merkle/bits';
import { nodeHash } from '../../../../src/lib/core/merkle/hash';
import { CompactRange, type NodeId } from '../../../../src/lib/core/merkle/compact';
import {
	compactRangeAt,
	consistencyProof,
	consistencyProofNodes,
	inclusionProof,
	inclusionProofNodes,
	rehash,
	rootAt
} from '../../../../src/lib/core/merkle/proof';
import { verifyConsistency, verifyInclusion } from '../../../../src/lib/core/merkle/verify';
import { ReferenceTree } from './reference';
import { MemoryNodeStore, testLeafHashes } from './store';

const SMALL = 130;
const LARGE = 5000;
const hex = (hashes: Uint8Array[]): string[] => hashes.map(bytesToHex);
const readBound = (n: number): number => 2 * Math.log2(n) + 2;

function expectOutOfRange(run: () => unknown): void {
	let caught: unknown;
	try {
		run();
	} catch (e) {
		caught = e;
	}
	expect(isCasetrailError(caught) && caught.code).toBe('out-of-range');
}

async function expectOutOfRangeAsync(run: () => Promise<unknown>): Promise<void> {
	await expect(run()).rejects.toMatchObject({ name: 'CasetrailError', code: 'out-of-range' });
}

const leaves = testLeafHashes(LARGE);
const reference = new ReferenceTree(leaves);
let store: MemoryNodeStore;

beforeAll(() => {
	store = new MemoryNodeStore().appendAll(leaves);
});

describe('stored perfect nodes', () => {
	it('are exactly 2n - popcount(n) after n appends, each reported once, for n = 0..130', () => {
		const nodes = new Map<string, Uint8Array>();
		const range = new CompactRange();
		let reported = 0;
		expect(nodes.size).toBe(0);
		for (let n = 1; n <= SMALL; n++) {
			range.append(leaves[n - 1] as Uint8Array, (level, index, hash) => {
				reported++;
				nodes.set(`${level}:${index}`, hash);
			});
			expect(reported).toBe(2 * n - popcount(n));
			expect(nodes.size).toBe(reported);
		}
	});

	it('are perfect when reported and hold the RFC 6962 hash of the leaves they cover', () => {
		const range = new CompactRange();
		for (let n = 0; n < SMALL; n++) {
			range.append(leaves[n] as Uint8Array, (level, index, hash) => {
				const begin = index * 2 ** level;
				const end = begin + 2 ** level;
				expect(end).toBeLessThanOrEqual(n + 1);
				expect(bytesToHex(hash)).toBe(bytesToHex(reference.mth(begin, end)));
			});
		}
	});

	it('are never reported twice across 5000 appends', () => {
		expect(store.rewrites).toBe(0);
		expect(store.nodes.size).toBe(2 * LARGE - popcount(LARGE));
	});
});

describe('rootAt', () => {
	it('gives the RFC 6962 root of every size 0..130 from one batched read', async () => {
		for (let n = 0; n <= SMALL; n++) {
			const before = store.batches.length;
			expect(bytesToHex(await rootAt(n, store.read))).toBe(bytesToHex(reference.root(n)));
			expect(store.batches.length - before).toBe(n === 0 ? 0 : 1);
		}
	});

	it('gives the root of larger historical sizes', async () => {
		for (const n of [255, 256, 257, 1000, 1023, 1024, 1025, 4095, 4096, 4097, LARGE]) {
			expect(bytesToHex(await rootAt(n, store.read))).toBe(bytesToHex(reference.root(n)));
		}
	});

	it('rejects a negative or fractional size with out-of-range', async () => {
		await expectOutOfRangeAsync(() => rootAt(-1, store.read));
		await expectOutOfRangeAsync(() => rootAt(1.5, store.read));
	});
});

describe('compactRangeAt', () => {
	it('restores the same append state the live range had at that size', async () => {
		const live = new CompactRange();
		for (let n = 0; n <= 70; n++) {
			const restored = await compactRangeAt(n, store.read);
			expect(restored.size).toBe(n);
			expect(hex(restored.frontier)).toEqual(hex(live.frontier));
			live.append(leaves[n] as Uint8Array);
		}
	});
});

describe('inclusionProof', () => {
	it('equals RFC 6962 PATH(m, D[n]) for every 0 <= m < n <= 130, and verifies', async () => {
		for (let n = 1; n <= SMALL; n++) {
			const root = reference.root(n);
			for (let m = 0; m < n; m++) {
				const proof = await inclusionProof(m, n, store.read);
				expect(hex(proof), `leaf ${m} of ${n}`).toEqual(hex(reference.path(m, n)));
				expect(verifyInclusion(leaves[m] as Uint8Array, m, n, proof, root)).toBe(true);
			}
		}
	});

	it('equals PATH for a sample of leaves in larger trees', async () => {
		for (const n of [255, 256, 257, 1023, 1024, 1025, 4097, LARGE]) {
			for (const m of [0, 1, Math.floor(n / 3), Math.floor(n / 2), n - 2, n - 1]) {
				const proof = await inclusionProof(m, n, store.read);
				expect(hex(proof), `leaf ${m} of ${n}`).toEqual(hex(reference.path(m, n)));
			}
		}
	});

	it('reads its nodes in one batch of at most 2·log2(n) + 2 ids', async () => {
		for (const n of [...Array.from({ length: SMALL }, (_, i) => i + 1), 1000, 4097, LARGE]) {
			for (let m = 0; m < n; m += n > SMALL ? 37 : 1) {
				const before = store.batches.length;
				await inclusionProof(m, n, store.read);
				const batches = store.batches.slice(before);
				expect(batches.length).toBeLessThanOrEqual(1);
				expect(batches[0]?.length ?? 0).toBeLessThanOrEqual(readBound(n));
			}
		}
	});

	it('reads nothing for a one-leaf tree, whose proof is empty', async () => {
		const before = store.batches.length;
		expect(await inclusionProof(0, 1, store.read)).toEqual([]);
		expect(store.batches.length).toBe(before);
	});

	it('rejects index >= size, negative or fractional numbers with out-of-range', async () => {
		for (const [m, n] of [
			[0, 0],
			[5, 5],
			[6, 5],
			[-1, 5],
			[1.5, 5],
			[0, Number.NaN]
		] as const) {
			expectOutOfRange(() => inclusionProofNodes(m, n));
			await expectOutOfRangeAsync(() => inclusionProof(m, n, store.read));
		}
	});
});

describe('consistencyProof', () => {
	it('equals RFC 6962 PROOF(m, D[n]) for every 1 <= m <= n <= 130, and verifies', async () => {
		for (let n = 1; n <= SMALL; n++) {
			const root2 = reference.root(n);
			for (let m = 1; m <= n; m++) {
				const proof = await consistencyProof(m, n, store.read);
				expect(hex(proof), `${m} to ${n}`).toEqual(hex(reference.proof(m, n)));
				expect(verifyConsistency(m, n, proof, reference.root(m), root2)).toBe(true);
			}
		}
	});

	it('equals PROOF for a sample of larger sizes', async () => {
		for (const n of [256, 257, 1024, 1025, 4097, LARGE]) {
			for (const m of [1, 2, 3, 128, 255, 256, Math.floor(n / 2), n - 1, n]) {
				if (m > n) continue;
				const proof = await consistencyProof(m, n, store.read);
				expect(hex(proof), `${m} to ${n}`).toEqual(hex(reference.proof(m, n)));
			}
		}
	});

	it('reads its nodes in one batch of at most 2·log2(n) + 2 ids', async () => {
		for (const n of [...Array.from({ length: SMALL }, (_, i) => i + 1), 1000, 4097, LARGE]) {
			for (let m = 1; m <= n; m += n > SMALL ? 37 : 1) {
				const before = store.batches.length;
				await consistencyProof(m, n, store.read);
				const batches = store.batches.slice(before);
				expect(batches.length).toBeLessThanOrEqual(1);
				expect(batches[0]?.length ?? 0).toBeLessThanOrEqual(readBound(n));
			}
		}
	});

	it('is empty, with nothing read, between equal sizes', async () => {
		const before = store.batches.length;
		expect(await consistencyProof(7, 7, store.read)).toEqual([]);
		expect(store.batches.length).toBe(before);
	});

	it('rejects size1 = 0, size1 > size2, negative or fractional sizes with out-of-range', async () => {
		for (const [m, n] of [
			[0, 0],
			[0, 5],
			[6, 5],
			[-1, 5],
			[2.5, 5]
		] as const) {
			expectOutOfRange(() => consistencyProofNodes(m, n));
			await expectOutOfRangeAsync(() => consistencyProof(m, n, store.read));
		}
	});
});

describe('proof node plans', () => {
	/** The leaves [begin, end) node `id` covers. */
	const coverage = (id: NodeId): [number, number] => [id.index * 2 ** id.level, (id.index + 1) * 2 ** id.level];

	/** Checks that the intervals tile [0, size) exactly, with no gap or overlap. */
	function expectTiling(intervals: [number, number][], size: number): void {
		const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
		let at = 0;
		for (const [begin, end] of sorted) {
			expect(begin).toBe(at);
			at = end;
		}
		expect(at).toBe(size);
	}

	it('read only nodes perfect at the proof size, and with the proven leaf tile the tree, past 2^32 leaves too', () => {
		const cases: [number, number][] = [
			[0, 2 ** 33 + 1],
			[2 ** 32 - 1, 2 ** 32 + 3],
			[2 ** 40 + 12345, 2 ** 41 + 2 ** 20 + 7],
			[Number.MAX_SAFE_INTEGER - 1, Number.MAX_SAFE_INTEGER]
		];
		for (const [m, n] of cases) {
			const plan = inclusionProofNodes(m, n);
			for (const id of plan.ids) expect(coverage(id)[1]).toBeLessThanOrEqual(n);
			expectTiling([...plan.ids.map(coverage), [m, m + 1]], n);
			expect(plan.ids.length).toBeLessThanOrEqual(readBound(n));
		}
	});

	it('for consistency, with the old tree, tile the new tree past 2^32 leaves too', () => {
		const cases: [number, number][] = [
			[2 ** 32 + 6, 2 ** 33 + 1],
			[2 ** 40, 2 ** 41 + 5],
			[3 * 2 ** 35 + 1, Number.MAX_SAFE_INTEGER]
		];
		for (const [m, n] of cases) {
			const plan = consistencyProofNodes(m, n);
			// Without the seed X (the last block of the old tree), the rest is X's inclusion path.
			const [seed, ...path] = popcount(m) === 1 ? [{ level: Math.log2(m), index: 0 }, ...plan.ids] : plan.ids;
			expect(coverage(seed as NodeId)[1]).toBe(m);
			expectTiling([...path.map(coverage), coverage(seed as NodeId)], n);
			for (const id of plan.ids) expect(coverage(id)[1]).toBeLessThanOrEqual(n);
		}
	});

	it('prove leaves of a tree past 2^32 leaves, checked by the independent verifier', async () => {
		// With every leaf equal, a perfect node's hash depends only on its level, so a 2^45-leaf tree
		// can be read without storing it; the level and count arithmetic is what is under test.
		const byLevel = [leaves[0] as Uint8Array];
		const read = async (ids: NodeId[]): Promise<Uint8Array[]> =>
			ids.map(({ level }) => {
				while (byLevel.length <= level) {
					const below = byLevel[byLevel.length - 1] as Uint8Array;
					byLevel.push(nodeHash(below, below));
				}
				return byLevel[level] as Uint8Array;
			});
		for (const [m, n] of [
			[2 ** 44 + 3, 2 ** 45 - 1],
			[2 ** 31, 2 ** 31 + 1],
			[12, 2 ** 33 + 2 ** 32 + 5]
		] as const) {
			const root = await rootAt(n, read);
			expect(verifyInclusion(leaves[0] as Uint8Array, m, n, await inclusionProof(m, n, read), root)).toBe(true);
			expect(verifyInclusion(leaves[1] as Uint8Array, m, n, await inclusionProof(m, n, read), root)).toBe(false);
			const root1 = await rootAt(m, read);
			expect(verifyConsistency(m, n, await consistencyProof(m, n, read), root1, root)).toBe(true);
		}
	});
});

describe('rehash', () => {
	it('rejects a read that returned a different number of hashes with storage-failed', () => {
		const plan = inclusionProofNodes(3, 11);
		expect(() => rehash(plan, [])).toThrow(expect.objectContaining({ code: 'storage-failed' }));
	});

	it('rejects a reader that returns a hash of the wrong length with storage-failed', async () => {
		const short = async (ids: NodeId[]): Promise<Uint8Array[]> => ids.map(() => new Uint8Array(31));
		await expect(inclusionProof(3, 11, short)).rejects.toMatchObject({ code: 'storage-failed' });
	});
});
