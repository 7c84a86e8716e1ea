/** Hex, base64url and base64 (RFC 4648 §4-§5): round trips, the RFC test vectors, strict decoding. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64ToBytes, base64urlToBytes, bytesToBase64url, bytesToHex, hexToBytes } from '../../../src/lib/core/encoding';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const malformed = expect.objectContaining({ name: 'CasetrailError', code: 'malformed' });

describe('hex', () => {
	it('round-trips any bytes in lowercase', () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
				const hex = bytesToHex(bytes);
				expect(hex).toMatch(/^[0-9a-f]*$/);
				expect(hexToBytes(hex)).toEqual(bytes);
			})
		);
	});

	it('accepts upper case', () => {
		expect(hexToBytes('00FFaB')).toEqual(new Uint8Array([0, 255, 171]));
	});

	it('rejects odd length, non-hex characters, whitespace and non-text with malformed', () => {
		for (const text of ['abc', '0g', ' 00', '00 ', '0x00', '+1']) expect(() => hexToBytes(text)).toThrow(malformed);
		expect(() => hexToBytes(5 as unknown as string)).toThrow(malformed);
	});

	it('names the value in its message', () => {
		expect(() => hexToBytes('z', 'The root')).toThrow(/^The root is not valid hex/);
	});
});

describe('base64url', () => {
	it('encodes the RFC 4648 §10 vectors without padding', () => {
		const cases: [string, string][] = [
			['', ''],
			['f', 'Zg'],
			['fo', 'Zm8'],
			['foo', 'Zm9v'],
			['foob', 'Zm9vYg'],
			['fooba', 'Zm9vYmE'],
			['foobar', 'Zm9vYmFy']
		];
		for (const [plain, encoded] of cases) {
			expect(bytesToBase64url(utf8(plain))).toBe(encoded);
			expect(base64urlToBytes(encoded)).toEqual(utf8(plain));
		}
	});

	it('uses - and _ where standard base64 has + and /', () => {
		expect(bytesToBase64url(new Uint8Array([0xfb, 0xff]))).toBe('-_8');
		expect(base64urlToBytes('-_8')).toEqual(new Uint8Array([0xfb, 0xff]));
	});

	it('round-trips any bytes', () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
				expect(base64urlToBytes(bytesToBase64url(bytes))).toEqual(bytes);
			})
		);
	});

	it('rejects padding, + and /, whitespace, impossible lengths and non-canonical trailing bits with malformed', () => {
		for (const text of ['Zg==', 'Zm8=', '+_8', '-/8', 'Zm9v ', 'Z', 'Zm9vY', 'Zh', 'Zm9', 'Zm9vYmF']) {
			expect(() => base64urlToBytes(text), text).toThrow(malformed);
		}
		expect(() => base64urlToBytes(null as unknown as string)).toThrow(malformed);
	});
});

describe('base64ToBytes', () => {
	it('decodes padded standard base64 as Node does', () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
				expect(base64ToBytes(Buffer.from(bytes).toString('base64'))).toEqual(bytes);
			})
		);
	});

	it('rejects missing or misplaced padding, url-safe characters and non-canonical bits with malformed', () => {
		for (const text of ['Zg', 'Zm8', 'Zg=', 'Z===', '====', 'Zg=A', '-_8=', 'Zh==', 'Zm9=', 'Zm9v\n']) {
			expect(() => base64ToBytes(text), text).toThrow(malformed);
		}
	});
});
