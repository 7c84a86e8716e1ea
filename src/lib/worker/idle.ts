/**
 * The idle lock of a tab's worker (issue 15, 5): with no action of a person in this tab for
 * {@link IDLE_LOCK_MS}, the worker forgets the data key and the user signs in again. Only what the
 * page reports as a person's action (a key, a click, a touch: {@link IdleLock.personActed}) keeps the
 * session open; a method call does not, because pages call the worker on their own too (the status
 * and metrics a page reloads after any tab's change, the session watch), and those must never keep a
 * device left alone unlocked while another tab is busy. A long task a person started in this tab (an
 * import, an export, the integrity check, a rebuild: {@link IdleLock.hold}) is never cut by the lock:
 * the lock waits until it ends, and counts from its end.
 */
import type { User } from '../core/access';
import type { Vault } from '../store/vault';

/** With no action of a person in the tab for this long, its worker forgets the key. */
export const IDLE_LOCK_MS = 15 * 60_000;

/** How often the worker checks on its own, so a tab nobody calls still locks within this much. */
export const IDLE_CHECK_MS = 60_000;

export interface IdleLock {
	/** The signed-in user, after locking when the session has been idle too long. Never counts as activity. */
	user(): User | undefined;
	/** A person acted in this tab: the session stays open for another {@link IDLE_LOCK_MS}. */
	personActed(): void;
	/** Locks when idle too long; the worker calls it every {@link IDLE_CHECK_MS}. */
	check(): void;
	/**
	 * A person's long task starts: locks first if the session is already idle too long, then holds
	 * the lock off until the returned release is called, which counts as the person's action.
	 */
	hold(): () => void;
}

/** The idle lock over `vault`, reading the time from `now` (ms; tests pass their own clock). */
export function idleLock(vault: Vault, now: () => number = Date.now, idleMs: number = IDLE_LOCK_MS): IdleLock {
	let held = 0;
	/** Locks when idle too long and no task holds the lock off; true when the session is still open. */
	const stillOpen = (): boolean => held > 0 || !vault.lockIfIdle(idleMs, now());
	return {
		user() {
			stillOpen();
			return vault.user();
		},
		personActed() {
			if (stillOpen()) vault.touch(now());
		},
		check() {
			stillOpen();
		},
		hold() {
			stillOpen();
			held += 1;
			let released = false;
			return () => {
				if (released) return;
				released = true;
				held -= 1;
				vault.touch(now());
			};
		}
	};
}
