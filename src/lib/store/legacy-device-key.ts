/**
 * Which device key an encrypted device may sign with when the key is not sealed (issue 14). A key
 * made before keys were sealed is a stored CryptoKey that cannot be exported to be sealed; such a
 * device keeps it (docs/decisions/signed-history.md). The first sign-in after the upgrade seals its
 * device id here under the data key, trusting the key the device holds then (store/users.ts); from
 * then on an unsealed key row is accepted only for that device id, so a key row replaced on disk
 * with one whose private key someone else holds signs nothing.
 */
import { openText, sealText, type StorageKeys } from '../crypto/seal';
import type { CasetrailDb } from './db';

const AAD = 'legacy-device-key';

/** Seals, in `db.meta`, that this device's unsealed key of `deviceId` is its own. Run inside a transaction over meta. */
export async function markLegacyDeviceKey(db: CasetrailDb, keys: StorageKeys, deviceId: string): Promise<void> {
	await db.meta.put({ key: 'legacyDeviceKey', value: { sealed: sealText(keys.seal, deviceId, AAD) } });
}

/** True when `deviceId` is the unsealed key this device was upgraded with. */
export async function isMarkedLegacyDeviceKey(db: CasetrailDb, seal: Uint8Array, deviceId: string): Promise<boolean> {
	const row = await db.meta.get('legacyDeviceKey');
	if (row?.key !== 'legacyDeviceKey') return false;
	try {
		return openText(seal, row.value.sealed, AAD) === deviceId;
	} catch {
		return false;
	}
}
