/**
 * The compact range: restoring it from persisted state, appending with a visitor, the root, the
 * bundle spec's "Root from a compact range", and the node ids of any range [begin, end).
 */
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../../../src/lib/core/encoding';
import { emptyRoot, nodeHash } from '../../../../src/lib/core/merkle/hash';
import { popcount } from '../../../../src/lib/core/merkle/bits';
import { CompactRange, compactRangeNodes, foldCompactRange, rootFromRange, type NodeId } from '../../../../src/lib/core/merkle/compact';
import { ReferenceTree } from './reference';
import { testLeafHashes } from './store';

const leaves = testLeafHashes(80);
const reference = new ReferenceTree(leaves);
const hex = (hashes: Uint8Array[]): string[] => hashes.map(bytesToHex);

function rangeOf(size: number): CompactRange {
	const range = new CompactRange();
	for (const hash of leaves.slice(0, size)) range.append(hash);
	return range;
}

/** The bundle spec's algorithm, word for word: entries with sizes, merge while equal, fold. */
function specRootFromRange(from: number, prefix: Uint8Array[], leafHashes: Uint8Array[]): Uint8Array {
	const sizes: number[] = [];
	for (let bit = 2 ** 52; bit >= 1; bit /= 2) if (Math.floor(from / bit) % 2 === 1) sizes.push(bit);
	const entries = prefix.map((hash, i) => ({ hash, size: sizes[i] as number }));
	for (const hash of leafHashes) {
		entries.push({ hash, size: 1 });
		for (;;) {
			const right = entries[entries.length - 1];
			const left = entries[entries.length - 2];
			if (!left || !right || left.size !== right.size) break;
			entries.splice(-2, 2, { hash: nodeHash(left.hash, right.hash), size: left.size * 2 });
		}
	}
	if (entries.length === 0) return emptyRoot();
	let h = (entries[entries.length - 1] as { hash: Uint8Array }).hash;
	for (let i = entries.length - 2; i >= 0; i--) h = nodeHash((entries[i] as { hash: Uint8Array }).hash, h);
	return h;
}

