/**
 * Byte <-> text encodings used on the wire: lowercase hex (test vectors, display) and base64url
 * without padding (RFC 4648 §5; bundle prefixes, checkpoint roots, JWS), plus standard padded base64
 * (RFC 4648 §4) for imported vectors. Pure code, no `atob`/`Buffer`, so it runs in the page, a worker
 * and Node alike.
 *
 * Decoders take attacker-controlled text: they are strict (one valid spelling per byte string, no
 * whitespace, no stray padding, unused trailing bits must be zero) and throw
 * CasetrailError('malformed') naming `what` was wrong, so the message reads e.g. "prefix[2] is not
 * valid base64url".
 */
import { CasetrailError } from './errors';

const HEX_DIGITS = '0123456789abcdef';
const BASE64_STANDARD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function malformed(what: string, encoding: string, why: string): CasetrailError {
	return new CasetrailError('malformed', `${what} is not valid ${encoding}: ${why}.`);
}

/** Lowercase hex of `bytes`, two digits per byte. */
export function bytesToHex(bytes: Uint8Array): string {
	let out = '';
	for (const byte of bytes) out += (HEX_DIGITS[byte >> 4] as string) + (HEX_DIGITS[byte & 15] as string);
	return out;
}

/**
 * The bytes spelled by `text` in hex (either case, two digits per byte, nothing else). Throws
 * CasetrailError('malformed') otherwise; `what` names the value in the message.
 */
export function hexToBytes(text: string, what = 'The value'): Uint8Array {
	if (typeof text !== 'string') throw malformed(what, 'hex', 'it is not text');
	if (text.length % 2 !== 0) throw malformed(what, 'hex', 'it has an odd number of digits');
	if (!/^[0-9a-fA-F]*$/.test(text)) throw malformed(what, 'hex', 'it has a character other than 0-9 and a-f');
	const bytes = new Uint8Array(text.length / 2);
	for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
	return bytes;
}

function encodeBase64(bytes: Uint8Array, alphabet: string): string {
	let out = '';
	for (let i = 0; i < bytes.length; i += 3) {
		const a = bytes[i] as number;
		const b = bytes[i + 1];
		const c = bytes[i + 2];
		const group = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
		out += alphabet[(group >> 18) & 63] as string;
		out += alphabet[(group >> 12) & 63] as string;
		if (b !== undefined) out += alphabet[(group >> 6) & 63] as string;
		if (c !== undefined) out += alphabet[group & 63] as string;
	}
	return out;
}

/** Decodes unpadded base64 `digits` (length mod 4 is 0, 2 or 3) over `alphabet`, strictly. */
function decodeBase64(digits: string, alphabet: string, encoding: string, what: string): Uint8Array {
	if (digits.length % 4 === 1) throw malformed(what, encoding, 'its length is impossible');
	const values = new Uint8Array(digits.length);
	for (let i = 0; i < digits.length; i++) {
		const value = alphabet.indexOf(digits[i] as string);
		if (value < 0) throw malformed(what, encoding, `character ${i + 1} is not in its alphabet`);
		values[i] = value;
	}
	const bytes = new Uint8Array(Math.floor((digits.length * 3) / 4));
	let at = 0;
	for (let i = 0; i < values.length; i += 4) {
		const group =
			((values[i] as number) << 18) | ((values[i + 1] ?? 0) << 12) | ((values[i + 2] ?? 0) << 6) | (values[i + 3] ?? 0);
		bytes[at++] = (group >> 16) & 255;
		if (at < bytes.length) bytes[at++] = (group >> 8) & 255;
		if (at < bytes.length) bytes[at++] = group & 255;
	}
	// Bits past the last whole byte must be zero, else two spellings would decode to the same bytes.
	const last = values[values.length - 1];
	if (last !== undefined) {
		const spare = digits.length % 4 === 2 ? 15 : digits.length % 4 === 3 ? 3 : 0;
		if ((last & spare) !== 0) throw malformed(what, encoding, 'its last character has bits set past the last byte');
	}
	return bytes;
}

/** Base64url of `bytes` without padding (RFC 4648 §5, as JWS and the bundle format use it). */
export function bytesToBase64url(bytes: Uint8Array): string {
	return encodeBase64(bytes, BASE64_URL);
}

/**
 * The bytes spelled by `text` in unpadded base64url (RFC 4648 §5). Rejects padding, whitespace, the
 * standard alphabet's `+` and `/`, and non-canonical spellings with CasetrailError('malformed');
 * `what` names the value in the message.
 */
export function base64urlToBytes(text: string, what = 'The value'): Uint8Array {
	if (typeof text !== 'string') throw malformed(what, 'base64url', 'it is not text');
	return decodeBase64(text, BASE64_URL, 'base64url', what);
}

/**
 * The bytes spelled by `text` in standard padded base64 (RFC 4648 §4): length a multiple of 4, at
 * most two `=` and only at the end, canonical trailing bits. Throws CasetrailError('malformed')
 * otherwise; `what` names the value in the message.
 */
export function base64ToBytes(text: string, what = 'The value'): Uint8Array {
	if (typeof text !== 'string') throw malformed(what, 'base64', 'it is not text');
	if (text.length % 4 !== 0) throw malformed(what, 'base64', 'its length is not a multiple of 4');
	// Any other '=' is left in and then fails as a character outside the alphabet.
	return decodeBase64(text.replace(/={1,2}$/, ''), BASE64_STANDARD, 'base64', what);
}

/** True when both are byte arrays of the same length and content; false for anything else. */
export function equalBytes(a: unknown, b: unknown): boolean {
	if (!(a instanceof Uint8Array) || !(b instanceof Uint8Array) || a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
	return true;
}
