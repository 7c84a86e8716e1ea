import { describe, expect, it } from 'vitest';
import { generateDataKey } from '../../../src/lib/crypto/keys';
import { PREFIX_LENGTHS, queryTokens, searchToken, searchTokens, searchWords, TOKEN_HEX_LENGTH } from '../../../src/lib/crypto/blind-index';

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
	it('issue 15: gives one token per indexed prefix length (1, 3, 5, 8, 12) a word reaches, not one per character', () => {
		expect(PREFIX_LENGTHS).toEqual([1, 3, 5, 8, 12]);
		expect(searchTokens(key, 'Amina')).toHaveLength(3);
		expect(searchTokens(key, 'Abdirahmanoglu')).toHaveLength(5);
		// A word's exact length is not told: four and three letters give the same count.
		expect(searchTokens(key, 'Abdi')).toHaveLength(searchTokens(key, 'Ali').length);
		// "amina" and "abdi" share the one-letter prefix "a".
		expect(searchTokens(key, 'Amina Abdi')).toHaveLength(3 + 2 - 1);
	});

	it('issue 15: stores the tokens as an unordered set: sorted by value, the same whatever the order of the words', () => {
		const tokens = searchTokens(key, 'Amina Yusuf Okello');
		expect(tokens).toEqual([...tokens].sort());
		expect(searchTokens(key, 'Okello Amina Yusuf')).toEqual(tokens);
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

	it('does not hold the token of a word whose looked-up prefix is no prefix of a name word', () => {
		const stored = new Set(searchTokens(key, 'Amina Yusuf'));
		for (const typed of ['mina', 'b', 'usuf', 'yub', 'amx']) expect(stored.has(searchToken(key, typed)!), typed).toBe(false);
	});

	it('looks a word up by its longest indexed prefix: "yusufa" finds the candidate Yusuf, which the caller then filters out', () => {
		expect(searchToken(key, 'yusufa')).toBe(searchToken(key, 'yusuf'));
		expect(searchToken(key, 'am')).toBe(searchToken(key, 'a'));
		expect(searchToken(key, 'amin')).toBe(searchToken(key, 'ami'));
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
