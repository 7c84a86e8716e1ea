import { describe, expect, it } from 'vitest';
import { isCasetrailError } from '../../../src/lib/core/errors';
import { assertPinTryAllowed, freshAttempts, MAX_DELAY_SECONDS, pinDelayMs, pinFailed, pinSucceeded, pinWaitMs, type PinAttempts } from '../../../src/lib/crypto/pin';

const T0 = Date.UTC(2026, 10, 23, 9, 30);

function failTimes(n: number, at = T0): PinAttempts {
	let s = freshAttempts();
	for (let i = 0; i < n; i++) s = pinFailed(s, at);
	return s;
}

function refusal(state: PinAttempts, now: number): { code: string; message: string } | undefined {
	try {
		assertPinTryAllowed(state, now);
		return undefined;
	} catch (e) {
		return isCasetrailError(e) ? { code: e.code, message: e.message } : { code: 'unexpected', message: String(e) };
	}
}

describe('pinDelayMs', () => {
	it('lets three wrong tries pass, then waits 30 s, 1 min, 5 min, 15 min, 1 h', () => {
		expect([0, 1, 2, 3, 4, 5, 6, 7, 8].map(pinDelayMs)).toEqual([0, 0, 0, 0, 30_000, 60_000, 300_000, 900_000, 3_600_000]);
	});

	it('keeps growing after the table, never beyond one day', () => {
		expect(pinDelayMs(9)).toBe(7_200_000);
		expect(pinDelayMs(10)).toBe(14_400_000);
		for (let n = 1; n < 200; n++) expect(pinDelayMs(n + 1)).toBeGreaterThanOrEqual(pinDelayMs(n));
		expect(pinDelayMs(1000)).toBe(MAX_DELAY_SECONDS * 1000);
	});
});

describe('assertPinTryAllowed', () => {
	it('allows a first try and the tries after up to three wrong ones', () => {
		expect(refusal(freshAttempts(), T0)).toBeUndefined();
		expect(refusal(failTimes(3), T0)).toBeUndefined();
	});

	describe('after four wrong tries', () => {
		const state = failTimes(4);

		it('refuses a try 10 s later with rate-limited and the 20 seconds left', () => {
			const r = refusal(state, T0 + 10_000);
			expect(r?.code).toBe('rate-limited');
			expect(r?.message).toMatch(/20 seconds/);
			expect(pinWaitMs(state, T0 + 10_000)).toBe(20_000);
		});

		it('allows a try once the 30 s are over', () => {
			expect(refusal(state, T0 + 29_999)?.code).toBe('rate-limited');
			expect(refusal(state, T0 + 30_000)).toBeUndefined();
		});
	});

	it('says minutes for a long wait and still gives the seconds', () => {
		const r = refusal(failTimes(7), T0 + 1000);
		expect(r?.message).toMatch(/15 minutes \(899 s\)/);
	});

	it('starts again after a right try', () => {
		expect(pinSucceeded()).toEqual(freshAttempts());
		expect(refusal(pinSucceeded(), T0)).toBeUndefined();
	});

	it('counts a stored state it cannot read as no wrong tries', () => {
		expect(refusal({ failures: Number.NaN, lastFailureAt: T0 }, T0)).toBeUndefined();
		expect(refusal({ failures: 9, lastFailureAt: null }, T0)).toBeUndefined();
		expect(pinFailed({ failures: -3, lastFailureAt: null }, T0)).toEqual({ failures: 1, lastFailureAt: T0 });
	});
});
