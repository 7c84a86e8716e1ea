/**
 * Encryption at rest of one stored value: AES-256-GCM, SYNCHRONOUS (@noble/ciphers), because a
 * value is sealed inside an append's IndexedDB transaction and a transaction commits as soon as it
 * waits on anything that is not IndexedDB (WebCrypto is asynchronous). A sealed value is
 * nonce || ciphertext || tag, with a fresh random 12-byte nonce each time.
 *
 * Nonce budget: with random nonces NIST SP 800-38D allows 2^32 encryptions under one key. Every
 * append seals about three values (event, projection, maybe a snapshot), so a device could record
 * over a billion events before the budget matters.
 *
 * Associated data binds a ciphertext to where it is stored (e.g. `entity:<guid>`): a sealed value
 * copied onto another row by someone editing the database fails to open instead of showing one
 * person's record under another's id.
 */
import { gcm } from '@noble/ciphers/aes.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { CasetrailError } from '../core/errors';
import { KEY_BYTES, randomBytes } from './keys';

export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;
/** How many bytes sealing adds to a value. */
export const SEAL_OVERHEAD = NONCE_BYTES + TAG_BYTES;

/** Associated data: text is UTF-8 encoded; absent means none. */
export type Aad = string | Uint8Array | undefined;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

function aadBytes(aad: Aad): Uint8Array | undefined {
	return typeof aad === 'string' ? encoder.encode(aad) : aad;
}

function checkKey(key: Uint8Array): void {
	if (key.length !== KEY_BYTES) throw new CasetrailError('out-of-range', `An encryption key has ${KEY_BYTES} bytes, not ${key.length}.`);
}

/** The keys the data key is split into, so no key serves two algorithms. */
export interface StorageKeys {
	/** AES-256-GCM key for {@link seal}. */
	seal: Uint8Array;
	/** HMAC-SHA-256 key for the blind index (blind-index.ts). */
	index: Uint8Array;
}

/** The sealing and blind-index keys of a data key: HKDF-SHA-256 with distinct labels. Synchronous. */
export function storageKeys(dataKey: Uint8Array): StorageKeys {
	checkKey(dataKey);
	return {
		seal: hkdf(sha256, dataKey, undefined, encoder.encode('casetrail seal v1'), KEY_BYTES),
		index: hkdf(sha256, dataKey, undefined, encoder.encode('casetrail blind index v1'), KEY_BYTES)
	};
}

/** `plaintext` encrypted and authenticated under `key` (32 bytes): nonce || ciphertext || tag. */
export function seal(key: Uint8Array, plaintext: Uint8Array, aad?: Aad): Uint8Array {
	checkKey(key);
	const nonce = randomBytes(NONCE_BYTES);
	const body = gcm(key, nonce, aadBytes(aad)).encrypt(plaintext);
	const out = new Uint8Array(NONCE_BYTES + body.length);
	out.set(nonce, 0);
	out.set(body, NONCE_BYTES);
	return out;
}

/**
 * The plaintext of a value made by {@link seal} with the same key and associated data. Throws
 * CasetrailError('decryption-failed') when it does not open: another key, other associated data, or
 * bytes changed on disk (stored rows are editable by anyone holding the device).
 */
export function open(key: Uint8Array, sealed: Uint8Array, aad?: Aad): Uint8Array {
	checkKey(key);
	if (!(sealed instanceof Uint8Array) || sealed.length < SEAL_OVERHEAD) {
		throw new CasetrailError('decryption-failed', 'A stored record is too short to be encrypted data: it was changed outside Casetrail.');
	}
	try {
		return gcm(key, sealed.subarray(0, NONCE_BYTES), aadBytes(aad)).decrypt(sealed.subarray(NONCE_BYTES));
	} catch {
		throw new CasetrailError('decryption-failed', 'A stored record does not decrypt: it was changed outside Casetrail, or it was written under another key.');
	}
}

/** {@link seal} of the UTF-8 bytes of `text`. */
export function sealText(key: Uint8Array, text: string, aad?: Aad): Uint8Array {
	return seal(key, encoder.encode(text), aad);
}

/** The text sealed by {@link sealText}; throws as {@link open} does, also for bytes that are not UTF-8. */
export function openText(key: Uint8Array, sealed: Uint8Array, aad?: Aad): string {
	const bytes = open(key, sealed, aad);
	try {
		return decoder.decode(bytes);
	} catch {
		throw new CasetrailError('decryption-failed', 'A stored record decrypted to bytes that are not text.');
	}
}

/** {@link seal} of `JSON.stringify(value)`. Requires a value JSON can represent. */
export function sealJson(key: Uint8Array, value: unknown, aad?: Aad): Uint8Array {
	const text = JSON.stringify(value);
	if (text === undefined) throw new CasetrailError('out-of-range', 'Only a value JSON can represent can be sealed.');
	return sealText(key, text, aad);
}

/**
 * The value sealed by {@link sealJson}, typed as the caller says: the bytes were authenticated, so
 * they are what this device wrote under this key, and the caller knows what it wrote there.
 */
export function openJson<T>(key: Uint8Array, sealed: Uint8Array, aad?: Aad): T {
	const text = openText(key, sealed, aad);
	try {
		return JSON.parse(text) as T;
	} catch {
		throw new CasetrailError('decryption-failed', 'A stored record decrypted to text that is not JSON.');
	}
}
