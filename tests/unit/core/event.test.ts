import { describe, expect, it } from 'vitest';
import { isCasetrailError } from '../../../src/lib/core/errors';
import { compareEvents, compareParsed, instantOf, isValidEvent, parseInstant, parseTimestamp, validateEvent } from '../../../src/lib/core/event';

const valid = {
	guid: 'e-1',
	entityGuid: 'ent-1',
	type: 'create-individual',
	data: { givenName: 'Amina' },
	timestamp: '2026-11-23T09:30:00.000Z',
	userId: 'worker-7'
};

function problemOf(value: unknown): { code: string; message: string } {
	try {
		validateEvent(value);
	} catch (e) {
		if (isCasetrailError(e)) return { code: e.code, message: e.message };
		throw e;
	}
	throw new Error('validateEvent accepted the value');
}

describe('validateEvent', () => {
	it('returns a valid event as it is, without copying', () => {
		expect(validateEvent(valid)).toBe(valid);
		expect(isValidEvent(valid)).toBe(true);
	});

	it('accepts the optional members and extra members', () => {
		const event = { ...valid, version: 2, metadata: { deviceId: 'd' }, context: { reason: 'r' }, extra: [1, 2] };
		expect(validateEvent(event)).toBe(event);
	});

	it.each([
		['no', '2026-11-23T09:30:00Z'],
		['1', '2026-11-23T09:30:00.5Z'],
		['3', '2026-11-23T09:30:00.123Z'],
		['6', '2026-11-23T09:30:00.123456Z'],
		['9', '2026-11-23T09:30:00.123456789Z']
	])('accepts a UTC timestamp with %s fraction digits', (_, timestamp) => {
		expect(isValidEvent({ ...valid, timestamp })).toBe(true);
	});

	it.each([null, 'event', 42, [valid]])('rejects %j, which is not an object', (value) => {
		expect(problemOf(value)).toEqual({ code: 'invalid-event', message: 'An event must be a JSON object.' });
	});

	describe.each(['guid', 'entityGuid', 'type', 'userId'])('member %s', (member) => {
		it.each([undefined, '', 7, null])('rejects %j and names the member', (bad) => {
			const event: Record<string, unknown> = { ...valid, [member]: bad };
			if (bad === undefined) delete event[member];
			const { code, message } = problemOf(event);
			expect(code).toBe('invalid-event');
			expect(message).toContain(`\`${member}\``);
		});
	});

	it.each([undefined, null, [], 'x', 3])('rejects data %j', (bad) => {
		expect(problemOf({ ...valid, data: bad }).message).toContain('`data`');
	});

	it('rejects data that is a class instance rather than a plain object', () => {
		expect(problemOf({ ...valid, data: new Date() }).message).toContain('`data`');
	});

	it.each([
		'2026-11-23',
		'2026-11-23T09:30:00',
		'2026-11-23T09:30:00.000+01:00',
		'2026-11-23T09:30:00+00:00',
		'2026-11-23T10:30:00.123456+01:00',
		'2026-11-23T09:30:00.000-00:00',
		'2026-11-23T09:30:00.000',
		'2026-11-23T09:30:00.123456789',
		'2026-11-23T09:30:00.1234567890Z',
		'2026-11-23T09:30:00.Z',
		'2026-11-23T09:30:00,5Z',
		'2026-11-23T09:30:00.000z',
		'2026-11-23T09:30Z',
		'2026-11-23 09:30:00Z',
		'2026-02-30T09:30:00Z',
		'2026-02-30T09:30:00.123456Z',
		'2026-04-31T00:00:00Z',
		'2026-13-01T00:00:00Z',
		'2026-11-23T09:60:00Z',
		'2026-11-23T24:00:00Z',
		'2026-12-31T23:59:60Z',
		'0099-01-01T00:00:00Z',
		'Mon, 23 Nov 2026 09:30:00 GMT'
	])('rejects timestamp %s', (timestamp) => {
		expect(problemOf({ ...valid, timestamp }).message).toContain('`timestamp`');
	});

	it('names the event by its guid when it has one', () => {
		expect(problemOf({ ...valid, timestamp: 'soon' }).message).toMatch(/^Event e-1: member `timestamp`/);
	});

	it.each([0, -1, 1.5, '2', null, undefined])('rejects version %j', (version) => {
		expect(problemOf({ ...valid, version }).message).toContain('`version`');
	});

	it.each(['metadata', 'context'])('rejects a %s that is not an object', (member) => {
		expect(problemOf({ ...valid, [member]: 'x' }).message).toContain(`\`${member}\``);
		expect(problemOf({ ...valid, [member]: [] }).message).toContain(`\`${member}\``);
	});

	it('rejects the invalid event of the invalid-event bundle vector (data is a string)', () => {
		const event = { guid: 'x', entityGuid: 'e', type: 'update-individual', data: 'not-an-object', timestamp: '2026-11-02T08:09:00.000Z', userId: 'w' };
		expect(isValidEvent(event)).toBe(false);
	});
});

