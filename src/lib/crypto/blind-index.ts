/**
 * A blind index for search as you type without names in clear: each word of a name is normalized,
 * and every prefix of it (1 to {@link MAX_PREFIX} characters) is stored as a keyed hash instead of
 * as text. A query word gives the token of its prefix; equal tokens find the entity through an
 * ordinary multi-entry index. Synchronous (HMAC-SHA-256 from @noble/hashes), so tokens are made
 * inside the append's transaction.
 *
 * What it still reveals to someone holding the database without the key: how many distinct
 * prefixes an entity's words have, and which entities share a prefix token (frequency analysis
 * of one-letter prefixes can guess common initials). Never a name. Matches are candidates: a term
 * longer than {@link MAX_PREFIX} characters, or two words with a common 64-bit token, can match
 * more than asked for, so the caller filters the decrypted entities by the full query.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '../core/encoding';
import { CasetrailError } from '../core/errors';
import { KEY_BYTES } from './keys';

/** The longest prefix indexed: longer words share the token of their first 12 characters. */
export const MAX_PREFIX = 12;
/** Hex digits kept of each HMAC: 64 bits, so unrelated prefixes collide about once in 2^32 pairs per device. */
export const TOKEN_HEX_LENGTH = 16;

const encoder = new TextEncoder();

/**
 * The words of `text` as search compares them: Unicode compatibility decomposition with the accents
 * (combining marks) dropped, lower case, split on anything that is not a letter or a digit,
 * without repeats, in order of first appearance. "José-María  GARCÍA" gives jose, maria, garcia.
 */
export function searchWords(text: string): string[] {
	const folded = text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
	const words = folded.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0);
	return [...new Set(words)];
}

type Mac = ReturnType<typeof hmac.create>;

/**
 * The HMAC keyed once per key: a clone skips hashing the key's inner and outer blocks again, which
 * for a short prefix is half the work (measured: 5.5 µs -> ~3 µs per token in Node 20).
 */
const keyed = new WeakMap<Uint8Array, Mac>();

/** The token of one already normalized prefix. */
function token(key: Uint8Array, prefix: string): string {
	let mac = keyed.get(key);
	if (mac === undefined) {
		mac = hmac.create(sha256, key);
		keyed.set(key, mac);
	}
	return bytesToHex(mac.clone().update(encoder.encode(prefix)).digest().subarray(0, TOKEN_HEX_LENGTH / 2));
}

function checkKey(key: Uint8Array): void {
	if (key.length !== KEY_BYTES) throw new CasetrailError('out-of-range', `A blind-index key has ${KEY_BYTES} bytes, not ${key.length}.`);
}

/**
 * Every token stored for `text` under `key`: for each of its {@link searchWords}, the tokens of its
 * prefixes of 1 to {@link MAX_PREFIX} characters (code points, so no surrogate is split), without
 * repeats. An empty text gives none.
 */
export function searchTokens(key: Uint8Array, text: string): string[] {
	checkKey(key);
	const out = new Set<string>();
	for (const word of searchWords(text)) {
		const chars = Array.from(word);
		for (let n = 1; n <= Math.min(chars.length, MAX_PREFIX); n++) out.add(token(key, chars.slice(0, n).join('')));
	}
	return [...out];
}

/**
 * The token to look up for one query word: the token of its first {@link MAX_PREFIX} normalized
 * characters, which {@link searchTokens} stored for every word starting with them. Only the first
 * word of `term` counts (see {@link queryTokens} for several); undefined when it has none.
 */
export function searchToken(key: Uint8Array, term: string): string | undefined {
	checkKey(key);
	const word = searchWords(term)[0];
	return word === undefined ? undefined : token(key, Array.from(word).slice(0, MAX_PREFIX).join(''));
}

/**
 * One token per word of `query`, without repeats: an entity matches when it holds all of them
 * (each word is a prefix of one of its words).
 */
export function queryTokens(key: Uint8Array, query: string): string[] {
	checkKey(key);
	return [...new Set(searchWords(query).map((w) => token(key, Array.from(w).slice(0, MAX_PREFIX).join(''))))];
}
