/**
 * Every date, time and number the interface shows, formatted for the chosen language by Intl, one
 * format per kind, with the formatters cached per language:
 *
 * - a calendar date (a date of birth, "YYYY-MM-DD" as stored): day, short month, year ("12 Mar 1985",
 *   "12 mars 1985", "12 mar 1985", "12 مارس 1985"), read as the date it is, never shifted by a time zone;
 * - an instant (ISO 8601 in events): the same date with the local time to the second;
 * - a number: the language's grouping and decimal separator;
 * - a coordinate (a latitude or longitude in degrees): five decimals (about a metre), never grouped.
 *
 * What is stored, signed and exported stays ISO 8601: only what is shown is formatted.
 */
import { currentLocale } from './state.svelte';

const DATE: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' };
const INSTANT: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' };

/**
 * The Intl locale each language formats with: English writes day, month, year ("12 Mar 1985") as
 * British English does, the order most of the world reads without doubt; the others are themselves.
 * Messages (message.ts) format their numbers and plurals with the same locale.
 */
export function intlLocale(locale: string): string {
	return locale === 'en' ? 'en-GB' : locale;
}

const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();

function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => T): T {
	let f = cache.get(key);
	if (f === undefined) {
		f = make();
		cache.set(key, f);
	}
	return f as T;
}

/** `n` with the language's digits grouping and decimal separator ("1,234.5", "1 234,5"). */
export function formatNumber(n: number, locale: string = currentLocale(), maximumFractionDigits = 3): string {
	return cached(`n:${locale}:${maximumFractionDigits}`, () => new Intl.NumberFormat(intlLocale(locale), { maximumFractionDigits })).format(n);
}

/** A latitude or longitude in degrees with five decimals, in the language's digits and decimal separator ("12.65000", "12,65000"). */
export function formatCoordinate(degrees: number, locale: string = currentLocale()): string {
	return cached(`c:${locale}`, () => new Intl.NumberFormat(intlLocale(locale), { minimumFractionDigits: 5, maximumFractionDigits: 5, useGrouping: false })).format(degrees);
}

/** A "YYYY-MM-DD" calendar date as the language writes it; anything else as it is. */
export function formatDate(value: string, locale: string = currentLocale()): string {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
	if (!m) return value;
	const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
	if (Number.isNaN(date.getTime()) || date.getUTCDate() !== Number(m[3])) return value;
	return cached(`d:${locale}`, () => new Intl.DateTimeFormat(intlLocale(locale), DATE)).format(date);
}

/** An ISO 8601 instant as the language writes a local date and time; anything else as it is. */
export function formatInstant(iso: string, locale: string = currentLocale()): string {
	const date = new Date(iso);
	if (Number.isNaN(date.getTime())) return iso;
	return cached(`i:${locale}`, () => new Intl.DateTimeFormat(intlLocale(locale), INSTANT)).format(date);
}

/**
 * `label` followed by a colon as the language writes it before what it introduces: French puts a
 * narrow no-break space before it ("Code : …"), the others none ("Code: …", "الرمز: …").
 */
export function withColon(label: string, locale: string = currentLocale()): string {
	return locale === 'fr' ? `${label}\u202f:` : `${label}:`;
}

/** `items` joined by the language's comma: "Awa, Moussa", Arabic "Awa، Moussa" (U+060C). */
export function joinList(items: readonly string[], locale: string = currentLocale()): string {
	return items.join(locale === 'ar' ? '\u060c ' : ', ');
}
