/**
 * The languages of the interface: their BCP 47 tag, their own name (as a speaker looks for it in a
 * language switch), and their writing direction. English is the base: every other language is a
 * catalog of the same shape (src/lib/i18n/<tag>.ts, README "Languages").
 */
export const LOCALES = ['en', 'fr', 'es', 'ar'] as const;
export type Locale = (typeof LOCALES)[number];

export const BASE_LOCALE: Locale = 'en';

/** Each language's name in that language: a language switch must be readable by who needs it. */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', fr: 'Français', es: 'Español', ar: 'العربية' };

const RTL: ReadonlySet<Locale> = new Set<Locale>(['ar']);

export function directionOf(locale: Locale): 'ltr' | 'rtl' {
	return RTL.has(locale) ? 'rtl' : 'ltr';
}

export function isLocale(value: unknown): value is Locale {
	return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/**
 * The first of the browser's preferred languages (navigator.languages, in order) that the interface
 * speaks, matched on the language part ("fr-CA" -> fr, "ar-EG" -> ar); English when none is.
 */
export function matchLocale(preferred: readonly string[]): Locale {
	for (const tag of preferred) {
		const language = tag.toLowerCase().split(/[-_]/)[0];
		if (isLocale(language)) return language;
	}
	return BASE_LOCALE;
}
