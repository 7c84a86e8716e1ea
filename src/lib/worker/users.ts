/**
 * The worker API for the people who use the device: first setup, sign in and out, lock, and user
 * management. The data key never leaves the worker: sign-in unwraps it into the vault's memory
 * (store/vault.ts) and the page only ever learns who is signed in. Every management method checks
 * the signed-in user's role in the store functions it calls ('manage-users', administrators only).
 */
import { recoverImport } from '../store/import';
import { assertCan, type Role, type User } from '../core/access';
import { CasetrailError, type Result } from '../core/errors';
import type { SecretKind } from '../crypto/keys';
import {
	addUser,
	changeSecret,
	currentProfile,
	currentUser,
	isSetUp,
	listProfiles,
	removeUser,
	rotationStatus,
	setUp,
	signIn,
	signOut,
	updateUser,
	type NewUser,
	type RotationOptions,
	type RotationOutcome,
	type SetUpResult,
	type UserProfile
} from '../store/users';
import type { RotationProgress } from '../store/rotation';
import { vaultOf } from '../store/vault';
import { result, type WorkerContext } from './context';
import { describeUsers } from './recorders';

export type { NewUser, RotationOutcome, SetUpResult, UserProfile } from '../store/users';
export type { RotationProgress } from '../store/rotation';

/** What the page needs before anything else: is the device set up, who is signed in, who may sign in. */
export interface SessionView {
	setUp: boolean;
	user: User | undefined;
	/** Every user's name, role and kind of secret, for the sign-in screen (shown before unlock). */
	profiles: UserProfile[];
}

