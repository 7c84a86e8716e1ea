/**
 * The default forms are the built-in registration: the same answers are accepted or refused by the
 * register-individual and create-group commands and by the forms, and an accepted one records the
 * same data, field by field.
 */
import { describe, expect, it } from 'vitest';
import { decide, type Command } from '../../../../src/lib/core/commands';
import { DEFAULT_HOUSEHOLD_FORM, DEFAULT_INDIVIDUAL_FORM } from '../../../../src/lib/core/forms/defaults';
import { checkDefinition, decideSubmission } from '../../../../src/lib/core/forms/submit';

const NOW = new Date(Date.UTC(2026, 5, 1, 12, 0, 0));
const env = { now: () => NOW, newGuid: () => '01900000-0000-7000-8000-000000000001', userId: 'u1' };

const VALID = { givenName: 'Amina', familyName: 'Diallo', sex: 'female', dateOfBirth: '1987-05-02' };

/** One change each to a valid person, both sides of every rule. */
const PEOPLE: Record<string, string>[] = [
	VALID,
	{ ...VALID, givenName: '' },
	{ ...VALID, givenName: '  Amina  ' },
	{ ...VALID, givenName: 'x'.repeat(100) },
	{ ...VALID, givenName: 'x'.repeat(101) },
	{ ...VALID, familyName: '   ' },
	{ ...VALID, sex: 'robot' },
	{ ...VALID, sex: 'unknown' },
	{ ...VALID, dateOfBirth: '1987-02-30' },
	{ ...VALID, dateOfBirth: '87-05-02' },
	{ ...VALID, dateOfBirth: '2026-06-02' },
	{ ...VALID, dateOfBirth: '2026-06-03' },
	// 150 years before 2026-06-01T12:00Z, at 365.25 days a year, falls on 1876-05-31.
	{ ...VALID, dateOfBirth: '1876-05-31' },
	{ ...VALID, dateOfBirth: '1876-05-30' },
	{ ...VALID, phone: '+221 77 123 45 67' },
	{ ...VALID, phone: '12345' },
	{ ...VALID, phone: '123456' },
	{ ...VALID, phone: '1234567890123456' },
	{ ...VALID, phone: '077-123' },
	{ ...VALID, phone: '' },
	{ ...VALID, nationalId: 'AB-12/34.5' },
	{ ...VALID, nationalId: '-AB' },
	{ ...VALID, nationalId: 'x'.repeat(51) },
	{ ...VALID, address: 'Kébémer', notes: 'n'.repeat(2000) },
	{ ...VALID, notes: 'n'.repeat(2001) }
];

function outcome(run: () => { data: Record<string, unknown> }): { ok: true; data: Record<string, unknown> } | { ok: false; fields: string[] } {
	try {
		return { ok: true, data: run().data };
	} catch (e) {
		return { ok: false, fields: Object.keys((e as { fields?: Record<string, string> }).fields ?? {}).sort() };
	}
}

describe('the default individual form', () => {
	it('is a valid definition', () => {
		expect(checkDefinition(structuredClone(DEFAULT_INDIVIDUAL_FORM))).toEqual(DEFAULT_INDIVIDUAL_FORM);
	});

	for (const person of PEOPLE) {
		it(`decides as register-individual does for ${JSON.stringify(person).slice(0, 90)}`, () => {
			const byCommand = outcome(() => decide({ type: 'register-individual', ...person } as Command, new Map(), env)[0]!);
			const byForm = outcome(() => decideSubmission(DEFAULT_INDIVIDUAL_FORM, { formId: DEFAULT_INDIVIDUAL_FORM.formId, version: '1', answers: person }, undefined, env));
			expect(byForm).toEqual(byCommand);
		});
	}
});

describe('the default household form', () => {
	for (const household of [{ name: 'Diallo' }, { name: '' }, { name: 'x'.repeat(201) }, { name: 'Sow', address: 'Thiès' }, { name: 'Sow', address: 'a'.repeat(501) }]) {
		it(`decides as create-group does for ${JSON.stringify(household).slice(0, 60)}`, () => {
			const byCommand = outcome(() => decide({ type: 'create-group', ...household } as Command, new Map(), env)[0]!);
			const byForm = outcome(() => decideSubmission(DEFAULT_HOUSEHOLD_FORM, { formId: DEFAULT_HOUSEHOLD_FORM.formId, version: '1', answers: household }, undefined, env));
			expect(byForm).toEqual(byCommand);
		});
	}
});
