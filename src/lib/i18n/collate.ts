/**
 * Names in the order a reader of the language expects (Intl.Collator): accents after the bare
 * letter and not at the end ("Émile" beside "Emile"), case ignored, digits by value ("Awa 2" before
 * "Awa 10"), Arabic in its alphabetical order. For the lists the page sorts itself (users, the
 * sign-in profiles, the case workers to assign); the people list is sorted by the worker on its
 * stored key (README, "Languages").
 */
import { currentLocale } from './state.svelte';

const collators = new Map<string, Intl.Collator>();

function collator(locale: string): Intl.Collator {
	let c = collators.get(locale);
	if (c === undefined) {
		c = new Intl.Collator(locale, { sensitivity: 'base', numeric: true });
		collators.set(locale, c);
	}
	return c;
}

/** Compares two names for the language shown (or `locale`). */
export function compareNames(a: string, b: string, locale: string = currentLocale()): number {
	return collator(locale).compare(a, b);
}

/** A copy of `items` sorted by the name `nameOf` gives, for the language shown (or `locale`). */
export function sortByName<T>(items: readonly T[], nameOf: (item: T) => string, locale: string = currentLocale()): T[] {
	const c = collator(locale);
	return [...items].sort((a, b) => c.compare(nameOf(a), nameOf(b)));
}
