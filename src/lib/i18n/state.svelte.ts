/**
 * The language the interface speaks now and the catalogs loaded so far (i18n/load.ts loads them and
 * remembers the choice). Reading `i18n.current` in a component shows it again when the language changes.
 */
/// <reference types="svelte" />
import { BASE_LOCALE, type Locale } from './locales';

class LocaleState {
	/** The language shown; reading it in a component re-renders that component when it changes. */
	current: Locale = $state(BASE_LOCALE);
}

export const i18n = new LocaleState();

/** Each loaded language's catalog (src/lib/i18n/<tag>.ts), by language; English is the modules' own objects. */
export const catalogs = new Map<Locale, Record<string, unknown>>();

/** The language shown now (outside a component, e.g. in a formatter). */
export function currentLocale(): Locale {
	return i18n.current;
}

