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
import { hmac, type _HMAC } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
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

type Mac = _HMAC<ReturnType<typeof sha256.create>>;

/**
 * The HMAC keyed once per key, with a scratch instance and output buffer reused for every token:
 * cloning the keyed state skips hashing the key's inner and outer blocks again, and reusing the
 * scratch skips two allocations per token. Measured in Chromium 156 on this project's machine: an
 * entity row's 50 to 60 tokens went from ~600 µs to ~150 µs.
 */
interface Keyed {
	mac: Mac;
	scratch: Mac | undefined;
	out: Uint8Array;
}

const keyed = new WeakMap<Uint8Array, Keyed>();

function keyedMac(key: Uint8Array): Keyed {
	let k = keyed.get(key);
	if (k === undefined) {
		k = { mac: hmac.create(sha256, key), scratch: undefined, out: new Uint8Array(32) };
		keyed.set(key, k);
	}
	return k;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** The token of the UTF-8 bytes of one normalized prefix: the first 8 bytes of its HMAC, as hex. */
function tokenOf(k: Keyed, bytes: Uint8Array): string {
	const mac = k.mac._cloneInto(k.scratch);
	k.scratch = mac;
	mac.update(bytes);
	mac.digestInto(k.out);
	let hex = '';
	for (let i = 0; i < TOKEN_HEX_LENGTH / 2; i++) hex += HEX[k.out[i] as number] as string;
	return hex;
}

/** The token of one normalized prefix given as text. */
function token(key: Uint8Array, prefix: string): string {
	return tokenOf(keyedMac(key), encoder.encode(prefix));
}

function checkKey(key: Uint8Array): void {
	if (key.length !== KEY_BYTES) throw new CasetrailError('out-of-range', `A blind-index key has ${KEY_BYTES} bytes, not ${key.length}.`);
}

/** Bytes of a code point in UTF-8. */
function utf8Length(codePoint: number): number {
	return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
}

/**
 * Every token stored for `text` under `key`: for each of its {@link searchWords}, the tokens of its
 * prefixes of 1 to {@link MAX_PREFIX} characters (code points, so no surrogate is split), without
 * repeats. An empty text gives none.
 */
export function searchTokens(key: Uint8Array, text: string): string[] {
	checkKey(key);
	const k = keyedMac(key);
	const seen = new Set<string>();
	const out: string[] = [];
	for (const word of searchWords(text)) {
		// A prefix of the UTF-8 bytes cut at a code point boundary is the UTF-8 of the prefix.
		const bytes = encoder.encode(word);
		let units = 0;
		let length = 0;
		let count = 0;
		for (const char of word) {
			const cp = char.codePointAt(0) as number;
			units += char.length;
			length += utf8Length(cp);
			count++;
			const prefix = word.slice(0, units);
			if (!seen.has(prefix)) {
				seen.add(prefix);
				out.push(tokenOf(k, bytes.subarray(0, length)));
			}
			if (count === MAX_PREFIX) break;
		}
	}
	return out;
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
