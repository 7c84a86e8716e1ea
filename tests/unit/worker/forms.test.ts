/**
 * Forms through the worker (issue 16): publishing a version, submitting with it, and the worker's
 * own validation of every submission against the version it names, whatever the page did.
 */
import { describe, expect, it } from 'vitest';
import type { FormDefinition, FormPurpose } from '../../../src/lib/core/forms/definition';
import { parseXForm } from '../../../src/lib/core/forms/parse';
import { appendEvents } from '../../../src/lib/store/append';
import { getEntityEvents } from '../../../src/lib/store/read';
import { FOLLOW_UP_VISIT, HOUSEHOLD_SURVEY, individualRegistration } from '../core/forms/xforms';
import { failure, harness, ok, user } from './helpers';

function definitionOf(xml: string, purpose?: FormPurpose): FormDefinition {
	const parsed = parseXForm(xml);
	return { ...parsed.definition, purpose: purpose ?? parsed.purpose ?? { kind: 'event', eventType: 'visit-recorded' } };
}

const AMINA = { first_name: 'Amina', last_name: 'Diallo', sex: 'female', dob: '1987-05-02', phone: '+221 77 123 45 67', income: '120.5' };

async function published() {
	const h = harness();
	await ok(h.api.publishForm(definitionOf(individualRegistration('1'))));
	return h;
}

describe('publishForm', () => {
	it('records one publish-form event carrying the definition and its hash, listed by forms()', async () => {
		const h = await published();
		const forms = await ok(h.api.forms());
		expect(forms.map((f) => [f.definition.formId, f.definition.version, f.builtIn ?? false])).toEqual([
			['casetrail-individual', '1', true],
			['casetrail-household', '1', true],
			['beneficiary', '1', false]
		]);
		expect(forms[2]?.hash).toMatch(/^[0-9a-f]{64}$/);
		const events = await getEntityEvents(h.ctx.db, 'casetrail-forms');
		expect(events.map((e) => e.event.type)).toEqual(['publish-form']);
		expect(events[0]?.event.data).toMatchObject({ formId: 'beneficiary', version: '1', hash: forms[2]?.hash });
	});

	it('refuses a version that is already published with form-version-exists, and stores nothing', async () => {
		const h = await published();
		expect((await failure(h.api.publishForm(definitionOf(individualRegistration('1', 'First name'))))).code).toBe('form-version-exists');
		expect((await ok(h.api.status())).size).toBe(1);
	});

	it('refuses a case worker with forbidden: publishing belongs to supervisors and administrators', async () => {
		const h = harness(user('cw', 'case-worker'));
		expect((await failure(h.api.publishForm(definitionOf(individualRegistration())))).code).toBe('forbidden');
		expect((await ok(h.api.status())).size).toBe(0);
	});

	it("refuses a form id starting with casetrail-, the app's own forms", async () => {
		const h = harness();
		expect((await failure(h.api.publishForm({ ...definitionOf(individualRegistration()), formId: 'casetrail-individual' })))).toMatchObject({ code: 'form-invalid' });
		expect((await ok(h.api.status())).size).toBe(0);
	});

	it('refuses a definition that is not one with form-invalid', async () => {
		const h = harness();
		const broken = { ...definitionOf(individualRegistration()), fields: [{ name: 'x', path: '/data/x', type: 'text', relevant: "instance('a')" }] } as unknown as FormDefinition;
		expect((await failure(h.api.publishForm(broken))).code).toBe('form-invalid');
	});
});

