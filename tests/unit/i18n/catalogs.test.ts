/**
 * The catalogs are complete: every language has exactly the English messages (no missing, no extra);
 * each of its ICU messages parses for its language, uses exactly the English message's argument names
 * and writes every plural form the language has; none of its texts is left in English (but the few
 * that are the same word in both, listed with why); and the English modules read the chosen catalog.
 */
import { afterEach, describe, expect, it } from 'vitest';
import IntlMessageFormat from 'intl-messageformat';
import { en, t } from '../../../src/lib/ui/messages';
import { exchangeEn } from '../../../src/lib/ui/exchange-messages';
import { formsEn } from '../../../src/lib/ui/forms-messages';
import { usersEn } from '../../../src/lib/ui/users-messages';
import { pwaEn } from '../../../src/lib/ui/pwa-messages';
import { errorsEn } from '../../../src/lib/ui/error-messages';
import { Message, formatMessage, messageFormat } from '../../../src/lib/i18n/message';
import { formatNumber, intlLocale } from '../../../src/lib/i18n/format';
import { applyLocale } from '../../../src/lib/i18n/load';
import fr from '../../../src/lib/i18n/fr';
import es from '../../../src/lib/i18n/es';
import ar from '../../../src/lib/i18n/ar';
import type { Catalog } from '../../../src/lib/i18n/catalog';
import { argumentNames, plurals, type Ast } from './icu';

const english = { t: en, xt: exchangeEn, ft: formsEn, ut: usersEn, pt: pwaEn, et: errorsEn };
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

/** A tree's leaves (messages, strings) with their dotted paths, sorted. */
function leaves(value: unknown, path: string, out: Leaf[]): Leaf[] {
	if (typeof value === 'object' && value !== null && !(value instanceof Message) && !Array.isArray(value)) {
		for (const key of Object.keys(value).sort()) leaves((value as Record<string, unknown>)[key], path === '' ? key : `${path}.${key}`, out);
	} else {
		out.push({ path, value });
	}
	return out;
}

/** Sample arguments for a text with parameters: numbers first (counts, names as digits), then lists. */
const SAMPLES: unknown[][] = [[1], [2], [7], [23]];

function calls(length: number, run: (args: unknown[]) => string): string[] {
	return SAMPLES.map(([sample]) => {
		try {
			return run(Array.from({ length }, () => sample));
		} catch {
			return run(Array.from({ length }, () => ['Awa', 'Moussa']));
		}
	});
}

/** What English says for the message, with sample arguments when it takes some. */
function englishText(message: Message<unknown[]>): string[] {
	const map = message.values;
	if (map === undefined) return [formatMessage('en', message.source)];
	return calls(Math.max(map.length, 1), (args) => formatMessage('en', message.source, map(...args)));
}

/** What a language says at the same place: its ICU message, with the English mapper's values. */
function translatedText(locale: string, message: Message<unknown[]>, translated: unknown): string[] {
	const map = message.values;
	if (map === undefined) return [formatMessage(locale, translated as string)];
	return calls(Math.max(map.length, 1), (args) => formatMessage(locale, translated as string, map(...args)));
}

/** The message's text is the same in the language as in English (for any sample argument). */
function sameAsEnglish(locale: string, message: Message<unknown[]>, translated: unknown): boolean {
	if (typeof translated === 'string' && translated === message.source) return true;
	const ours = englishText(message);
	const theirs = translatedText(locale, message, translated);
	return ours.some((text, i) => text === theirs[i]);
}

function ast(locale: string, source: string): Ast {
	return messageFormat(locale, source).getAst();
}

afterEach(async () => {
	await applyLocale('en');
});

