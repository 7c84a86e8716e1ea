import { describe, expect, it } from 'vitest';
import type { CasetrailEvent } from '../../../../src/lib/core/event';
import { definitionHash, type FormDefinition } from '../../../../src/lib/core/forms/definition';
import { parseXForm } from '../../../../src/lib/core/forms/parse';
import { publishedForms, publishFormEvent, readPublishedForm } from '../../../../src/lib/core/forms/submit';
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
