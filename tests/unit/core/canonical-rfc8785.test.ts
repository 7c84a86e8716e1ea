import { describe, expect, it } from 'vitest';
import { canonicalBytes, canonicalJson } from '../../../src/lib/core/canonical';

function hex(bytes: Uint8Array): string {
	return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

function fromIeee754(bits: string): number {
	const view = new DataView(new ArrayBuffer(8));
	view.setBigUint64(0, BigInt(`0x${bits}`));
	return view.getFloat64(0);
}

describe('canonicalJson (RFC 8785)', () => {
	it('canonicalizes the §3.2.2 example to the §3.2.3 output', () => {
		const input = JSON.parse(
			'{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
				' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}'
		);
		expect(canonicalJson(input)).toBe('{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}');
	});

	it('gives the §3.2.4 UTF-8 bytes for the same example', () => {
		const input = { literals: [null, true, false], numbers: [333333333.3333333, 1e30, 4.5, 0.002, 1e-27], string: '€$\u000f\nA\'B"\\\\"/' };
		expect(hex(canonicalBytes(input))).toBe(
			'7b 22 6c 69 74 65 72 61 6c 73 22 3a 5b 6e 75 6c 6c 2c 74 72 75 65 2c 66 61 6c 73 65 5d 2c 22 6e 75 6d 62 65 72 73 22 3a 5b 33 33 33 33 33 33 33 33 33 2e 33 33 33 33 33 33 33 2c 31 65 2b 33 30 2c 34 2e 35 2c 30 2e 30 30 32 2c 31 65 2d 32 37 5d 2c 22 73 74 72 69 6e 67 22 3a 22 e2 82 ac 24 5c 75 30 30 30 66 5c 6e 41 27 42 5c 22 5c 5c 5c 5c 5c 22 2f 22 7d'
		);
	});

	it('sorts keys by UTF-16 code units (§3.2.3 sorting example)', () => {
		const input = {
			'\u20ac': 'Euro Sign',
			'\r': 'Carriage Return',
			'\ufb33': 'Hebrew Letter Dalet With Dagesh',
			'1': 'One',
			'\ud83d\ude00': 'Emoji: Grinning Face',
			'\u0080': 'Control',
			'\u00f6': 'Latin Small Letter O With Diaeresis'
		};
		// Read the order from the text: JSON.parse would move the integer-like key "1" to the front.
		const order = [...canonicalJson(input).matchAll(/":"([^"]+)"/g)].map((m) => m[1]);
		expect(order).toEqual([
			'Carriage Return',
			'One',
			'Control',
			'Latin Small Letter O With Diaeresis',
			'Euro Sign',
			'Emoji: Grinning Face',
			'Hebrew Letter Dalet With Dagesh'
		]);
	});

	it('sorts nested objects and keeps array order', () => {
		expect(canonicalJson({ b: [3, 1, { z: 1, a: 2 }], a: { d: 4, c: 3 } })).toBe('{"a":{"c":3,"d":4},"b":[3,1,{"a":2,"z":1}]}');
	});

	it('emits no whitespace and leaves non-ASCII characters unescaped', () => {
		expect(canonicalJson({ village: 'Kébémer', emoji: '😀' })).toBe('{"emoji":"😀","village":"Kébémer"}');
		expect(hex(canonicalBytes('é'))).toBe('22 c3 a9 22');
	});

	// Appendix B: IEEE 754 double -> JSON text.
	it.each([
		['0000000000000000', '0'],
		['8000000000000000', '0'],
		['0000000000000001', '5e-324'],
		['8000000000000001', '-5e-324'],
		['7fefffffffffffff', '1.7976931348623157e+308'],
		['ffefffffffffffff', '-1.7976931348623157e+308'],
		['4340000000000000', '9007199254740992'],
		['c340000000000000', '-9007199254740992'],
		['4430000000000000', '295147905179352830000'],
		['44b52d02c7e14af5', '9.999999999999997e+22'],
		['44b52d02c7e14af6', '1e+23'],
		['44b52d02c7e14af7', '1.0000000000000001e+23'],
		['444b1ae4d6e2ef4e', '999999999999999700000'],
		['444b1ae4d6e2ef4f', '999999999999999900000'],
		['444b1ae4d6e2ef50', '1e+21'],
		['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
		['3eb0c6f7a0b5ed8d', '0.000001'],
		['41b3de4355555553', '333333333.3333332'],
		['41b3de4355555554', '333333333.33333325'],
		['41b3de4355555555', '333333333.3333333'],
		['41b3de4355555556', '333333333.3333334'],
		['41b3de4355555557', '333333333.33333343'],
		['becbf647612f3696', '-0.0000033333333333333333'],
		['43143ff3c1cb0959', '1424953923781206.2']
	])('writes the double %s as %s (Appendix B)', (bits, text) => {
		expect(canonicalJson(fromIeee754(bits))).toBe(text);
	});

	it.each([
		['7fffffffffffffff', 'NaN'],
		['7ff0000000000000', 'Infinity']
	])('rejects the double %s (%s) with invalid-event (Appendix B)', (bits) => {
		expect(() => canonicalJson({ n: fromIeee754(bits) })).toThrow(expect.objectContaining({ code: 'invalid-event' }));
	});

	it('rejects lone surrogates, which have no UTF-8 form', () => {
		expect(() => canonicalJson({ s: '\ud800' })).toThrow(expect.objectContaining({ code: 'invalid-event' }));
	});

	it('rejects a value with no JSON form', () => {
		expect(() => canonicalJson(undefined)).toThrow(expect.objectContaining({ code: 'invalid-event' }));
	});

	it('gives the same bytes for an event whatever order its members were written in', () => {
		const a = { guid: 'g', entityGuid: 'e', type: 't', data: { x: 1, y: 'é' }, timestamp: '2026-11-23T09:30:00.000Z', userId: 'u' };
		const b = { userId: 'u', timestamp: '2026-11-23T09:30:00.000Z', data: { y: 'é', x: 1 }, type: 't', entityGuid: 'e', guid: 'g' };
		expect(canonicalBytes(b)).toEqual(canonicalBytes(a));
		expect(canonicalJson(a)).toBe('{"data":{"x":1,"y":"é"},"entityGuid":"e","guid":"g","timestamp":"2026-11-23T09:30:00.000Z","type":"t","userId":"u"}');
	});
});
