import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCasetrailError } from '../../../src/lib/core/errors';
import { generateDataKey } from '../../../src/lib/crypto/keys';
import { NONCE_BYTES, open, openJson, openText, seal, SEAL_OVERHEAD, sealJson, sealText, storageKeys } from '../../../src/lib/crypto/seal';

function codeOf(f: () => unknown): string | undefined {
	try {
		f();
		return undefined;
	} catch (e) {
		return isCasetrailError(e) ? e.code : `not a CasetrailError: ${String(e)}`;
	}
}

const key = generateDataKey();

describe('seal / open', () => {
	it('round-trips any bytes with any associated data', () => {
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 600 }), fc.string(), (plain, aad) => {
				const sealed = seal(key, plain, aad);
				expect(sealed.length).toBe(plain.length + SEAL_OVERHEAD);
				expect(open(key, sealed, aad)).toEqual(plain);
			})
		);
	});

	it('uses a fresh nonce each time, so equal values look unrelated', () => {
		const a = sealText(key, 'Amina Yusuf');
		const b = sealText(key, 'Amina Yusuf');
		expect(a.subarray(0, NONCE_BYTES)).not.toEqual(b.subarray(0, NONCE_BYTES));
		expect(a).not.toEqual(b);
	});

	it('keeps no plain text in the sealed bytes', () => {
		const sealed = sealText(key, '{"name":"Amina Yusuf","phone":"+254700000001"}');
		const latin = Buffer.from(sealed).toString('latin1');
		expect(latin).not.toContain('Amina');
		expect(latin).not.toContain('254700');
	});

	describe('when the ciphertext was tampered with', () => {
		it('rejects every single flipped bit with decryption-failed', () => {
			const sealed = sealText(key, 'Amina Yusuf');
			for (let i = 0; i < sealed.length; i++) {
				const bad = sealed.slice();
				bad[i]! ^= 0x01;
				expect(codeOf(() => open(key, bad))).toBe('decryption-failed');
			}
		});

		it('rejects a truncated value', () => {
			const sealed = sealText(key, 'Amina Yusuf');
			expect(codeOf(() => open(key, sealed.subarray(0, sealed.length - 1)))).toBe('decryption-failed');
			expect(codeOf(() => open(key, sealed.subarray(0, SEAL_OVERHEAD - 1)))).toBe('decryption-failed');
		});
	});

	describe('when the value was moved to another row', () => {
		it('rejects it because the associated data differs', () => {
			const sealed = sealJson(key, { name: 'Amina' }, 'entity:e-1');
			expect(openJson(key, sealed, 'entity:e-1')).toEqual({ name: 'Amina' });
			expect(codeOf(() => open(key, sealed, 'entity:e-2'))).toBe('decryption-failed');
			expect(codeOf(() => open(key, sealed))).toBe('decryption-failed');
		});
	});

	it('rejects a value sealed under another key', () => {
		const sealed = sealText(key, 'Amina Yusuf');
		expect(codeOf(() => open(generateDataKey(), sealed))).toBe('decryption-failed');
	});

	it('refuses a key that is not 32 bytes', () => {
		expect(codeOf(() => seal(new Uint8Array(16), new Uint8Array(1)))).toBe('out-of-range');
	});
});

describe('sealText / openText and sealJson / openJson', () => {
	it('round-trips text with characters outside the BMP', () => {
		const text = 'Nguyễn Thị 🌿 "quoted"\n';
		expect(openText(key, sealText(key, text, 'x'), 'x')).toBe(text);
	});

	it('round-trips JSON values', () => {
		fc.assert(
			fc.property(fc.jsonValue(), (value) => {
				// JSON.stringify turns -0 into 0; compare through the same serialization.
				expect(openJson(key, sealJson(key, value))).toEqual(JSON.parse(JSON.stringify(value)));
			}),
			{ numRuns: 200 }
		);
	});
});

describe('storageKeys', () => {
	it('derives two different 32-byte keys, the same ones every time, none equal to the data key', () => {
		const a = storageKeys(key);
		const b = storageKeys(key);
		expect(a.seal.length).toBe(32);
		expect(a.index.length).toBe(32);
		expect(a.seal).toEqual(b.seal);
		expect(a.index).toEqual(b.index);
		expect(a.seal).not.toEqual(a.index);
		expect(a.seal).not.toEqual(key);
		expect(storageKeys(generateDataKey()).seal).not.toEqual(a.seal);
	});
});
