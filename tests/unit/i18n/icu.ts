/** Helpers of the i18n tests: walking message definitions, catalogs and ICU syntax trees. */
import type IntlMessageFormat from 'intl-messageformat';
import { Message, type Values } from '../../../src/lib/i18n/message';

export type Ast = ReturnType<IntlMessageFormat['getAst']>;
type Element = Ast[number];

/** Every message of a tree of definitions, with its dotted path ("t.home.title"). */
export function messages(tree: object, path = ''): { path: string; message: Message<unknown[]> }[] {
	const out: { path: string; message: Message<unknown[]> }[] = [];
	for (const key of Object.keys(tree).sort()) {
		const value = (tree as Record<string, unknown>)[key];
		const at = path === '' ? key : `${path}.${key}`;
		if (value instanceof Message) out.push({ path: at, message: value as Message<unknown[]> });
		else if (typeof value === 'object' && value !== null) out.push(...messages(value, at));
	}
	return out;
}

/** Each element of an ICU tree and of every plural and select form in it, depth first. */
export function* elements(ast: Ast): Generator<Element> {
	for (const el of ast) {
		yield el;
		if ('options' in el) for (const option of Object.values(el.options)) yield* elements(option.value);
		if ('children' in el) yield* elements(el.children);
	}
}

/** The names of the arguments a message uses (`{n}`, `{n, plural, ...}`, `{kind, select, ...}`), sorted. */
export function argumentNames(ast: Ast): string[] {
	const names = new Set<string>();
	// Literals (0) and # (7) name nothing; tags (8) are not parsed (ignoreTag).
	for (const el of elements(ast)) if (el.type !== 0 && el.type !== 7 && 'value' in el && typeof el.value === 'string') names.add(el.value);
	return [...names].sort();
}

/** The plural elements of a message: their argument and the forms they write. */
export function plurals(ast: Ast): { name: string; forms: string[] }[] {
	const out: { name: string; forms: string[] }[] = [];
	for (const el of elements(ast)) if (el.type === 6) out.push({ name: el.value, forms: Object.keys(el.options) });
	return out;
}

/**
 * The values a message's mapper gives for sample arguments: `n` for every parameter (numbers, names),
 * or, for a mapper that needs a list, a list of names.
 */
export function sampleValues(message: Message<unknown[]>, n = 2): Values {
	const map = message.values;
	if (map === undefined) return {};
	const length = Math.max(map.length, 1);
	try {
		return map(...Array.from({ length }, () => n));
	} catch {
		return map(...Array.from({ length }, () => ['Awa', 'Moussa']));
	}
}
