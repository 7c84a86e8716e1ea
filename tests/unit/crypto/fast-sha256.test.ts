/**
 * The WebAssembly SHA-256 the store installs for tree hashes (crypto/fast-sha256.ts): it gives
 * noble's digests, the RFC 6962 vector roots come out the same with it, and a candidate that cannot
 * load or hashes wrongly is refused, leaving noble in use.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { agreesWithNoble, installFastSha256, installSha256 } from '../../../src/lib/crypto/fast-sha256';
import { CompactRange, digest, leafHash, useSha256 } from '../../../src/lib/core/merkle';
import { bytesToHex, hexToBytes } from '../../../src/lib/core/encoding';
import { readVector } from '../core/merkle/vectors';

const vectors = readVector('rfc6962.json') as { leaves: string[]; roots: { size: number; root: string }[] };

/** Deterministic bytes of every length from 0 to `max`, some crossing SHA-256's 55/64-byte padding edges. */
function inputs(max: number): Uint8Array[] {
	return Array.from({ length: max + 1 }, (_, n) => Uint8Array.from({ length: n }, (_, i) => (i * 131 + n * 7) & 0xff));
}

afterEach(() => useSha256(undefined));

describe('the WebAssembly SHA-256', () => {
	it('is installed in Node and gives noble digests for every length up to 300 bytes', async () => {
		expect(await installFastSha256()).toBe(true);
		for (const input of inputs(300)) expect(bytesToHex(digest(input))).toBe(bytesToHex(nobleSha256(input)));
	});

	it('gives the RFC 6962 roots of every size of the vector tree', async () => {
		expect(await installFastSha256()).toBe(true);
		const range = new CompactRange();
		for (const [i, leaf] of vectors.leaves.entries()) {
			range.append(leafHash(hexToBytes(leaf)));
			const expected = vectors.roots.find((r) => r.size === i + 1)?.root;
			expect(bytesToHex(range.rootHash())).toBe(expected);
		}
	});

	it('is refused when it cannot be loaded, and noble stays', async () => {
		expect(await installSha256(async () => undefined)).toBe(false);
		expect(bytesToHex(digest(new Uint8Array([1, 2, 3])))).toBe(bytesToHex(nobleSha256(new Uint8Array([1, 2, 3]))));
	});

	it('is refused when it hashes wrongly, and noble stays', async () => {
		const wrong = (data: Uint8Array): Uint8Array => {
			const right = nobleSha256(data);
			// Right on short messages, wrong from the second block on: the self-test must reach that far.
			if (data.length > 64) right[0] = (right[0] as number) ^ 1;
			return right;
		};
		expect(agreesWithNoble(wrong)).toBe(false);
		expect(await installSha256(async () => wrong)).toBe(false);
		const long = inputs(100)[100] as Uint8Array;
		expect(bytesToHex(digest(long))).toBe(bytesToHex(nobleSha256(long)));
	});
});
