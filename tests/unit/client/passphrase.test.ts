import { describe, expect, it } from 'vitest';
import { checkSecret, MIN_PASSPHRASE_LENGTH } from '../../../src/lib/crypto/keys';
import { passphraseStrength } from '../../../src/lib/client/passphrase';

describe('passphraseStrength', () => {
	it('counts the characters missing below the store minimum, as the store counts them (NFC)', () => {
		expect(passphraseStrength('')).toEqual({ strength: 'too-short', missing: MIN_PASSPHRASE_LENGTH });
		expect(passphraseStrength('abc')).toEqual({ strength: 'too-short', missing: MIN_PASSPHRASE_LENGTH - 3 });
		// "é" typed as e + combining accent is one character after NFC, as checkSecret sees it.
		const decomposed = 'cafe\u0301bar';
		expect(passphraseStrength(decomposed)).toEqual({ strength: 'too-short', missing: MIN_PASSPHRASE_LENGTH - 7 });
	});

	it('says too-short exactly when the store refuses the passphrase', () => {
		for (const secret of ['', 'seven77', 'eight888', 'cafe\u0301bars', 'ünïcödé!']) {
			let refused = false;
			try {
				checkSecret('passphrase', secret);
			} catch {
				refused = true;
			}
			expect(passphraseStrength(secret).strength === 'too-short', secret).toBe(refused);
		}
	});

	it('calls common passwords, repeated characters and runs weak', () => {
		for (const secret of ['password', 'PASSWORD1', '12345678', 'aaaaaaaaaaaa', 'abababababab', 'abcdefghij', '98765432', 'casetrail']) {
			expect(passphraseStrength(secret).strength, secret).toBe('weak');
		}
	});

	it('calls several words strong and a short mix fair', () => {
		expect(passphraseStrength('blue river tea garden').strength).toBe('strong');
		expect(passphraseStrength('tea at six o-clock').strength).toBe('strong');
		expect(passphraseStrength('Tr0ub4dor&3').strength).toBe('fair');
		expect(passphraseStrength('river garden').strength).toBe('fair');
	});
});
