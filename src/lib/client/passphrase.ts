/**
 * The strength hint shown while someone chooses a passphrase. Only a hint: the store decides what is
 * accepted (crypto/keys.ts checkSecret, at least MIN_PASSPHRASE_LENGTH characters), and this never
 * refuses more than that. Pure, so the page and the tests share it.
 */
import { MIN_PASSPHRASE_LENGTH } from '../crypto/keys';

/** How hard a passphrase is to guess, from 'too-short' (refused by the store) to 'strong'. */
export type Strength = 'too-short' | 'weak' | 'fair' | 'strong';

export interface StrengthReport {
	strength: Strength;
	/** Characters still needed to reach the store's minimum; 0 once it is reached. */
	missing: number;
}

/**
 * Passwords that lead every leaked-password list, and this app's own name: long enough for the
 * minimum, guessed first by anyone.
 */
const COMMON = new Set(['password', 'password1', '12345678', '123456789', '1234567890', 'qwertyui', 'qwerty123', 'iloveyou', 'casetrail', '11111111', '87654321', 'abcdefgh']);

/**
 * The strength of `secret` as the store counts it (NFC code points). 'too-short' below the
 * minimum; 'weak' for a common password, a run of one repeated or sequential character, or fewer
 * than 5 distinct characters; 'strong' from 20 characters, or 16 with at least 3 words; 'fair'
 * otherwise. Length counts for more than symbols: several words beat a short jumble (NIST SP 800-63B).
 */
export function passphraseStrength(secret: string): StrengthReport {
	const chars = [...secret.normalize('NFC')];
	if (chars.length < MIN_PASSPHRASE_LENGTH) return { strength: 'too-short', missing: MIN_PASSPHRASE_LENGTH - chars.length };
	const lower = chars.join('').toLowerCase();
	const distinct = new Set(lower).size;
	if (COMMON.has(lower) || distinct < 5 || isSequence(lower)) return { strength: 'weak', missing: 0 };
	const words = lower.split(/[\s\-_.,]+/).filter((w) => w.length >= 2).length;
	if (chars.length >= 20 || (chars.length >= 16 && words >= 3)) return { strength: 'strong', missing: 0 };
	return { strength: 'fair', missing: 0 };
}

/** True for a run like "abcdefgh" or "98765432": each character one code point from the last. */
function isSequence(text: string): boolean {
	const points = [...text].map((c) => c.codePointAt(0) ?? 0);
	const step = (points[1] ?? 0) - (points[0] ?? 0);
	if (step !== 1 && step !== -1) return false;
	return points.every((p, i) => i === 0 || p - (points[i - 1] ?? 0) === step);
}
