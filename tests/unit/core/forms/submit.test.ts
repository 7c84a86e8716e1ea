import { describe, expect, it } from 'vitest';
import type { CasetrailEvent } from '../../../../src/lib/core/event';
import { definitionHash, type FormDefinition } from '../../../../src/lib/core/forms/definition';
import { parseXForm } from '../../../../src/lib/core/forms/parse';
import { formsIn, publishedForms, publishFormEvent, readPublishedForm } from '../../../../src/lib/core/forms/submit';
import { individualRegistration } from './xforms';

let n = 0;
const env = (at: string) => ({ now: () => new Date(at), newGuid: () => `0190000${n++}-0000-7000-8000-000000000000`, userId: 'admin' });

function definition(version: string, label = 'Given name'): FormDefinition {
	const parsed = parseXForm(individualRegistration(version, label));
	return { ...parsed.definition, purpose: parsed.purpose! };
}

describe('publishFormEvent and readPublishedForm', () => {
	it('carry the definition with the hash of its canonical JSON, and read it back', () => {
		const event = publishFormEvent(definition('1'), env('2026-06-01T09:00:00Z'));
		expect(event).toMatchObject({ type: 'publish-form', entityGuid: 'casetrail-forms', data: { formId: 'beneficiary', version: '1', hash: definitionHash(definition('1')) } });
		expect(readPublishedForm(event).definition).toEqual(definition('1'));
	});

	it('refuses a definition changed after publishing (bundle data is attacker-controlled) with form-invalid', () => {
		const event = publishFormEvent(definition('1'), env('2026-06-01T09:00:00Z'));
		const tampered = structuredClone(event) as CasetrailEvent & { data: { definition: FormDefinition } };
		tampered.data.definition.fields[0]!.required = 'false()';
		expect(() => readPublishedForm(tampered)).toThrow(expect.objectContaining({ code: 'form-invalid' }));
	});

	it('refuses a definition whose expressions leave the subset', () => {
		const bad = definition('1');
		bad.fields[0]!.constraint = "pulldata('a','b','c','d')";
		expect(() => publishFormEvent(bad, env('2026-06-01T09:00:00Z'))).toThrow(expect.objectContaining({ code: 'form-invalid' }));
	});
});

describe('publishedForms', () => {
	it('keeps the first of two definitions published under one version, in (timestamp, guid) order, whatever order they arrive in', () => {
		const early = publishFormEvent(definition('1', 'Early'), env('2026-06-01T09:00:00Z'));
		const late = publishFormEvent(definition('1', 'Late'), env('2026-06-02T09:00:00Z'));
		for (const order of [[early, late], [late, early]]) {
			const forms = publishedForms(order);
			expect(forms).toHaveLength(1);
			expect(forms[0]?.definition.fields[0]?.label).toEqual({ '': 'Early' });
		}
	});

	it('leaves out a publish-form event whose data is not a definition', () => {
		const broken = { ...publishFormEvent(definition('1'), env('2026-06-01T09:00:00Z')), data: { formId: 'x' } };
		expect(publishedForms([broken, publishFormEvent(definition('2'), env('2026-06-01T10:00:00Z'))]).map((f) => f.definition.version)).toEqual(['2']);
	});
});

describe('formsIn', () => {
	it('gives the forms publishedForms reads and each publish-form event that publishes nothing, with why', () => {
		const first = publishFormEvent(definition('1'), env('2026-06-01T09:00:00Z'));
		const again = publishFormEvent(definition('1', 'First name'), env('2026-06-01T10:00:00Z'));
		const broken = structuredClone(publishFormEvent(definition('2'), env('2026-06-01T11:00:00Z'))) as CasetrailEvent & { data: { hash: string } };
		broken.data.hash = '00'.repeat(32);
		// Only the forms entity holds forms, as on a device; other events are no concern of formsIn.
		const elsewhere = { ...publishFormEvent(definition('3'), env('2026-06-01T12:00:00Z')), entityGuid: 'someone' };
		const other: CasetrailEvent = { guid: 'e-1', entityGuid: 'p-1', type: 'create-individual', timestamp: '2026-06-01T08:00:00Z', userId: 'admin', data: { givenName: 'A' } };
		const { forms, ignored } = formsIn([broken, again, other, first, elsewhere]);
		expect(forms.map((f) => [f.eventGuid, f.definition.version])).toEqual([[first.guid, '1']]);
		expect(ignored).toEqual([
			{ guid: again.guid, reason: 'invalid-data', message: `Form beneficiary version 1 was published before with another definition (event ${first.guid}); the first in event order counts on every device.` },
			{ guid: broken.guid, reason: 'invalid-data', message: expect.stringContaining('does not match the hash') }
		]);
	});
});
