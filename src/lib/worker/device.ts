/**
 * This device's identity: an ECDSA P-256 key pair, made the first time it is needed. The device id
 * is the RFC 7638 thumbprint of the public key: it is stamped into every event's metadata and signs
 * every exported checkpoint.
 *
 * The private key is stored only sealed under the data key (PKCS#8, AES-256-GCM, bound to the
 * device id), never as a CryptoKey: IndexedDB stores a CryptoKey's private scalar as it is, so a
 * copy of a locked device's profile could sign bundles (issue 14). Once signed in, the worker opens
 * it and imports it as a non-extractable key held in memory only; the vault's lock forgets it. A
 * locked device therefore cannot sign. A database without a vault (tests and benchmarks only; the
 * worker always opens one) has no secret to seal under, so its key is stored as PKCS#8 bytes.
 *
 * A key made before this change was stored as a non-extractable CryptoKey. WebCrypto cannot export
 * it, so it cannot be sealed; such a device keeps its key and its id, signs only while signed in,
 * and reports `legacyKey` (docs/decisions/signed-history.md).
 *
 * WebCrypto runs before or after the transaction that stores the key, never inside it: an IndexedDB
 * transaction commits as soon as it waits on anything else.
 */
import { CasetrailError } from '../core/errors';
import { deviceIdOf, publicJwkOf } from '../core/bundle/checkpoint';
import type { BundleSigner, PublicJwk } from '../core/bundle/types';
import { open, seal } from '../crypto/seal';
import type { CasetrailDb } from '../store/db';
import { deviceKeyAad, type DeviceKeyRow } from '../store/exchange-schema';
import { guarded } from '../store/errors';
import { isMarkedLegacyDeviceKey } from '../store/legacy-device-key';
import { vaultOf } from '../store/vault';

/** This device's public identity: readable without signing in once it exists. */
export interface DeviceIdentity {
	deviceId: string;
	publicJwk: PublicJwk;
	createdAt: string;
	/** True for a key stored as a CryptoKey before keys were sealed: its private part is on disk in clear. */
	legacyKey: boolean;
}

/** What signs this device's checkpoints: only while signed in. */
export interface DeviceSigner extends BundleSigner {
	deviceId: string;
}

/** How many characters of the device id name it in file names and lists. */
export const SHORT_ID_LENGTH = 8;

/** The first characters of a device id: enough to tell a handful of devices apart at a glance. */
export function shortDeviceId(deviceId: string): string {
	return deviceId.slice(0, SHORT_ID_LENGTH);
}

const ECDSA_P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;

/** The sealing key of the signed-in session, or undefined for a database without a vault. */
function sealingKey(db: CasetrailDb): Uint8Array | undefined {
	const vault = vaultOf(db);
	return vault ? vault.keys().seal : undefined;
}

// One identity per open database; a failed attempt is forgotten so the next call tries again.
const identities = new WeakMap<CasetrailDb, Promise<DeviceKeyRow>>();
// The private key imported for the current session; dropped when the vault locks.
const signers = new WeakMap<CasetrailDb, Promise<DeviceSigner>>();
const watched = new WeakSet<CasetrailDb>();

function publicOf(row: DeviceKeyRow): DeviceIdentity {
	return { deviceId: row.deviceId, publicJwk: row.publicJwk, createdAt: row.createdAt, legacyKey: row.privateKey !== undefined };
}

/**
 * This device's identity, created on first use (which needs the vault unlocked, to seal the new
 * key: else 'not-signed-in'). Two tabs creating it at once agree: the key is added in a transaction
 * that first looks for one, and the tab that comes second keeps the first tab's key and drops its own.
 */
export async function deviceIdentity(db: CasetrailDb, now: () => Date = () => new Date()): Promise<DeviceIdentity> {
	return publicOf(await keyRow(db, now));
}

function keyRow(db: CasetrailDb, now: () => Date): Promise<DeviceKeyRow> {
	let pending = identities.get(db);
	if (!pending) {
		pending = loadOrCreate(db, now);
		identities.set(db, pending);
		void pending.catch(() => identities.delete(db));
	}
	return pending;
}