describe('catalogs', () => {
	const englishLeaves = leaves(english, '', []);

	for (const [locale, catalog] of Object.entries(catalogs)) {
		describe(locale, () => {
			const own = leaves(catalog, '', []);

			it('has exactly the English texts, no more, no fewer', () => {
				expect(own.map((l) => l.path)).toEqual(englishLeaves.map((l) => l.path));
			});

			it('has, for each message, an ICU message of the language with exactly the English argument names', () => {
				const byPath = new Map(own.map((l) => [l.path, l.value]));
				for (const { path, value } of englishLeaves) {
					const message = value as Message<unknown[]>;
					const translated = byPath.get(path);
					expect(typeof translated, path).toBe('string');
					let parsed: Ast = [];
					expect(() => (parsed = new IntlMessageFormat(translated as string, intlLocale(locale), undefined, { ignoreTag: true }).getAst()), `${locale} ${path}`).not.toThrow();
					expect(argumentNames(parsed), `${locale} ${path}: argument names`).toEqual(argumentNames(ast('en', message.source)));
				}
			});

			it('writes every plural form the language has, and other', () => {
				const categories = new Intl.PluralRules(intlLocale(locale)).resolvedOptions().pluralCategories;
				for (const { path, value } of own) {
					if (typeof value !== 'string') continue;
					for (const { name, forms } of plurals(ast(locale, value))) {
						expect(forms, `${locale} ${path}: {${name}, plural} needs other`).toContain('other');
						for (const category of categories) expect(forms, `${locale} ${path}: {${name}, plural} needs ${category}`).toContain(category);
					}
				}
			});

			it('leaves no text in English', () => {
				const byPath = new Map(own.map((l) => [l.path, l.value]));
				const allowed = SAME_AS_ENGLISH[locale] ?? {};
				const untranslated: string[] = [];
				for (const { path, value } of englishLeaves) {
					if (SAME_EVERYWHERE.has(path) || path in allowed) continue;
					if (sameAsEnglish(locale, value as Message<unknown[]>, byPath.get(path))) untranslated.push(path);
				}
				expect(untranslated).toEqual([]);
			});

			it('has no empty text', () => {
				for (const { path, value } of own) if (typeof value === 'string') expect(value.trim(), path).not.toBe('');
			});
		});
	}


	it('English writes every plural form English has, and other', () => {
		const categories = new Intl.PluralRules(intlLocale('en')).resolvedOptions().pluralCategories;
		for (const { path, value } of englishLeaves)
			for (const { name, forms } of plurals(ast('en', (value as Message<unknown[]>).source))) {
				expect(forms, `${path}: {${name}, plural}`).toContain('other');
				for (const category of categories) expect(forms, `${path}: {${name}, plural} needs ${category}`).toContain(category);
			}
	});

	it('lists as allowed only texts that are in fact the same as English (the list stays honest)', () => {
		const englishByPath = new Map(englishLeaves.map((l) => [l.path, l.value]));
		for (const [locale, allowed] of Object.entries(SAME_AS_ENGLISH)) {
			const byPath = new Map(leaves(catalogs[locale], '', []).map((l) => [l.path, l.value]));
			for (const path of Object.keys(allowed)) {
				const same = sameAsEnglish(locale, englishByPath.get(path) as Message<unknown[]>, byPath.get(path));
				expect(same, `${locale} ${path}`).toBe(true);
			}
		}
	});
});

describe('plurals, through the modules', () => {
	it('Arabic uses its six categories: zero, one, two, few, many, other', async () => {
		await applyLocale('ar');
		const counts = [0, 1, 2, 3, 11, 100].map((n) => t.households.memberCount(n));
		expect(counts).toEqual(['لا أعضاء', 'عضو واحد', 'عضوان', '3 أعضاء', '11 عضوًا', '100 عضو']);
	});

	it('French counts zero and one in the singular, Spanish only one', async () => {
		await applyLocale('fr');
		expect([0, 1, 2].map((n) => t.households.memberCount(n))).toEqual(['0 membre', '1 membre', '2 membres']);
		await applyLocale('es');
		expect([0, 1, 2].map((n) => t.households.memberCount(n))).toEqual(['0 miembros', '1 miembro', '2 miembros']);
	});

	it('numbers in a text are grouped as the language writes them', async () => {
		expect(t.households.memberCount(12345)).toBe('12,345 members');
		await applyLocale('fr');
		expect(t.households.memberCount(12345)).toBe('12\u202f345 membres');
		await applyLocale('es');
		expect(t.households.memberCount(12345)).toBe('12.345 miembros');
	});

	it('# in a plural and {n, number} write a number as formatNumber does, in every language', () => {
		for (const locale of ['en', 'fr', 'es', 'ar'])
			for (const n of [0, 1, 1234, 12345.678]) {
				const expected = formatNumber(n, locale);
				expect(formatMessage(locale, '{n, plural, other {#}}', { n }), locale).toBe(expected);
				expect(formatMessage(locale, '{n, number}', { n }), locale).toBe(expected);
			}
	});
});
