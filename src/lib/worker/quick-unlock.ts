/**
 * A PIN as a quick unlock, never a key slot (issue 15, 4; docs/decisions/pin-quick-unlock.md). After
 * signing in with their passphrase, a case worker may set a PIN in that tab. The tab's worker then
 * keeps, in memory only, the data key wrapped under that PIN; when the idle lock forgets the data
 * key, the PIN unwraps that in-memory copy again, for at most {@link QUICK_UNLOCK_MS} after the
 * passphrase sign-in. Nothing PIN-related is ever written to disk, so a copy of the device storage
 * holds no slot weaker than a passphrase; a reload, another tab or signing out needs the passphrase.
 *
 * Wrong PINs are counted in the same memory, before the slow derivation (so ten tries sent at once
 * are not all derived), with the delays of crypto/pin.ts; after {@link QUICK_UNLOCK_FAILURES} wrong
 * PINs the in-memory copy is dropped and only the passphrase opens the device again. There is no
 * clear field to edit back.
 */
import { assertCan, type User } from '../core/access';
import { CasetrailError } from '../core/errors';
import { checkSecret, unwrapDataKey, wrapDataKey, type WrappedKey } from '../crypto/keys';
import { assertPinTryAllowed, freshAttempts, pinFailed, pinWaitMs, type PinAttempts } from '../crypto/pin';
import type { Vault } from '../store/vault';

/** How long after a passphrase sign-in its PIN may unlock: one working day. */
export const QUICK_UNLOCK_MS = 8 * 60 * 60_000;

/** Wrong PINs after which the quick unlock is gone and the passphrase is needed. */
export const QUICK_UNLOCK_FAILURES = 5;

/** Who may unlock with a PIN now, and how long the next try must wait. */
export interface QuickUnlockHolder {
	userId: string;
	waitSeconds: number;
}

function passphraseRequired(): CasetrailError {
	return new CasetrailError('passphrase-required', 'Sign in with your passphrase: a PIN unlocks only this tab, for a while after a passphrase sign-in.');
}

/** The quick unlock of one tab's worker. */
export class QuickUnlock {
	/** The last passphrase sign-in in this worker: who, and until when a PIN may follow it. */
	#window: { userId: string; until: number } | undefined;
	/** The data key wrapped under the PIN, with the wrong tries so far. */
	#held: { user: User; slot: WrappedKey; until: number; attempts: PinAttempts } | undefined;

	/** A passphrase sign-in of `user` at `now` (ms): a PIN may be set within the window it opens. */
	passphraseSignedIn(user: User, now: number): void {
		this.#window = { userId: user.id, until: now + QUICK_UNLOCK_MS };
		if (this.#held?.user.id !== user.id) this.#held = undefined;
	}

	/** Forgets everything: signing out ends the quick unlock too. */
	clear(): void {
		this.#window = undefined;
		this.#held = undefined;
	}

	/** The user whose PIN unlocks now, or undefined. */
	holder(now: number): QuickUnlockHolder | undefined {
		const held = this.#held;
		if (!held || now >= held.until) return undefined;
		return { userId: held.user.id, waitSeconds: Math.ceil(pinWaitMs(held.attempts, now) / 1000) };
	}

	/**
	 * Sets the signed-in case worker's PIN for quick unlock in this tab. Throws 'forbidden' for
	 * administrators and supervisors (they unlock with their passphrase), 'passphrase-required' when
	 * the session did not start with a passphrase sign-in less than {@link QUICK_UNLOCK_MS} ago, and
	 * 'validation-failed' for a PIN that is not 6 to 12 digits. Slow: derives a key.
	 */
	async setPin(vault: Vault, pin: string, now: number): Promise<void> {
		const user = vault.requireUser();
		assertCan(user, 'read');
		if (user.role !== 'case-worker') throw new CasetrailError('forbidden', 'Administrators and supervisors unlock with their passphrase only: their access is too wide for a PIN.');
		const window = this.#window;
		if (!window || window.userId !== user.id || now >= window.until) throw passphraseRequired();
		checkSecret('pin', pin);
		const slot = await wrapDataKey(vault.dataKey(), pin, quickOwner(user.id));
		this.#held = { user, slot, until: window.until, attempts: freshAttempts() };
	}

	/**
	 * The data key the PIN of `userId` unwraps, and the user it was held for; the vault stays locked:
	 * the caller checks the stored profile with the key first, then unlocks. The try is counted before
	 * the derivation. Throws 'passphrase-required' when no quick unlock is held for them (or it
	 * expired, or too many wrong PINs ended it), 'rate-limited' while a wait runs, 'wrong-passphrase'
	 * for a wrong PIN.
	 */
	async open(userId: string, pin: string, now: number): Promise<{ user: User; dataKey: Uint8Array }> {
		const held = this.#held;
		if (!held || held.user.id !== userId || now >= held.until) throw passphraseRequired();
		assertPinTryAllowed(held.attempts, now);
		held.attempts = pinFailed(held.attempts, now);
		let dataKey: Uint8Array;
		try {
			dataKey = await unwrapDataKey(held.slot, pin, quickOwner(userId));
		} catch (e) {
			if (held.attempts.failures >= QUICK_UNLOCK_FAILURES && this.#held === held) this.#held = undefined;
			throw e;
		}
		held.attempts = freshAttempts();
		return { user: held.user, dataKey };
	}
}

/** The wrap's owner: never a user id, so the in-memory copy cannot pass for a stored slot. */
function quickOwner(userId: string): string {
	return `quick-unlock:${userId}`;
}
