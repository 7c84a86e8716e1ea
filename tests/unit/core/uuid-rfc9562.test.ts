import { describe, expect, it } from 'vitest';
import { createGuidGenerator, newGuid } from '../../../src/lib/core/event';

const UUIDV7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A random source that hands out the given bytes, then zeros. */
function bytes(...values: number[]): (out: Uint8Array) => void {
	return (out) => {
		out.fill(0);
		out.set(values.slice(0, out.length));
	};
}

function msOf(guid: string): number {
	return parseInt(guid.replace(/-/g, '').slice(0, 12), 16);
}

function counterOf(guid: string): number {
	return parseInt(guid.replace(/-/g, '').slice(13, 16), 16);
}

describe('createGuidGenerator (RFC 9562 UUIDv7)', () => {
	it('reproduces the RFC 9562 Appendix A.6 example from its clock and random bits', () => {
		// Unix ms 0x017F22E279B0 (Tuesday, February 22, 2022 2:22:22.00 PM GMT-05:00), rand_a 0xCC3,
		// rand_b 0x18C4DC0C0C07398F.
		const generate = createGuidGenerator({
			now: () => 0x017f22e279b0,
			random: bytes(0x0c, 0xc3, 0x98, 0xc4, 0xdc, 0x0c, 0x0c, 0x07, 0x39, 0x8f)
		});
		expect(generate()).toBe('017f22e2-79b0-7cc3-98c4-dc0c0c07398f');
	});

	it('writes version 7 and variant 10 whatever the random bits', () => {
		const ones = createGuidGenerator({ now: () => 1, random: (out) => out.fill(0xff) })();
		const zeros = createGuidGenerator({ now: () => 1, random: (out) => out.fill(0) })();
		expect(ones).toMatch(UUIDV7);
		expect(zeros).toMatch(UUIDV7);
		expect(ones).toBe('00000000-0001-7fff-bfff-ffffffffffff');
		expect(zeros).toBe('00000000-0001-7000-8000-000000000000');
	});

	it('puts the clock in the first 48 bits', () => {
		const ms = Date.UTC(2026, 10, 23, 9, 30);
		expect(msOf(createGuidGenerator({ now: () => ms })())).toBe(ms);
		expect(msOf(createGuidGenerator({ now: () => 2 ** 48 - 1 })())).toBe(2 ** 48 - 1);
	});

	it('rejects a clock outside the 48-bit range', () => {
		expect(() => createGuidGenerator({ now: () => 2 ** 48 })()).toThrow(expect.objectContaining({ code: 'out-of-range' }));
		expect(() => createGuidGenerator({ now: () => -1 })()).toThrow(expect.objectContaining({ code: 'out-of-range' }));
	});

	it('counts up within one millisecond, so ids from one generator sort in creation order', () => {
		const generate = createGuidGenerator({ now: () => 1000, random: (out) => out.fill(0xab) });
		const ids = Array.from({ length: 50 }, () => generate());
		expect([...ids].sort()).toEqual(ids);
		expect(new Set(ids).size).toBe(50);
		expect(counterOf(ids[1]!)).toBe(counterOf(ids[0]!) + 1);
		expect(ids.every((id) => msOf(id) === 1000)).toBe(true);
	});

	it('moves the timestamp on when the counter would overflow', () => {
		const generate = createGuidGenerator({ now: () => 1000, random: bytes(0x0f, 0xfe) });
		const [a, b, c] = [generate(), generate(), generate()];
		expect(counterOf(a)).toBe(0xffe);
		expect(counterOf(b)).toBe(0xfff);
		expect(msOf(c)).toBe(1001);
		expect([a, b, c].sort()).toEqual([a, b, c]);
	});

	it('keeps increasing when the clock steps back', () => {
		let clock = 5000;
		const generate = createGuidGenerator({ now: () => clock });
		const first = generate();
		clock = 4000;
		const second = generate();
		expect(second > first).toBe(true);
		expect(msOf(second)).toBe(5000);
	});

	it('sorts ids of later milliseconds after earlier ones', () => {
		let clock = 1;
		const generate = createGuidGenerator({ now: () => clock, random: (out) => out.fill(0xff) });
		const ids: string[] = [];
		for (const ms of [1, 2, 255, 256, 65_536, 2 ** 32, 2 ** 40]) {
			clock = ms;
			ids.push(generate());
		}
		expect([...ids].sort()).toEqual(ids);
	});
});

describe('newGuid', () => {
	it('returns UUIDv7 strings from the platform clock and random source', () => {
		const before = Date.now();
		const ids = Array.from({ length: 100 }, () => newGuid());
		expect(ids.every((id) => UUIDV7.test(id))).toBe(true);
		expect(new Set(ids).size).toBe(100);
		expect([...ids].sort()).toEqual(ids);
		expect(msOf(ids[0]!)).toBeGreaterThanOrEqual(before);
	});
});
