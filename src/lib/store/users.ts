/**
 * The people who use a device: setting it up (the first administrator), adding and managing users,
 * signing in (unwrapping the data key into the vault's memory) and out. Every user holds their own
 * copy of the data key wrapped under their passphrase or PIN (crypto/keys.ts); nothing stored opens
 * without one of them.
 *
 * Key derivation is slow and asynchronous (WebCrypto PBKDF2), so it always runs before the
 * transaction that stores its result, never inside one.
 */
import { assertCan, isRole, type Role, type User } from '../core/access';
import { CasetrailError } from '../core/errors';
import { newGuid } from '../core/event';
import { checkSecret, generateDataKey, unwrapDataKey, wrapDataKey, type SecretKind } from '../crypto/keys';
import { assertPinTryAllowed, freshAttempts, pinFailed, pinWaitMs } from '../crypto/pin';
import { openJson, openText, sealJson, sealText, storageKeys } from '../crypto/seal';
import type { CasetrailDb, UserRow, VaultValue } from './db';
import { guarded } from './errors';
import { vaultOf, type Vault } from './vault';

/** What setup says, once, to the person who sets the device up. */
export const DATA_LOSS_NOTICE =
	'Everything on this device is encrypted with your passphrase and those of the users you add. ' +
	'Nobody can recover the records if every passphrase and PIN is lost: export a bundle regularly, it is the backup.';

/** A user as the sign-in screen shows them, before anything is unlocked. */
export interface UserProfile {
	id: string;
	name: string;
	role: Role;
	secretKind: SecretKind;
	/** Seconds until a PIN may be tried again at the time of reading; 0 when it may now. */
	waitSeconds: number;
}

export interface SetUpResult {
	user: User;
	/** {@link DATA_LOSS_NOTICE}: show it, and offer the export. */
	notice: string;
}

/** What an administrator gives to add a user. */
export interface NewUser {
	name: string;
	role: Role;
	secretKind: SecretKind;
	secret: string;
}

const VAULT_CHECK = 'casetrail vault v1';
const VAULT_CHECK_AAD = 'vault-check';

function requireVault(db: CasetrailDb): Vault {
	const vault = vaultOf(db);
	if (!vault) throw new CasetrailError('storage-failed', 'This database was opened without its vault; open it with openVaultDb.');
	return vault;
}

function profileOf(row: UserRow): User {
	return { id: row.id, name: row.name, role: row.role, createdAt: row.createdAt, createdBy: row.createdBy };
}

function profileAad(id: string): string {
	return `user:${id}`;
}

function checkName(name: string): string {
	const trimmed = typeof name === 'string' ? name.trim() : '';
	if (trimmed.length === 0 || trimmed.length > 100) {
		const problem = 'A user needs a name of 1 to 100 characters.';
		throw new CasetrailError('validation-failed', problem, { name: problem });
	}
	return trimmed;
}

function checkRole(role: unknown): Role {
	if (!isRole(role)) {
		const problem = 'A role is administrator, supervisor or case-worker.';
		throw new CasetrailError('validation-failed', problem, { role: problem });
	}
	return role;
}

/** The stored row of a new user, with the data key wrapped for them. Slow: derives a key. */
async function makeRow(dataKey: Uint8Array, profile: User, secretKind: SecretKind, secret: string): Promise<UserRow> {
	const key = await wrapDataKey(dataKey, secret, profile.id);
	return { ...profile, secretKind, key, attempts: freshAttempts(), profile: sealJson(storageKeys(dataKey).seal, profile, profileAad(profile.id)) };
}

/** True once the device has its first administrator. */
export async function isSetUp(db: CasetrailDb): Promise<boolean> {
	return guarded(db, async () => (await db.users.count()) > 0);
}

/** Every user of the device, for the sign-in screen, by name. Needs no session. */
export async function listProfiles(db: CasetrailDb, now: number = Date.now()): Promise<UserProfile[]> {
	return guarded(db, async () => {
		const rows = await db.users.toArray();
		return rows
			.map((row) => ({
				id: row.id,
				name: row.name,
				role: row.role,
				secretKind: row.secretKind,
				waitSeconds: row.secretKind === 'pin' ? Math.ceil(pinWaitMs(row.attempts, now) / 1000) : 0
			}))
			.sort((a, b) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1));
	});
}