async function loadOrCreate(db: CasetrailDb, now: () => Date): Promise<DeviceKeyRow> {
	const stored = await guarded(db, () => db.keys.get('device'));
	if (stored) return stored;
	// Checked before the key is made: a locked device makes none.
	const sealWith = sealingKey(db);
	// Extractable once, to take its PKCS#8 for sealing; what signs is a non-extractable import of it.
	const pair = await globalThis.crypto.subtle.generateKey(ECDSA_P256, true, ['sign', 'verify']);
	const publicJwk = await publicJwkOf(pair.publicKey);
	const deviceId = await deviceIdOf(publicJwk);
	const pkcs8 = new Uint8Array(await globalThis.crypto.subtle.exportKey('pkcs8', pair.privateKey));
	const candidate: DeviceKeyRow = {
		id: 'device',
		deviceId,
		publicJwk,
		createdAt: now().toISOString(),
		...(sealWith ? { sealedPrivateKey: seal(sealWith, pkcs8, deviceKeyAad(deviceId)) } : { pkcs8: pkcs8.slice() })
	};
	pkcs8.fill(0);
	return guarded(db, () =>
		db.transaction('rw', db.keys, async () => {
			const existing = await db.keys.get('device');
			if (existing) return existing;
			await db.keys.add(candidate);
			return candidate;
		})
	);
}

/**
 * The signer of this device: its private key, opened with the signed-in session's data key and
 * imported as a non-extractable key that lives in this worker's memory until the vault locks.
 * Throws 'not-signed-in' when the vault is locked, 'decryption-failed' when the stored key does not
 * open (edited on disk).
 */
export async function deviceSigner(db: CasetrailDb, now: () => Date = () => new Date()): Promise<DeviceSigner> {
	const vault = vaultOf(db);
	if (vault) {
		vault.requireUser();
		if (!watched.has(db)) {
			watched.add(db);
			vault.onLock(() => signers.delete(db));
		}
	}
	let pending = signers.get(db);
	if (!pending) {
		pending = openSigner(db, now);
		signers.set(db, pending);
		void pending.catch(() => signers.delete(db));
	}
	return pending;
}

async function openSigner(db: CasetrailDb, now: () => Date): Promise<DeviceSigner> {
	const known = await keyRow(db, now);
	// Read again: a data key rotation (store/users.ts) seals the private key anew, under the new key.
	const row = known.sealedPrivateKey ? ((await guarded(db, () => db.keys.get('device'))) ?? known) : known;
	const sealWith = sealingKey(db);
	// On an encrypted device a key in clear is only ever the legacy key it was upgraded with: any other
	// was written on disk by someone who may hold its private key.
	if (sealWith && !row.sealedPrivateKey && !(row.privateKey && (await guarded(db, () => isMarkedLegacyDeviceKey(db, sealWith, row.deviceId))))) {
		throw new CasetrailError('decryption-failed', 'The device signing key was replaced outside Casetrail: it is not sealed with this device’s data key. Nothing can be signed.');
	}
	if (row.privateKey) return { deviceId: row.deviceId, publicJwk: row.publicJwk, privateKey: row.privateKey };
	let pkcs8: Uint8Array<ArrayBuffer>;
	if (row.sealedPrivateKey) {
		if (!sealWith) throw new CasetrailError('not-signed-in', 'Sign in first: the device key is locked.');
		try {
			// Bound to the device id: a sealed key copied from another device's row does not open here.
			pkcs8 = new Uint8Array(open(sealWith, row.sealedPrivateKey, deviceKeyAad(row.deviceId)));
		} catch {
			throw new CasetrailError('decryption-failed', 'The device signing key does not open with this device’s data key: it was changed outside Casetrail. Nothing can be signed.');
		}
	} else if (row.pkcs8) {
		pkcs8 = new Uint8Array(row.pkcs8);
	} else {
		throw new CasetrailError('storage-failed', 'The device key row holds no private key; nothing can be signed.');
	}
	try {
		const privateKey = await globalThis.crypto.subtle.importKey('pkcs8', pkcs8, ECDSA_P256, false, ['sign']);
		return { deviceId: row.deviceId, publicJwk: row.publicJwk, privateKey };
	} finally {
		pkcs8.fill(0);
	}
}
