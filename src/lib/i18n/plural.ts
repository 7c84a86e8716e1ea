/**
 * TRANSITION: the catalogs' first form of plurals, kept while fr.ts, es.ts and ar.ts still hold
 * functions (message.ts, Legacy); messages now say plurals in ICU (`{n, plural, ...}`). Delete this
 * file with the last `pluralIn` import.
 *
 * Plurals by the language's own rules (Intl.PluralRules: English and Spanish have one and other,
 * French one, many and other, Arabic zero, one, two, few, many and other). A form may hold `#`,
 * replaced by the number formatted for the language.
 */
import { formatNumber } from './format';

export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

const rules = new Map<string, Intl.PluralRules>();

function rulesOf(locale: string): Intl.PluralRules {
	let r = rules.get(locale);
	if (r === undefined) {
		r = new Intl.PluralRules(locale);
		rules.set(locale, r);
	}
	return r;
}

/** The form of `forms` that `locale` uses for `n`, with `#` replaced by `n`. */
function plural(locale: string, n: number, forms: PluralForms): string {
	const form = forms[rulesOf(locale).select(n)] ?? forms.other;
	return form.replaceAll('#', formatNumber(n, locale));
}

/** `plural` bound to one language, for a catalog: `const p = pluralIn('fr'); p(n, {...})`. */
export function pluralIn(locale: string): (n: number, forms: PluralForms) => string {
	return (n, forms) => plural(locale, n, forms);
}
