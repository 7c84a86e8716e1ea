// Repeats (XLSForm begin repeat) as ODK XForms evaluates them: a path into the same repeat from
// inside an instance means that instance; from outside, every instance.
import { describe, expect, it } from 'vitest';
import type { FormDefinition } from '../../../../src/lib/core/forms/definition';
import { answersFromData, computeForm, initialAnswers, submissionData, withOutputs } from '../../../../src/lib/core/forms/engine';
import { parseXForm } from '../../../../src/lib/core/forms/parse';
import { checkDefinition, decideSubmission } from '../../../../src/lib/core/forms/submit';
import { HOUSEHOLD_MEMBERS } from './xforms';

const NOW = new Date(Date.UTC(2026, 5, 1, 12));
const parsed = parseXForm(HOUSEHOLD_MEMBERS);
const form: FormDefinition = { ...parsed.definition, purpose: parsed.purpose! };
const TWO = { name: 'Diallo', members: '2', 'member_name[1]': 'Awa', 'member_age[1]': '40', 'member_name[2]': 'Moussa', 'member_age[2]': '10', 'school[2]': 'Primary' };

describe('a repeat as pyxform writes it', () => {
	it('is read as one repeat, its questions marked as asked in it, the instance beside the template ignored', () => {
		expect(form.repeats).toEqual([{ path: '/data/members', name: 'members', label: { '': 'Members' } }]);
		expect(form.fields.filter((f) => f.repeat === '/data/members').map((f) => f.name)).toEqual(['member_name', 'member_age', 'is_child', 'school']);
		expect(form.body[1]).toEqual({ kind: 'group', path: '/data/members', items: [{ kind: 'repeat', path: '/data/members', items: [{ kind: 'field', name: 'member_name' }, { kind: 'field', name: 'member_age' }, { kind: 'field', name: 'school' }] }] });
		expect(checkDefinition(structuredClone(form))).toEqual(form);
	});

	it('starts with one instance', () => {
		expect(initialAnswers(form)).toEqual({ name: '', members: '1', 'member_name[1]': '', 'member_age[1]': '', 'school[1]': '' });
	});

	it('evaluates ../ inside an instance against that instance, and count() and sum() over every instance', () => {
		const state = computeForm(form, TWO, NOW);
		expect(state.values['is_child[1]']).toBe('no');
		expect(state.values['is_child[2]']).toBe('yes');
		expect(state.relevant.has('school[1]')).toBe(false);
		expect(state.relevant.has('school[2]')).toBe(true);
		expect(state.values.member_count).toBe('2');
		expect(state.values.total_age).toBe('50');
		expect(state.problems).toEqual({});
	});

	it('reports a problem per instance', () => {
		const state = computeForm(form, { ...TWO, 'member_name[2]': '', 'member_age[1]': '130' }, NOW);
		expect(state.problems).toEqual({ 'member_name[2]': { kind: 'required' }, 'member_age[1]': { kind: 'constraint', message: { '': 'Age is between 0 and 120' } } });
	});

	it('saves the repeat as a list of instances, and reads it back for an update', () => {
		const data = submissionData(form, computeForm(form, TWO, NOW), TWO);
		expect(data).toEqual({
			name: 'Diallo',
			members: [
				{ member_name: 'Awa', member_age: 40, is_child: 'no' },
				{ member_name: 'Moussa', member_age: 10, is_child: 'yes', school: 'Primary' }
			],
			member_count: '2',
			total_age: '50'
		});
		expect(answersFromData(form, data)).toMatchObject({ members: '2', 'member_name[2]': 'Moussa', 'member_age[1]': '40', 'school[2]': 'Primary' });
	});
});

describe('decideSubmission with a repeat', () => {
	const env = { now: () => NOW, newGuid: () => '01900000-0000-7000-8000-000000000009', userId: 'u1' };
	const submit = (answers: Record<string, string>) => decideSubmission(form, { formId: form.formId, version: '1', answers }, undefined, env);

	it('records the household with its members', () => {
		expect(submit(TWO)).toMatchObject({ type: 'create-group', data: { name: 'Diallo', member_count: '2' } });
	});

	it("names a household by the form's entity label when no question saves a name", () => {
		const labelled: FormDefinition = { ...form, fields: form.fields.map((f) => (f.name === 'name' ? { ...f, saveTo: 'familyName' } : f)), entityLabel: "concat('Household of ', /data/members/member_name)" };
		expect(decideSubmission(labelled, { formId: form.formId, version: '1', answers: TWO }, undefined, env).data).toMatchObject({ name: 'Household of Awa', familyName: 'Diallo' });
	});

	it.each([
		[{ ...TWO, 'member_name[3]': 'Extra' }, 'member_name[3]'],
		[{ ...TWO, members: 'two' }, 'members'],
		[{ ...TWO, members: '999' }, 'members'],
		[{ ...TWO, member_name: 'Awa' }, 'member_name'],
		[{ ...TWO, 'name[1]': 'x' }, 'name[1]']
	])('refuses an answer outside the instances it declares (%#)', (answers, key) => {
		expect(() => submit(answers)).toThrow(expect.objectContaining({ code: 'submission-invalid', fields: expect.objectContaining({ [key]: expect.any(String) }) }));
	});
});

describe('withOutputs in a repeat', () => {
	it("fills an output with its own instance's answer, seen from the question", () => {
		const state = computeForm(form, TWO, NOW);
		expect(withOutputs('Age of ${ ../member_name }', form, state, TWO, NOW, '/data/members[2]/member_age')).toBe('Age of Moussa');
		expect(withOutputs('${count( /data/members )} members', form, state, TWO, NOW)).toBe('2 members');
	});
});
