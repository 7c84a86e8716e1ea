/**
 * The people who use a device: setting it up (the first administrator), adding and managing users,
 * signing in (unwrapping the data key into the vault's memory) and out. Every user holds an ECDH key
 * pair whose private key is wrapped under their passphrase, and the data key wrapped to its public
 * key (crypto/keys.ts; rows from before hold the data key under the passphrase until their next
 * sign-in); nothing stored opens without one of them. Removing a user or lowering a role rotates
 * the data key (docs/decisions/0007-data-key-rotation.md).
 *
 * Key derivation is slow and asynchronous (WebCrypto PBKDF2), so it always runs before the
 * transaction that stores its result, never inside one.
 */
import { assertCan, isRole, type Role, type User } from '../core/access';
import { CasetrailError } from '../core/errors';
import { newGuid } from '../core/event';
import {
	checkSecret,
	generateDataKey,
	makeUserKeyPair,
	openPrivateKey,
	unwrapDataKey,
	unwrapFromPublicSlot,
	wrapToPublicKey,
	type PublicSlot,
	type SecretKind,
	type UserKeyPair
} from '../crypto/keys';
import { freshAttempts } from '../crypto/pin';
import { open, openJson, openText, seal, sealJson, sealText, storageKeys, type StorageKeys } from '../crypto/seal';
import type { CasetrailDb, RosterValue, UserRow, VaultValue } from './db';
import { deviceKeyAad } from './exchange-schema';
import { guarded } from './errors';
import { equalBytes } from '../core/encoding';
import { adoptHead, headAuthenticity } from './head-mac';
import { assertSessionKeyCurrent, VAULT_CHECK, VAULT_CHECK_AAD, VAULT_CHECK_V1 } from './key-check';
import { firstCursor, openCursor, resealAll, rowsToReseal, sealCursor, type ProgressListener } from './rotation';
import { isMarkedLegacyDeviceKey, markLegacyDeviceKey } from './legacy-device-key';
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
	/**
	 * What unlocks now: 'pin' for the user holding this tab's quick unlock (worker/quick-unlock.ts),
	 * else 'passphrase'. A row stored with a PIN slot by an older build says 'pin' here too; it no
	 * longer signs in ('passphrase-required').
	 */
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

// The vault check (meta.vault): store/key-check.ts. Version 1 is a device set up before rosters and
// head MACs; its next sign-in makes both, trusted on that first use, and seals version 2 (which
// nobody without the data key can turn back into version 1).

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

/**
 * Every key slot opens with a passphrase: a slot under a PIN would be the weakest way into the whole
 * device for someone holding a copy of it (issue 15). A PIN is set after signing in, as a quick
 * unlock (worker/quick-unlock.ts).
 */
function checkSlotKind(kind: SecretKind): void {
	if (kind !== 'passphrase') {
		const problem = 'Every user signs in with a passphrase. A case worker can then set a PIN to unlock quickly on this device.';
		throw new CasetrailError('validation-failed', problem, { secretKind: problem });
	}
}

function checkRole(role: unknown): Role {
	if (!isRole(role)) {
		const problem = 'A role is administrator, supervisor or case-worker.';
		throw new CasetrailError('validation-failed', problem, { role: problem });
	}
	return role;
}

/** The stored row of a new user (profile version 1), with a key pair and the data key wrapped to it. Slow: derives a key. */
async function makeRow(dataKey: Uint8Array, profile: User, secretKind: SecretKind, secret: string): Promise<UserRow> {
	const pair = await makeUserKeyPair(dataKey, secret, profile.id);
	return { ...profile, secretKind, pair, attempts: freshAttempts(), profile: sealProfile(storageKeys(dataKey).seal, profile, 1) };
}

/** `row` with `pair` and without a legacy passphrase slot. */
function withPair(row: UserRow, pair: UserKeyPair): UserRow {
	const { key: _legacy, ...rest } = row;
	return { ...rest, pair };
}

/**
 * The data key of `row` opened with `secret`, and during a rotation the next one: through the key
 * pair, or the legacy passphrase slot of a row not yet migrated. Throws as the unwrapping does.
 */
