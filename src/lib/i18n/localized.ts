/**
 * A message module's export: the English object, or the same part of the chosen language's catalog.
 * Reading a text through it reads the current language (a reactive state), so a component showing
 * it is shown again when the language changes.
 */
import type { Catalog, CatalogPart } from './catalog';
import { currentCatalog } from './state.svelte';

export function localized<P extends CatalogPart>(part: P, english: Catalog[P]): Catalog[P] {
	return new Proxy(english, {
		get(target, key) {
			const catalog = currentCatalog();
			const source = (catalog === undefined ? target : catalog[part]) as Record<PropertyKey, unknown>;
			return source[key];
		}
	});
}
