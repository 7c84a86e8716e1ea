/**
 * The French catalog (src/lib/i18n/fr.ts) in ICU MessageFormat: through the modules, its texts read as
 * they did when they were functions of the English parameters (plurals at 0, 1, 2 and a million,
 * today and yesterday, ranges of positions, choices, numbers grouped the French way), and a
 * participle agrees with the count it follows.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyLocale } from '../../../src/lib/i18n/load';
import { t } from '../../../src/lib/ui/messages';
import { xt } from '../../../src/lib/ui/exchange-messages';
import { ft } from '../../../src/lib/ui/forms-messages';
import { ut } from '../../../src/lib/ui/users-messages';
import { pt } from '../../../src/lib/ui/pwa-messages';
import { et } from '../../../src/lib/ui/error-messages';

/** A number as French writes it: groups of three digits joined by a narrow no-break space. */
const MILLION = '1\u202f000\u202f000';

beforeEach(async () => {
	await applyLocale('fr');
});

afterEach(async () => {
	await applyLocale('en');
});

describe('French texts, as they read before ICU', () => {
	it('plurals: zero and one in the singular, then the plural, a million grouped', () => {
		expect([0, 1, 2, 1000000].map((n) => t.households.memberCount(n))).toEqual(['0 membre', '1 membre', '2 membres', `${MILLION} membres`]);
		expect([0, 1, 2, 1000000].map((n) => xt.export.size(n))).toEqual([
			'0 événement sur cet appareil.',
			'1 événement sur cet appareil.',
			'2 événements sur cet appareil.',
			`${MILLION} événements sur cet appareil.`
		]);
		expect([0, 1, 2].map((n) => t.register.age(n))).toEqual(['Âge : moins d’un an', 'Âge : 1 an', 'Âge : 2 ans']);
		expect([0, 1, 2].map((n) => pt.storage.unexported(n))).toEqual([
			'0 événement n’est pas encore exporté.',
			'1 événement n’est pas encore exporté.',
			'2 événements ne sont pas encore exportés.'
		]);
		expect([0, 1, 2, 1000000].map((n) => xt.export.unexported(n))).toEqual([
			'Chaque événement de cet appareil figure dans un export.',
			'1 événement ne figure encore dans aucun export.',
			'2 événements ne figurent encore dans aucun export.',
			`${MILLION} événements ne figurent encore dans aucun export.`
		]);
		expect([0, 1, 2].map((n) => xt.export.sinceHint(n).split('.')[0])).toEqual([
			'Rien n’a été ajouté depuis le dernier export : le lot ne contient aucun événement, seulement un nouveau point de contrôle signé',
			'L’événement ajouté depuis le dernier export',
			'Les 2 événements ajoutés depuis le dernier export'
		]);
		expect([1, 2, 1000000].map((n) => ft.fill.problems(n))).toEqual([
			'Une réponse demande votre attention.',
			'2 réponses demandent votre attention.',
			`${MILLION} réponses demandent votre attention.`
		]);
		expect([1, 3].map((n) => ut.invalid(n))).toEqual(['Un champ doit être modifié : voyez le message à côté.', '3 champs doivent être modifiés : voyez les messages à côté.']);
		expect([0, 1, 2].map((n) => t.list.results(n, false))).toEqual(['0 dossier trouvé.', '1 dossier trouvé.', '2 dossiers trouvés.']);
		expect([1, 2].map((n) => t.list.results(n, true))).toEqual(['Affichage du premier dossier.', 'Affichage des 2 premiers dossiers.']);
		expect([1, 2].map((n) => t.integrity.ok(n))).toEqual([
			'Tout concorde : l’unique événement est exactement tel qu’il a été enregistré.',
			'Tout concorde : les 2 événements sont exactement tels qu’ils ont été enregistrés.'
		]);
		expect([1, 2].map((n) => t.home.verifiedOk('12 mars 2026', n))).toEqual(['12 mars 2026 : l’unique événement concorde.', '12 mars 2026 : les 2 événements concordent.']);
		expect(xt.verify.imported(1, 0)).toBe('Importé : 1 événement ajouté.');
		expect(xt.verify.imported(2, 1000000)).toBe(`Importé : 2 événements ajoutés, ${MILLION} événements déjà présents ignorés.`);
		expect(t.metrics.bytes(1234.6)).toBe('1\u202f235 octets');
		expect(ut.secret.passphraseHint(12)).toMatch(/^Au moins 12 caractères\. /);
		expect(et.problems.tooLong('Nom', 1)).toBe('Nom : au plus 1 caractère.');
		expect(ut.users.rotationWaits(['Awa'])).toMatch(/^La clé de l’appareil n’est pas encore changée : elle attend que Awa se soit connecté\(e\) une fois depuis la mise à jour, ou que vous lui définissiez /);
		expect(ut.users.rotationWaits(['Awa', 'Moussa'])).toMatch(/elle attend que Awa, Moussa se soient connecté\(e\)s une fois depuis la mise à jour, ou que vous leur définissiez /);
	});

	it('today, yesterday, days ago; no export yet', () => {
		expect([0, 1, 2, 1000000].map((d) => xt.export.last(d, 1234))).toEqual([
			'Dernier export : aujourd’hui, jusqu’à l’événement 1\u202f234.',
			'Dernier export : hier, jusqu’à l’événement 1\u202f234.',
			'Dernier export : il y a 2 jours, jusqu’à l’événement 1\u202f234.',
			`Dernier export : il y a ${MILLION} jours, jusqu’à l’événement 1\u202f234.`
		]);
		expect([0, 1, 2].map((d) => pt.storage.lastExport(d))).toEqual(['Dernier export : aujourd’hui.', 'Dernier export : hier.', 'Dernier export : il y a 2 jours.']);
		expect(pt.storage.exportOverdue(null)).toMatch(/^Rien n’a encore été exporté\. Exportez maintenant : /);
		expect(pt.storage.exportOverdue(1)).toMatch(/^Aucun export depuis 1 jour\. /);
		expect(pt.storage.exportOverdue(1000)).toMatch(/^Aucun export depuis 1\u202f000 jours\. /);
	});

	it('ranges of positions, versions and numbers grouped as before', () => {
		expect(xt.positions(2, 3)).toBe('événement 3');
		expect(xt.positions(3, 7)).toBe('événements 4 à 7');
		expect(xt.positions(999, 1000000)).toBe(`événements 1\u202f000 à ${MILLION}`);
		expect(xt.verify.rangeValue(5, 5)).toBe('aucune (un point de contrôle signé seulement)');
		expect(xt.verify.rangeValue(0, 1)).toBe('événement 1');
		expect(xt.verify.rangeValue(0, 1234)).toBe('événements 1 à 1\u202f234');
		expect(t.integrity.position(12345)).toBe('Événement en position 12\u202f345');
		expect([1, 2].map((v) => xt.verify.formatValue(v))).toEqual(['version 1 (sans preuves de cohérence)', 'version 2']);
		expect(ft.fill.remove('Enfant', 1000)).toBe('Retirer Enfant 1\u202f000');
		expect(t.photo.ready(250, 1600, 1200)).toBe('Photo prête : 1\u202f600 × 1\u202f200 pixels, 250 Ko. Elle est enregistrée avec le dossier.');
		expect(t.photo.described('image/jpeg', 2049)).toBe('Photo (JPEG, 3 Ko)');
		expect(pt.storage.usage('1 Mo', '2 Go', 85)).toBe('1 Mo utilisés sur 2 Go (85 %)');
	});

	it('choices: PIN or passphrase, device or none, accuracy or none', () => {
		expect([ut.secret.repeat('pin'), ut.secret.repeat('passphrase')]).toEqual(['Code PIN à nouveau', 'Phrase secrète à nouveau']);
		expect(ut.users.addSecret('pin')).toBe('Code PIN');
		expect(t.recorders.claimed('Awa', 'superviseur', 'ab12')).toBe('Awa (superviseur, appareil ab12)');
		expect(t.recorders.claimed('Awa', 'superviseur', undefined)).toBe('Awa (superviseur, un autre appareil)');
		expect(t.geopoint.value(12.65, -8, 25)).toBe('latitude 12,65000, longitude -8,00000 (à 25 m près)');
		expect(t.location.found(12.65, -8, undefined)).toBe('Localisation : latitude 12,65000, longitude -8,00000. Elle est enregistrée avec le dossier.');
		expect(ut.secret.strength.weak(2)).toBe('faible : facile à deviner. Utilisez plusieurs mots sans rapport.');
	});

	it('a participle after a count agrees with it', () => {
		expect([0, 1, 2].map((n) => xt.export.progressText(n, 1))).toEqual(['0 sur 1 événement lu', '1 sur 1 événement lu', '2 sur 1 événement lu']);
		expect(xt.export.progressText(3, 1000000)).toBe(`3 sur ${MILLION} événements lus`);
		expect([1, 2].map((n) => xt.verify.progressSteps.events(1, n))).toEqual(['1 sur 1 événement ajouté', '1 sur 2 événements ajoutés']);
		expect([1, 2].map((n) => xt.verify.progressSteps.publishing(n, n))).toEqual([
			'Finalisation : 1 événement ajouté, en cours de validation',
			'Finalisation : 2 événements ajoutés, en cours de validation'
		]);
		expect(t.integrity.rebuildFixed(1, 1, 1)).toBe('1 ligne stockée différait de ce que disent les événements et a été reconstruite. 1 événement rejoué(s) en 1 dossier ; chaque dossier concorde désormais avec le journal.');
		expect(t.integrity.rebuildFixed(2, 3, 1000000)).toBe(
			`2 lignes stockées différaient de ce que disent les événements et ont été reconstruites. 3 événements rejoué(s) en ${MILLION} dossiers ; chaque dossier concorde désormais avec le journal.`
		);
	});
});