describe('submitForm', () => {
	it('registers an individual with the mapped properties, and the event names the form version', async () => {
		const h = await published();
		const done = await ok(h.api.submitForm({ formId: 'beneficiary', version: '1', answers: AMINA }));
		expect(done.event.type).toBe('create-individual');
		expect(done.event.context).toMatchObject({ source: 'casetrail-app', form: { id: 'beneficiary', version: '1' } });
		expect(done.entity?.data).toEqual({ givenName: 'Amina', familyName: 'Diallo', sex: 'female', dateOfBirth: '1987-05-02', phone: '+221 77 123 45 67', income: 120.5 });
		// The list and search read the mapped properties, whatever the form calls its questions.
		const page = await ok(h.api.listEntities({ text: 'amina' }));
		expect(page.entities.map((e) => e.guid)).toEqual([done.entity?.guid]);
	});

	it('refuses a crafted call that skips the page checks with submission-invalid, and stores nothing', async () => {
		const h = await published();
		const before = (await ok(h.api.status())).size;
		const refused = await failure(h.api.submitForm({ formId: 'beneficiary', version: '1', answers: { ...AMINA, first_name: '', dob: '2999-01-01', sex: 'robot', extra: 'x' } }));
		expect(refused.code).toBe('submission-invalid');
		expect(refused.fields).toEqual({
			first_name: 'Please write the given name',
			dob: 'Date of birth cannot be in the future',
			sex: 'Choose from the options given.',
			extra: 'extra is not a question of this form.'
		});
		expect((await ok(h.api.status())).size).toBe(before);
	});

	it('refuses an answer named __proto__ like any unknown question', async () => {
		const h = await published();
		const answers = JSON.parse(`{"__proto__": "x", "first_name": "Amina", "last_name": "Diallo", "sex": "female", "dob": "1987-05-02"}`) as Record<string, string>;
		expect((await failure(h.api.submitForm({ formId: 'beneficiary', version: '1', answers }))).code).toBe('submission-invalid');
	});

	it('refuses answers that are not text, and answers to calculations', async () => {
		const h = await published();
		expect((await failure(h.api.submitForm({ formId: 'beneficiary', version: '1', answers: { ...AMINA, income: 120 } as unknown as Record<string, string> }))).fields).toEqual({ income: 'The answer to income must be text.' });
	});

	it('refuses a form version that is not published here with form-not-found', async () => {
		const h = await published();
		expect((await failure(h.api.submitForm({ formId: 'beneficiary', version: '2', answers: AMINA }))).code).toBe('form-not-found');
	});

	it('records a visit from a follow-up form on the record it was opened from', async () => {
		const h = await published();
		await ok(h.api.publishForm(definitionOf(FOLLOW_UP_VISIT)));
		const { entity } = await ok(h.api.submitForm({ formId: 'beneficiary', version: '1', answers: AMINA }));
		const visit = await ok(h.api.submitForm({ formId: 'follow_up', version: '3', answers: { seen: 'yes', condition: 'Better', notes: '' }, entityGuid: entity!.guid }));
		expect(visit.event).toMatchObject({ type: 'visit-recorded', entityGuid: entity!.guid, data: { seen: 'yes', condition: 'Better' } });
		expect(visit.entity?.data).toMatchObject({ givenName: 'Amina', visitCount: 1, lastVisitAt: visit.event.timestamp });
	});

	it('refuses a follow-up without a record, and one for a record not on the device, storing nothing', async () => {
		const h = await published();
		await ok(h.api.publishForm(definitionOf(FOLLOW_UP_VISIT)));
		expect((await failure(h.api.submitForm({ formId: 'follow_up', version: '3', answers: { seen: 'no' } }))).code).toBe('submission-invalid');
		expect((await failure(h.api.submitForm({ formId: 'follow_up', version: '3', answers: { seen: 'no' }, entityGuid: 'nobody' }))).code).toBe('not-found');
		expect((await ok(h.api.status())).size).toBe(2);
	});

	it("refuses a case worker's follow-up on a record they may not see with forbidden", async () => {
		const h = await published();
		await ok(h.api.publishForm(definitionOf(FOLLOW_UP_VISIT)));
		const { entity } = await ok(h.api.submitForm({ formId: 'beneficiary', version: '1', answers: AMINA }));
		h.signIn(user('cw', 'case-worker'));
		expect((await failure(h.api.submitForm({ formId: 'follow_up', version: '3', answers: { seen: 'no' }, entityGuid: entity!.guid }))).code).toBe('forbidden');
	});

	it("updates a record with an update form: changed properties only, cleared ones removed", async () => {
		const h = await published();
		await ok(h.api.publishForm(definitionOf(individualRegistration('edit'), { kind: 'update', entityType: 'individual' })));
		const { entity } = await ok(h.api.submitForm({ formId: 'beneficiary', version: '1', answers: AMINA }));
		const edit = await ok(h.api.submitForm({ formId: 'beneficiary', version: 'edit', answers: { ...AMINA, phone: '', income: '99' }, entityGuid: entity!.guid }));
		expect(edit.event).toMatchObject({ type: 'update-individual', data: { phone: null, income: 99 } });
		expect(edit.entity?.data).not.toHaveProperty('phone');
	});

	it('a new version changes new submissions only: the earlier record keeps its version and data', async () => {
		const h = await published();
		const first = await ok(h.api.submitForm({ formId: 'beneficiary', version: '1', answers: AMINA }));
		await ok(h.api.publishForm(definitionOf(individualRegistration('2', 'First name'))));
		const second = await ok(h.api.submitForm({ formId: 'beneficiary', version: '2', answers: { ...AMINA, first_name: 'Awa' } }));
		expect(second.event.context?.form).toEqual({ id: 'beneficiary', version: '2' });
		const [event] = await getEntityEvents(h.ctx.db, first.entity!.guid);
		expect(event?.event.context?.form).toEqual({ id: 'beneficiary', version: '1' });
		expect((await ok(h.api.entity(first.entity!.guid))).entity.data.givenName).toBe('Amina');
		expect((await ok(h.api.forms())).filter((f) => !f.builtIn).map((f) => f.definition.version)).toEqual(['1', '2']);
	});

	it('registers a household with the survey, named by its entity label: skip logic leaves out what was not asked', async () => {
		const h = harness();
		await ok(h.api.publishForm(definitionOf(HOUSEHOLD_SURVEY)));
		const done = await ok(h.api.submitForm({ formId: 'household_survey', version: '2026120101', answers: { head_name: 'فاطمة حداد', size: '2', children: '1', water: 'well', water_other: '', assets: '', visit_date: '' } }));
		expect(done.event.type).toBe('create-group');
		expect(done.entity?.data).toEqual({ name: 'فاطمة حداد', head_name: 'فاطمة حداد', size: 2, children: 1, adults: '1', water: 'well' });
	});
});

