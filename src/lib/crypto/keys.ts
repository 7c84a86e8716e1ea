/**
 * The device data key and how each user's passphrase or PIN unlocks it. Everything personal on the
 * device is encrypted under one random data key (seal.ts); the key itself is stored only wrapped,
 * once per user, under a key-encryption key derived from that user's secret with PBKDF2-SHA-256. So
 * adding a user or changing a passphrase rewraps 32 bytes instead of re-encrypting the log, and a
 * locked device holds nothing that opens without a secret.
 *
 * Uses WebCrypto (`crypto.subtle`), which is asynchronous: derive and unwrap before any IndexedDB
 * transaction opens, never inside one. Pure of DOM and IndexedDB, so Node runs it in the tests.
 *
 * Losing every user's secret loses the data: nothing else can unwrap the key. The exported bundles
 * are the backup.
 */
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { CasetrailError } from '../core/errors';
import { open, seal } from './seal';

/** Size of the data key and of every derived key: AES-256. */
export const KEY_BYTES = 32;
/** Size of the per-user PBKDF2 salt (NIST SP 800-132 asks for at least 128 bits). */
export const SALT_BYTES = 16;
/** AES-GCM nonce size used to wrap the data key. */
const WRAP_NONCE_BYTES = 12;
/** AES-GCM tag size. */
const TAG_BYTES = 16;
/** Size of a wrapped data key: nonce || ciphertext || tag. */
export const WRAPPED_BYTES = WRAP_NONCE_BYTES + KEY_BYTES + TAG_BYTES;

/**
 * The fewest PBKDF2-HMAC-SHA-256 iterations accepted for a new wrap: OWASP's 2023 figure for this
 * hash. It costs about 110 ms in Node 20 on this project's machine, paid once per sign-in.
 */
export const MIN_ITERATIONS = 600_000;
/** Iterations used when the caller does not ask for more. */
export const DEFAULT_ITERATIONS = MIN_ITERATIONS;
/** A bound on stored iteration counts, so a corrupted row cannot make a sign-in run for hours. */
const MAX_ITERATIONS = 100_000_000;

/** The shortest passphrase accepted (NIST SP 800-63B asks for at least 8 characters). */
export const MIN_PASSPHRASE_LENGTH = 8;
/**
 * The shortest PIN accepted. A PIN would fall to an offline guess (a million 6-digit PINs at ~110 ms
 * each is about 30 hours on one core), so it never wraps a key on disk: it is a quick unlock held
 * in a tab's worker memory (worker/quick-unlock.ts, docs/decisions/pin-quick-unlock.md).
 */
export const MIN_PIN_LENGTH = 6;
const MAX_PIN_LENGTH = 12;

/** What unlocks a user's copy of the data key. */
export type SecretKind = 'passphrase' | 'pin';

/**
 * A user's wrapped copy of the data key, as stored beside the user. Not secret on its own: it opens
 * only with the user's passphrase or PIN.
 */
export interface WrappedKey {
	kdf: 'PBKDF2-SHA-256';
	iterations: number;
	/** Random per user, so equal passphrases give different keys and no table can be precomputed. */
	salt: Uint8Array;
	/** 12-byte nonce || AES-256-GCM ciphertext and tag of the data key. */
	wrapped: Uint8Array;
}

/** Fresh random bytes from the platform's CSPRNG, in a buffer WebCrypto accepts. */
export function randomBytes(length: number): Uint8Array<ArrayBuffer> {
	const bytes = new Uint8Array(length);
	crypto.getRandomValues(bytes);
	return bytes;
}

/** A new random 256-bit data key. Made once per device, at setup. */
export function generateDataKey(): Uint8Array {
	return randomBytes(KEY_BYTES);
}

/**
 * The secret as bytes. NFC first, so a passphrase with accents typed on two keyboards that compose
 * characters differently gives the same key.
 */
function secretBytes(secret: string): Uint8Array<ArrayBuffer> {
	return new TextEncoder().encode(secret.normalize('NFC'));
}

/**
 * Throws CasetrailError('validation-failed') with a `secret` field when `secret` is too weak for
 * `kind`: a passphrase needs at least {@link MIN_PASSPHRASE_LENGTH} characters, a PIN
 * {@link MIN_PIN_LENGTH} to 12 digits.
 */
