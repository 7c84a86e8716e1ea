/**
 * The catalogs are complete: every language has exactly the English texts (no missing, no extra),
 * none of its texts is left in English (but the few that are the same word in both, listed with why),
 * plurals follow each language's categories, and the English modules read the chosen catalog.
 */
import { describe, expect, it } from 'vitest';
import { en } from '../../../src/lib/ui/messages';
import { exchangeEn } from '../../../src/lib/ui/exchange-messages';
import { formsEn } from '../../../src/lib/ui/forms-messages';
import { usersEn } from '../../../src/lib/ui/users-messages';
import { pwaEn } from '../../../src/lib/ui/pwa-messages';
import { errorsEn } from '../../../src/lib/ui/error-messages';
import fr from '../../../src/lib/i18n/fr';
import es from '../../../src/lib/i18n/es';
import ar from '../../../src/lib/i18n/ar';
import type { Catalog } from '../../../src/lib/i18n/catalog';

const english: Catalog = { t: en, xt: exchangeEn, ft: formsEn, ut: usersEn, pt: pwaEn, et: errorsEn };
const catalogs: Record<string, Catalog> = { fr, es, ar };

/**
 * Texts that are rightly the same as in English, by language and path. Anything else equal to the
 * English text is an untranslated string and fails.
 */
const SAME_AS_ENGLISH: Record<string, Record<string, string>> = {
	fr: {
		'ft.list.version': 'the same word in French',
		'ft.import.version': 'the same word in French',
		'pt.offline.version': 'the same word in French',
		't.list.type': 'the same word in French',
		'ft.import.type': 'the same word in French',
		't.log.position': 'the same word in French',
		'ut.users.actions': 'the same word in French',
		'ft.types.date': 'the same word in French',
		'ft.types.note': 'the same word in French',
		'ft.fill.version': '"Version 3": the same word in French',
		'xt.verify.formatValue': '"version 2": the same word in French',
		'ft.import.question': 'the same word in French',
		'ft.import.questions': 'the same word in French',
		't.fields.photo': 'the same word in French',
		't.photo.settingTitle': '"Photos": the same word in French',
		't.photo.side': '"1600 pixels": the same word in French'
	},
	es: {
		't.common.no': 'the same word in Spanish',
		't.metrics.bytes': '"7 bytes": the same word in Spanish',
		't.userRoles.supervisor': 'the same word in Spanish',
		'ut.roles.supervisor': 'the same word in Spanish',
		't.recorders.roles.supervisor': 'the same word in Spanish'
	},
	ar: {}
};

/** Texts made only of what is not language: the product name, punctuation around parameters. */
const SAME_EVERYWHERE = new Set(['t.app.name', 't.app.title', 't.common.none', 't.history.entry', 't.entity.userOption', 'ut.users.forUser', 'ut.session.who', 'ft.fill.instance']);

type Leaf = { path: string; value: unknown };

function leaves(value: unknown, path: string, out: Leaf[]): Leaf[] {
	if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
		for (const key of Object.keys(value).sort()) leaves((value as Record<string, unknown>)[key], path === '' ? key : `${path}.${key}`, out);
	} else {
		out.push({ path, value });
	}
	return out;
}

/** Sample arguments for a message function: numbers first (counts, names as digits), then lists. */
function render(fn: (...args: never[]) => unknown): string[] {
	const outputs: string[] = [];
	for (const sample of [1, 2, 7, 23]) {
		const args = Array.from({ length: fn.length }, () => sample) as never[];
		try {
			outputs.push(String(fn(...args)));
		} catch {
			outputs.push(String(fn(...(Array.from({ length: fn.length }, () => ['Awa', 'Moussa']) as never[]))));
		}
	}
	return outputs;
}

describe('catalogs', () => {
	const englishLeaves = leaves(english, '', []);

	for (const [locale, catalog] of Object.entries(catalogs)) {
		describe(locale, () => {
			const own = leaves(catalog, '', []);

			it('has exactly the English texts, no more, no fewer', () => {
				expect(own.map((l) => l.path)).toEqual(englishLeaves.map((l) => l.path));
			});

			it('has the same kind of text (plain or with parameters) as English, taking as many parameters', () => {
				const byPath = new Map(own.map((l) => [l.path, l.value]));
				for (const { path, value } of englishLeaves) {
					const translated = byPath.get(path);
					expect(typeof translated, path).toBe(typeof value);
					if (typeof value === 'function') expect((translated as (...a: unknown[]) => unknown).length, path).toBe(value.length);
				}
			});

			it('leaves no text in English', () => {
				const byPath = new Map(own.map((l) => [l.path, l.value]));
				const allowed = SAME_AS_ENGLISH[locale] ?? {};
				const untranslated: string[] = [];
				for (const { path, value } of englishLeaves) {
					if (SAME_EVERYWHERE.has(path) || path in allowed) continue;
					const translated = byPath.get(path);
					const same =
						typeof value === 'function'
							? render(value as (...a: never[]) => unknown).some((out, i) => out === render(translated as (...a: never[]) => unknown)[i])
							: value === translated;
					if (same) untranslated.push(path);
				}
				expect(untranslated).toEqual([]);
			});

			it('has no empty text', () => {
				for (const { path, value } of own) if (typeof value === 'string') expect(value.trim(), path).not.toBe('');
			});
		});
	}

	it('lists as allowed only texts that are in fact the same as English (the list stays honest)', () => {
		const englishByPath = new Map(englishLeaves.map((l) => [l.path, l.value]));
		for (const [locale, allowed] of Object.entries(SAME_AS_ENGLISH)) {
			const byPath = new Map(leaves(catalogs[locale], '', []).map((l) => [l.path, l.value]));
			for (const path of Object.keys(allowed)) {
				const value = englishByPath.get(path);
				const translated = byPath.get(path);
				const same =
					typeof value === 'function'
						? render(value as (...a: never[]) => unknown).some((out, i) => out === render(translated as (...a: never[]) => unknown)[i])
						: value === translated;
				expect(same, `${locale} ${path}`).toBe(true);
			}
		}
	});
});

describe('plurals', () => {
	it('Arabic uses its six categories: zero, one, two, few, many, other', () => {
		const counts = [0, 1, 2, 3, 11, 100].map((n) => ar.t.households.memberCount(n));
		expect(counts).toEqual(['لا أعضاء', 'عضو واحد', 'عضوان', '3 أعضاء', '11 عضوًا', '100 عضو']);
	});

	it('French counts zero and one in the singular, Spanish only one', () => {
		expect([0, 1, 2].map((n) => fr.t.households.memberCount(n))).toEqual(['0 membre', '1 membre', '2 membres']);
		expect([0, 1, 2].map((n) => es.t.households.memberCount(n))).toEqual(['0 miembros', '1 miembro', '2 miembros']);
	});

	it('numbers in a text are grouped as the language writes them', () => {
		expect(fr.t.households.memberCount(12345)).toBe('12\u202f345 membres');
		expect(es.t.households.memberCount(12345)).toBe('12.345 miembros');
		expect(en.households.memberCount(12345)).toBe('12,345 members');
	});
});