async function openSlots(row: UserRow, secret: string): Promise<{ dataKey: Uint8Array; next: Uint8Array | undefined; legacy: boolean }> {
	if (row.pair) {
		const privateKey = await openPrivateKey(row.pair, secret, row.id);
		const dataKey = await unwrapFromPublicSlot(row.pair.dataKey, privateKey, row.pair.publicKey, row.id);
		const next = row.pair.next ? await unwrapFromPublicSlot(row.pair.next, privateKey, row.pair.publicKey, row.id) : undefined;
		return { dataKey, next, legacy: false };
	}
	if (row.key) return { dataKey: await unwrapDataKey(row.key, secret, row.id), next: undefined, legacy: true };
	throw new CasetrailError('decryption-failed', `The stored key of ${row.name} is missing; an administrator can set them a new passphrase.`);
}

// ---------------------------------------------------------------------------------------------
// Profile versions (issue 15): every change of a user's row (role, name, secret) bumps the version
// sealed in the row and in the roster, and removing a user drops them from the roster, so a row
// copied before and put back on disk is refused at sign-in, and the tabs where that user is signed
// in end their session (revalidateSession). A removal or a demotion also rotates the data key
// (rotateIfDue below, docs/decisions/0007-data-key-rotation.md), so a copy of the row and the
// passphrase no longer open what the device stores.

const ROSTER_AAD = 'roster';

/**
 * User id -> current profile version; and {@link ROTATION_DUE} when a removal or a demotion has not
 * yet been followed by a data key rotation (sealed with the roster, so it cannot be dropped alone).
 */
type Roster = Record<string, number>;

/** The roster entry that says a data key rotation is due. Not a guid, so never a user id. */
const ROTATION_DUE = '$rotate';

/** A profile as sealed in its row: the user and the version of the row. */
type SealedProfile = User & { version?: number };

function sealProfile(seal: Uint8Array, user: User, version: number): Uint8Array {
	const sealed: SealedProfile = { ...user, version };
	return sealJson(seal, sealed, profileAad(user.id));
}

/** The user and version sealed in `row`; 'decryption-failed' when it does not open or disagrees with the clear fields. */
function openProfile(keys: StorageKeys, row: UserRow): { user: User; version: number } {
	const sealed = openJson<SealedProfile>(keys.seal, row.profile, profileAad(row.id));
	const stored = profileOf(row);
	if (sealed.id !== stored.id || sealed.name !== stored.name || sealed.role !== stored.role || sealed.createdAt !== stored.createdAt || sealed.createdBy !== stored.createdBy) {
		throw new CasetrailError('decryption-failed', 'A user profile does not match its sealed copy.');
	}
	// Rows sealed before profiles had versions are version 0.
	const version = Number.isSafeInteger(sealed.version) ? (sealed.version as number) : 0;
	return { user: stored, version };
}

function sealRoster(keys: StorageKeys, roster: Roster): RosterValue {
	return { sealed: sealJson(keys.seal, roster, ROSTER_AAD) };
}

/**
 * The roster, opened. Every device signed in since rosters has one (the first sign-in made it), so
 * a missing roster was removed on disk: 'decryption-failed', as for one that does not open.
 */
async function readRoster(db: CasetrailDb, keys: StorageKeys): Promise<Roster> {
	const row = await db.meta.get('roster');
	try {
		if (!row || row.key !== 'roster') throw new CasetrailError('decryption-failed', 'no roster');
		return openJson<Roster>(keys.seal, row.value.sealed, ROSTER_AAD);
	} catch (e) {
		if (!(e instanceof CasetrailError && e.code === 'decryption-failed')) throw e;
		// A session whose key another tab's rotation replaced: 'not-signed-in' (sign in again), not an edit.
		const vault = vaultOf(db);
		if (vault?.isUnlocked() && vault.keys() === keys) await assertSessionKeyCurrent(db);
		throw new CasetrailError(
			'decryption-failed',
			'The list of this device’s users was removed or changed outside Casetrail, so nobody can sign in on it. Its records are in the bundles it exported.'
		);
	}
}