describe('formCheck', () => {
	it('flags a record whose imported data its form version refuses, and passes one that fits', async () => {
		const h = await published();
		const good = await ok(h.api.submitForm({ formId: 'beneficiary', version: '1', answers: AMINA }));
		expect(await ok(h.api.formCheck(good.entity!.guid))).toEqual({ form: { id: 'beneficiary', version: '1' }, problems: {} });
		// An event from another device is a fact: stored as it came, checked only when shown.
		await appendEvents(h.ctx.db, [
			{ ...good.event, guid: '01900000-0000-7000-8000-000000000001', entityGuid: 'imported-1', data: { ...good.event.data, phone: 'call me', dateOfBirth: '2999-01-01' } }
		]);
		expect(await ok(h.api.formCheck('imported-1'))).toEqual({
			form: { id: 'beneficiary', version: '1' },
			problems: { dob: 'Date of birth cannot be in the future', phone: 'Digits only' }
		});
	});

	it('holds a record the built-in registration made to the default form of its type', async () => {
		const h = harness();
		const { entity, events } = await ok(h.api.execute({ type: 'register-individual', givenName: 'Bakary', familyName: 'Sow', sex: 'male', dateOfBirth: '1979-11-20' }));
		expect(await ok(h.api.formCheck(entity!.guid))).toEqual({ form: { id: 'casetrail-individual', version: '1' }, problems: {} });
		await appendEvents(h.ctx.db, [{ ...events[0]!, guid: '01900000-0000-7000-8000-000000000002', entityGuid: 'imported-2', data: { ...events[0]!.data, sex: 'robot' } }]);
		expect((await ok(h.api.formCheck('imported-2')))?.problems).toEqual({ sex: 'Choose from the options given.' });
	});

	it('reports a form that cannot be computed as form-evaluation-failed, not storage-failed', async () => {
		const h = harness();
		// A text calculation twenty times the given name: fine for a name, too long for an imported 9,000-character one.
		const xml = individualRegistration('1').replace('<bind nodeset="/data/income" type="decimal" constraint=". &gt;= 0"/>', () => `<bind nodeset="/data/income" type="string" calculate="concat(${Array.from({ length: 20 }, () => '/data/first_name').join(', ')})"/>`);
		await ok(h.api.publishForm(definitionOf(xml)));
		const { income: _, ...answers } = AMINA;
		const good = await ok(h.api.submitForm({ formId: 'beneficiary', version: '1', answers }));
		await appendEvents(h.ctx.db, [{ ...good.event, guid: '01900000-0000-7000-8000-000000000003', entityGuid: 'imported-3', data: { ...good.event.data, givenName: 'x'.repeat(9_000) } }]);
		expect(await failure(h.api.formCheck('imported-3'))).toMatchObject({ code: 'form-evaluation-failed' });
	});

	it('registers with the default individual form on a device with no published form, as the built-in registration does', async () => {
		const h = harness();
		const done = await ok(h.api.submitForm({ formId: 'casetrail-individual', version: '1', answers: { givenName: 'Bakary', familyName: 'Sow', sex: 'male', dateOfBirth: '1979-11-20' } }));
		expect(done.event).toMatchObject({ type: 'create-individual', data: { givenName: 'Bakary', familyName: 'Sow', sex: 'male', dateOfBirth: '1979-11-20' }, context: { form: { id: 'casetrail-individual', version: '1' } } });
	});
});
