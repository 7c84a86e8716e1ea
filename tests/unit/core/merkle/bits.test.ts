/** Index arithmetic on safe integers, which 32-bit bitwise operators would truncate past 2^31. */
import { describe, expect, it } from 'vitest';
import { bitLength, differingBitLength, isIndex, popcount, shiftRight, trailingZeros } from '../../../../src/lib/core/merkle/bits';

describe('bits', () => {
	it('match BigInt arithmetic on small and large values', () => {
		const values = [1, 2, 3, 5, 8, 13, 2 ** 31 - 1, 2 ** 31, 2 ** 32 + 1, 3 * 2 ** 40, 2 ** 52 + 2 ** 20, Number.MAX_SAFE_INTEGER];
		for (const n of values) {
			const big = BigInt(n);
			expect(popcount(n), `popcount ${n}`).toBe([...big.toString(2)].filter((c) => c === '1').length);
			expect(bitLength(n), `bitLength ${n}`).toBe(big.toString(2).length);
			expect(trailingZeros(n), `trailingZeros ${n}`).toBe(big.toString(2).length - 1 - big.toString(2).lastIndexOf('1'));
			expect(shiftRight(n, 3)).toBe(Number(big >> 3n));
			for (const m of values) {
				const xor = BigInt(m) ^ big;
				expect(differingBitLength(m, n), `${m} ^ ${n}`).toBe(xor === 0n ? 0 : xor.toString(2).length);
			}
		}
		expect(popcount(0)).toBe(0);
		expect(bitLength(0)).toBe(0);
	});

	it('isIndex accepts only non-negative safe integers', () => {
		expect([0, 1, Number.MAX_SAFE_INTEGER].map(isIndex)).toEqual([true, true, true]);
		expect([-1, 0.5, Number.NaN, Infinity, 2 ** 53, '3', null].map(isIndex)).toEqual([false, false, false, false, false, false, false]);
	});
});