export function checkSecret(kind: SecretKind, secret: string): void {
	let problem: string | undefined;
	if (kind === 'pin') {
		if (!/^[0-9]+$/.test(secret)) problem = 'A PIN is made of digits only.';
		else if (secret.length < MIN_PIN_LENGTH || secret.length > MAX_PIN_LENGTH) problem = `A PIN has ${MIN_PIN_LENGTH} to ${MAX_PIN_LENGTH} digits.`;
	} else if ([...secret.normalize('NFC')].length < MIN_PASSPHRASE_LENGTH) {
		problem = `A passphrase has at least ${MIN_PASSPHRASE_LENGTH} characters; a few words are easier to remember and harder to guess.`;
	}
	if (problem !== undefined) throw new CasetrailError('validation-failed', problem, { secret: problem });
}

/**
 * The key-encryption key of `secret` with `salt`: PBKDF2-HMAC-SHA-256 over `iterations`, as a
 * non-extractable AES-256-GCM key. Slow on purpose (~110 ms at 600,000 iterations); await it
 * outside any IndexedDB transaction.
 */
export async function deriveKeyEncryptionKey(secret: string, salt: Uint8Array, iterations: number): Promise<CryptoKey> {
	const base = await crypto.subtle.importKey('raw', secretBytes(secret), 'PBKDF2', false, ['deriveKey']);
	return crypto.subtle.deriveKey(
		{ name: 'PBKDF2', hash: 'SHA-256', salt: new Uint8Array(salt), iterations },
		base,
		{ name: 'AES-GCM', length: 256 },
		false,
		['encrypt', 'decrypt']
	);
}

/**
 * Binds a wrapped key to its owner: a copy moved onto another user's row fails to open, so rows
 * cannot be swapped to trick the sign-in screen.
 */
function wrapContext(owner: string): Uint8Array<ArrayBuffer> {
	return new TextEncoder().encode(`casetrail data key v1\u0000${owner}`);
}

/**
 * Wraps `dataKey` under a key derived from `secret` with a fresh salt, for the user `owner` (their
 * id). Requires a {@link KEY_BYTES}-byte data key and at least {@link MIN_ITERATIONS} iterations;
 * does not judge the secret's strength (see {@link checkSecret}).
 */
export async function wrapDataKey(dataKey: Uint8Array, secret: string, owner: string, iterations: number = DEFAULT_ITERATIONS): Promise<WrappedKey> {
	if (dataKey.length !== KEY_BYTES) throw new CasetrailError('out-of-range', `A data key has ${KEY_BYTES} bytes, not ${dataKey.length}.`);
	if (!Number.isSafeInteger(iterations) || iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
		throw new CasetrailError('out-of-range', `PBKDF2 needs ${MIN_ITERATIONS} to ${MAX_ITERATIONS} iterations, not ${iterations}.`);
	}
	const salt = randomBytes(SALT_BYTES);
	const kek = await deriveKeyEncryptionKey(secret, salt, iterations);
	const nonce = randomBytes(WRAP_NONCE_BYTES);
	const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv: nonce, additionalData: wrapContext(owner) }, kek, new Uint8Array(dataKey)));
	const wrapped = new Uint8Array(WRAPPED_BYTES);
	wrapped.set(nonce, 0);
	wrapped.set(sealed, WRAP_NONCE_BYTES);
	return { kdf: 'PBKDF2-SHA-256', iterations, salt, wrapped };
}

/**
 * The data key inside `slot`, unwrapped with `secret` for the user `owner`. Throws
 * CasetrailError('wrong-passphrase') when the secret (or owner) does not open it, and
 * CasetrailError('decryption-failed') when the stored slot is not a wrapped key at all. The stored
 * row is read from disk, which anyone holding the device can edit: its fields are checked first.
 */
export async function unwrapDataKey(slot: WrappedKey, secret: string, owner: string): Promise<Uint8Array> {
	const damaged = (why: string) => new CasetrailError('decryption-failed', `The stored key of this user is damaged (${why}); another user can sign in, or restore from an exported bundle.`);
	if (slot.kdf !== 'PBKDF2-SHA-256') throw damaged('unknown key derivation');
	if (!Number.isSafeInteger(slot.iterations) || slot.iterations < 1 || slot.iterations > MAX_ITERATIONS) throw damaged('bad iteration count');
	if (!(slot.salt instanceof Uint8Array) || slot.salt.length < SALT_BYTES) throw damaged('bad salt');
	if (!(slot.wrapped instanceof Uint8Array) || slot.wrapped.length !== WRAPPED_BYTES) throw damaged('bad length');
	const kek = await deriveKeyEncryptionKey(secret, slot.salt, slot.iterations);
	try {
		const key = await crypto.subtle.decrypt(
			{ name: 'AES-GCM', iv: slot.wrapped.slice(0, WRAP_NONCE_BYTES), additionalData: wrapContext(owner) },
			kek,
			slot.wrapped.slice(WRAP_NONCE_BYTES)
		);
		return new Uint8Array(key);
	} catch {
		// AES-GCM cannot tell a wrong key from a changed ciphertext; a wrong secret is by far the likelier.
		throw new CasetrailError('wrong-passphrase', 'That passphrase or PIN is not right. Check the keyboard language and caps lock, then try again.');
	}
}

