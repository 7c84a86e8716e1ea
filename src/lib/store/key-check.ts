/**
 * Whether the signed-in session's data key is still the device's (issue 15): a data key rotation
 * in another tab (store/users.ts, docs/decisions/0007-data-key-rotation.md) replaces it, and a tab
 * that has not noticed yet must not write rows sealed under the old key. Appends and user changes
 * are refused anyway (the head's MAC and the roster move to the new key when a rotation starts);
 * other writers of sealed rows (the rebuild of the records) call this inside their transaction.
 */
import { CasetrailError } from '../core/errors';
import { openText } from '../crypto/seal';
import type { CasetrailDb } from './db';
import { vaultOf } from './vault';

/**
 * The text sealed in meta.vault, which proves a passphrase opened the right data key. Version 2 also
 * says the device keeps a roster and an authenticated head (store/users.ts).
 */
export const VAULT_CHECK = 'casetrail vault v2';
export const VAULT_CHECK_V1 = 'casetrail vault v1';
export const VAULT_CHECK_AAD = 'vault-check';

/**
 * Throws 'not-signed-in' when a data key rotation is under way or the session's key no longer opens
 * the vault check (another tab rotated it). Call it inside a transaction that includes `meta`, before
 * writing sealed rows: nothing in it awaits anything but IndexedDB. Does nothing without a vault.
 */
export async function assertSessionKeyCurrent(db: CasetrailDb): Promise<void> {
	const vault = vaultOf(db);
	if (!vault) return;
	const keys = vault.keys();
	const [rotation, check] = await Promise.all([db.meta.get('rotation'), db.meta.get('vault')]);
	// No vault check at all: a database unlocked without setup (tests, benchmarks); sign-in needs one.
	let current = rotation === undefined;
	if (current && check?.key === 'vault') {
		try {
			const text = openText(keys.seal, check.value.check, VAULT_CHECK_AAD);
			current = text === VAULT_CHECK || text === VAULT_CHECK_V1;
		} catch {
			current = false;
		}
	}
	if (!current) {
		vault.lock();
		throw new CasetrailError('not-signed-in', 'Nothing was changed: the device key was changed in another tab (a user was removed or their role lowered). Sign in again.');
	}
}
