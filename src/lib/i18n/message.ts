/**
 * The interface's texts as ICU MessageFormat messages, formatted by intl-messageformat (FormatJS)
 * for the language shown (docs/decisions/0008-i18n.md).
 *
 * An English module defines each text with `msg`:
 *
 *     title: msg('Home'),                                          // t.home.title is a string
 *     ready: msg('Bundle ready: {n, plural, one {# event} other {# events}} in {fileName}.',
 *                (n: number, fileName: string) => ({ n, fileName })), // xt.export.ready(n, file)
 *
 * The second argument (the mapper) turns the call's positional arguments into the message's ICU
 * arguments, so every call site keeps its signature; `localized` (localized.ts) turns the definitions
 * into strings and functions. A language's catalog (fr.ts, es.ts, ar.ts) holds, at the same path, the
 * same message in its language: an ICU string, formatted with the same mapper's arguments.
 *
 * Conventions, for whoever writes a message in any language:
 *
 * - Argument names: those the English message uses, which are the English function's parameter
 *   names (`{n}`, `{fileName}`). Where a text needs a value the parameters give only by arithmetic or
 *   by conversion, the mapper computes it under a name of its own, listed in the mapper (`{first}` for
 *   `begin + 1`, `{kb}` for `Math.ceil(size / 1024)`). A translation uses exactly the English
 *   message's argument names, no fewer and no other (tests/unit/i18n/catalogs.test.ts).
 * - Plurals: `{n, plural, ...}`, with an `other` form and every form the language's plural rules
 *   have (`new Intl.PluralRules(tag).resolvedOptions().pluralCategories`: English one, other; French
 *   and Spanish one, many, other; Arabic zero, one, two, few, many, other). Exact forms (`=0`,
 *   `=1`) are extra, for a wording of their own ("today", "yesterday", "Every event is..."). `#`
 *   writes the number as the language writes numbers (digits, grouping), as `{n, number}` does and
 *   as formatNumber (format.ts) does: the same Intl locale. `#` counts only directly inside a plural
 *   form: inside a select nested in a plural, write `{n, number}`.
 * - Choices: `{kind, select, pin {...} other {...}}` (an `other` form always).
 * - A number outside a plural: `{n, number}` to group its digits ("1,234"), `{n}` to write it as it
 *   is (a year, a percentage already rounded). Dates and times come formatted (format.ts: one format
 *   per kind): they are plain `{when}` arguments, never `{when, date}`.
 * - Apostrophes: write the typographic ’ (U+2019), which ICU leaves alone. A straight ' is literal
 *   too, except right before `{`, `}` or `#` in a plural, where it starts a quoted (escaped) passage:
 *   write '' for a straight one there. A literal brace is '{' and '}'.
 * - Markup: none. `<` and `>` are literal text (tags are not parsed), and so is whatever an argument
 *   holds: values are never parsed as ICU, and Svelte shows the result as text.
 */
import IntlMessageFormat, { type Formatters } from 'intl-messageformat';
import { intlLocale } from './format';

/** The values a message is formatted with: its ICU arguments by name. */
export type Values = Record<string, string | number>;

/**
 * A message's definition: its English ICU source, and for a message with parameters the mapper from
 * the call's positional arguments (`A`) to its ICU arguments.
 */
export class Message<A extends unknown[] = []> {
	/** Type only: the parameters a call passes. */
	declare readonly parameters: A;
	constructor(
		readonly source: string,
		readonly values: ((...args: A) => Values) | undefined
	) {}
}

/** A text without parameters. */
export function msg(source: string): Message<[]>;
/** A text with parameters: `values` maps the call's arguments to the ICU arguments by name. */
export function msg<A extends unknown[]>(source: string, values: (...args: A) => Values): Message<A>;
export function msg<A extends unknown[]>(source: string, values?: (...args: A) => Values): Message<A> {
	return new Message(source, values);
}

/** What a message is at its use: a string, or a function of the English parameters giving one. */
export type Text<A extends unknown[]> = A extends [] ? string : (...args: A) => string;

/** An English module's definitions as its users read them: every message a string or a function. */
export type Texts<T> = T extends Message<infer A> ? Text<A> : { [K in keyof T]: Texts<T[K]> };

/** A language's version of an English module: the same shape, each message its ICU source. */
export type Translation<T> = T extends Message<infer _A> ? string : { [K in keyof T]: Translation<T[K]> };

function memo<K extends unknown[], V>(make: (...args: K) => V): (...args: K) => V {
	const cache = new Map<string, V>();
	return (...args: K) => {
		const key = JSON.stringify(args);
		let v = cache.get(key);
		if (v === undefined) {
			v = make(...args);
			cache.set(key, v);
		}
		return v;
	};
}

/** One Intl formatter per language and options, shared by every message. */
const formatters: Formatters = {
	getNumberFormat: memo((locales?: string | string[], options?: Intl.NumberFormatOptions) => new Intl.NumberFormat(locales, options)),
	getDateTimeFormat: memo((...args: ConstructorParameters<typeof Intl.DateTimeFormat>) => new Intl.DateTimeFormat(...args)),
	getPluralRules: memo((...args: ConstructorParameters<typeof Intl.PluralRules>) => new Intl.PluralRules(...args))
} as Formatters;

const parsed = new Map<string, IntlMessageFormat>();

/** The parsed message `source` of `locale`, cached per language and source. Throws on an ICU syntax error. */
export function messageFormat(locale: string, source: string): IntlMessageFormat {
	const key = `${locale}\u0000${source}`;
	let f = parsed.get(key);
	if (f === undefined) {
		f = new IntlMessageFormat(source, intlLocale(locale), undefined, { formatters, ignoreTag: true });
		parsed.set(key, f);
	}
	return f;
}

const plain = new Map<string, string>();

/** `source` (ICU, in `locale`) formatted with `values`; a message without arguments once per language. */
export function formatMessage(locale: string, source: string, values?: Values): string {
	if (values === undefined) {
		const key = `${locale}\u0000${source}`;
		let s = plain.get(key);
		if (s === undefined) {
			s = String(messageFormat(locale, source).format());
			plain.set(key, s);
		}
		return s;
	}
	return String(messageFormat(locale, source).format(values));
}