/** Sessions and users. */
export function usersApi(ctx: WorkerContext) {
	const { db } = ctx;
	// The data key rotation this worker is running (a removal, a demotion, or one a sign-in finishes),
	// for the page to show while it waits: rows re-sealed of the rows to re-seal. Nothing secret.
	let rotating: RotationProgress | undefined;
	const rotation = (): RotationOptions => ({
		onProgress: (p) => {
			rotating = p;
		}
	});
	async function tracked<T>(work: (options: RotationOptions) => Promise<T>): Promise<T> {
		rotating = { done: 0, total: 0 };
		try {
			return await work(rotation());
		} finally {
			rotating = undefined;
		}
	}
	return {
		/**
		 * How far the data key rotation this worker is running has got, or null when none runs. The
		 * page polls it while a removal, a demotion or a sign-in is pending (it shows a progress bar).
		 */
		rotationProgress(): Promise<Result<RotationProgress | null>> {
			return result(async () => (rotating ? { ...rotating } : null));
		},

		/**
		 * Whether a data key rotation is due and which users it waits for (not signed in since key
		 * pairs: docs/decisions/0007-data-key-rotation.md). Administrators only.
		 */
		rotationStatus(): Promise<Result<RotationOutcome>> {
			return result(async () => {
				assertCan(currentUser(db), 'manage-users');
				return rotationStatus(db);
			});
		},

		/** The session state, readable by anyone: it holds no record, only the users' names and roles. */
		session(): Promise<Result<SessionView>> {
			return result(async () => {
				const [done, stored] = await Promise.all([isSetUp(db), listProfiles(db)]);
				// The holder of this tab's quick unlock signs in with their PIN; everyone else with a passphrase.
				const holder = ctx.quickUnlock?.holder(ctx.now().getTime());
				const profiles = stored.map((p): UserProfile =>
					p.id === holder?.userId ? { ...p, secretKind: 'pin', waitSeconds: holder.waitSeconds } : p.secretKind === 'pin' ? p : { ...p, secretKind: 'passphrase', waitSeconds: 0 }
				);
				return { setUp: done, user: currentUser(db), profiles };
			});
		},

		/**
		 * First start: creates the device's data key and its first administrator, signed in. The
		 * result's `notice` must be shown: losing every passphrase loses the data; export is the backup.
		 */
		setUp(input: { name: string; passphrase: string }): Promise<Result<SetUpResult>> {
			return result(() => setUp(db, input, ctx.now()));
		},

		/**
		 * Signs a user in with their passphrase, or, when this tab holds their quick unlock and
		 * `secret` is all digits, with their PIN (worker/quick-unlock.ts). Errors: wrong-passphrase,
		 * rate-limited, passphrase-required, profile-revoked, not-found.
		 */
		signIn(userId: string, secret: string): Promise<Result<User>> {
			/**
			 * An import that stopped midway (its tab was closed) holds the log until it is undone, which
			 * needs the data key: done after sign-in, in the background (store/import.ts).
			 */
			const finishInterruptedImport = (): void => void recoverImport(db).catch(() => undefined);
			return result(async () => {
				const now = ctx.now().getTime();
				const quick = ctx.quickUnlock;
				const vault = vaultOf(db);
				if (quick && vault && quick.holder(now)?.userId === userId && /^[0-9]+$/.test(secret)) {
					const { dataKey } = await quick.open(userId, secret, now);
					// Removed, changed or re-keyed while the tab was locked: the stored profile decides, before
					// anything is unlocked, and a PIN opens a case worker's session only.
					const current = await currentProfile(db, dataKey, userId);
					if (typeof current !== 'object' || current.user.role !== 'case-worker') {
						quick.clear();
						dataKey.fill(0);
						if (current === 'revoked') throw new CasetrailError('profile-revoked', 'This profile was removed or replaced while the device was locked.');
						throw new CasetrailError('passphrase-required', current === 'key-changed' ? 'The device key was changed since your PIN was set: sign in with your passphrase.' : 'Your role changed: sign in with your passphrase.');
					}
					vault.unlock(current.user, dataKey, now);
					finishInterruptedImport();
					return current.user;
				}
				const user = await tracked((options) => signIn(db, userId, secret, now, options));
				quick?.passphraseSignedIn(user, now);
				finishInterruptedImport();
				return user;
			});
		},

		/**
		 * Sets the signed-in case worker's PIN for quick unlock in this tab, for a while after their
		 * passphrase sign-in (worker/quick-unlock.ts). Nothing is stored.
		 */
		setQuickUnlockPin(pin: string): Promise<Result<null>> {
			return result(async () => {
				const vault = vaultOf(db);
				if (!ctx.quickUnlock || !vault) throw new CasetrailError('passphrase-required', 'Quick unlock is not available here.');
				await ctx.quickUnlock.setPin(vault, pin, ctx.now().getTime());
				return null;
			});
		},

		/**
		 * A person acted in this tab (a key, a click, a touch): keeps the session from the idle lock.
		 * The page calls it from its input events only, never from its own refreshes (idle.ts).
		 */
		activity(): Promise<Result<null>> {
			return result(async () => {
				ctx.personActed?.();
				return null;
			});
		},

		/** Signs out and locks: the worker forgets the key; nothing can be read until the next sign-in. */
		signOut(): Promise<Result<null>> {
			return result(async () => {
				ctx.quickUnlock?.clear();
				signOut(db);
				return null;
			});
		},

		/** Adds a user (administrators only). */
		addUser(input: NewUser): Promise<Result<User>> {
			return result(async () => {
				const user = await addUser(db, input, ctx.now());
				ctx.announceUsers?.();
				return user;
			});
		},

		/**
		 * Renames a user or changes their role (administrators only; one administrator always stays).
		 * Tabs where that user is signed in take the new role at once.
		 */
		updateUser(id: string, change: { name?: string; role?: Role }): Promise<Result<User & { rotation?: RotationOutcome }>> {
			return result(async () => {
				const user = await tracked((options) => updateUser(db, id, change, options));
				ctx.announceUsers?.();
				return user;
			});
		},

		/**
		 * Removes a user and their copy of the key (administrators only; not oneself, not the last
		 * administrator), then rotates the data key (progress: {@link rotationProgress}). Every other
		 * tab is signed out by the rotation; the result says when it waits for users without a key pair.
		 * Then the log describes them (name and role, recorders.ts) unless it already does, so their
		 * events stay named; a log that refuses appends leaves the removal done and the name undescribed.
		 */
		removeUser(id: string): Promise<Result<RotationOutcome>> {
			return result(async () => {
				const profile = (await listProfiles(db)).find((p) => p.id === id);
				try {
					const outcome = await tracked((options) => removeUser(db, id, options));
					// The events they recorded keep their name: the log describes them as they were, if it did
					// not yet. Removing someone must never wait on the log: on a device whose log refuses
					// appends (its integrity check fails) the removal stands and the name is not recorded.
					if (profile) await describeUsers(ctx, [profile]).catch(() => 0);
					return outcome;
				} finally {
					ctx.announceUsers?.();
				}
			});
		},

		/** A new passphrase or PIN: one's own with the current one, or anyone's by an administrator. */
		changeSecret(input: { userId: string; secretKind: SecretKind; secret: string; current?: string }): Promise<Result<null>> {
			return result(async () => {
				await tracked((options) => changeSecret(db, input, options));
				ctx.announceUsers?.();
				return null;
			});
		}
	};
}
