/**
 * The Spanish catalog (src/lib/i18n/es.ts) as ICU messages: representative texts read as the Spanish
 * functions it held before wrote them (plurals at 0, 1, 2 and a million, which Spanish plural rules
 * put in `many`; today and yesterday; ranges of log positions; numbers grouped as Spanish groups
 * them), and, where those functions made a number agreement error, as corrected.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyLocale } from '../../../src/lib/i18n/load';
import { t } from '../../../src/lib/ui/messages';
import { xt } from '../../../src/lib/ui/exchange-messages';
import { ft } from '../../../src/lib/ui/forms-messages';
import { ut } from '../../../src/lib/ui/users-messages';
import { pt } from '../../../src/lib/ui/pwa-messages';

beforeEach(async () => {
	await applyLocale('es');
});

afterEach(async () => {
	await applyLocale('en');
});

describe('Spanish messages', () => {
	it('count in the singular for one only, and write a million grouped (plural form many)', () => {
		expect([0, 1, 2, 1000000].map((n) => t.households.memberCount(n))).toEqual(['0 miembros', '1 miembro', '2 miembros', '1.000.000 miembros']);
		expect([0, 1, 2, 1000000].map((n) => t.register.age(n))).toEqual(['Edad: menos de un año', 'Edad: 1 año', 'Edad: 2 años', 'Edad: 1.000.000 años']);
		expect([1, 1000000].map((n) => ft.fill.problems(n))).toEqual(['Una respuesta requiere atención.', '1.000.000 respuestas requieren atención.']);
		expect([2, 0, 1, 1000000].map((n) => xt.export.unexported(n))).toEqual([
			'2 eventos aún no están en ninguna exportación.',
			'Todos los eventos de este dispositivo están en una exportación.',
			'1 evento aún no está en ninguna exportación.',
			'1.000.000 eventos aún no están en ninguna exportación.'
		]);
		expect(t.metrics.bytes(1234567.8)).toBe('1.234.568 bytes');
	});

	it('say today, yesterday, or how many days ago', () => {
		expect([0, 1, 2, 1000000].map((days) => xt.export.last(days, 12345))).toEqual([
			'Última exportación: hoy, hasta el evento 12.345.',
			'Última exportación: ayer, hasta el evento 12.345.',
			'Última exportación: hace 2 días, hasta el evento 12.345.',
			'Última exportación: hace 1.000.000 días, hasta el evento 12.345.'
		]);
		expect([0, 1, 21].map((days) => pt.storage.lastExport(days))).toEqual(['Última exportación: hoy.', 'Última exportación: ayer.', 'Última exportación: hace 21 días.']);
		expect(pt.storage.exportOverdue(null)).toMatch(/^Todavía no se ha exportado nada\. Exporte ahora: /);
		expect(pt.storage.exportOverdue(1)).toMatch(/^Sin exportaciones desde hace 1 día\. /);
	});

	it('name ranges of log positions from 1, grouped, and an empty range as none', () => {
		expect(xt.positions(0, 1)).toBe('evento 1');
		expect(xt.positions(3, 7)).toBe('eventos 4 a 7');
		expect(xt.positions(999, 1000000)).toBe('eventos 1000 a 1.000.000');
		expect(xt.verify.rangeValue(5, 5)).toBe('ninguna (solo un punto de control firmado)');
		expect(xt.verify.rangeValue(11, 12345)).toBe('eventos 12 a 12.345');
		expect(t.integrity.position(12345)).toBe('Evento en la posición 12.345');
	});

	it('choose by select, and by the number of names', () => {
		expect(t.recorders.claimed('Awa', 'supervisor', undefined)).toBe('Awa (supervisor, otro dispositivo)');
		expect(t.recorders.claimed('Awa', 'supervisor', 'k3x9')).toBe('Awa (supervisor, dispositivo k3x9)');
		expect(t.geopoint.value(12.65, -8, 25)).toBe('latitud 12,65000, longitud -8,00000 (con un margen de 25 m)');
		expect(t.location.found(12.65, -8, undefined)).toBe('Ubicación: latitud 12,65000, longitud -8,00000. Se guarda con el expediente.');
		expect(xt.verify.formatValue(1)).toBe('versión 1 (sin pruebas de coherencia)');
		expect(xt.verify.imported(2, 0)).toBe('Importado: 2 eventos añadidos.');
		expect(xt.verify.imported(1, 12345)).toBe('Importado: 1 evento añadido, 12.345 eventos ya presentes omitidos.');
		expect(ut.users.rotationWaits(['Awa'])).toMatch(/espera a que Awa haya iniciado sesión .* usted le asigne /);
		expect(ut.users.rotationWaits(['Awa', 'Moussa'])).toMatch(/espera a que Awa, Moussa hayan iniciado sesión .* usted les asigne /);
		expect(t.photo.described('image/jpeg', 1000000)).toBe('Foto (JPEG, 977 KB)');
	});

	it('agree in number where the functions did not', () => {
		expect(t.list.results(1, true)).toBe('Se muestra el primer expediente.');
		expect(t.list.results(21, true)).toBe('Se muestran los 21 primeros expedientes.');
		expect(ut.secret.strength['too-short'](1)).toBe('demasiado corta: falta 1 carácter.');
		expect(ut.secret.strength['too-short'](3)).toBe('demasiado corta: faltan 3 caracteres.');
		expect(t.history.differs(1)).toBe('1 campo difiere de hoy (resaltado).');
		expect(t.history.differs(2)).toBe('2 campos difieren de hoy (resaltados).');
		expect(xt.verify.notApplied(1)).toBe('1 evento no cambió ningún expediente (se conserva en el registro); consulte los historiales de los expedientes.');
		expect(xt.verify.progressSteps.publishing(0, 1)).toBe('Finalizando: 1 evento añadido, haciéndolo definitivo');
		expect(xt.verify.progressSteps.events(1, 1)).toBe('1 de 1 evento añadido');
		expect(xt.export.progressText(1000, 12345)).toBe('1000 de 12.345 eventos leídos');
	});
});
