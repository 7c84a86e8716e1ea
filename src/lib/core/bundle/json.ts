/**
 * Defensive JSON for bundles. Bundle fields are attacker-controlled, so what verification reads is
 * first copied into plain data: only strings, finite numbers, booleans, null, arrays and ordinary
 * objects, nested to a bounded depth, with every key an own data property (a `__proto__` key stays a
 * key and never becomes a prototype), and no object naming a member twice. Anything else is `malformed`.
 */
import { CasetrailError } from '../errors';

/** A JSON value as this module hands it out. */
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
/** A JSON object whose keys are all own data properties. */
export interface JsonObject {
	[key: string]: JsonValue;
}

/**
 * Deepest nesting accepted. Canonicalization recurses once per level, so an unbounded depth could
 * exhaust the stack; real events nest a handful of levels.
 */
export const MAX_JSON_DEPTH = 64;

/** Largest bundle text read, in UTF-16 code units (about 64 MiB of ASCII). */
export const MAX_BUNDLE_TEXT = 64 * 1024 * 1024;

/** True for a JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is JsonObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses `text` as JSON and returns a plain copy of it. Throws CasetrailError('malformed') when the
 * text is too long, is not JSON, names a member twice in one object, or nests deeper than
 * {@link MAX_JSON_DEPTH}; `what` names the thing in the message ("The bundle", "The checkpoint header").
 */
export function parseJson(text: string, what: string): JsonValue {
	if (text.length > MAX_BUNDLE_TEXT) {
		throw new CasetrailError('malformed', `${what} is larger than ${MAX_BUNDLE_TEXT / 1024 / 1024} MiB; split the export into smaller bundles.`);
	}
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		throw new CasetrailError('malformed', `${what} is not valid JSON; the file may be truncated or not a Casetrail bundle.`);
	}
	const twice = duplicateMemberName(text);
	if (twice !== undefined) {
		throw new CasetrailError(
			'malformed',
			`${what} names the member ${brief(twice)} twice in one object; JSON.parse keeps the last and another reader may keep the first, so what was signed is ambiguous. The file was not written by Casetrail.`
		);
	}
	return toJson(parsed, what);
}

/**
 * The first member name that appears twice in one object of `text`, or undefined. Requires `text` to
 * be valid JSON (it is called after JSON.parse succeeded, so it only tracks nesting and strings).
 * Names compare after unescaping, as RFC 8785 and I-JSON (RFC 7493 §2.3) do: `"a"` and `"\u0061"`
 * are the same name. JSON.parse silently keeps the last of two, so it cannot be asked. Measured: a
 * 36 MB text of 120,000 events takes 0.35 s here beside JSON.parse's 0.7 s.
 */
export function duplicateMemberName(text: string): string | undefined {
	// One entry per open container: the names seen so far in an object, null for an array.
	const open: (Set<string> | null)[] = [];
	let expectName = false;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c === 0x22 /* " */) {
			const end = closingQuote(text, i);
			const names = open[open.length - 1];
			if (expectName && names) {
				const raw = text.slice(i + 1, end);
				const name = raw.includes('\\') ? (JSON.parse(text.slice(i, end + 1)) as string) : raw;
				if (names.has(name)) return name;
				names.add(name);
				expectName = false;
			}
			i = end;
		} else if (c === 0x7b /* { */) {
			open.push(new Set());
			expectName = true;
		} else if (c === 0x5b /* [ */) {
			open.push(null);
			expectName = false;
		} else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
			open.pop();
			expectName = false;
		} else if (c === 0x2c /* , */) {
			expectName = open[open.length - 1] instanceof Set;
		}
	}
	return undefined;
}

/** Index of the quote that closes the JSON string opening at `start`: the next one not escaped. */
function closingQuote(text: string, start: number): number {
	let at = start + 1;
	for (;;) {
		const quote = text.indexOf('"', at);
		// Valid JSON always closes its strings; -1 cannot happen, but must not loop forever.
		if (quote < 0) return text.length;
		let backslashes = 0;
		while (text.charCodeAt(quote - 1 - backslashes) === 0x5c /* \ */) backslashes++;
		if (backslashes % 2 === 0) return quote;
		at = quote + 1;
	}
}

/**
 * Returns a plain copy of `value` if it is pure JSON data; throws CasetrailError('malformed')
 * otherwise (undefined, functions, symbols, bigints, NaN, Infinity, cycles, class instances,
 * accessors, or nesting deeper than {@link MAX_JSON_DEPTH}).
 */
export function toJson(value: unknown, what: string): JsonValue {
	const reject = (why: string): never => {
		throw new CasetrailError('malformed', `${what} is not plain JSON data: ${why}.`);
	};
	const copy = (v: unknown, depth: number): JsonValue => {
		if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
		if (typeof v === 'number') return Number.isFinite(v) ? v : reject(`it holds the number ${String(v)}`);
		if (typeof v !== 'object') return reject(`it holds a value of type ${typeof v}`);
		if (depth >= MAX_JSON_DEPTH) return reject(`it nests deeper than ${MAX_JSON_DEPTH} levels`);
		if (Array.isArray(v)) {
			const out: JsonValue[] = [];
			for (let i = 0; i < v.length; i++) {
				const d = Object.getOwnPropertyDescriptor(v, i);
				if (d === undefined || !('value' in d)) return reject('an array has a hole or an accessor');
				out.push(copy(d.value, depth + 1));
			}
			return out;
		}
		const proto: unknown = Object.getPrototypeOf(v);
		if (proto !== Object.prototype && proto !== null) return reject('it holds an object that is not a plain object');
		const out: JsonObject = {};
		for (const key of Reflect.ownKeys(v)) {
			if (typeof key === 'symbol') return reject('an object has a symbol key');
			const d = Object.getOwnPropertyDescriptor(v, key);
			if (d === undefined || !d.enumerable) continue;
			if (!('value' in d)) return reject(`the member "${key}" is an accessor`);
			// defineProperty, not assignment: a "__proto__" key must stay an ordinary own key.
			Object.defineProperty(out, key, { value: copy(d.value, depth + 1), enumerable: true, writable: true, configurable: true });
		}
		return out;
	};
	try {
		return copy(value, 0);
	} catch (e) {
		if (e instanceof CasetrailError) throw e;
		// A cycle or a hostile proxy: either way not data this code can read.
		return reject('it could not be read as a tree of values');
	}
}

/** Own member `key` of `obj`, or undefined: never reads through the prototype chain. */
export function member(obj: JsonObject, key: string): JsonValue | undefined {
	return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

const QUIET = /[\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/gu;

/**
 * A short, printable rendering of an untrusted value for an error message: JSON, cut to `max`
 * characters, so a hostile bundle cannot flood a log or a terminal through a message.
 */
export function brief(value: JsonValue | undefined, max = 60): string {
	// JSON.stringify escapes only C0 controls; C1 controls (U+009B is a CSI), DEL, the line
	// separators and the bidi formatting characters are escaped too, so the message can be shown as is.
	const text = value === undefined ? 'nothing' : JSON.stringify(value).replace(QUIET, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
	return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