describe('parseTimestamp', () => {
	it('reads milliseconds since the epoch', () => {
		expect(parseTimestamp('1970-01-01T00:00:00.001Z')).toBe(1);
		expect(parseTimestamp('2026-11-23T09:30:00Z')).toBe(Date.UTC(2026, 10, 23, 9, 30));
	});

	it('accepts 29 February in a leap year only', () => {
		expect(parseTimestamp('2028-02-29T00:00:00Z')).toBeDefined();
		expect(parseTimestamp('2026-02-29T00:00:00Z')).toBeUndefined();
	});

	it.each([
		['.5', 500],
		['.05', 50],
		['.123', 123],
		['.123456', 123],
		['.123999', 123],
		['.999999999', 999],
		['.000000001', 0]
	])('reads fraction %s as %d ms: digits past the millisecond are dropped, never rounded', (fraction, ms) => {
		expect(parseTimestamp(`2026-11-23T09:30:00${fraction}Z`)).toBe(Date.UTC(2026, 10, 23, 9, 30, 0, ms));
	});

	it('does not carry a fraction into the next second, day or year', () => {
		expect(parseTimestamp('2026-12-31T23:59:59.999999999Z')).toBe(Date.UTC(2027, 0, 1) - 1);
	});

	it('names a real instant exactly when the calendar has that day and time (every month and day of leap, common and century years)', () => {
		// The reference: a real instant is one whose fields Date reads back unchanged.
		const reference = (y: number, mo: number, d: number, h: number, mi: number, s: number): number | undefined => {
			const ms = Date.UTC(y, mo - 1, d, h, mi, s);
			const back = new Date(ms);
			const same = back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d && back.getUTCHours() === h && back.getUTCMinutes() === mi && back.getUTCSeconds() === s;
			return same ? ms : undefined;
		};
		const pad = (value: number, width: number): string => String(value).padStart(width, '0');
		let real = 0;
		for (const year of [99, 100, 1600, 1900, 1970, 2000, 2024, 2026, 2100, 2400, 9999]) {
			for (let month = 0; month <= 13; month++) {
				for (let day = 0; day <= 32; day++) {
					const [h, mi, s] = day % 3 === 0 ? [23, 59, 59] : day % 3 === 1 ? [24, 0, 0] : [0, 60, 0];
					for (const [hour, minute, second] of [[12, 30, 15], [h, mi, s], [0, 0, 60]] as const) {
						const text = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}Z`;
						const expected = reference(year, month, day, hour, minute, second);
						expect(parseTimestamp(text), text).toBe(expected);
						if (expected !== undefined) real += 1;
					}
				}
			}
		}
		// Ten years from 100 on (four of them leap years), 12:30:15 on each of their days, 23:59:59 too
		// on the 3rd, 6th, ... 30th (119 such days a year); year 99 is refused whole.
		expect(real).toBe(365 * 10 + 4 + 119 * 10);
	});

	it('rejects ten fraction digits, an offset, a missing Z and 30 February', () => {
		for (const value of ['2026-11-23T09:30:00.1234567890Z', '2026-11-23T09:30:00.123456+00:00', '2026-11-23T09:30:00.123456', '2026-02-30T00:00:00.5Z']) {
			expect(parseTimestamp(value)).toBeUndefined();
		}
	});
});

describe('compareEvents', () => {
	it('orders by instant first, whatever the guids', () => {
		const a = { guid: 'z', timestamp: '2026-11-23T09:30:00.000Z' };
		const b = { guid: 'a', timestamp: '2026-11-23T09:30:00.001Z' };
		expect(compareEvents(a, b)).toBeLessThan(0);
		expect(compareEvents(b, a)).toBeGreaterThan(0);
	});

	it('compares instants, not strings: with and without fraction digits are the same instant', () => {
		const a = { guid: 'b', timestamp: '2026-11-23T09:30:00Z' };
		const b = { guid: 'a', timestamp: '2026-11-23T09:30:00.000Z' };
		expect(instantOf(a)).toBe(instantOf(b));
		expect(compareEvents(a, b)).toBeGreaterThan(0);
	});

	it('orders by the millisecond only: sub-millisecond digits do not order, the guid breaks the tie', () => {
		const early = { guid: 'b', timestamp: '2026-11-23T09:30:00.123000001Z' };
		const late = { guid: 'a', timestamp: '2026-11-23T09:30:00.123999Z' };
		expect(instantOf(early)).toBe(instantOf(late));
		expect(compareEvents(late, early)).toBeLessThan(0);
		expect(compareEvents({ guid: 'a', timestamp: '2026-11-23T09:30:00.1239Z' }, { guid: 'b', timestamp: '2026-11-23T09:30:00.124Z' })).toBeLessThan(0);
		expect(compareEvents({ guid: 'b', timestamp: '2026-11-23T09:30:00.9Z' }, { guid: 'a', timestamp: '2026-11-23T09:30:01Z' })).toBeLessThan(0);
	});

	it('breaks ties by guid in plain string order (uppercase before lowercase)', () => {
		const t = '2026-11-23T09:30:00.000Z';
		expect(compareEvents({ guid: 'B', timestamp: t }, { guid: 'a', timestamp: t })).toBeLessThan(0);
		expect(compareEvents({ guid: 'a', timestamp: t }, { guid: 'a', timestamp: t })).toBe(0);
	});
});

describe('compareParsed', () => {
	it('orders parsed positions exactly as compareEvents orders the events', () => {
		const events = [
			{ guid: 'b', timestamp: '2026-11-23T09:30:00.000Z' },
			{ guid: 'a', timestamp: '2026-11-23T09:30:00Z' },
			{ guid: 'a', timestamp: '2026-11-23T09:29:59.999Z' },
			{ guid: 'Z', timestamp: '2026-11-23T09:30:00.000Z' }
		];
		for (const a of events) {
			for (const b of events) {
				const parsed = compareParsed({ instant: instantOf(a), guid: a.guid }, { instant: instantOf(b), guid: b.guid });
				expect(Math.sign(parsed)).toBe(Math.sign(compareEvents(a, b)));
			}
		}
		expect([...events].sort(compareEvents).map((e) => e.guid)).toEqual(['a', 'Z', 'a', 'b']);
	});
});

describe('parseInstant', () => {
	it('reads dates, milliseconds and ISO strings with a zone', () => {
		const ms = Date.UTC(2026, 10, 23, 9, 30);
		expect(parseInstant(ms)).toBe(ms);
		expect(parseInstant(new Date(ms))).toBe(ms);
		expect(parseInstant('2026-11-23T09:30:00Z')).toBe(ms);
		expect(parseInstant('2026-11-23T10:30+01:00')).toBe(ms);
	});

	it.each(['2026-11-23T09:30:00', '2026-11-23', 'yesterday', Number.NaN])('rejects %s, which has no single instant', (value) => {
		expect(() => parseInstant(value)).toThrow(expect.objectContaining({ code: 'validation-failed' }));
	});
});
