/** RFC 6962 §2.1 hashing: domain separation between leaves and interior nodes. */
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../../../src/lib/core/encoding';
import { HASH_SIZE, emptyRoot, isHash, leafHash, nodeHash } from '../../../../src/lib/core/merkle/hash';

describe('leafHash and nodeHash', () => {
	it('never agree over the same bytes: a leaf cannot pass for an interior node', () => {
		const left = leafHash(new TextEncoder().encode('left'));
		const right = leafHash(new TextEncoder().encode('right'));
		const concatenated = new Uint8Array([...left, ...right]);
		expect(bytesToHex(leafHash(concatenated))).not.toBe(bytesToHex(nodeHash(left, right)));
	});

	it('prefix 0x00 and 0x01 respectively (a leaf of 0x01||l||r is not the node of l and r either)', () => {
		const l = new Uint8Array(32).fill(7);
		const r = new Uint8Array(32).fill(9);
		const asLeaf = leafHash(new Uint8Array([0x01, ...l, ...r]));
		expect(bytesToHex(asLeaf)).not.toBe(bytesToHex(nodeHash(l, r)));
		// The RFC 6962 test vector for the empty leaf: SHA-256(0x00).
		expect(bytesToHex(leafHash(new Uint8Array(0)))).toBe('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
	});

	it('give the empty tree SHA-256 of the empty string', () => {
		expect(bytesToHex(emptyRoot())).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
	});
});

describe('isHash', () => {
	it('accepts only 32-byte Uint8Arrays', () => {
		expect(isHash(new Uint8Array(HASH_SIZE))).toBe(true);
		expect(isHash(new Uint8Array(31))).toBe(false);
		expect(isHash(new Uint8Array(33))).toBe(false);
		expect(isHash(Array.from({ length: 32 }, () => 0))).toBe(false);
		expect(isHash(undefined)).toBe(false);
	});
});