/**
 * Sets the device up: makes its data key and its first administrator, who is then signed in.
 * Throws 'already-set-up' when the device has users (also when another tab set it up first) and
 * 'validation-failed' for a weak passphrase. The result carries {@link DATA_LOSS_NOTICE}.
 */
export async function setUp(db: CasetrailDb, admin: { name: string; passphrase: string }, now: Date = new Date()): Promise<SetUpResult> {
	const vault = requireVault(db);
	const name = checkName(admin.name);
	checkSecret('passphrase', admin.passphrase);
	if (await isSetUp(db)) throw alreadySetUp();
	const dataKey = generateDataKey();
	const id = newGuid();
	const user: User = { id, name, role: 'administrator', createdAt: now.toISOString(), createdBy: id };
	const row = await makeRow(dataKey, user, 'passphrase', admin.passphrase);
	const check: VaultValue = { check: sealText(storageKeys(dataKey).seal, VAULT_CHECK, VAULT_CHECK_AAD) };
	await guarded(db, () =>
		db.transaction('rw', [db.users, db.meta], async () => {
			// Read inside the transaction: two tabs setting up at once, only the first one wins.
			if ((await db.users.count()) > 0 || (await db.meta.get('vault'))) throw alreadySetUp();
			await db.users.add(row);
			await db.meta.put({ key: 'vault', value: check });
		})
	);
	vault.unlock(user, dataKey, now.getTime());
	return { user, notice: DATA_LOSS_NOTICE };
}

function alreadySetUp(): CasetrailError {
	return new CasetrailError('already-set-up', 'This device is already set up. Sign in, or ask an administrator to add you.');
}

/**
 * Signs `userId` in with their passphrase or PIN: unwraps the data key into the vault's memory and
 * returns the user. Throws 'not-found' for an unknown user, 'rate-limited' when a PIN is tried too
 * soon after wrong ones, 'wrong-passphrase' (and, for a PIN, counts the try), and
 * 'decryption-failed' when the key or the profile was changed on disk.
 */
export async function signIn(db: CasetrailDb, userId: string, secret: string, now: number = Date.now()): Promise<User> {
	const vault = requireVault(db);
	const row = await guarded(db, () => db.users.get(userId));
	if (!row) throw new CasetrailError('not-found', 'There is no such user on this device.');
	if (row.secretKind === 'pin') assertPinTryAllowed(row.attempts, now);
	let dataKey: Uint8Array;
	try {
		dataKey = await unwrapDataKey(row.key, secret, row.id);
	} catch (e) {
		if (row.secretKind === 'pin' && e instanceof CasetrailError && e.code === 'wrong-passphrase') await recordPinFailure(db, userId, now);
		throw e;
	}
	const vaultRow = await guarded(db, () => db.meta.get('vault'));
	const keys = storageKeys(dataKey);
	const damaged = () => new CasetrailError('decryption-failed', `The profile of ${row.name} was changed outside Casetrail, so it cannot sign in. Another administrator can remove and add it again.`);
	try {
		if (!vaultRow || vaultRow.key !== 'vault' || openText(keys.seal, vaultRow.value.check, VAULT_CHECK_AAD) !== VAULT_CHECK) throw damaged();
		const sealed = openJson<User>(keys.seal, row.profile, profileAad(row.id));
		const stored = profileOf(row);
		if (sealed.id !== stored.id || sealed.name !== stored.name || sealed.role !== stored.role || sealed.createdAt !== stored.createdAt || sealed.createdBy !== stored.createdBy) throw damaged();
	} catch (e) {
		throw e instanceof CasetrailError && e.code === 'decryption-failed' ? damaged() : e;
	}
	if (row.attempts.failures !== 0) await guarded(db, () => db.users.update(userId, { attempts: freshAttempts() }));
	const user = profileOf(row);
	vault.unlock(user, dataKey, now);
	return user;
}

/** Counts a wrong PIN in its own transaction, reading the count there so two tabs both count. */
async function recordPinFailure(db: CasetrailDb, userId: string, now: number): Promise<void> {
	await guarded(db, () =>
		db.transaction('rw', db.users, async () => {
			const row = await db.users.get(userId);
			if (row) await db.users.update(userId, { attempts: pinFailed(row.attempts, now) });
		})
	);
}

/** Signs out: the data key and the user are forgotten; the records are locked until the next sign-in. */
export function signOut(db: CasetrailDb): void {
	requireVault(db).lock();
}

