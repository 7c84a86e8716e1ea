/**
 * A message module's export: the English definitions (message.ts) read as texts in the language
 * shown. Reading `t.home.title` gives the text; reading `xt.export.ready` gives a function of the
 * English parameters. The text is the chosen language's message at the same path of its catalog
 * (i18n/<tag>.ts, whose shape the compiler checks in i18n/catalog.ts), formatted with the English
 * mapper's arguments; English is the definitions' own source. There is no fallback to English: a
 * text missing from a catalog is refused by the compiler and by tests/unit/i18n/catalogs.test.ts.
 *
 * The language is a reactive state, read at each access (and, for a function, at each call), so a
 * component showing a text is shown again when the language changes.
 */
import { currentLocale, catalogs } from './state.svelte';
import { BASE_LOCALE, type Locale } from './locales';
import { Message, formatMessage, type Texts } from './message';

/** The value at `path` in `locale`'s loaded catalog part, undefined when there is none. */
function translated(locale: Locale, part: string, path: readonly string[]): unknown {
	let v: unknown = catalogs.get(locale)?.[part];
	for (const key of path) {
		if (typeof v !== 'object' || v === null) return undefined;
		v = (v as Record<string, unknown>)[key];
	}
	return v;
}

/** `message` (at `path` of `part`) in `locale`, formatted with the arguments `args`. */
function format(locale: Locale, part: string, path: readonly string[], message: Message<unknown[]>, args: unknown[]): string {
	if (locale === BASE_LOCALE) return formatMessage(locale, message.source, message.values?.(...args));
	const own = translated(locale, part, path);
	return typeof own === 'string' ? formatMessage(locale, own, message.values?.(...args)) : (undefined as unknown as string);
}

function node(part: string, path: readonly string[], english: object): object {
	const children = new Map<string, object>();
	return new Proxy(english, {
		get(target, key, receiver) {
			if (typeof key !== 'string' || !Object.hasOwn(target, key)) return Reflect.get(target, key, receiver);
			const def = (target as Record<string, unknown>)[key];
			if (def instanceof Message) {
				const at = [...path, key];
				const message = def as Message<unknown[]>;
				if (message.values === undefined) return format(currentLocale(), part, at, message, []);
				return (...args: unknown[]) => format(currentLocale(), part, at, message, args);
			}
			if (typeof def === 'object' && def !== null) {
				let child = children.get(key);
				if (child === undefined) {
					child = node(part, [...path, key], def);
					children.set(key, child);
				}
				return child;
			}
			return def;
		}
	});
}

/** The texts of the English definitions `english`, in the language shown; `part` names them in a catalog. */
export function localized<T extends object>(part: string, english: T): Texts<T> {
	return node(part, [], english) as Texts<T>;
}
