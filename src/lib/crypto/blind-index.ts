/**
 * A blind index for search as you type without words in clear: each word (of an id or a phone: the
 * store gives names no token since issue 20, store/vault.ts) is normalized, and its prefixes of a few lengths ({@link PREFIX_LENGTHS}: 1, 3, 5, 8 and 12 characters) are
 * stored as keyed hashes instead of as text, as an unordered set (sorted by token value). A query
 * word gives the token of its longest indexed prefix; equal tokens find the entity through an
 * ordinary multi-entry index, and the caller filters the opened entities by the full query.
 *
 * What a copy of the disk reveals without the key, exactly: per entity, how many distinct tokens
 * its search words have (a sum over its words of how many indexed lengths each reaches: a word's
 * length only as "1-2, 3-4, 5-7, 8-11 or 12 and more", and not which token belongs to which word,
 * nor which is a prefix of which), and which entities share a token (so, by frequency, common
 * starts of the words indexed across the population). Never a name, a word's exact length, or
 * the order of its words or prefixes (issue 15: rows stored every prefix of 1 to 12 characters in
 * word order, which showed each word's length and the prefix tree of names). Matches are
 * candidates: a term is looked up by a shorter indexed prefix, a word longer than
 * {@link MAX_PREFIX} characters shares the token of its first 12, and two prefixes can share a
 * 64-bit token, so the caller filters the decrypted entities by the full query.
 */
import { hmac, type _HMAC } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { CasetrailError } from '../core/errors';
import { KEY_BYTES } from './keys';

/**
 * The prefix lengths indexed, in characters. One character keeps every query answerable from the
 * index (a two-letter term is looked up by its first letter, and the candidates are filtered); the
 * gaps widen as longer prefixes narrow the candidates less. Five tokens for a long word, not twelve.
 */
export const PREFIX_LENGTHS: readonly number[] = Object.freeze([1, 3, 5, 8, 12]);
/** The longest prefix indexed: longer words share the token of their first 12 characters. */
export const MAX_PREFIX = 12;

/** The longest indexed prefix length not longer than `length` characters (at least 1). */
function indexedLength(length: number): number {
	let best = PREFIX_LENGTHS[0] as number;
	for (const p of PREFIX_LENGTHS) if (p <= length) best = p;
	return best;
}

/** The first indexed-length characters of a normalized query word: the prefix its token is of. */
function lookupPrefix(word: string): string {
	const chars = Array.from(word);
	return chars.slice(0, indexedLength(chars.length)).join('');
}
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
 * prefixes of the {@link PREFIX_LENGTHS} it reaches (in code points, so no surrogate is split),
 * without repeats, sorted by value so their order tells nothing. An empty text gives none.
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
			if (!PREFIX_LENGTHS.includes(count)) continue;
			const prefix = word.slice(0, units);
			if (!seen.has(prefix)) {
				seen.add(prefix);
				out.push(tokenOf(k, bytes.subarray(0, length)));
			}
			if (count === MAX_PREFIX) break;
		}
	}
	return out.sort();
}

/**
 * The token to look up for one query word: the token of its longest indexed prefix (see
 * {@link PREFIX_LENGTHS}), which {@link searchTokens} stored for every word starting with the query
 * word, and for some that start only with that prefix: the caller filters. Only the first word of
 * `term` counts (see {@link queryTokens} for several); undefined when it has none.
 */
export function searchToken(key: Uint8Array, term: string): string | undefined {
	checkKey(key);
	const word = searchWords(term)[0];
	return word === undefined ? undefined : token(key, lookupPrefix(word));
}

/**
 * The prefix whose token {@link searchToken} looks up for `term`: its first word cut to its longest
 * indexed prefix; undefined when it has no word. The entities a token lookup of `term` finds are
 * (token collisions aside) those with a word starting with it: what a caller matching words held
 * elsewhere (the name order in memory) tests to find the same ones.
 */
export function tokenPrefix(term: string): string | undefined {
	const word = searchWords(term)[0];
	return word === undefined ? undefined : lookupPrefix(word);
}

/**
 * One token per word of `query`, without repeats: an entity matches when it holds all of them
 * (each word is a prefix of one of its words).
 */
export function queryTokens(key: Uint8Array, query: string): string[] {
	checkKey(key);
	return [...new Set(searchWords(query).map((w) => token(key, lookupPrefix(w))))];
}