describe('CompactRange', () => {
	it('starts empty, with the root of the empty tree', () => {
		const range = new CompactRange();
		expect(range.size).toBe(0);
		expect(range.frontier).toEqual([]);
		expect(bytesToHex(range.rootHash())).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
	});

	it('keeps one frontier hash per set bit of size, each the root of that perfect block, largest first', () => {
		for (let n = 0; n <= 80; n++) {
			const range = rangeOf(n);
			const expected = compactRangeNodes(0, n).map(({ level, index }) => reference.mth(index * 2 ** level, (index + 1) * 2 ** level));
			expect(range.frontier).toHaveLength(popcount(n));
			expect(hex(range.frontier)).toEqual(hex(expected));
			expect(bytesToHex(range.rootHash())).toBe(bytesToHex(reference.root(n)));
		}
	});

	it('round-trips through toState and fromState and keeps appending to the same roots', () => {
		for (let n = 0; n < 40; n++) {
			const state = structuredClone(rangeOf(n).toState());
			const restored = CompactRange.fromState(state);
			expect(restored.size).toBe(n);
			for (const hash of leaves.slice(n, 60)) restored.append(hash);
			expect(bytesToHex(restored.rootHash())).toBe(bytesToHex(reference.root(60)));
		}
	});

	it('copies its input and output, so callers cannot change its state', () => {
		const frontier = rangeOf(3).frontier;
		const range = new CompactRange(3, frontier);
		const root = bytesToHex(range.rootHash());
		(frontier[0] as Uint8Array).fill(0);
		(range.frontier[0] as Uint8Array).fill(0);
		(range.toState().frontier[1] as Uint8Array).fill(0);
		expect(bytesToHex(range.rootHash())).toBe(root);
	});

	it('clones into an independent range', () => {
		const range = rangeOf(5);
		const copy = range.clone();
		copy.append(leaves[5] as Uint8Array);
		expect(range.size).toBe(5);
		expect(bytesToHex(range.rootHash())).toBe(bytesToHex(reference.root(5)));
		expect(bytesToHex(copy.rootHash())).toBe(bytesToHex(reference.root(6)));
	});

	it('rejects a frontier whose length is not popcount(size) with size-mismatch', () => {
		const frontier = rangeOf(7).frontier;
		expect(() => new CompactRange(7, frontier.slice(0, 2))).toThrow(expect.objectContaining({ code: 'size-mismatch' }));
		expect(() => new CompactRange(6, frontier)).toThrow(expect.objectContaining({ code: 'size-mismatch' }));
		expect(() => new CompactRange(0, frontier.slice(0, 1))).toThrow(expect.objectContaining({ code: 'size-mismatch' }));
	});

	it('rejects a frontier hash that is not 32 bytes with malformed', () => {
		const frontier = rangeOf(3).frontier;
		expect(() => new CompactRange(3, [frontier[0] as Uint8Array, new Uint8Array(33)])).toThrow(expect.objectContaining({ code: 'malformed' }));
		expect(() => new CompactRange(1, ['not bytes' as unknown as Uint8Array])).toThrow(expect.objectContaining({ code: 'malformed' }));
	});

	it('rejects a size that is not a non-negative safe integer with out-of-range', () => {
		for (const size of [-1, 0.5, Number.NaN, 2 ** 53]) {
			expect(() => new CompactRange(size, [])).toThrow(expect.objectContaining({ code: 'out-of-range' }));
		}
	});

	describe('append', () => {
		it('reports the leaf, then each merge, with their (level, index)', () => {
			const range = rangeOf(7);
			const seen: [number, number][] = [];
			range.append(leaves[7] as Uint8Array, (level, index, hash) => {
				seen.push([level, index]);
				expect(bytesToHex(hash)).toBe(bytesToHex(reference.mth(index * 2 ** level, (index + 1) * 2 ** level)));
			});
			expect(seen).toEqual([
				[0, 7],
				[1, 3],
				[2, 1],
				[3, 0]
			]);
		});

		it('hashes once per trailing 1-bit of the old size: 2n - popcount(n) - n merges for n appends', () => {
			const range = new CompactRange();
			let merges = 0;
			for (const hash of leaves) range.append(hash, (level) => void (level > 0 && merges++));
			expect(merges).toBe(leaves.length - popcount(leaves.length));
		});

		it('leaves the range unchanged when the visitor throws', () => {
			const range = rangeOf(3);
			const before = hex(range.frontier);
			expect(() =>
				range.append(leaves[3] as Uint8Array, (level) => {
					if (level === 2) throw new Error('disk full');
				})
			).toThrow('disk full');
			expect(range.size).toBe(3);
			expect(hex(range.frontier)).toEqual(before);
		});

		it('rejects a leaf hash that is not 32 bytes with malformed and changes nothing', () => {
			const range = rangeOf(2);
			expect(() => range.append(new Uint8Array(31))).toThrow(expect.objectContaining({ code: 'malformed' }));
			expect(range.size).toBe(2);
		});

		it('refuses to grow past 2^53 - 1 leaves', () => {
			const size = Number.MAX_SAFE_INTEGER;
			const range = new CompactRange(size, Array.from({ length: popcount(size) }, () => new Uint8Array(32)));
			expect(() => range.append(leaves[0] as Uint8Array)).toThrow(expect.objectContaining({ code: 'out-of-range' }));
		});
	});
});

describe('foldCompactRange', () => {
	it('returns a single hash as is and refuses an empty range', () => {
		expect(foldCompactRange([leaves[4] as Uint8Array])).toBe(leaves[4]);
		expect(() => foldCompactRange([])).toThrow(expect.objectContaining({ code: 'out-of-range' }));
	});
});

