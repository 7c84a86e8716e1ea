/**
 * The worker API for the people who use the device: first setup, sign in and out, lock, and user
 * management. The data key never leaves the worker: sign-in unwraps it into the vault's memory
 * (store/vault.ts) and the page only ever learns who is signed in. Every management method checks
 * the signed-in user's role in the store functions it calls ('manage-users', administrators only).
 */
import type { Role, User } from '../core/access';
import type { Result } from '../core/errors';
import type { SecretKind } from '../crypto/keys';
import {
	addUser,
	changeSecret,
	currentUser,
	isSetUp,
	listProfiles,
	removeUser,
	setUp,
	signIn,
	signOut,
	updateUser,
	type NewUser,
	type SetUpResult,
	type UserProfile
} from '../store/users';
import { result, type WorkerContext } from './context';

export type { NewUser, SetUpResult, UserProfile } from '../store/users';

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
	return {
		/** The session state, readable by anyone: it holds no record, only the users' names and roles. */
		session(): Promise<Result<SessionView>> {
			return result(async () => {
				const [done, profiles] = await Promise.all([isSetUp(db), listProfiles(db, ctx.now().getTime())]);
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

		/** Signs a user in with their passphrase or PIN (wrong-passphrase, rate-limited, not-found). */
		signIn(userId: string, secret: string): Promise<Result<User>> {
			return result(() => signIn(db, userId, secret, ctx.now().getTime()));
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
		updateUser(id: string, change: { name?: string; role?: Role }): Promise<Result<User>> {
			return result(async () => {
				const user = await updateUser(db, id, change);
				ctx.announceUsers?.();
				return user;
			});
		},

		/**
		 * Removes a user and their copy of the key (administrators only; not oneself, not the last
		 * administrator). Every tab where they are signed in signs them out.
		 */
		removeUser(id: string): Promise<Result<null>> {
			return result(async () => {
				await removeUser(db, id);
				ctx.announceUsers?.();
				return null;
			});
		},

		/** A new passphrase or PIN: one's own with the current one, or anyone's by an administrator. */
		changeSecret(input: { userId: string; secretKind: SecretKind; secret: string; current?: string }): Promise<Result<null>> {
			return result(async () => {
				await changeSecret(db, input);
				ctx.announceUsers?.();
				return null;
			});
		}
	};
}
