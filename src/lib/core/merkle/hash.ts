/**
 * RFC 6962 §2.1 hashing with domain separation: a leaf hash never equals a node hash over the same
 * bytes, because leaves are prefixed with 0x00 and interior nodes with 0x01.
 *
 * Synchronous on purpose: an IndexedDB transaction commits as soon as it waits on anything that is
 * not IndexedDB, so hashing inside an append cannot await WebCrypto. The SHA-256 is @noble/hashes
 * (measured on this project's machine: 1.5-1.7x faster than crypto-js in Chromium, 3.5-4.3x in
 * Node 20 for 65-300 byte messages) until a faster synchronous one is installed with
 * {@link useSha256}: the store installs hash-wasm's WebAssembly SHA-256, about 3x faster again
 * (crypto/fast-sha256.ts, docs/decisions/0004-webassembly-sha256.md). Both give the same digests.
 */
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';

/** Size of every hash in the tree, in bytes. */
export const HASH_SIZE = 32;

/** A synchronous SHA-256: the 32-byte digest of `data`, in a new array. */
export type Sha256 = (data: Uint8Array) => Uint8Array;

let sha256: Sha256 = nobleSha256;

/**
 * Makes every tree hash use `impl`, which must be a correct SHA-256 (the caller checks it against
 * noble first); `undefined` goes back to noble. For the process or worker as a whole: install it
 * once, before the first append.
 */
export function useSha256(impl: Sha256 | undefined): void {
	sha256 = impl ?? nobleSha256;
}

/** SHA-256 of `data` with the SHA-256 in use. */
export function digest(data: Uint8Array): Uint8Array {
	return sha256(data);
}

/** True when `value` is a Uint8Array of exactly {@link HASH_SIZE} bytes; anything else is not a tree hash. */
export function isHash(value: unknown): value is Uint8Array {
	return value instanceof Uint8Array && value.length === HASH_SIZE;
}

/** MTH({}) = SHA-256(""). */
export function emptyRoot(): Uint8Array {
	return sha256(new Uint8Array(0));
}

/** MTH({d}) = SHA-256(0x00 || d). */
export function leafHash(leaf: Uint8Array): Uint8Array {
	const buf = new Uint8Array(leaf.length + 1);
	buf[0] = 0x00;
	buf.set(leaf, 1);
	return sha256(buf);
}

/** SHA-256(0x01 || left || right). Requires both to be 32 bytes. */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
	const buf = new Uint8Array(1 + left.length + right.length);
	buf[0] = 0x01;
	buf.set(left, 1);
	buf.set(right, 1 + left.length);
	return sha256(buf);
}