// ---------------------------------------------------------------------------------------------
// User key pairs (issue 15, docs/decisions/0007-data-key-rotation.md). Each user holds an ECDH
// P-256 key pair: the private key wrapped under their passphrase as above, the data key wrapped to
// the public key. So an administrator can wrap a new data key for every remaining user without
// knowing their passphrases, and a removed user's slot is simply not given the new key.

const ECDH_P256 = { name: 'ECDH', namedCurve: 'P-256' } as const;
/** An uncompressed P-256 public point. */
export const PUBLIC_KEY_BYTES = 65;

/** A user's private key (PKCS#8) wrapped under their passphrase: same derivation as {@link WrappedKey}, longer payload. */
export type WrappedPrivateKey = WrappedKey;

/** The data key wrapped to a user's public key: ECDH with a fresh ephemeral key, HKDF-SHA-256, AES-256-GCM. */
export interface PublicSlot {
	/** The ephemeral public point (uncompressed, 65 bytes). */
	ephemeral: Uint8Array;
	/** 12-byte nonce || AES-256-GCM ciphertext and tag of the data key. */
	wrapped: Uint8Array;
}

/** A user's key pair as stored on their row, with the data key wrapped to it. */
export interface UserKeyPair {
	/** Uncompressed P-256 point: not secret; an administrator wraps a new data key to it. */
	publicKey: Uint8Array;
	/** PKCS#8 wrapped under the user's passphrase (bound to the user id). */
	privateKey: WrappedPrivateKey;
	/** The current data key, wrapped to `publicKey`. */
	dataKey: PublicSlot;
	/** During a rotation only: the next data key, wrapped to `publicKey`. */
	next?: PublicSlot;
}

function privateContext(owner: string): Uint8Array<ArrayBuffer> {
	return new TextEncoder().encode(`casetrail user private key v1\u0000${owner}`);
}

function publicSlotInfo(owner: string, ephemeral: Uint8Array, recipient: Uint8Array): Uint8Array {
	const label = new TextEncoder().encode(`casetrail data key to user v1\u0000${owner}\u0000`);
	const out = new Uint8Array(label.length + ephemeral.length + recipient.length);
	out.set(label, 0);
	out.set(ephemeral, label.length);
	out.set(recipient, label.length + ephemeral.length);
	return out;
}

async function wrapBytesUnderSecret(bytes: Uint8Array, secret: string, context: Uint8Array<ArrayBuffer>, iterations: number): Promise<WrappedKey> {
	if (!Number.isSafeInteger(iterations) || iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
		throw new CasetrailError('out-of-range', `PBKDF2 needs ${MIN_ITERATIONS} to ${MAX_ITERATIONS} iterations, not ${iterations}.`);
	}
	const salt = randomBytes(SALT_BYTES);
	const kek = await deriveKeyEncryptionKey(secret, salt, iterations);
	const nonce = randomBytes(WRAP_NONCE_BYTES);
	const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv: nonce, additionalData: context }, kek, new Uint8Array(bytes)));
	const wrapped = new Uint8Array(WRAP_NONCE_BYTES + sealed.length);
	wrapped.set(nonce, 0);
	wrapped.set(sealed, WRAP_NONCE_BYTES);
	return { kdf: 'PBKDF2-SHA-256', iterations, salt, wrapped };
}

/**
 * A new key pair for `owner`, its private key wrapped under `secret`, and `dataKey` wrapped to it.
 * Slow (one PBKDF2 derivation); await it outside any IndexedDB transaction.
 */
export async function makeUserKeyPair(dataKey: Uint8Array, secret: string, owner: string, iterations: number = DEFAULT_ITERATIONS): Promise<UserKeyPair> {
	if (dataKey.length !== KEY_BYTES) throw new CasetrailError('out-of-range', `A data key has ${KEY_BYTES} bytes, not ${dataKey.length}.`);
	const pair = await crypto.subtle.generateKey(ECDH_P256, true, ['deriveBits']);
	const publicKey = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
	const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey));
	try {
		const privateKey = await wrapBytesUnderSecret(pkcs8, secret, privateContext(owner), iterations);
		return { publicKey, privateKey, dataKey: await wrapToPublicKey(dataKey, publicKey, owner) };
	} finally {
		pkcs8.fill(0);
	}
}