/**
 * The roster of a device set up before rosters: the versions of the rows it holds now, trusted on
 * first use (the first sign-in after the upgrade). Rows that do not open are left out.
 */
function rosterOfRows(keys: StorageKeys, rows: readonly UserRow[]): Roster {
	const roster: Roster = {};
	for (const row of rows) {
		try {
			roster[row.id] = openProfile(keys, row).version;
		} catch {
			// A damaged row stays out: it cannot sign in anyway.
		}
	}
	return roster;
}

function revoked(name: string): CasetrailError {
	return new CasetrailError('profile-revoked', `${name} is not a current user of this device: the profile was removed or replaced. An administrator can add them again.`);
}

/**
 * Checks the signed-in user of `db`'s vault against their stored row and the roster, as another
 * tab may have removed them or changed their role: a removed user, or one whose row no longer
 * opens or is not the roster's version, is signed out; a changed name or role takes effect. Returns
 * the user still signed in, or undefined.
 */
export async function revalidateSession(db: CasetrailDb): Promise<User | undefined> {
	const vault = requireVault(db);
	const signedIn = vault.user();
	if (!signedIn) return undefined;
	const keys = vault.keys();
	try {
		const [row, roster] = await guarded(db, async () => [await db.users.get(signedIn.id), await readRoster(db, keys)] as const);
		if (!row) throw revoked(signedIn.name);
		const { user, version } = openProfile(keys, row);
		if (roster[user.id] !== version) throw revoked(user.name);
		vault.refreshUser(user);
		return user;
	} catch (e) {
		if (e instanceof CasetrailError && (e.code === 'profile-revoked' || e.code === 'decryption-failed' || e.code === 'not-signed-in')) {
			vault.lock();
			return undefined;
		}
		throw e;
	}
}

/**
 * The current profile of `userId` as `dataKey` opens it, for a quick unlock (worker/quick-unlock.ts),
 * which checks it before unlocking anything: 'key-changed' when `dataKey` is no longer the device's
 * (a rotation since the PIN was set), 'revoked' when the user was removed or their row replaced.
 */
export async function currentProfile(db: CasetrailDb, dataKey: Uint8Array, userId: string): Promise<{ user: User } | 'key-changed' | 'revoked'> {
	const keys = storageKeys(dataKey);
	const [vaultRow, row] = await guarded(db, async () => [await db.meta.get('vault'), await db.users.get(userId)] as const);
	if (!row || vaultRow?.key !== 'vault') return 'revoked';
	try {
		if (openText(keys.seal, vaultRow.value.check, VAULT_CHECK_AAD) !== VAULT_CHECK) return 'key-changed';
	} catch {
		return 'key-changed';
	}
	try {
		const { user, version } = openProfile(keys, row);
		return (await guarded(db, () => readRoster(db, keys)))[user.id] === version ? { user } : 'revoked';
	} catch (e) {
		if (e instanceof CasetrailError && e.code === 'decryption-failed') return 'revoked';
		throw e;
	}
}

/** True once the device has its first administrator. */
export async function isSetUp(db: CasetrailDb): Promise<boolean> {
	return guarded(db, async () => (await db.users.count()) > 0);
}