describe('rootFromRange', () => {
	it('equals the RFC 6962 root and the spec algorithm for every from + count <= 40', () => {
		for (let from = 0; from <= 40; from++) {
			const prefix = rangeOf(from).frontier;
			for (let count = 0; from + count <= 40; count++) {
				const added = leaves.slice(from, from + count);
				const root = rootFromRange(from, prefix, added);
				expect(bytesToHex(root), `from ${from} + ${count}`).toBe(bytesToHex(reference.root(from + count)));
				expect(bytesToHex(root)).toBe(bytesToHex(specRootFromRange(from, prefix, added)));
			}
		}
	});

	it('rejects a prefix whose length is not popcount(from) with size-mismatch', () => {
		const prefix = rangeOf(5).frontier;
		expect(() => rootFromRange(5, prefix.slice(1), [])).toThrow(expect.objectContaining({ code: 'size-mismatch' }));
		expect(() => rootFromRange(4, prefix, [leaves[4] as Uint8Array])).toThrow(expect.objectContaining({ code: 'size-mismatch' }));
		expect(() => rootFromRange(0, prefix, [])).toThrow(expect.objectContaining({ code: 'size-mismatch' }));
	});

	it('rejects a prefix or leaf hash that is not 32 bytes with malformed', () => {
		expect(() => rootFromRange(1, [new Uint8Array(0)], [])).toThrow(expect.objectContaining({ code: 'malformed' }));
		expect(() => rootFromRange(0, [], [leaves[0] as Uint8Array, new Uint8Array(64)])).toThrow(expect.objectContaining({ code: 'malformed' }));
	});
});

describe('compactRangeNodes', () => {
	const covers = ({ level, index }: NodeId): [number, number] => [index * 2 ** level, (index + 1) * 2 ** level];

	it('covers exactly [begin, end) with aligned blocks, left to right, and no two siblings', () => {
		for (let begin = 0; begin <= 70; begin++) {
			for (let end = begin; end <= 70; end++) {
				const ids = compactRangeNodes(begin, end);
				let at = begin;
				for (const id of ids) {
					expect(Number.isInteger(id.index), `aligned block in [${begin}, ${end})`).toBe(true);
					const [b, e] = covers(id);
					expect(b).toBe(at);
					at = e;
				}
				expect(at).toBe(end);
				// Smallest: two adjacent siblings would merge into their parent.
				for (let i = 1; i < ids.length; i++) {
					const left = ids[i - 1] as NodeId;
					const right = ids[i] as NodeId;
					expect(left.level === right.level && left.index % 2 === 0 && right.index === left.index + 1).toBe(false);
				}
				expect(ids.length).toBeLessThanOrEqual(end - begin < 2 ? end - begin : 2 * Math.log2(end - begin));
			}
		}
	});

	it('gives one node per set bit for [0, n), largest first', () => {
		expect(compactRangeNodes(0, 13)).toEqual([
			{ level: 3, index: 0 },
			{ level: 2, index: 2 },
			{ level: 0, index: 12 }
		]);
		expect(compactRangeNodes(0, 0)).toEqual([]);
	});

	it('works past 2^32 without 32-bit truncation', () => {
		const begin = 2 ** 32 + 3;
		const end = 2 ** 40 + 2 ** 33 + 1;
		const ids = compactRangeNodes(begin, end);
		let at = begin;
		for (const id of ids) {
			expect(Number.isInteger(id.index)).toBe(true);
			const [b, e] = covers(id);
			expect(b).toBe(at);
			at = e;
		}
		expect(at).toBe(end);
		expect(compactRangeNodes(0, 2 ** 45)).toEqual([{ level: 45, index: 0 }]);
	});

	it('rejects begin > end and negative or fractional bounds with out-of-range', () => {
		for (const [b, e] of [
			[3, 2],
			[-1, 2],
			[0, 2.5]
		] as const) {
			expect(() => compactRangeNodes(b, e)).toThrow(expect.objectContaining({ code: 'out-of-range' }));
		}
	});
});
