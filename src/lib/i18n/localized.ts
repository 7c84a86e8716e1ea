/**
 * A message module's export: the English object, or the same part of the chosen language's catalog
 * (whose shape the compiler checks in i18n/catalog.ts). Reading a text through it reads the current
 * language (a reactive state), so a component showing it is shown again when the language changes.
 */
import { currentCatalog } from './state.svelte';

export function localized<T extends object>(part: string, english: T): T {
	return new Proxy(english, {
		get(target, key) {
			const catalog = currentCatalog();
			const source = (catalog === undefined ? target : catalog[part]) as Record<PropertyKey, unknown>;
			return source[key];
		}
	});
}
