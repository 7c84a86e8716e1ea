import { describe, expect, it } from 'vitest';
import { isCasetrailError } from '../../../src/lib/core/errors';
import {
	checkSecret,
	generateDataKey,
	KEY_BYTES,
	makeUserKeyPair,
	MIN_ITERATIONS,
	openPrivateKey,
	PUBLIC_KEY_BYTES,
	SALT_BYTES,
	unwrapDataKey,
	unwrapFromPublicSlot,
	wrapDataKey,
	wrapToPublicKey,
	WRAPPED_BYTES,
	type WrappedKey
} from '../../../src/lib/crypto/keys';

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
	try {
		await p;
		return undefined;
	} catch (e) {
		return isCasetrailError(e) ? e.code : `not a CasetrailError: ${String(e)}`;
	}
}

describe('generateDataKey', () => {
	it('makes a different 256-bit key each time', () => {
		const a = generateDataKey();
		const b = generateDataKey();
		expect(a.length).toBe(KEY_BYTES);
		expect(a).not.toEqual(b);
	});
});

describe('wrapDataKey / unwrapDataKey', () => {
	const dataKey = generateDataKey();

	it('unwraps the same data key with the same passphrase and owner', async () => {
		const slot = await wrapDataKey(dataKey, 'correct horse battery', 'u-1');
		expect(slot.kdf).toBe('PBKDF2-SHA-256');
		expect(slot.iterations).toBeGreaterThanOrEqual(600_000);
		expect(slot.salt.length).toBe(SALT_BYTES);
		expect(slot.wrapped.length).toBe(WRAPPED_BYTES);
		expect(await unwrapDataKey(slot, 'correct horse battery', 'u-1')).toEqual(dataKey);
	});

	it('stores neither the key nor the passphrase in the slot', async () => {
		const slot = await wrapDataKey(dataKey, 'correct horse battery', 'u-1');
		const hay = Buffer.from(slot.wrapped).toString('hex') + Buffer.from(slot.salt).toString('hex');
		expect(hay).not.toContain(Buffer.from(dataKey).toString('hex').slice(0, 16));
		expect(Buffer.from(slot.wrapped).toString('latin1')).not.toContain('horse');
	});

	it('uses a fresh salt each time, so two users with one passphrase get different slots', async () => {
		const a = await wrapDataKey(dataKey, 'same passphrase', 'u-1');
		const b = await wrapDataKey(dataKey, 'same passphrase', 'u-1');
		expect(a.salt).not.toEqual(b.salt);
		expect(a.wrapped).not.toEqual(b.wrapped);
	});

	it('treats composed and decomposed accents as the same passphrase', async () => {
		const slot = await wrapDataKey(dataKey, 'café au lait', 'u-1');
		expect(await unwrapDataKey(slot, 'cafe\u0301 au lait', 'u-1')).toEqual(dataKey);
	});

	describe('when the passphrase is wrong', () => {
		it('throws wrong-passphrase', async () => {
			const slot = await wrapDataKey(dataKey, 'correct horse battery', 'u-1');
			expect(await codeOf(unwrapDataKey(slot, 'correct horse batterY', 'u-1'))).toBe('wrong-passphrase');
		});
	});

	describe('when the slot is moved to another user', () => {
		it('throws wrong-passphrase even with the right passphrase', async () => {
			const slot = await wrapDataKey(dataKey, 'correct horse battery', 'u-1');
			expect(await codeOf(unwrapDataKey(slot, 'correct horse battery', 'u-2'))).toBe('wrong-passphrase');
		});
	});

	describe('when the stored slot is damaged', () => {
		it('refuses a wrapped key of the wrong length with decryption-failed', async () => {
			const slot = await wrapDataKey(dataKey, 'correct horse battery', 'u-1');
			const damaged: WrappedKey = { ...slot, wrapped: slot.wrapped.slice(1) };
			expect(await codeOf(unwrapDataKey(damaged, 'correct horse battery', 'u-1'))).toBe('decryption-failed');
		});

		it('refuses an absurd iteration count before deriving anything', async () => {
			const slot = await wrapDataKey(dataKey, 'correct horse battery', 'u-1');
			expect(await codeOf(unwrapDataKey({ ...slot, iterations: 1e12 }, 'correct horse battery', 'u-1'))).toBe('decryption-failed');
		});

		it('does not open when one byte of the wrapped key changed', async () => {
			const slot = await wrapDataKey(dataKey, 'correct horse battery', 'u-1');
			const wrapped = slot.wrapped.slice();
			wrapped[20]! ^= 1;
			expect(await codeOf(unwrapDataKey({ ...slot, wrapped }, 'correct horse battery', 'u-1'))).toBe('wrong-passphrase');
		});
	});

	it(`refuses fewer than ${MIN_ITERATIONS} iterations for a new wrap`, async () => {
		expect(await codeOf(wrapDataKey(dataKey, 'correct horse battery', 'u-1', MIN_ITERATIONS - 1))).toBe('out-of-range');
	});

	it('refuses a data key that is not 32 bytes', async () => {
		expect(await codeOf(wrapDataKey(new Uint8Array(16), 'correct horse battery', 'u-1'))).toBe('out-of-range');
	});
});