/** Every user of the device, for the sign-in screen, by name, as stored. Needs no session. */
export async function listProfiles(db: CasetrailDb): Promise<UserProfile[]> {
	return guarded(db, async () => {
		const rows = await db.users.toArray();
		return rows
			.map((row) => ({ id: row.id, name: row.name, role: row.role, secretKind: row.secretKind, waitSeconds: 0 }))
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
	const roster = sealRoster(storageKeys(dataKey), { [id]: 1 });
	await guarded(db, () =>
		db.transaction('rw', [db.users, db.meta], async () => {
			// Read inside the transaction: two tabs setting up at once, only the first one wins.
			if ((await db.users.count()) > 0 || (await db.meta.get('vault'))) throw alreadySetUp();
			await db.users.add(row);
			await db.meta.put({ key: 'vault', value: check });
			await db.meta.put({ key: 'roster', value: roster });
		})
	);
	vault.unlock(user, dataKey, now.getTime());
	return { user, notice: DATA_LOSS_NOTICE };
}

function alreadySetUp(): CasetrailError {
	return new CasetrailError('already-set-up', 'This device is already set up. Sign in, or ask an administrator to add you.');
}

/** What a sign-in or a user change that may rotate the data key accepts. */
export interface RotationOptions {
	/** Told after each committed chunk of a rotation (store/rotation.ts). */
	onProgress?: ProgressListener | undefined;
	/** Rows per transaction (tests make it small). */
	chunk?: number | undefined;
}

/**
 * Signs `userId` in with their passphrase: unwraps the data key into the vault's memory and returns
 * the user. Throws 'not-found' for an unknown user, 'passphrase-required' for a row an older build
 * stored with a PIN slot, 'wrong-passphrase', 'decryption-failed' when the key or the profile was
 * changed on disk and 'profile-revoked' for a row that is not the user's current one. (A PIN is a
 * quick unlock held in the worker's memory: worker/quick-unlock.ts.)
 *
 * A row stored before key pairs gets one now (its passphrase is at hand). A data key rotation that
 * was interrupted is finished first, and one that was waiting for this user's key pair runs after
 * (docs/decisions/0007-data-key-rotation.md), reporting to `options.onProgress`.
 */
export async function signIn(db: CasetrailDb, userId: string, secret: string, now: number = Date.now(), options: RotationOptions = {}): Promise<User> {
	const vault = requireVault(db);
	let row = await guarded(db, () => db.users.get(userId));
	if (!row) throw new CasetrailError('not-found', 'There is no such user on this device.');
	// A slot an older build wrapped under a PIN is never tried: its PIN falls to an offline guess, so
	// it must not open the device either (issue 15). An administrator sets a passphrase instead.
	if (row.secretKind === 'pin') throw new CasetrailError('passphrase-required', `${row.name} signed in with a PIN, which no longer opens this device: ask an administrator to set a passphrase.`);
	const opened = await openSlots(row, secret);
	let dataKey = opened.dataKey;
	const name = row.name;
	const damaged = () => new CasetrailError('decryption-failed', `The profile of ${name} was changed outside Casetrail, so it cannot sign in. Another administrator can remove and add it again.`);
	const checkVault = async (key: Uint8Array): Promise<boolean> => {
		const vaultRow = await guarded(db, () => db.meta.get('vault'));
		let check: string | undefined;
		try {
			check = vaultRow?.key === 'vault' ? openText(storageKeys(key).seal, vaultRow.value.check, VAULT_CHECK_AAD) : undefined;
		} catch (e) {
			throw e instanceof CasetrailError && e.code === 'decryption-failed' ? damaged() : e;
		}
		if (check !== VAULT_CHECK && check !== VAULT_CHECK_V1) throw damaged();
		return check === VAULT_CHECK_V1;
	};
	// A rotation under way (interrupted, or running in another tab): finish it with both keys.
	const rotation = await guarded(db, () => db.meta.get('rotation'));
	if (rotation?.key === 'rotation') {
		// Only rows that were current when it started hold the next key: anyone else is not a current user.
		if (!opened.next) throw revoked(row.name);
		await checkVault(dataKey);
		try {
			openCursor(storageKeys(opened.next), rotation.value);
		} catch {
			throw damaged();
		}
		await resealAll(db, dataKey, opened.next, options);
		await finishRotation(db, dataKey, opened.next);
		dataKey = opened.next;
		row = await guarded(db, () => db.users.get(userId));
		if (!row) throw revoked(name);
	} else if (opened.next) {
		// A rotation finished by another tab after this row was read: the next key is the current one.
		dataKey = opened.next;
	}
	const keys = storageKeys(dataKey);
	let version: number;
	let upgrade: boolean;
	try {
		upgrade = await checkVault(dataKey);
		version = openProfile(keys, row).version;
	} catch (e) {
		throw e instanceof CasetrailError && e.code === 'decryption-failed' ? damaged() : e;
	}
	// The row must be the current version of a current user: not a removed user's row put back, nor a
	// copy from before a role change. A device set up before rosters and head MACs makes both now, and
	// seals the id of a legacy signing key it holds (legacy-device-key.ts).
	const roster = await guarded(db, () =>
		db.transaction('rw', [db.users, db.meta, db.keys], async () => {
			if (!upgrade) return readRoster(db, keys);
			const made = rosterOfRows(keys, await db.users.toArray());
			const device = await db.keys.get('device');
			if (device?.privateKey) await markLegacyDeviceKey(db, keys, device.deviceId);
			const head = await db.meta.get('head');
			if (head?.key === 'head') await db.meta.put({ key: 'head', value: adoptHead(dataKey, head.value) });
			await db.meta.put({ key: 'roster', value: sealRoster(keys, made) });
			await db.meta.put({ key: 'vault', value: { check: sealText(keys.seal, VAULT_CHECK, VAULT_CHECK_AAD) } });
			return made;
		})
	);
	if (roster[row.id] !== version) throw revoked(row.name);
	if (opened.legacy) {
		// Migration: the passphrase is at hand once, to give this row its key pair (same profile version).
		const pair = await makeUserKeyPair(dataKey, secret, row.id);
		await guarded(db, () =>
			db.transaction('rw', [db.users, db.meta], async () => {
				const current = await db.users.get(userId);
				if (!current || current.pair || !current.key) return;
				await db.users.put(withPair(current, pair));
			})
		);
	}
	const user = profileOf(row);
	vault.unlock(user, dataKey, now);
	if (roster[ROTATION_DUE] !== undefined) {
		try {
			await rotateIfDue(db, options);
		} catch (e) {
			// Failed before it started: still due, tried again at the next sign-in; this one stands.
			// Failed after (the session was locked): the next sign-in finishes it.
			if (!vault.isUnlocked()) throw e;
		}
	}
	return user;
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
	checkSlotKind(input.secretKind);
	checkSecret(input.secretKind, input.secret);
	const user: User = { id: newGuid(), name, role, createdAt: now.toISOString(), createdBy: actor.id };
	const row = await makeRow(vault.dataKey(), user, input.secretKind, input.secret);
	const keys = vault.keys();
	await guarded(db, () =>
		db.transaction('rw', [db.users, db.meta], async () => {
			const roster = await readRoster(db, keys);
			await db.users.add(row);
			await db.meta.put({ key: 'roster', value: sealRoster(keys, { ...roster, [user.id]: 1 }) });
		})
	);
	return user;
}

/** Administrators left if `id` stopped being one. */
async function otherAdministrators(db: CasetrailDb, id: string): Promise<number> {
	return (await db.users.toArray()).filter((row) => row.role === 'administrator' && row.id !== id).length;
}

const RANK: Readonly<Record<Role, number>> = { 'case-worker': 1, supervisor: 2, administrator: 3 };

/** What became of the data key rotation a removal, a demotion or a sign-in made due. */
export interface RotationOutcome {
	/** True when the data key was rotated (or no rotation was due). */
	rotated: boolean;
	/**
	 * The users whose rows have no key pair yet (not signed in since the update): the rotation waits
	 * until each has signed in once, or an administrator has set them a new passphrase.
	 */
	waitingFor: string[];
	/** Rows re-sealed under the new key by this call (0 when nothing was rotated). */
	resealed: number;
}

/**
 * Changes a user's name or role (administrators only). Refuses to leave the device without an
 * administrator ('forbidden'). Lowering a role rotates the data key (see {@link rotateIfDue}).
 */
export async function updateUser(db: CasetrailDb, id: string, change: { name?: string; role?: Role }, options: RotationOptions = {}): Promise<User & { rotation?: RotationOutcome }> {
	const vault = requireVault(db);
	assertCan(vault.user(), 'manage-users');
	const name = change.name === undefined ? undefined : checkName(change.name);
	const role = change.role === undefined ? undefined : checkRole(change.role);
	const keys = vault.keys();
	const { user, demoted } = await guarded(db, () =>
		db.transaction('rw', [db.users, db.meta], async () => {
			const row = await db.users.get(id);
			if (!row) throw new CasetrailError('not-found', 'There is no such user on this device.');
			if (role !== undefined && role !== 'administrator' && row.role === 'administrator' && (await otherAdministrators(db, id)) === 0) {
				throw new CasetrailError('forbidden', 'This is the last administrator of the device: make another user an administrator first.');
			}
			const next: User = { ...profileOf(row), ...(name !== undefined ? { name } : {}), ...(role !== undefined ? { role } : {}) };
			const lowered = RANK[next.role] < RANK[row.role];
			const roster = await readRoster(db, keys);
			const version = (roster[id] ?? 0) + 1;
			await db.users.put({ ...row, ...next, profile: sealProfile(keys.seal, next, version) });
			// The demotion and the rotation it makes due are one change: an interruption leaves it due.
			await db.meta.put({ key: 'roster', value: sealRoster(keys, { ...roster, [id]: version, ...(lowered ? { [ROTATION_DUE]: 1 } : {}) }) });
			return { user: next, demoted: lowered };
		})
	);
	vault.refreshUser(user);
	if (!demoted) return user;
	return { ...user, rotation: await rotateIfDue(db, options) };
}

/**
 * Removes a user's profile and their copy of the data key (administrators only), then rotates the
 * data key so that a copy of their row no longer opens anything stored from now on (see
 * {@link rotateIfDue}). Their events stay in the log. Refuses to remove the signed-in user or the
 * last administrator ('forbidden').
 */
export async function removeUser(db: CasetrailDb, id: string, options: RotationOptions = {}): Promise<RotationOutcome> {
	const vault = requireVault(db);
	const actor = assertCan(vault.user(), 'manage-users');
	if (actor.id === id) throw new CasetrailError('forbidden', 'You cannot remove your own profile; another administrator can.');
	const keys = vault.keys();
	await guarded(db, () =>
		db.transaction('rw', [db.users, db.meta], async () => {
			const row = await db.users.get(id);
			if (!row) throw new CasetrailError('not-found', 'There is no such user on this device.');
			if (row.role === 'administrator' && (await otherAdministrators(db, id)) === 0) {
				throw new CasetrailError('forbidden', 'This is the last administrator of the device.');
			}
			const roster = await readRoster(db, keys);
			delete roster[id];
			await db.users.delete(id);
			await db.meta.put({ key: 'roster', value: sealRoster(keys, { ...roster, [ROTATION_DUE]: 1 }) });
		})
	);
	return rotateIfDue(db, options);
}

/**
 * Runs the data key rotation a removal or a demotion made due (issue 15,
 * docs/decisions/0007-data-key-rotation.md), with the signed-in session's key:
 *
 * 1. a new data key is wrapped to the public key of every remaining user (no passphrase needed);
 * 2. one transaction stores those wraps beside the current ones (`pair.next`), seals the roster,
 *    the profiles and the head's MAC under the new key and writes `meta.rotation` (so from here
 *    other tabs' appends and user changes are refused, and their sessions end);
 * 3. every sealed row is re-sealed, a chunk per transaction, recording its progress;
 * 4. one transaction seals the vault check and the device signing key under the new key, makes the
 *    next wraps the current ones (dropping the old) and removes `meta.rotation`;
 * 5. this tab's session continues under the new key.
 *
 * An interruption anywhere leaves the device openable: before step 2 the rotation is still due, after
 * it every remaining user's row opens both keys and the next sign-in finishes the rotation.
 *
 * When a remaining user's row has no key pair yet (not signed in since key pairs), nothing is
 * rotated: the rotation stays due, and runs at the sign-in that gives the last of them a key pair
 * (or after an administrator sets them a new passphrase). Their names are returned in `waitingFor`.
 */
export async function rotateIfDue(db: CasetrailDb, options: RotationOptions = {}): Promise<RotationOutcome> {
	const vault = requireVault(db);
	const actor = vault.requireUser();
	const oldKey = new Uint8Array(vault.dataKey());
	const oldKeys = storageKeys(oldKey);
	const [rows, roster] = await guarded(db, async () => [await db.users.toArray(), await readRoster(db, oldKeys)] as const);
	if (roster[ROTATION_DUE] === undefined) return { rotated: true, waitingFor: [], resealed: 0 };
	const waiting = rows.filter((r) => !r.pair);
	if (waiting.length > 0) return { rotated: false, waitingFor: waiting.map((r) => r.name).sort((a, b) => a.localeCompare(b)), resealed: 0 };
	const newKey = generateDataKey();
	const newKeys = storageKeys(newKey);
	// WebCrypto before the transaction: the new key wrapped to every remaining user's public key.
	const nexts = new Map<string, PublicSlot>();
	for (const r of rows) nexts.set(r.id, await wrapToPublicKey(newKey, (r.pair as UserKeyPair).publicKey, r.id));
	const total = await guarded(db, () => rowsToReseal(db));
	const started = await guarded(db, () =>
		db.transaction('rw', [db.users, db.meta], async () => {
			const current = await readRoster(db, oldKeys);
			if (current[ROTATION_DUE] === undefined || (await db.meta.get('rotation'))) return false;
			const stored = await db.users.toArray();
			const same = stored.length === rows.length && stored.every((r) => r.pair && nexts.has(r.id) && rows.some((o) => o.id === r.id && o.pair && equalBytes(o.pair.publicKey, (r.pair as UserKeyPair).publicKey)));
			if (!same) throw new CasetrailError('storage-failed', 'Nothing was changed: the users changed while the device key was being changed; try again.');
			const head = await db.meta.get('head');
			if (head?.key === 'head') {
				if ((await headAuthenticity(db, head.value)) === 'forged') {
					// Re-sealing would give an edited head a valid MAC: the rotation waits for a sound log.
					throw new CasetrailError(
						'history-inconsistent',
						'The device key was not changed: the head of the log was changed in the device storage without this device’s key. Any removal or role change already made stands; a supervisor runs the integrity check, and the key is changed at a sign-in once the log passes it.'
					);
				}
				await db.meta.put({ key: 'head', value: adoptHead(newKey, head.value) });
			}
			for (const r of stored) {
				let profile: { user: User; version: number };
				try {
					profile = openProfile(oldKeys, r);
				} catch {
					// A row damaged on disk cannot sign in now; it gets no new key and stays as it is.
					continue;
				}
				await db.users.put({ ...r, pair: { ...(r.pair as UserKeyPair), next: nexts.get(r.id) as PublicSlot }, profile: sealProfile(newKeys.seal, profile.user, profile.version) });
			}
			const { [ROTATION_DUE]: _due, ...rest } = current;
			await db.meta.put({ key: 'roster', value: sealRoster(newKeys, rest) });
			await db.meta.put({ key: 'rotation', value: sealCursor(newKeys, firstCursor(total)) });
			return true;
		})
	);
	if (!started) return { rotated: true, waitingFor: [], resealed: 0 };
	try {
		await resealAll(db, oldKey, newKey, options);
		await finishRotation(db, oldKey, newKey);
	} catch (e) {
		// The session's key is no longer the roster's: this tab signs in again, which finishes it.
		vault.lock();
		throw e;
	}
	vault.unlock(actor, newKey);
	oldKey.fill(0);
	return { rotated: true, waitingFor: [], resealed: total };
}

/**
 * The last step of a rotation (every row already re-sealed): the vault check and the device signing
 * key under the new key, the next wraps made current, `meta.rotation` removed. Does nothing when
 * another tab finished it first.
 */
async function finishRotation(db: CasetrailDb, oldKey: Uint8Array, newKey: Uint8Array): Promise<void> {
	const oldKeys = storageKeys(oldKey);
	const newKeys = storageKeys(newKey);
	await guarded(db, () =>
		db.transaction('rw', [db.users, db.meta, db.keys], async () => {
			if (!(await db.meta.get('rotation'))) return;
			await db.meta.put({ key: 'vault', value: { check: sealText(newKeys.seal, VAULT_CHECK, VAULT_CHECK_AAD) } });
			const device = await db.keys.get('device');
			if (device?.sealedPrivateKey) {
				try {
					const pkcs8 = open(oldKeys.seal, device.sealedPrivateKey, deviceKeyAad(device.deviceId));
					await db.keys.put({ ...device, sealedPrivateKey: seal(newKeys.seal, pkcs8, deviceKeyAad(device.deviceId)) });
					pkcs8.fill(0);
				} catch {
					// Already unreadable (edited on disk): signing reports it, as before.
				}
			}
			// A legacy (unsealed) key stays the one this device may sign with, now marked under the new key.
			if (device?.privateKey && (await isMarkedLegacyDeviceKey(db, oldKeys.seal, device.deviceId))) await markLegacyDeviceKey(db, newKeys, device.deviceId);
			for (const r of await db.users.toArray()) {
				// A row without the next key (damaged, or put back on disk) keeps only the old key, which opens nothing now.
				if (r.pair?.next) {
					const { next, ...pair } = r.pair;
					await db.users.put({ ...r, pair: { ...pair, dataKey: next } });
				}
			}
			await db.meta.delete('rotation');
		})
	);
}

/**
 * Gives a user a new passphrase (a PIN is refused: 'validation-failed'). The signed-in user changes their own after proving the
 * current one (`current`, else 'wrong-passphrase'); an administrator resets another user's without
 * it (anyone else gets 'forbidden'). The row gets a new key pair.
 * Replaces a slot an older build stored under a PIN, so that user signs in again; a rotation that
 * was waiting for this user's key pair runs after.
 */
export async function changeSecret(db: CasetrailDb, input: { userId: string; secretKind: SecretKind; secret: string; current?: string }, options: RotationOptions = {}): Promise<RotationOutcome> {
	const vault = requireVault(db);
	const actor = vault.requireUser();
	const own = actor.id === input.userId;
	if (!own) assertCan(actor, 'manage-users');
	checkSlotKind(input.secretKind);
	checkSecret(input.secretKind, input.secret);
	const row = await guarded(db, () => db.users.get(input.userId));
	if (!row) throw new CasetrailError('not-found', 'There is no such user on this device.');
	if (own) {
		// Proves the person at the device knows the current secret, not only that the device is unlocked.
		await openSlots(row, input.current ?? '');
	}
	const pair = await makeUserKeyPair(vault.dataKey(), input.secret, row.id);
	const keys = vault.keys();
	// A new version: the row with the old secret, put back on disk, no longer signs in.
	const roster = await guarded(db, () =>
		db.transaction('rw', [db.users, db.meta], async () => {
			const current = await db.users.get(row.id);
			if (!current) throw new CasetrailError('not-found', 'There is no such user on this device.');
			const roster = await readRoster(db, keys);
			const version = (roster[row.id] ?? 0) + 1;
			await db.users.put({ ...withPair(current, pair), secretKind: input.secretKind, attempts: freshAttempts(), profile: sealProfile(keys.seal, profileOf(current), version) });
			await db.meta.put({ key: 'roster', value: sealRoster(keys, { ...roster, [row.id]: version }) });
			return roster;
		})
	);
	if (roster[ROTATION_DUE] === undefined) return { rotated: true, waitingFor: [], resealed: 0 };
	return rotateIfDue(db, options);
}

/**
 * Whether a data key rotation is due and who it waits for (signed in, any role: the users page
 * says so to administrators).
 */
export async function rotationStatus(db: CasetrailDb): Promise<RotationOutcome> {
	const vault = requireVault(db);
	const keys = vault.keys();
	const [rows, roster] = await guarded(db, async () => [await db.users.toArray(), await readRoster(db, keys)] as const);
	if (roster[ROTATION_DUE] === undefined) return { rotated: true, waitingFor: [], resealed: 0 };
	return { rotated: false, waitingFor: rows.filter((r) => !r.pair).map((r) => r.name).sort((a, b) => a.localeCompare(b)), resealed: 0 };
}
