import { describe, expect, it } from 'vitest';
import { computeForm, initialAnswers, submissionData, answersFromData } from '../../../../src/lib/core/forms/engine';
import type { FormDefinition } from '../../../../src/lib/core/forms/definition';
import { parseXForm } from '../../../../src/lib/core/forms/parse';
import { HOUSEHOLD_SURVEY, individualRegistration } from './xforms';

const NOW = new Date(2026, 11, 3, 10, 0);

function definitionOf(xml: string): FormDefinition {
	const parsed = parseXForm(xml);
	return { ...parsed.definition, purpose: parsed.purpose ?? { kind: 'event', eventType: 'visit-recorded' } };
}

const survey = definitionOf(HOUSEHOLD_SURVEY);
const complete = { head_name: 'Fatima Haddad', size: '5', children: '2', water: 'well', water_other: '', assets: 'radio livestock', visit_date: '2026-12-01' };

describe('computeForm on the household survey', () => {
	it('accepts a complete household and computes the adults', () => {
		const state = computeForm(survey, complete, NOW);
		expect(state.problems).toEqual({});
		expect(state.values.adults).toBe('3');
	});

	it('starts from the defaults of the form', () => {
		expect(initialAnswers(survey).children).toBe('0');
	});

	it('asks "which other source" only when the water source is other, and then requires it', () => {
		expect(computeForm(survey, complete, NOW).relevant.has('water_other')).toBe(false);
		const other = computeForm(survey, { ...complete, water: 'other' }, NOW);
		expect(other.relevant.has('water_other')).toBe(true);
		expect(other.problems.water_other).toEqual({ kind: 'required' });
	});

	it('skips the vulnerability group for a household of two, and clears the answers inside it', () => {
		const small = computeForm(survey, { ...complete, size: '2', children: '1' }, NOW);
		expect(small.relevant.has('assets')).toBe(false);
		expect(small.relevant.has('visit_date')).toBe(false);
		expect(small.values.assets).toBe('');
		expect(submissionData(survey, small)).not.toHaveProperty('assets');
	});

	it('refuses a size outside 1 to 30 with the form message in both languages', () => {
		const state = computeForm(survey, { ...complete, size: '31' }, NOW);
		expect(state.problems.size).toEqual({ kind: 'constraint', message: { 'English (en)': 'Between 1 and 30 people', 'Arabic (ar)': 'بين 1 و 30 شخصا' } });
	});

	it('refuses more children than people, a constraint across two questions', () => {
		expect(computeForm(survey, { ...complete, children: '6' }, NOW).problems.children?.kind).toBe('constraint');
	});

	it('refuses a visit date in the future and a date that does not exist', () => {
		expect(computeForm(survey, { ...complete, visit_date: '2026-12-04' }, NOW).problems.visit_date?.kind).toBe('constraint');
		expect(computeForm(survey, { ...complete, visit_date: '2026-02-30' }, NOW).problems.visit_date?.kind).toBe('type');
	});

	it('refuses a size that is not a whole number', () => {
		expect(computeForm(survey, { ...complete, size: '4.5' }, NOW).problems.size?.kind).toBe('type');
	});

	it('refuses a choice that is not in the list, for select one and select multiple', () => {
		expect(computeForm(survey, { ...complete, water: 'river' }, NOW).problems.water?.kind).toBe('choice');
		expect(computeForm(survey, { ...complete, assets: 'radio car' }, NOW).problems.assets?.kind).toBe('choice');
	});

	it('requires the head of household', () => {
		expect(computeForm(survey, { ...complete, head_name: '  ' }, NOW).problems.head_name?.kind).toBe('required');
	});
});

describe('submissionData', () => {
	it('saves each answer under the property it saves to, numbers as numbers, calculations included, notes not', () => {
		const data = submissionData(survey, computeForm(survey, complete, NOW));
		expect(data).toEqual({ head_name: 'Fatima Haddad', size: 5, children: 2, adults: '3', water: 'well', assets: 'radio livestock', visit_date: '2026-12-01' });
	});

	it('reads a record back into answers by the same properties', () => {
		const registration = definitionOf(individualRegistration());
		expect(answersFromData(registration, { givenName: 'Amina', familyName: 'Diallo', income: 12.5 })).toEqual({ first_name: 'Amina', last_name: 'Diallo', income: '12.5' });
	});
});