describe('checkSecret', () => {
	function problem(kind: 'passphrase' | 'pin', secret: string): string | undefined {
		try {
			checkSecret(kind, secret);
			return undefined;
		} catch (e) {
			return isCasetrailError(e) && e.code === 'validation-failed' ? e.fields?.secret : 'unexpected error';
		}
	}

	it('accepts a passphrase of 8 characters and refuses one of 7', () => {
		expect(problem('passphrase', 'abcdefgh')).toBeUndefined();
		expect(problem('passphrase', 'abcdefg')).toMatch(/at least 8 characters/);
	});

	it('accepts a PIN of 6 to 12 digits only', () => {
		expect(problem('pin', '123456')).toBeUndefined();
		expect(problem('pin', '123456789012')).toBeUndefined();
		expect(problem('pin', '12345')).toMatch(/6 to 12 digits/);
		expect(problem('pin', '1234567890123')).toMatch(/6 to 12 digits/);
		expect(problem('pin', '12345a')).toMatch(/digits only/);
	});
});

describe('user key pairs (decision 0007)', () => {
	it('wrap the data key to the public key; the private key opens only with the passphrase and the owner', async () => {
		const dataKey = generateDataKey();
		const pair = await makeUserKeyPair(dataKey, 'correct horse battery', 'u-1');
		expect(pair.publicKey.length).toBe(PUBLIC_KEY_BYTES);
		const privateKey = await openPrivateKey(pair, 'correct horse battery', 'u-1');
		expect(await unwrapFromPublicSlot(pair.dataKey, privateKey, pair.publicKey, 'u-1')).toEqual(dataKey);
		expect(await codeOf(openPrivateKey(pair, 'correct horse batterY', 'u-1'))).toBe('wrong-passphrase');
		expect(await codeOf(openPrivateKey(pair, 'correct horse battery', 'u-2'))).toBe('wrong-passphrase');
		// A slot wrapped for another owner (moved between rows) does not open.
		const other = await wrapToPublicKey(generateDataKey(), pair.publicKey, 'u-2');
		expect(await codeOf(unwrapFromPublicSlot(other, privateKey, pair.publicKey, 'u-1'))).toBe('decryption-failed');
	});

	it('a new key wrapped to the public key, without the passphrase, opens with it', async () => {
		const pair = await makeUserKeyPair(generateDataKey(), 'correct horse battery', 'u-1');
		const next = generateDataKey();
		const slot = await wrapToPublicKey(next, pair.publicKey, 'u-1');
		const privateKey = await openPrivateKey(pair, 'correct horse battery', 'u-1');
		expect(await unwrapFromPublicSlot(slot, privateKey, pair.publicKey, 'u-1')).toEqual(next);
	});
});
