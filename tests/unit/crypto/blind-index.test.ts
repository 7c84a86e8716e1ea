import { describe, expect, it } from 'vitest';
import { generateDataKey } from '../../../src/lib/crypto/keys';
import { MAX_PREFIX, queryTokens, searchToken, searchTokens, searchWords, TOKEN_HEX_LENGTH } from '../../../src/lib/crypto/blind-index';

const key = generateDataKey();

describe('searchWords', () => {
	it('folds case and accents and splits on anything but letters and digits', () => {
		expect(searchWords('José-María  GARCÍA, ID 0042')).toEqual(['jose', 'maria', 'garcia', 'id', '0042']);
	});

	it('folds compatibility forms such as full-width letters and ligatures', () => {
		expect(searchWords('ＡＢＣ ﬁne')).toEqual(['abc', 'fine']);
	});

	it('keeps letters of other scripts and drops repeats', () => {
		expect(searchWords('Амина амина 李 李')).toEqual(['амина', '李']);
	});

	it('gives no words for punctuation only', () => {
		expect(searchWords(' -- , ')).toEqual([]);
	});
});

describe('searchTokens', () => {
	it('gives one token per prefix of 1 to 12 characters of each word', () => {
		expect(searchTokens(key, 'Amina')).toHaveLength(5);
		expect(searchTokens(key, 'Abdirahmanoglu')).toHaveLength(MAX_PREFIX);
		// "am" and "ab" share the one-letter prefix "a".
		expect(searchTokens(key, 'Amina Abdi')).toHaveLength(5 + 4 - 1);
	});

	it('gives tokens of 16 hex digits', () => {
		for (const t of searchTokens(key, 'Amina Yusuf')) expect(t).toMatch(new RegExp(`^[0-9a-f]{${TOKEN_HEX_LENGTH}}$`));
	});

	it('holds the token of every prefix a person may type, whatever its case and accents', () => {
		const stored = new Set(searchTokens(key, 'José-María García'));
		for (const typed of ['j', 'JO', 'jose', 'Jos\u00e9', 'mar', 'MARÍA', 'garc', 'García']) {
			expect(stored.has(searchToken(key, typed)!), typed).toBe(true);
		}
	});

	it('does not hold the token of a word that is no prefix', () => {
		const stored = new Set(searchTokens(key, 'Amina Yusuf'));
		for (const typed of ['mina', 'yusufa', 'b', 'usuf']) expect(stored.has(searchToken(key, typed)!), typed).toBe(false);
	});

	it('matches a word longer than 12 characters by its first 12', () => {
		const stored = new Set(searchTokens(key, 'Abdirahmanoglu'));
		expect(stored.has(searchToken(key, 'abdirahmanog')!)).toBe(true);
		expect(stored.has(searchToken(key, 'abdirahmanoglu')!)).toBe(true);
	});

	it('gives different tokens under a different key', () => {
		const other = generateDataKey();
		const mine = new Set(searchTokens(key, 'Amina Yusuf'));
		for (const t of searchTokens(other, 'Amina Yusuf')) expect(mine.has(t)).toBe(false);
		expect(searchToken(other, 'amina')).not.toBe(searchToken(key, 'amina'));
	});

	it('contains no clear text of the name, not even hex-encoded', () => {
		const joined = searchTokens(key, 'Amina Yusuf').join(' ');
		expect(joined).not.toMatch(/amina|yusuf/i);
		expect(joined).not.toContain(Buffer.from('amin').toString('hex'));
	});

	it('gives nothing for an empty text', () => {
		expect(searchTokens(key, '')).toEqual([]);
	});
});

describe('searchToken and queryTokens', () => {
	it('are undefined / empty for a query without words', () => {
		expect(searchToken(key, ' ,, ')).toBeUndefined();
		expect(queryTokens(key, ' ,, ')).toEqual([]);
	});

	it('searchToken reads the first word; queryTokens gives one token per word', () => {
		expect(searchToken(key, 'am yu')).toBe(searchToken(key, 'am'));
		expect(queryTokens(key, 'am yu am')).toEqual([searchToken(key, 'am'), searchToken(key, 'yu')]);
	});
});