/** The signed-in user, or undefined. */
export function currentUser(db: CasetrailDb): User | undefined {
	return vaultOf(db)?.user();
}

/**
 * Adds a user (administrators only, 'forbidden' otherwise) with the data key wrapped under their
 * passphrase or PIN. Returns the new user.
 */
export async function addUser(db: CasetrailDb, input: NewUser, now: Date = new Date()): Promise<User> {
	const vault = requireVault(db);
	const actor = assertCan(vault.user(), 'manage-users');
	const name = checkName(input.name);
	const role = checkRole(input.role);
	checkSecret(input.secretKind, input.secret);
	const user: User = { id: newGuid(), name, role, createdAt: now.toISOString(), createdBy: actor.id };
	const row = await makeRow(vault.dataKey(), user, input.secretKind, input.secret);
	await guarded(db, () => db.users.add(row));
	return user;
}

/** Administrators left if `id` stopped being one. */
async function otherAdministrators(db: CasetrailDb, id: string): Promise<number> {
	return (await db.users.toArray()).filter((row) => row.role === 'administrator' && row.id !== id).length;
}

/**
 * Changes a user's name or role (administrators only). Refuses to leave the device without an
 * administrator ('forbidden').
 */
export async function updateUser(db: CasetrailDb, id: string, change: { name?: string; role?: Role }): Promise<User> {
	const vault = requireVault(db);
	assertCan(vault.user(), 'manage-users');
	const name = change.name === undefined ? undefined : checkName(change.name);
	const role = change.role === undefined ? undefined : checkRole(change.role);
	const keys = vault.keys();
	const user = await guarded(db, () =>
		db.transaction('rw', db.users, async () => {
			const row = await db.users.get(id);
			if (!row) throw new CasetrailError('not-found', 'There is no such user on this device.');
			if (role !== undefined && role !== 'administrator' && row.role === 'administrator' && (await otherAdministrators(db, id)) === 0) {
				throw new CasetrailError('forbidden', 'This is the last administrator of the device: make another user an administrator first.');
			}
			const next: User = { ...profileOf(row), ...(name !== undefined ? { name } : {}), ...(role !== undefined ? { role } : {}) };
			await db.users.put({ ...row, ...next, profile: sealJson(keys.seal, next, profileAad(id)) });
			return next;
		})
	);
	vault.refreshUser(user);
	return user;
}

/**
 * Removes a user's profile and their copy of the data key (administrators only). Their events stay
 * in the log. Refuses to remove the signed-in user or the last administrator ('forbidden').
 */
export async function removeUser(db: CasetrailDb, id: string): Promise<void> {
	const vault = requireVault(db);
	const actor = assertCan(vault.user(), 'manage-users');
	if (actor.id === id) throw new CasetrailError('forbidden', 'You cannot remove your own profile; another administrator can.');
	await guarded(db, () =>
		db.transaction('rw', db.users, async () => {
			const row = await db.users.get(id);
			if (!row) throw new CasetrailError('not-found', 'There is no such user on this device.');
			if (row.role === 'administrator' && (await otherAdministrators(db, id)) === 0) {
				throw new CasetrailError('forbidden', 'This is the last administrator of the device.');
			}
			await db.users.delete(id);
		})
	);
}

/**
 * Gives a user a new passphrase or PIN. The signed-in user changes their own after proving the
 * current one (`current`, else 'wrong-passphrase'); an administrator resets another user's without
 * it (anyone else gets 'forbidden').
 * Clears the wrong-PIN count.
 */
export async function changeSecret(db: CasetrailDb, input: { userId: string; secretKind: SecretKind; secret: string; current?: string }): Promise<void> {
	const vault = requireVault(db);
	const actor = vault.requireUser();
	const own = actor.id === input.userId;
	if (!own) assertCan(actor, 'manage-users');
	checkSecret(input.secretKind, input.secret);
	const row = await guarded(db, () => db.users.get(input.userId));
	if (!row) throw new CasetrailError('not-found', 'There is no such user on this device.');
	if (own) {
		// Proves the person at the device knows the current secret, not only that the device is unlocked.
		await unwrapDataKey(row.key, input.current ?? '', row.id);
	}
	const key = await wrapDataKey(vault.dataKey(), input.secret, row.id);
	await guarded(db, () => db.users.update(row.id, { key, secretKind: input.secretKind, attempts: freshAttempts() }));
}
