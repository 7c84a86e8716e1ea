/**
 * Photos, signatures and positions in each language: coordinates with the language's decimal
 * separator (never grouped), an image's or a position's refusal said by its field, and the attachment
 * codes in every catalog.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { attachmentRef } from '../../../src/lib/core/attachments';
import { checkLocation } from '../../../src/lib/core/location';
import { isCasetrailError, type CasetrailError } from '../../../src/lib/core/errors';
import { errorText, fieldTexts } from '../../../src/lib/ui/error-messages';
import { formatCoordinate } from '../../../src/lib/i18n/format';
import { applyLocale } from '../../../src/lib/i18n/load';
import { t } from '../../../src/lib/ui/messages';
import fr from '../../../src/lib/i18n/fr';
import es from '../../../src/lib/i18n/es';
import ar from '../../../src/lib/i18n/ar';

function refusal(run: () => unknown): CasetrailError {
	try {
		run();
	} catch (e) {
		if (isCasetrailError(e)) return e;
		throw e;
	}
	throw new Error('expected a refusal');
}

afterEach(async () => {
	await applyLocale('en');
});

describe('positions', () => {
	it('a coordinate has five decimals in the language’s separator, never grouped', () => {
		expect(formatCoordinate(12.65, 'en')).toBe('12.65000');
		expect(formatCoordinate(-8, 'fr')).toBe('-8,00000');
		expect(formatCoordinate(123.456789, 'es')).toBe('123,45679');
		expect(formatCoordinate(12.65, 'ar')).toBe('12.65000');
	});

	it('each language says a position in its words and numbers', async () => {
		expect(t.geopoint.found(12.65, -8, 25)).toBe('Recorded: 12.65000, -8.00000 (within 25 m).');
		await applyLocale('fr');
		expect(t.geopoint.found(12.65, -8, 25)).toBe('Enregistrée : latitude 12,65000, longitude -8,00000 (à 25 m près).');
		await applyLocale('es');
		expect(t.geopoint.value(12.65, -8, undefined)).toBe('latitud 12,65000, longitud -8,00000');
		await applyLocale('ar');
		expect(t.geopoint.value(12.65, 8, 1200)).toBe('خط العرض 12.65000، خط الطول 8.00000 (بدقة 1,200 م)');
	});
});

describe('refusals', () => {
	it('an image that is not one, and a position out of range, carry an invalid problem for their field', () => {
		const image = refusal(() => attachmentRef(new Uint8Array([1]), 'text/plain'));
		expect(image.problems).toEqual({ attachment: { code: 'invalid' } });
		const position = refusal(() => checkLocation({ latitude: 91, longitude: 0 }));
		expect(position.problems).toEqual({ location: { code: 'invalid' } });
	});

	it('English keeps the check’s own sentence; French and Arabic say what the field expects', async () => {
		const image = refusal(() => attachmentRef(new Uint8Array(0), 'image/png'));
		expect(fieldTexts(image)).toEqual({ attachment: 'The image is empty.' });
		await applyLocale('fr');
		expect(fieldTexts(image).attachment).toBe(fr.et.expects.attachment);
		await applyLocale('ar');
		expect(fieldTexts(refusal(() => checkLocation('here'))).location).toBe(ar.et.expects.location);
	});

	it('attachment codes are said in each language', async () => {
		const error = { code: 'attachment-mismatch' as const, message: 'Nothing was stored: an event says attachment 0123… has 3 bytes.' };
		expect(errorText(error)).toBe(error.message);
		for (const [locale, catalog] of [['fr', fr], ['es', es], ['ar', ar]] as const) {
			await applyLocale(locale);
			expect(errorText(error)).toBe(catalog.et.codes['attachment-mismatch']);
			expect(errorText({ code: 'attachment-missing', message: '' })).toBe(catalog.et.codes['attachment-missing']);
		}
	});
});
