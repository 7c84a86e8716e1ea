/**
 * The RFC 9162 verifiers on hand-made bad input (the transparency-dev vectors cover the rest), and
 * a fast-check property: proofs built from stored nodes verify, and any single change does not.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { consistencyProof, inclusionProof, rootAt } from '../../../../src/lib/core/merkle/proof';
import { rootFromInclusionProof, verifyConsistency, verifyInclusion } from '../../../../src/lib/core/merkle/verify';
import { MemoryNodeStore, testLeafHashes } from './store';

const MAX = 700;
const leaves = testLeafHashes(MAX);
let store: MemoryNodeStore;
const roots: Uint8Array[] = [];
const leaf = (i: number): Uint8Array => leaves[i] as Uint8Array;
const root = (n: number): Uint8Array => roots[n] as Uint8Array;

beforeAll(async () => {
	store = new MemoryNodeStore().appendAll(leaves);
	for (let n = 0; n <= MAX; n++) roots.push(await rootAt(n, store.read));
});

/** A copy of `hashes` with one bit of one byte flipped. */
function flip(hashes: Uint8Array[], which: number, byte: number, bit: number): Uint8Array[] {
	return hashes.map((hash, i) => {
		if (i !== which) return hash;
		const copy = hash.slice();
		copy[byte] = (copy[byte] as number) ^ (1 << bit);
		return copy;
	});
}

describe('verifyInclusion', () => {
	it('rejects a proof entry that is not 32 bytes even when the rest is right', async () => {
		const proof = await inclusionProof(5, 12, store.read);
		expect(verifyInclusion(leaf(5), 5, 12, proof, root(12))).toBe(true);
		const padded = proof.map((h, i) => (i === 0 ? new Uint8Array([...h, 0]) : h));
		expect(verifyInclusion(leaf(5), 5, 12, padded, root(12))).toBe(false);
	});

	it('answers false, never throws, for inputs of the wrong type', () => {
		const junk = [undefined, null, 'abc', -1, 1.5, Number.NaN, {}, [1, 2]] as unknown[];
		for (const value of junk) {
			expect(verifyInclusion(value as Uint8Array, 0, 1, [], leaf(0))).toBe(false);
			expect(verifyInclusion(leaf(0), value as number, 1, [], leaf(0))).toBe(false);
			expect(verifyInclusion(leaf(0), 0, value as number, [], leaf(0))).toBe(false);
			expect(verifyInclusion(leaf(0), 0, 1, value as Uint8Array[], leaf(0))).toBe(false);
			expect(verifyInclusion(leaf(0), 0, 1, [], value as Uint8Array)).toBe(false);
		}
		expect(verifyInclusion(leaf(0), 0, 1, [], leaf(0))).toBe(true);
	});

	it('rootFromInclusionProof returns null for a proof of the wrong length', async () => {
		const proof = await inclusionProof(2, 9, store.read);
		expect(rootFromInclusionProof(leaf(2), 2, 9, proof)).toEqual(root(9));
		expect(rootFromInclusionProof(leaf(2), 2, 9, proof.slice(1))).toBeNull();
		expect(rootFromInclusionProof(leaf(2), 2, 9, [...proof, leaf(0)])).toBeNull();
		expect(rootFromInclusionProof(leaf(2), 9, 9, proof)).toBeNull();
	});
});

describe('verifyConsistency', () => {
	it('rejects a power-of-two size1 proof that repeats the old root explicitly', async () => {
		const proof = await consistencyProof(4, 11, store.read);
		expect(verifyConsistency(4, 11, proof, root(4), root(11))).toBe(true);
		expect(verifyConsistency(4, 11, [root(4), ...proof], root(4), root(11))).toBe(false);
	});

	it('rejects roots that are not 32 bytes when the sizes differ', async () => {
		const proof = await consistencyProof(3, 6, store.read);
		expect(verifyConsistency(3, 6, proof, root(3).subarray(0, 31), root(6))).toBe(false);
		expect(verifyConsistency(3, 6, proof, root(3), new Uint8Array([...root(6), 0]))).toBe(false);
	});

	it('answers false, never throws, for inputs of the wrong type', () => {
		const junk = [undefined, null, 'abc', -1, 1.5, Number.NaN, {}, [1, 2]] as unknown[];
		for (const value of junk) {
			expect(verifyConsistency(value as number, 2, [leaf(1)], root(1), root(2))).toBe(false);
			expect(verifyConsistency(1, value as number, [leaf(1)], root(1), root(2))).toBe(false);
			expect(verifyConsistency(1, 2, value as Uint8Array[], root(1), root(2))).toBe(false);
			expect(verifyConsistency(1, 2, [leaf(1)], value as Uint8Array, root(2))).toBe(false);
			expect(verifyConsistency(1, 2, [leaf(1)], root(1), value as Uint8Array)).toBe(false);
		}
		expect(verifyConsistency(1, 2, [leaf(1)], root(1), root(2))).toBe(true);
	});
});

