/**
 * This device's identity: an ECDSA P-256 key pair made with WebCrypto the first time it is needed,
 * kept in IndexedDB with the private key non-extractable (IndexedDB stores a CryptoKey itself, so
 * no code, this one included, can ever read its bytes). The device id is the RFC 7638 thumbprint of
 * the public key: it is stamped into every event's metadata and signs every exported checkpoint.
 *
 * WebCrypto runs before the transaction that stores the key, never inside it: an IndexedDB
 * transaction commits as soon as it waits on anything else.
 */
import { deviceIdOf, generateDeviceKeys } from '../core/bundle/checkpoint';
import type { BundleSigner, PublicJwk } from '../core/bundle/types';
import type { CasetrailDb } from '../store/db';
import type { DeviceKeyRow } from '../store/exchange-schema';
import { guarded } from '../store/errors';

/** This device's signer and the id derived from it. */
export interface DeviceIdentity extends BundleSigner {
	deviceId: string;
	publicJwk: PublicJwk;
	createdAt: string;
}

/** How many characters of the device id name it in file names and lists. */
export const SHORT_ID_LENGTH = 8;

/** The first characters of a device id: enough to tell a handful of devices apart at a glance. */
export function shortDeviceId(deviceId: string): string {
	return deviceId.slice(0, SHORT_ID_LENGTH);
}

// One identity per open database; a failed attempt is forgotten so the next call tries again.
const identities = new WeakMap<CasetrailDb, Promise<DeviceIdentity>>();

/**
 * This device's identity, created on first use. Two tabs creating it at once agree: the key is
 * added in a transaction that first looks for one, and the tab that comes second keeps the first
 * tab's key and drops its own.
 */
export function deviceIdentity(db: CasetrailDb, now: () => Date = () => new Date()): Promise<DeviceIdentity> {
	let pending = identities.get(db);
	if (!pending) {
		pending = loadOrCreate(db, now);
		identities.set(db, pending);
		void pending.catch(() => identities.delete(db));
	}
	return pending;
}

async function loadOrCreate(db: CasetrailDb, now: () => Date): Promise<DeviceIdentity> {
	const stored = await guarded(db, () => db.keys.get('device'));
	if (stored) return identityOf(stored);
	const keys = await generateDeviceKeys();
	const candidate: DeviceKeyRow = {
		id: 'device',
		deviceId: await deviceIdOf(keys.publicJwk),
		publicJwk: keys.publicJwk,
		privateKey: keys.privateKey,
		createdAt: now().toISOString()
	};
	const kept = await guarded(db, () =>
		db.transaction('rw', db.keys, async () => {
			const existing = await db.keys.get('device');
			if (existing) return existing;
			await db.keys.add(candidate);
			return candidate;
		})
	);
	return identityOf(kept);
}

function identityOf(row: DeviceKeyRow): DeviceIdentity {
	return { deviceId: row.deviceId, publicJwk: row.publicJwk, privateKey: row.privateKey, createdAt: row.createdAt };
}
