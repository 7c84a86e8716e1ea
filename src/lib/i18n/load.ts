/**
 * Choosing the language: loads a catalog before anything is shown in it, sets the page's lang and
 * dir, and remembers the choice.
 *
 * English is in the app's first script; each other language's catalog is its own small file, loaded
 * when chosen. The choice is remembered on the device in localStorage twice: per user
 * (`casetrail.locale.user.<id>`, applied when that user signs in) and as the device's last choice
 * (`casetrail.locale`, which the sign-in page shows). Without either, the browser's preferred
 * languages decide (navigator.languages), English when none is spoken here.
 */
import type { Catalog } from './catalog';
import { directionOf, isLocale, matchLocale, type Locale } from './locales';
import { catalogs, i18n } from './state.svelte';
import { withColon } from './format';
import { t } from '../ui/messages';

const DEVICE_KEY = 'casetrail.locale';
const userKey = (userId: string) => `casetrail.locale.user.${userId}`;

const loaders: Record<Exclude<Locale, 'en'>, () => Promise<{ default: Catalog }>> = {
	fr: () => import('./fr'),
	es: () => import('./es'),
	ar: () => import('./ar')
};

function storage(): Storage | undefined {
	try {
		return typeof localStorage === 'undefined' ? undefined : localStorage;
	} catch {
		return undefined;
	}
}

function read(key: string): Locale | undefined {
	const value = storage()?.getItem(key);
	return isLocale(value) ? value : undefined;
}

/** The language to show: the user's own choice, else the device's last, else the browser's. */
export function preferredLocale(userId?: string): Locale {
	const own = userId === undefined ? undefined : read(userKey(userId));
	if (own !== undefined) return own;
	const device = read(DEVICE_KEY);
	if (device !== undefined) return device;
	return matchLocale(typeof navigator === 'undefined' ? [] : (navigator.languages ?? [navigator.language]));
}

/** Shows the interface in `locale`: loads its catalog first, then switches, sets lang, dir and the page's description. */
export async function applyLocale(locale: Locale): Promise<void> {
	if (locale !== 'en' && !catalogs.has(locale)) catalogs.set(locale, (await loaders[locale]()).default as unknown as Record<string, unknown>);
	i18n.current = locale;
	if (typeof document !== 'undefined') {
		document.documentElement.lang = locale;
		document.documentElement.dir = directionOf(locale);
		document.querySelector('meta[name="description"]')?.setAttribute('content', `${withColon(t.app.name)} ${t.app.tagline}`);
	}
}

/** A person's choice: shown at once, remembered for the device and, when signed in, for the user. */
export async function chooseLocale(locale: Locale, userId?: string): Promise<void> {
	await applyLocale(locale);
	const store = storage();
	try {
		store?.setItem(DEVICE_KEY, locale);
		if (userId !== undefined) store?.setItem(userKey(userId), locale);
	} catch {
		// A browser that refuses storage (private mode, full): the choice holds for this page only.
	}
}