describe('proofs from stored nodes (property)', () => {
	const sizeAndIndex = fc.integer({ min: 1, max: MAX }).chain((size) => fc.tuple(fc.constant(size), fc.integer({ min: 0, max: size - 1 })));
	const sizePair = fc.integer({ min: 1, max: MAX }).chain((size2) => fc.tuple(fc.integer({ min: 1, max: size2 }), fc.constant(size2)));
	const mutation = fc.record({ which: fc.nat(), byte: fc.integer({ min: 0, max: 31 }), bit: fc.integer({ min: 0, max: 7 }) });

	it('an inclusion proof verifies, and not with a flipped bit, another root, another index or another leaf', async () => {
		await fc.assert(
			fc.asyncProperty(sizeAndIndex, mutation, fc.nat(), async ([size, index], m, other) => {
				const proof = await inclusionProof(index, size, store.read);
				expect(verifyInclusion(leaf(index), index, size, proof, root(size))).toBe(true);
				if (proof.length > 0) {
					const mutated = flip(proof, m.which % proof.length, m.byte, m.bit);
					expect(verifyInclusion(leaf(index), index, size, mutated, root(size))).toBe(false);
				}
				expect(verifyInclusion(leaf(index), index, size, proof, flip([root(size)], 0, m.byte, m.bit)[0] as Uint8Array)).toBe(false);
				const otherSize = 1 + (other % MAX);
				if (otherSize !== size) expect(verifyInclusion(leaf(index), index, size, proof, root(otherSize))).toBe(false);
				const otherIndex = other % size;
				if (otherIndex !== index) {
					expect(verifyInclusion(leaf(index), otherIndex, size, proof, root(size))).toBe(false);
					expect(verifyInclusion(leaf(otherIndex), index, size, proof, root(size))).toBe(false);
				}
			}),
			{ numRuns: 300 }
		);
	});

	it('a consistency proof verifies, and not with a flipped bit, swapped or other roots, or other sizes', async () => {
		await fc.assert(
			fc.asyncProperty(sizePair, mutation, fc.nat(), async ([size1, size2], m, other) => {
				const proof = await consistencyProof(size1, size2, store.read);
				expect(verifyConsistency(size1, size2, proof, root(size1), root(size2))).toBe(true);
				if (size1 === size2) {
					expect(proof).toEqual([]);
					return;
				}
				const mutated = flip(proof, m.which % proof.length, m.byte, m.bit);
				expect(verifyConsistency(size1, size2, mutated, root(size1), root(size2))).toBe(false);
				expect(verifyConsistency(size1, size2, proof, root(size2), root(size1))).toBe(false);
				expect(verifyConsistency(size1, size2, proof, flip([root(size1)], 0, m.byte, m.bit)[0] as Uint8Array, root(size2))).toBe(false);
				expect(verifyConsistency(size1, size2, proof, root(size1), flip([root(size2)], 0, m.byte, m.bit)[0] as Uint8Array)).toBe(false);
				const otherSize1 = 1 + (other % size2);
				if (otherSize1 !== size1) expect(verifyConsistency(otherSize1, size2, proof, root(otherSize1), root(size2))).toBe(false);
				expect(verifyConsistency(size1, size2, proof.slice(0, -1), root(size1), root(size2))).toBe(false);
				expect(verifyConsistency(size1, size2, [...proof, leaf(0)], root(size1), root(size2))).toBe(false);
			}),
			{ numRuns: 300 }
		);
	});
});
