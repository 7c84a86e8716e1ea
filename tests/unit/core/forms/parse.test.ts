import { describe, expect, it } from 'vitest';
import { parseXForm } from '../../../../src/lib/core/forms/parse';
import { FOLLOW_UP_VISIT, HOUSEHOLD_SURVEY, UNSUPPORTED, UPDATE_PHONE, individualRegistration } from './xforms';

function fieldOf(xml: string, name: string) {
	const field = parseXForm(xml).definition.fields.find((f) => f.name === name);
	if (!field) throw new Error(`no field ${name}`);
	return field;
}

describe('parseXForm', () => {
	describe('a household survey in English and Arabic, as pyxform writes it', () => {
		const parsed = parseXForm(HOUSEHOLD_SURVEY);

		it('reads the form id, version and title', () => {
			expect(parsed.definition).toMatchObject({ formId: 'household_survey', version: '2026120101', title: 'Household survey' });
		});

		it('lists both languages, English first as the default, Arabic right to left', () => {
			expect(parsed.definition.languages).toEqual([
				{ key: 'English (en)', code: 'en', rtl: false },
				{ key: 'Arabic (ar)', code: 'ar', rtl: true }
			]);
			expect(parsed.definition.defaultLanguage).toBe('English (en)');
		});

		it('takes its purpose from the entities declaration: it registers households', () => {
			expect(parsed.purpose).toEqual({ kind: 'register', entityType: 'group' });
		});

		it('reads labels, hints and constraint messages in every language', () => {
			const head = fieldOf(HOUSEHOLD_SURVEY, 'head_name');
			expect(head.label).toEqual({ 'English (en)': 'Name of the head of household', 'Arabic (ar)': 'اسم رب الأسرة' });
			expect(head.hint?.['Arabic (ar)']).toBe('كما هو مكتوب في بطاقة الهوية');
			expect(head).toMatchObject({ type: 'text', required: 'true()' });
			expect(head.saveTo).toBeUndefined();
			expect(fieldOf(HOUSEHOLD_SURVEY, 'size').constraintMessage).toEqual({ 'English (en)': 'Between 1 and 30 people', 'Arabic (ar)': 'بين 1 و 30 شخصا' });
		});

		it('reads choice lists from secondary instances with translated labels', () => {
			const water = fieldOf(HOUSEHOLD_SURVEY, 'water');
			expect(water.type).toBe('select-one');
			expect(water.choices?.map((c) => c.value)).toEqual(['piped', 'well', 'other']);
			expect(water.choices?.[1]?.label).toEqual({ 'English (en)': 'Well', 'Arabic (ar)': 'بئر' });
			expect(fieldOf(HOUSEHOLD_SURVEY, 'assets').type).toBe('select-multiple');
		});

		it('reads types, defaults, calculations, notes, groups with relevance, and outputs in labels', () => {
			expect(fieldOf(HOUSEHOLD_SURVEY, 'size').type).toBe('integer');
			expect(fieldOf(HOUSEHOLD_SURVEY, 'children').default).toBe('0');
			expect(fieldOf(HOUSEHOLD_SURVEY, 'adults')).toMatchObject({ type: 'calculate', calculate: ' /data/size  -  /data/children ' });
			expect(fieldOf(HOUSEHOLD_SURVEY, 'summary')).toMatchObject({ type: 'note' });
			expect(fieldOf(HOUSEHOLD_SURVEY, 'summary').label?.['English (en)']).toBe('Adults: ${ /data/adults }');
			expect(fieldOf(HOUSEHOLD_SURVEY, 'visit_date')).toMatchObject({ type: 'date', path: '/data/vulnerabilities/visit_date' });
			expect(parsed.definition.groups).toEqual([{ path: '/data/vulnerabilities', label: { 'English (en)': 'Vulnerability', 'Arabic (ar)': 'الهشاشة' }, relevant: ' /data/size  > 2' }]);
			expect(parsed.definition.body.map((i) => (i.kind === 'field' ? i.name : i.path))).toEqual(['head_name', 'size', 'children', 'water', 'water_other', '/data/vulnerabilities', 'summary']);
		});

		it('keeps the entity label of a household registration, the name of the household', () => {
			expect(parsed.definition.entityLabel).toBe(' /data/head_name ');
			expect(parseXForm(individualRegistration()).definition.entityLabel).toBeUndefined();
		});

		it('keeps nothing of meta: instanceID and the entity bookkeeping are not questions', () => {
			expect(parsed.definition.fields.map((f) => f.name)).not.toContain('instanceID');
			expect(parsed.definition.fields.map((f) => f.name)).not.toContain('label');
		});
	});

	describe('a form without translations', () => {
		it('keys its texts by the empty language and maps saveto to the properties the registry reads', () => {
			const parsed = parseXForm(individualRegistration());
			expect(parsed.definition.languages).toEqual([{ key: '', rtl: false }]);
			expect(parsed.purpose).toEqual({ kind: 'register', entityType: 'individual' });
			expect(parsed.definition.fields.map((f) => [f.name, f.saveTo])).toEqual([
				['first_name', 'givenName'],
				['last_name', 'familyName'],
				['sex', 'sex'],
				['dob', 'dateOfBirth'],
				['phone', 'phone'],
				['income', undefined]
			]);
			expect(fieldOf(individualRegistration(), 'first_name').requiredMessage).toEqual({ '': 'Please write the given name' });
			expect(fieldOf(individualRegistration(), 'sex').choices).toEqual([
				{ value: 'female', label: { '': 'Female' } },
				{ value: 'male', label: { '': 'Male' } }
			]);
		});

		it('leaves the purpose to the publisher when there is no entities declaration, and reads inline items', () => {
			const parsed = parseXForm(FOLLOW_UP_VISIT);
			expect(parsed.purpose).toBeUndefined();
			expect(fieldOf(FOLLOW_UP_VISIT, 'seen').choices?.map((c) => c.value)).toEqual(['yes', 'no']);
		});
	});

	describe('an update form (entity_id in the XLSForm settings)', () => {
		it('updates individuals, and does not ask which record: the form is opened from it', () => {
			const parsed = parseXForm(UPDATE_PHONE);
			expect(parsed.purpose).toEqual({ kind: 'update', entityType: 'individual' });
			expect(parsed.definition.fields.map((f) => f.name)).toEqual(['phone']);
			expect(parsed.definition.body).toEqual([{ kind: 'field', name: 'phone' }]);
		});
	});

	describe('when the form uses what Casetrail does not support', () => {
		it('refuses it with form-unsupported and lists what, and where', () => {
			let error: unknown;
			try {
				parseXForm(UNSUPPORTED);
			} catch (e) {
				error = e;
			}
			expect(error).toMatchObject({ code: 'form-unsupported', name: 'CasetrailError' });
			const fields = (error as { fields: Record<string, string> }).fields;
			expect(fields['/data/location']).toBe('The question type geotrace is not supported.');
			expect(fields['/data/village']).toBe('Choice filters (choice_filter) are not supported.');
			expect(fields['/data/members']).toBe('Repeat counts (repeat_count) are not supported: the person adds instances.');
			expect(fields['/data/score (calculate)']).toContain('the function pulldata() is not supported');
		});
	});

	it('refuses a question named with the reserved __ prefix', () => {
		const xml = individualRegistration().replaceAll('income', '__proto__');
		expect(() => parseXForm(xml)).toThrow(expect.objectContaining({ code: 'form-unsupported', fields: expect.objectContaining({ '/data/__proto__': expect.stringContaining('reserved') }) }));
	});

	describe('when the file is not an XForm', () => {
		it('refuses XML that is not well-formed with form-malformed and the line', () => {
			expect(() => parseXForm('<h:html>\n<h:head></h:html>')).toThrow(expect.objectContaining({ code: 'form-malformed', message: expect.stringContaining('Line 2') }));
		});

		it('refuses a DOCTYPE, so no entity can expand', () => {
			expect(() => parseXForm('<!DOCTYPE x [<!ENTITY a "aaaa">]><h:html/>')).toThrow(expect.objectContaining({ code: 'form-malformed' }));
		});

		it('refuses another XML document with form-malformed', () => {
			expect(() => parseXForm('<svg></svg>')).toThrow(expect.objectContaining({ code: 'form-malformed' }));
		});

		it('refuses a form without a version, which could not be told apart from the next', () => {
			expect(() => parseXForm(individualRegistration('').replace(' version=""', ''))).toThrow(expect.objectContaining({ code: 'form-unsupported', fields: expect.objectContaining({ form: expect.stringContaining('no version') }) }));
		});
	});
});
