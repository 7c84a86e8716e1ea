/**
 * A programme form's labels follow the interface's language when the form has it (its column
 * `label::Français (fr)`), and its default language otherwise.
 */
import { describe, expect, it } from 'vitest';
import { formLanguageFor, labelsOf } from '../../../src/lib/ui/form-labels';
import type { FormDefinition } from '../../../src/lib/core/forms/definition';

const definition = {
	formId: 'reg',
	version: '1',
	title: 'Registration',
	languages: [
		{ key: 'English (en)', code: 'en', rtl: false },
		{ key: 'Français (fr)', code: 'fr', rtl: false },
		{ key: 'العربية (ar)', code: 'ar', rtl: true }
	],
	defaultLanguage: 'English (en)',
	fields: [
		{
			name: 'first',
			path: '/data/first',
			type: 'select-one',
			saveTo: 'givenName',
			label: { 'English (en)': 'First name', 'Français (fr)': 'Prénom', 'العربية (ar)': 'الاسم الأول' },
			choices: [{ value: 'a', label: { 'English (en)': 'Yes', 'Français (fr)': 'Oui', 'العربية (ar)': 'نعم' } }]
		}
	],
	repeats: []
} as unknown as FormDefinition;

describe('form labels in the interface language', () => {
	it('picks the form language whose code is the interface language, else the default', () => {
		expect(formLanguageFor(definition, 'fr')).toBe('Français (fr)');
		expect(formLanguageFor(definition, 'ar')).toBe('العربية (ar)');
		expect(formLanguageFor(definition, 'es')).toBe('English (en)');
		expect(formLanguageFor(definition, undefined)).toBe('English (en)');
	});

	it('labels and choice values follow it', () => {
		expect(labelsOf(definition, 'fr').label('givenName')).toBe('Prénom');
		expect(labelsOf(definition, 'fr').value('givenName', 'a')).toBe('Oui');
		expect(labelsOf(definition, 'ar').label('givenName')).toBe('الاسم الأول');
		expect(labelsOf(definition, 'es').label('givenName')).toBe('First name');
		expect(labelsOf(definition).label('givenName')).toBe('First name');
	});
});