/** `dataKey` wrapped to the public key of `owner`: needs no secret of theirs. Await outside transactions. */
export async function wrapToPublicKey(dataKey: Uint8Array, publicKey: Uint8Array, owner: string): Promise<PublicSlot> {
	if (dataKey.length !== KEY_BYTES) throw new CasetrailError('out-of-range', `A data key has ${KEY_BYTES} bytes, not ${dataKey.length}.`);
	const recipient = await crypto.subtle.importKey('raw', new Uint8Array(publicKey), ECDH_P256, false, []);
	const eph = await crypto.subtle.generateKey(ECDH_P256, true, ['deriveBits']);
	const ephemeral = new Uint8Array(await crypto.subtle.exportKey('raw', eph.publicKey));
	const shared = new Uint8Array(await crypto.subtle.deriveBits({ name: 'ECDH', public: recipient }, eph.privateKey, 256));
	const kek = hkdf(sha256, shared, undefined, publicSlotInfo(owner, ephemeral, publicKey), KEY_BYTES);
	shared.fill(0);
	const wrapped = seal(kek, dataKey, wrapContext(owner));
	kek.fill(0);
	return { ephemeral, wrapped };
}

/**
 * The private key of `owner`, unwrapped with `secret`, as a non-extractable key that only derives.
 * Throws 'wrong-passphrase' when the secret does not open it, 'decryption-failed' for a damaged slot.
 */
export async function openPrivateKey(pair: UserKeyPair, secret: string, owner: string): Promise<CryptoKey> {
	const slot = pair.privateKey;
	const damaged = (why: string) => new CasetrailError('decryption-failed', `The stored key of this user is damaged (${why}); another user can sign in, or restore from an exported bundle.`);
	if (slot.kdf !== 'PBKDF2-SHA-256') throw damaged('unknown key derivation');
	if (!Number.isSafeInteger(slot.iterations) || slot.iterations < 1 || slot.iterations > MAX_ITERATIONS) throw damaged('bad iteration count');
	if (!(slot.salt instanceof Uint8Array) || slot.salt.length < SALT_BYTES) throw damaged('bad salt');
	if (!(slot.wrapped instanceof Uint8Array) || slot.wrapped.length <= WRAP_NONCE_BYTES + TAG_BYTES) throw damaged('bad length');
	const kek = await deriveKeyEncryptionKey(secret, slot.salt, slot.iterations);
	let pkcs8: Uint8Array<ArrayBuffer>;
	try {
		pkcs8 = new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: slot.wrapped.slice(0, WRAP_NONCE_BYTES), additionalData: privateContext(owner) }, kek, slot.wrapped.slice(WRAP_NONCE_BYTES)));
	} catch {
		throw new CasetrailError('wrong-passphrase', 'That passphrase or PIN is not right. Check the keyboard language and caps lock, then try again.');
	}
	try {
		return await crypto.subtle.importKey('pkcs8', pkcs8, ECDH_P256, false, ['deriveBits']);
	} catch {
		throw damaged('not a key');
	} finally {
		pkcs8.fill(0);
	}
}

/** The data key in `slot`, opened with the user's private key. 'decryption-failed' when it does not open. */
export async function unwrapFromPublicSlot(slot: PublicSlot, privateKey: CryptoKey, publicKey: Uint8Array, owner: string): Promise<Uint8Array> {
	const damaged = () => new CasetrailError('decryption-failed', 'The stored key of this user does not open: it was changed outside Casetrail. Another administrator can set them a new passphrase.');
	if (!(slot?.ephemeral instanceof Uint8Array) || slot.ephemeral.length !== PUBLIC_KEY_BYTES || !(slot.wrapped instanceof Uint8Array)) throw damaged();
	let shared: Uint8Array;
	try {
		const eph = await crypto.subtle.importKey('raw', new Uint8Array(slot.ephemeral), ECDH_P256, false, []);
		shared = new Uint8Array(await crypto.subtle.deriveBits({ name: 'ECDH', public: eph }, privateKey, 256));
	} catch {
		throw damaged();
	}
	const kek = hkdf(sha256, shared, undefined, publicSlotInfo(owner, slot.ephemeral, publicKey), KEY_BYTES);
	shared.fill(0);
	try {
		return open(kek, slot.wrapped, wrapContext(owner));
	} catch {
		throw damaged();
	} finally {
		kek.fill(0);
	}
}
