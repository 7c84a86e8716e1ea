/**
 * Bit arithmetic on tree sizes and node indexes. JavaScript's bitwise operators truncate to 32 bits,
 * and a log may pass 2^31 events, so everything here uses division on safe integers (up to 2^53 - 1).
 * Each function loops at most 53 times, which is negligible next to one SHA-256.
 */

/** True when `n` is an integer in [0, 2^53 - 1]: the only sizes and indexes the tree accepts. */
export function isIndex(n: unknown): n is number {
	return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
}

/** Number of 1-bits of `n`. Requires `isIndex(n)`. */
export function popcount(n: number): number {
	let count = 0;
	while (n > 0) {
		count += n % 2;
		n = Math.floor(n / 2);
	}
	return count;
}

/** Number of bits needed to write `n`: 0 for 0, else 1 + the position of the highest 1-bit. */
export function bitLength(n: number): number {
	let length = 0;
	while (n > 0) {
		length++;
		n = Math.floor(n / 2);
	}
	return length;
}

/** Number of trailing 0-bits of `n`. Requires `n > 0` (0 has no lowest 1-bit). */
export function trailingZeros(n: number): number {
	let zeros = 0;
	while (n % 2 === 0) {
		zeros++;
		n /= 2;
	}
	return zeros;
}

/** `bitLength(a XOR b)` without a 32-bit XOR: drop low bits until the two agree. */
export function differingBitLength(a: number, b: number): number {
	let length = 0;
	while (a !== b) {
		a = Math.floor(a / 2);
		b = Math.floor(b / 2);
		length++;
	}
	return length;
}

/** `n >> shift` for safe integers of any size. */
export function shiftRight(n: number, shift: number): number {
	return Math.floor(n / 2 ** shift);
}
