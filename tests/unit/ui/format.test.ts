import { describe, expect, it } from 'vitest';
import { ageOf, fieldLabel, formatInstant, formatValue, nameOf, shortHash } from '../../../src/lib/ui/format';
import { applyLocale } from '../../../src/lib/i18n/load';
import { joinList, withColon } from '../../../src/lib/i18n/format';
import type { Entity } from '../../../src/lib/core/appliers';

describe('ageOf', () => {
	it('counts whole years, a birthday later this year not yet', () => {
		const now = new Date(2026, 10, 23);
		expect(ageOf('1990-11-23', now)).toBe(36);
		expect(ageOf('1990-11-24', now)).toBe(35);
		expect(ageOf('2026-01-01', now)).toBe(0);
	});

	it('gives nothing for a date that is not YYYY-MM-DD or in the future', () => {
		expect(ageOf('23/11/1990')).toBeUndefined();
		expect(ageOf('2999-01-01', new Date(2026, 0, 1))).toBeUndefined();
	});
});

describe('fieldLabel and formatValue', () => {
	it('names data fields, members and bookkeeping fields for people', () => {
		expect(fieldLabel('data.givenName')).toBe('Given name');
		expect(fieldLabel('data.customField')).toBe('customField');
		expect(fieldLabel('members.m-1', new Map([['m-1', 'Amina Okello']]))).toBe('Member: Amina Okello');
		expect(fieldLabel('deleted')).toBe('Deleted');
	});

	it('shows absent values as a dash, booleans in words, sexes and roles by label', () => {
		expect(formatValue('data.phone', null)).toBe('—');
		expect(formatValue('deleted', true)).toBe('Yes');
		expect(formatValue('data.sex', 'female')).toBe('Female');
		expect(formatValue('members.m-1', { guid: 'm-1', role: 'head' })).toBe('Head');
		expect(formatValue('data.count', 3)).toBe('3');
	});

	it('shows calendar dates and instants as the language writes them, in every language', async () => {
		expect(formatValue('data.dateOfBirth', '1985-03-12')).toBe('12 Mar 1985');
		expect(formatValue('data.visitDate', '2026-02-01')).toBe('1 Feb 2026');
		expect(formatValue('data.dateOfBirth', '1985-02-30')).toBe('1985-02-30');
		expect(formatValue('data.code', '1985-03-12-A')).toBe('1985-03-12-A');
		await applyLocale('fr');
		expect(formatValue('data.dateOfBirth', '1985-03-12')).toBe('12 mars 1985');
		expect(formatInstant('2026-12-03T09:30:05.000Z')).toMatch(/^3 déc\. 2026/);
		await applyLocale('es');
		expect(formatValue('data.dateOfBirth', '1985-03-12')).toBe('12 mar 1985');
		await applyLocale('ar');
		expect(formatValue('data.dateOfBirth', '1985-03-12')).toBe('12 مارس 1985');
		await applyLocale('en');
		expect(formatInstant('2026-12-03T09:30:05.000Z')).toMatch(/^3 Dec 2026, \d\d:30:05$/);
	});
});

describe('nameOf and shortHash', () => {
	it('names an entity by its display name, or says it has none', () => {
		const entity: Entity = { guid: 'g', type: 'individual', data: { givenName: 'Amina', familyName: 'Okello' }, deleted: false, version: 1, createdAt: '', lastUpdated: '' };
		expect(nameOf(entity)).toBe('Amina Okello');
		expect(nameOf({ ...entity, data: {} })).toBe('(no name)');
		expect(shortHash('0123456789abcdef', 4)).toBe('0123…');
	});
});

describe('withColon', () => {
	it('writes the colon after a label as each language does', () => {
		expect(withColon('Code', 'en')).toBe('Code:');
		expect(withColon('Code', 'fr')).toBe('Code\u202f:');
		expect(withColon('Código', 'es')).toBe('Código:');
		expect(withColon('الرمز', 'ar')).toBe('الرمز:');
	});
});

describe('joinList', () => {
	it('joins names with the language’s comma', () => {
		expect(joinList(['Awa', 'Moussa'], 'en')).toBe('Awa, Moussa');
		expect(joinList(['Awa', 'Moussa'], 'fr')).toBe('Awa, Moussa');
		expect(joinList(['Awa', 'Moussa'], 'es')).toBe('Awa, Moussa');
		expect(joinList(['Awa', 'Moussa', 'عائشة'], 'ar')).toBe('Awa، Moussa، عائشة');
		expect(joinList(['Awa'], 'ar')).toBe('Awa');
	});
});
