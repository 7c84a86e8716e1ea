/**
 * Search folding and name order in the four languages: what a case worker types finds the name
 * however it was recorded (accents, Arabic short vowels and letter forms), and lists the page sorts
 * follow the language's collation.
 */
import { describe, expect, it } from 'vitest';
import { normalizeText, sortNameOf, wordsOf } from '../../../src/lib/store/search';
import { compareNames, sortByName } from '../../../src/lib/i18n/collate';
import { textDir } from '../../../src/lib/i18n/bidi';
import type { Entity } from '../../../src/lib/core/appliers/entity';

const person = (givenName: string, familyName: string): Entity =>
	({ guid: givenName, type: 'individual', data: { givenName, familyName }, version: 1, createdAt: '', lastUpdated: '', deleted: false }) as unknown as Entity;

describe('search folding', () => {
	it('French and Spanish accents, cedilla, tilde and diaeresis fold to the bare letter', () => {
		expect(normalizeText('François Lefèvre')).toBe('francois lefevre');
		expect(normalizeText('Hélène Çelik')).toBe('helene celik');
		expect(normalizeText('Ñuñez Peña')).toBe('nunez pena');
		expect(normalizeText('Müller Noël')).toBe('muller noel');
		expect(normalizeText('ÁLVARO GARCÍA')).toBe('alvaro garcia');
	});

	it('ligatures and sharp s are spelt out', () => {
		expect(normalizeText('Œuvre Lætitia Straße')).toBe('oeuvre laetitia strasse');
	});

	it('Arabic loses its short vowels, shadda and sukun (tashkeel)', () => {
		expect(normalizeText('مُحَمَّد')).toBe('محمد');
		expect(normalizeText('عَبْدُ ٱللَّٰه')).toBe('عبد الله');
	});

	it('Arabic alef forms are one alef, alef maksura is yeh, teh marbuta is heh', () => {
		expect(normalizeText('أحمد')).toBe('احمد');
		expect(normalizeText('إبراهيم')).toBe('ابراهيم');
		expect(normalizeText('آمنة')).toBe('امنه');
		expect(normalizeText('مصطفى')).toBe('مصطفي');
		expect(normalizeText('فاطمة')).toBe(normalizeText('فاطمه'));
	});

	it('the tatweel is not part of a word', () => {
		expect(wordsOf('محـــمد')).toEqual(['محمد']);
	});

	it('Arabic-Indic and Persian digits are the digits 0-9', () => {
		expect(wordsOf('رقم ١٢٣٤٥')).toEqual(['رقم', '12345']);
		expect(wordsOf('۱۲۳')).toEqual(['123']);
	});

	it('a name typed without marks finds the name recorded with them, by prefix of its words', () => {
		const recorded = wordsOf('أَحْمَد الخَطِيب');
		const typed = wordsOf('احمد الخط');
		expect(typed.every((t) => recorded.some((w) => w.startsWith(t)))).toBe(true);
	});

	it('ASCII text is only lower-cased', () => {
		expect(normalizeText('Awa Diallo 42')).toBe('awa diallo 42');
	});
});

describe('name order', () => {
	it('the stored sort key puts accented names with their bare letter, and Arabic in alphabetical order', () => {
		const latin = ['Zoé Abel', 'Émile Roux', 'Eric Blanc', 'Ángel Ruiz'].map((n) => sortNameOf(person(n.split(' ')[0] ?? '', n.split(' ')[1] ?? '')));
		expect([...latin].sort()).toEqual(['angel ruiz', 'emile roux', 'eric blanc', 'zoe abel']);
		// ب before ت before ي: the Unicode order of the Arabic letters is the alphabetical order.
		const arabic = ['يوسف', 'تامر', 'بشير', 'أحمد'].map((n) => sortNameOf(person(n, '')));
		expect([...arabic].sort()).toEqual(['احمد', 'بشير', 'تامر', 'يوسف']);
	});

	it('the page sorts names by the language’s collation', () => {
		expect(sortByName(['Zoé', 'émile', 'Eric', 'Awa 10', 'Awa 2'], (n) => n, 'fr')).toEqual(['Awa 2', 'Awa 10', 'émile', 'Eric', 'Zoé']);
		expect(sortByName(['Ñuño', 'Nora', 'Oscar'], (n) => n, 'es')).toEqual(['Nora', 'Ñuño', 'Oscar']);
		expect(sortByName(['يوسف', 'بشير', 'أحمد'], (n) => n, 'ar')).toEqual(['أحمد', 'بشير', 'يوسف']);
		expect(compareNames('emile', 'Émile', 'fr')).toBe(0);
	});
});

describe('direction of a value', () => {
	it('a value without letters reads left to right; one with letters takes the direction of its first', () => {
		expect(textDir('0772 000 111')).toBe('ltr');
		expect(textDir('+256 772 100 200')).toBe('ltr');
		expect(textDir('—')).toBe('ltr');
		expect(textDir('فاطمة')).toBe('auto');
		expect(textDir('CF-1990-0314')).toBe('auto');
	});
});
