/**
 * Replays ../vectors/rfc6962.json (the 8-leaf tree of the RFC 6962 reference tests): leaf hashes,
 * the root of every size, every inclusion path and every consistency proof, each both generated
 * from stored nodes and verified.
 */
import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from '../../../../src/lib/core/encoding';
import { leafHash } from '../../../../src/lib/core/merkle/hash';
import { CompactRange } from '../../../../src/lib/core/merkle/compact';
import { consistencyProof, inclusionProof, rootAt } from '../../../../src/lib/core/merkle/proof';
import { verifyConsistency, verifyInclusion } from '../../../../src/lib/core/merkle/verify';
import { MemoryNodeStore } from './store';
import { readVector } from './vectors';

interface Rfc6962Vectors {
	leaves: string[];
	leafHashes: string[];
	roots: { size: number; root: string }[];
	inclusion: { leafIndex: number; treeSize: number; path: string[] }[];
	consistency: { size1: number; size2: number; proof: string[] }[];
}

const vectors = readVector('rfc6962.json') as Rfc6962Vectors;
const leafHashes = vectors.leafHashes.map((hex) => hexToBytes(hex));
const store = new MemoryNodeStore().appendAll(leafHashes);
const rootOf = (size: number): Uint8Array => {
	const entry = vectors.roots.find((r) => r.size === size);
	if (!entry) throw new Error(`no root for size ${size} in the vectors`);
	return hexToBytes(entry.root);
};
const hex = (hashes: Uint8Array[]): string[] => hashes.map(bytesToHex);

describe('RFC 6962 vectors', () => {
	it('has the cases it claims', () => {
		expect(vectors.leaves).toHaveLength(8);
		expect(vectors.roots).toHaveLength(9);
		expect(vectors.inclusion).toHaveLength(36);
		expect(vectors.consistency).toHaveLength(36);
	});

	describe('leafHash', () => {
		it.each(vectors.leaves.map((leaf, i) => [i, leaf] as const))('hashes leaf %i to the vector', (i, leaf) => {
			expect(bytesToHex(leafHash(hexToBytes(leaf)))).toBe(vectors.leafHashes[i]);
		});
	});

	describe('CompactRange.rootHash', () => {
		it.each(vectors.roots.map((r) => [r.size, r.root] as const))('gives the root of size %i', (size, root) => {
			const range = new CompactRange();
			for (const hash of leafHashes.slice(0, size)) range.append(hash);
			expect(bytesToHex(range.rootHash())).toBe(root);
		});
	});

	describe('rootAt', () => {
		it.each(vectors.roots.map((r) => [r.size, r.root] as const))('reads the root of size %i from stored nodes', async (size, root) => {
			expect(bytesToHex(await rootAt(size, store.read))).toBe(root);
		});
	});

	describe('inclusionProof', () => {
		it.each(vectors.inclusion.map((c) => [c.leafIndex, c.treeSize, c.path] as const))(
			'builds and verifies the path of leaf %i in size %i',
			async (index, size, path) => {
				const proof = await inclusionProof(index, size, store.read);
				expect(hex(proof)).toEqual(path);
				expect(verifyInclusion(leafHashes[index] as Uint8Array, index, size, proof, rootOf(size))).toBe(true);
			}
		);
	});

	describe('consistencyProof', () => {
		it.each(vectors.consistency.map((c) => [c.size1, c.size2, c.proof] as const))(
			'builds and verifies the proof from size %i to size %i',
			async (size1, size2, expected) => {
				const proof = await consistencyProof(size1, size2, store.read);
				expect(hex(proof)).toEqual(expected);
				expect(verifyConsistency(size1, size2, proof, rootOf(size1), rootOf(size2))).toBe(true);
			}
		);
	});
});
