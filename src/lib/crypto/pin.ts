/**
 * The PIN rate limit as pure logic: after wrong tries, the next try must wait, longer and longer.
 * The caller passes the clock in and keeps the state; the rules are testable without waiting.
 *
 * What it protects against: someone guessing the quick-unlock PIN through the sign-in screen of a
 * locked tab. The state lives in that tab's worker memory (worker/quick-unlock.ts), never on disk,
 * so no stored field can reset it; and a PIN never wraps a key on disk, so there is nothing to
 * guess offline (issue 15).
 */
import { CasetrailError } from '../core/errors';

/** Consecutive wrong tries and when the last one happened. Stored: never rename a member. */
export interface PinAttempts {
	failures: number;
	/** Milliseconds since the epoch of the last wrong try; null before the first. */
	lastFailureAt: number | null;
}

/** The state of a user with no wrong tries. */
export function freshAttempts(): PinAttempts {
	return { failures: 0, lastFailureAt: null };
}

/**
 * Seconds to wait after 1, 2, 3, ... consecutive wrong tries. Three free tries cover typos; after
 * the table, the wait doubles up to {@link MAX_DELAY_SECONDS}, so guessing a 6-digit PIN through
 * the screen takes years.
 */
export const PIN_DELAYS_SECONDS: readonly number[] = Object.freeze([0, 0, 0, 30, 60, 300, 900, 3600]);
/** The longest wait: one day. */
export const MAX_DELAY_SECONDS = 86_400;

/** Milliseconds the next try must wait after `failures` consecutive wrong tries. */
export function pinDelayMs(failures: number): number {
	if (!(failures >= 1)) return 0;
	const n = Math.floor(failures);
	const table = PIN_DELAYS_SECONDS[n - 1];
	if (table !== undefined) return table * 1000;
	const last = PIN_DELAYS_SECONDS[PIN_DELAYS_SECONDS.length - 1] as number;
	// 2^(steps) grows past the cap in a few steps; capping the exponent keeps it finite for any n.
	const doubled = last * 2 ** Math.min(n - PIN_DELAYS_SECONDS.length, 32);
	return Math.min(doubled, MAX_DELAY_SECONDS) * 1000;
}

/**
 * Milliseconds left before a try is allowed at `now` (ms since the epoch); 0 when it is allowed.
 * A stored state is editable on disk, so anything malformed counts as no wrong tries rather than
 * locking a person out for ever.
 */
export function pinWaitMs(state: PinAttempts, now: number): number {
	const failures = Number.isSafeInteger(state.failures) && state.failures > 0 ? state.failures : 0;
	if (failures === 0 || typeof state.lastFailureAt !== 'number' || !Number.isFinite(state.lastFailureAt)) return 0;
	return Math.max(0, state.lastFailureAt + pinDelayMs(failures) - now);
}

/** "45 seconds", "5 minutes", "2 hours": the wait as a person reads it. */
function describeWait(seconds: number): string {
	if (seconds < 120) return `${seconds} second${seconds === 1 ? '' : 's'}`;
	const minutes = Math.ceil(seconds / 60);
	if (minutes < 120) return `${minutes} minutes`;
	return `${Math.ceil(minutes / 60)} hours`;
}

/**
 * Throws CasetrailError('rate-limited') when a try at `now` comes before the wait after the last
 * wrong try is over; the sentence says how many seconds are left. Returns otherwise.
 */
export function assertPinTryAllowed(state: PinAttempts, now: number): void {
	const wait = pinWaitMs(state, now);
	if (wait > 0) {
		const seconds = Math.ceil(wait / 1000);
		throw new CasetrailError('rate-limited', `Too many wrong PINs. Try again in ${describeWait(seconds)} (${seconds} s).`);
	}
}

/** The state after a wrong try at `now`. */
export function pinFailed(state: PinAttempts, now: number): PinAttempts {
	const failures = Number.isSafeInteger(state.failures) && state.failures > 0 ? state.failures : 0;
	return { failures: failures + 1, lastFailureAt: now };
}

/** The state after a right try: the count starts again. */
export function pinSucceeded(): PinAttempts {
	return freshAttempts();
}
