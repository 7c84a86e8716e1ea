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
import { CasetrailError } from '../core/errors';

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
