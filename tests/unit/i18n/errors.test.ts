/**
 * A refusal from the worker carries its code and, per field, a problem code with its parameters, and
 * travels as plain data; the page says it in the language shown: English as the worker wrote it,
 * French, Spanish and Arabic from their catalogs, so no English reaches them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { decide, type RegisterIndividual } from '../../../src/lib/core/commands';
import { CasetrailError, isCasetrailError } from '../../../src/lib/core/errors';
import { errorText, fieldTexts, problemText } from '../../../src/lib/ui/error-messages';
import { catalogs, i18n } from '../../../src/lib/i18n/state.svelte';
import { applyLocale } from '../../../src/lib/i18n/load';
import type { IntegrityProblem } from '../../../src/lib/store/integrity';
import { fixedEnv } from '../core/fixtures';

const bad: RegisterIndividual = { type: 'register-individual', givenName: '', familyName: 'x'.repeat(101), sex: 'female', dateOfBirth: '1988-02-30', phone: 'call me' };

function refusal(): CasetrailError {
	try {
		decide(bad, new Map(), fixedEnv());
	} catch (e) {
		if (isCasetrailError(e)) return e;
		throw e;
	}
	throw new Error('expected a refusal');
}

afterEach(async () => {
	await applyLocale('en');
});

describe('field problems as codes', () => {
	it('a refused command names each field with a problem code and its parameters, as plain data', () => {
		const error = refusal();
		expect(error.code).toBe('validation-failed');
		expect(error.problems).toEqual({
			givenName: { code: 'required' },
			familyName: { code: 'too-long', params: { max: 100 } },
			dateOfBirth: { code: 'invalid' },
			phone: { code: 'invalid' }
		});
		const data = error.toData();
		expect(data.problems).toEqual(error.problems);
		expect(data.fields?.givenName).toBe('Given name is required.');
		// Across the worker boundary it is structured-cloned: the codes survive.
		expect(structuredClone(data).problems).toEqual(error.problems);
	});
});

describe('said in the language shown', () => {
	it('English shows the worker’s own sentences', () => {
		const error = refusal();
		expect(errorText(error)).toBe(error.message);
		expect(fieldTexts(error)).toEqual(error.fields);
	});

	it('French, Spanish and Arabic show their own sentences for every field, never the English ones', async () => {
		const error = refusal();
		const expected = {
			fr: { givenName: 'Prénom : ce champ est obligatoire.', familyName: 'Nom de famille : au plus 100 caractères.' },
			es: { givenName: 'Nombre: este campo es obligatorio.', familyName: 'Apellidos: como máximo 100 caracteres.' },
			ar: { givenName: 'الاسم الأول: هذا الحقل إلزامي.', familyName: 'اسم العائلة: 100 حرف على الأكثر.' }
		} as const;
		for (const locale of ['fr', 'es', 'ar'] as const) {
			await applyLocale(locale);
			expect(i18n.current).toBe(locale);
			expect(catalogs.has(locale)).toBe(true);
			const texts = fieldTexts(error);
			expect(texts.givenName).toBe(expected[locale].givenName);
			expect(texts.familyName).toBe(expected[locale].familyName);
			for (const field of Object.keys(error.fields ?? {})) expect(texts[field], `${locale} ${field}`).not.toBe(error.fields?.[field]);
			expect(errorText(error)).not.toBe(error.message);
		}
		await applyLocale('fr');
		expect(fieldTexts(error).dateOfBirth).toBe('La date de naissance doit être une date réelle, pas dans le futur, il y a au plus 150 ans.');
		expect(errorText(new CasetrailError('forbidden', 'Only an administrator may do this.'))).toBe('Votre rôle ne permet pas cette action.');
	});

	it('a problem the integrity check found is said with the events it concerns', async () => {
		const problem: IntegrityProblem = { kind: 'leaf-mismatch', begin: 3, end: 5, message: 'Events 4 to 5 no longer hash to their leaf hashes.' };
		const positions = (begin: number, end: number) => `${begin + 1}-${end}`;
		expect(problemText(problem, positions)).toBe(problem.message);
		await applyLocale('es');
		expect(problemText(problem, positions)).toBe('El evento ya no da el hash de hoja guardado con él. (4-5)');
	});
});
