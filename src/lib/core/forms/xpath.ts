/**
 * The XPath subset an XForm uses for relevance, constraints, calculations and defaults, with ODK
 * XForms semantics (getodk.github.io/xforms-spec): XPath 1.0 operators, comparisons and conversions,
 * plus the ODK functions listed in {@link FUNCTIONS}. Paths name the form's own fields, absolute
 * (`/data/group/age`) or relative to the field being evaluated (`.`, `..`, `../age`). Predicates,
 * axes and secondary instances are not part of the subset: {@link parseExpression} refuses them, so a
 * form that needs them is refused at import instead of misbehaving on a device.
 *
 * Dates follow ODK: a date is written `YYYY-MM-DD`, and where a number is needed it is the number of
 * days since 1970-01-01, so `. <= today()` and `today() - ${dob}` work as they do in ODK Collect.
 */
import { FormError } from './errors';
import { compilePattern, matches, type Pattern } from './regex';

export type Expr =
	| { k: 'num'; v: number }
	| { k: 'str'; v: string }
	| { k: 'path'; absolute: boolean; steps: string[] }
	| { k: 'call'; name: string; args: Expr[]; pattern?: Pattern }
	| { k: 'bin'; op: BinaryOp; l: Expr; r: Expr }
	| { k: 'neg'; e: Expr };

type BinaryOp = 'or' | 'and' | '=' | '!=' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | 'div' | 'mod';

/** A value during evaluation: XPath's four types; a node-set is the string values of its nodes. */
export type XValue = number | string | boolean | { nodes: string[] };

/** What an expression is evaluated against. */
export interface EvalContext {
	/** The values at an absolute path (`/data/age`): one per node, or none when no such field exists. */
	valuesAt(path: string): string[];
	/** The absolute path of the field the expression belongs to: what `.` means. */
	current: string;
	/** The instant `today()` and `now()` read, given from outside so evaluation stays pure. */
	now: Date;
	/**
	 * Work left, shared by every evaluation of one computation: each node costs one, each value a
	 * path reads one more. When it runs out evaluation throws FormError('form-evaluation-failed').
	 */
	budget?: { left: number };
}

/** Longest text an expression may build (concat(), join()): far beyond any answer (engine MAX_ANSWER). */
export const MAX_VALUE_LENGTH = 100_000;

function tooMuch(why: string): FormError {
	return new FormError('form-evaluation-failed', `This form could not be computed: ${why}.`);
}

function spend(ctx: EvalContext, cost: number): void {
	if (ctx.budget && (ctx.budget.left -= cost) < 0) throw tooMuch('its expressions need more work than a form is allowed');
}

/** Joins texts, refusing to build one longer than {@link MAX_VALUE_LENGTH}. */
function joinCapped(parts: readonly string[], sep: string): string {
	let length = 0;
	for (const part of parts) if ((length += part.length + sep.length) > MAX_VALUE_LENGTH + sep.length) throw tooMuch(`a text it builds is longer than ${MAX_VALUE_LENGTH} characters`);
	return parts.join(sep);
}

// ---------------------------------------------------------------------------------------------
// Tokens.

type Token = { t: 'num'; v: number } | { t: 'str'; v: string } | { t: 'name'; v: string } | { t: 'op'; v: string } | { t: 'end' };

const OPERAND_END = new Set(['num', 'str', 'name']);

function tokenize(source: string): Token[] {
	const tokens: Token[] = [];
	let i = 0;
	const previousIsOperand = (): boolean => {
		const last = tokens[tokens.length - 1];
		if (!last) return false;
		if (OPERAND_END.has(last.t)) return true;
		return last.t === 'op' && (last.v === ')' || last.v === ']' || last.v === '.' || last.v === '..');
	};
	while (i < source.length) {
		const c = source[i] as string;
		if (/\s/.test(c)) {
			i++;
			continue;
		}
		if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(source[i + 1] ?? ''))) {
			const m = /^[0-9]*\.?[0-9]*/.exec(source.slice(i)) as RegExpExecArray;
			tokens.push({ t: 'num', v: Number(m[0]) });
			i += m[0].length;
			continue;
		}
		if (c === '"' || c === "'") {
			const end = source.indexOf(c, i + 1);
			if (end === -1) throw bad(source, 'a quoted text is not closed');
			tokens.push({ t: 'str', v: source.slice(i + 1, end) });
			i = end + 1;
			continue;
		}
		const two = source.slice(i, i + 2);
		if (['!=', '<=', '>=', '//', '..'].includes(two)) {
			tokens.push({ t: 'op', v: two });
			i += 2;
			continue;
		}
		if ('()[],/|+-=<>@.*'.includes(c)) {
			if (c === '*' && previousIsOperand()) tokens.push({ t: 'op', v: '*' });
			else tokens.push({ t: 'op', v: c });
			i++;
			continue;
		}
		const m = /^[A-Za-z_][-A-Za-z0-9_.]*(?::[A-Za-z_][-A-Za-z0-9_.]*)?/.exec(source.slice(i));
		if (!m) throw bad(source, `"${c}" is not part of an expression`);
		const word = m[0];
		// and/or/div/mod are operators only where an operator can stand (XPath 1.0, 3.7).
		if (previousIsOperand() && ['and', 'or', 'div', 'mod'].includes(word)) tokens.push({ t: 'op', v: word });
		else tokens.push({ t: 'name', v: word });
		i += word.length;
	}
	tokens.push({ t: 'end' });
	return tokens;
}

function bad(source: string, why: string): FormError {
	return new FormError('form-unsupported', `The expression ${JSON.stringify(source)} cannot be read: ${why}.`);
}

// ---------------------------------------------------------------------------------------------
// Parsing: precedence climbing over XPath 1.0's grammar (or < and < equality < relational <
// additive < multiplicative < unary < path).

/** Most nodes (values, paths, operators, calls) one expression may have. */
export const MAX_EXPRESSION_NODES = 2_000;
/** Deepest one expression's tree may be: `a + b + c` nests as deep as it has terms. */
export const MAX_EXPRESSION_DEPTH = 256;
/** Most parentheses, calls and minus signs one inside another, as written (the parser recurses on each). */
export const MAX_EXPRESSION_NESTING = 64;
/** Longest expression read, in characters. */
export const MAX_EXPRESSION_LENGTH = 10_000;

/**
 * The syntax tree of `source`. Throws FormError('form-unsupported') naming the expression for
 * anything outside the subset: predicates, axes, wildcards, unions, a function not in FUNCTIONS, a
 * regex() pattern that is not a text literal or that {@link compilePattern} refuses, and an
 * expression longer than {@link MAX_EXPRESSION_LENGTH} characters, with more than
 * {@link MAX_EXPRESSION_NODES} nodes, a tree deeper than {@link MAX_EXPRESSION_DEPTH} or more than
 * {@link MAX_EXPRESSION_NESTING} levels of parentheses and calls (so that reading and evaluating it,
 * which recurse once per level, stay far from any stack limit).
 */
export function parseExpression(source: string): Expr {
	if (source.length > MAX_EXPRESSION_LENGTH) throw bad(source.slice(0, 60) + '...', `it is longer than ${MAX_EXPRESSION_LENGTH} characters`);
	const tokens = tokenize(source);
	let p = 0;
	let nesting = 0;
	/** The parser recurses once per parenthesis, call and unary minus: bound it before it recurses. */
	const deeper = (): void => {
		if (++nesting > MAX_EXPRESSION_NESTING) throw bad(source.length > 60 ? source.slice(0, 60) + '...' : source, `it nests parentheses, calls and minus signs more than ${MAX_EXPRESSION_NESTING} levels deep`);
	};
	const peek = (): Token => tokens[p] as Token;
	const isOp = (v: string): boolean => {
		const t = peek();
		return t.t === 'op' && t.v === v;
	};
	const expect = (v: string): void => {
		if (!isOp(v)) throw bad(source, `"${v}" was expected`);
		p++;
	};

	const levels: BinaryOp[][] = [['or'], ['and'], ['=', '!='], ['<', '<=', '>', '>='], ['+', '-'], ['*', 'div', 'mod']];

	function binary(level: number): Expr {
		if (level === levels.length) return unary();
		let left = binary(level + 1);
		for (;;) {
			const t = peek();
			const ops = levels[level] as BinaryOp[];
			if (t.t !== 'op' || !ops.includes(t.v as BinaryOp)) return left;
			p++;
			left = { k: 'bin', op: t.v as BinaryOp, l: left, r: binary(level + 1) };
		}
	}

	function unary(): Expr {
		if (isOp('-')) {
			p++;
			deeper();
			const e = unary();
			nesting--;
			return { k: 'neg', e };
		}
		const e = primary();
		if (isOp('|')) throw bad(source, 'unions of node-sets are not supported');
		if (isOp('[')) throw bad(source, 'predicates ([...]) are not supported');
		return e;
	}

	function primary(): Expr {
		const t = peek();
		if (t.t === 'num') {
			p++;
			return { k: 'num', v: t.v };
		}
		if (t.t === 'str') {
			p++;
			return { k: 'str', v: t.v };
		}
		if (t.t === 'op' && t.v === '(') {
			p++;
			deeper();
			const e = binary(0);
			nesting--;
			expect(')');
			return e;
		}
		if (t.t === 'name' && tokens[p + 1]?.t === 'op' && (tokens[p + 1] as { v: string }).v === '(') {
			p += 2;
			deeper();
			const args: Expr[] = [];
			if (!isOp(')')) {
				args.push(binary(0));
				while (isOp(',')) {
					p++;
					args.push(binary(0));
				}
			}
			nesting--;
			expect(')');
			const fn = FUNCTIONS[t.v];
			if (!fn) throw bad(source, `the function ${t.v}() is not supported`);
			if (args.length < fn.min || args.length > fn.max) throw bad(source, `${t.v}() takes ${fn.min === fn.max ? fn.min : `${fn.min} to ${fn.max === Infinity ? 'any number of' : fn.max}`} arguments`);
			if (t.v === 'regex') {
				// The pattern is fixed by the form, checked here once: never text an answer supplies.
				const pattern = args[1] as Expr;
				if (pattern.k !== 'str') throw bad(source, 'the pattern of regex() must be written in the form, in quotes');
				return { k: 'call', name: t.v, args, pattern: compilePattern(pattern.v) };
			}
			return { k: 'call', name: t.v, args };
		}
		return path();
	}

	function path(): Expr {
		const steps: string[] = [];
		let absolute = false;
		if (isOp('/')) {
			absolute = true;
			p++;
		} else if (isOp('//')) throw bad(source, '"//" is not supported');
		for (;;) {
			const t = peek();
			if (t.t === 'op' && (t.v === '.' || t.v === '..')) steps.push(t.v);
			else if (t.t === 'op' && t.v === '@') {
				const name = tokens[p + 1];
				if (name?.t !== 'name') throw bad(source, 'an attribute name was expected after "@"');
				steps.push(`@${name.v}`);
				p++;
			} else if (t.t === 'name') {
				steps.push(t.v);
			} else if (t.t === 'op' && t.v === '*') throw bad(source, 'wildcards are not supported');
			else break;
			p++;
			if (isOp('//')) throw bad(source, '"//" is not supported');
			if (!isOp('/')) break;
			p++;
		}
		if (steps.length === 0) throw bad(source, 'a value or a field was expected');
		return { k: 'path', absolute, steps };
	}

	const tree = binary(0);
	if (peek().t !== 'end') throw bad(source, 'it does not end where a complete expression ends');
	// Size and depth of the tree, without recursion (a long chain a + b + c + ... is parsed in a loop).
	let nodes = 0;
	const pending: [Expr, number][] = [[tree, 1]];
	while (pending.length > 0) {
		const [e, depth] = pending.pop() as [Expr, number];
		if (++nodes > MAX_EXPRESSION_NODES) throw bad(source.length > 60 ? source.slice(0, 60) + '...' : source, `it has more than ${MAX_EXPRESSION_NODES} parts`);
		if (depth > MAX_EXPRESSION_DEPTH) throw bad(source.length > 60 ? source.slice(0, 60) + '...' : source, `its tree is more than ${MAX_EXPRESSION_DEPTH} levels deep (a chain a + b + c ... nests one level per term)`);
		if (e.k === 'bin') pending.push([e.l, depth + 1], [e.r, depth + 1]);
		else if (e.k === 'neg') pending.push([e.e, depth + 1]);
		else if (e.k === 'call') for (const a of e.args) pending.push([a, depth + 1]);
	}
	return tree;
}

/** The absolute paths an expression reads, resolved against the field at `current`. */
export function pathsIn(expr: Expr, current: string): string[] {
	switch (expr.k) {
		case 'path':
			return [resolvePath(expr, current)];
		case 'call':
			return expr.args.flatMap((a) => pathsIn(a, current));
		case 'bin':
			return [...pathsIn(expr.l, current), ...pathsIn(expr.r, current)];
		case 'neg':
			return pathsIn(expr.e, current);
		default:
			return [];
	}
}

/** The absolute path a path expression names when evaluated for the field at `current`. */
export function resolvePath(expr: { absolute: boolean; steps: string[] }, current: string): string {
	const parts = expr.absolute ? [] : current.split('/').filter((s) => s !== '');
	for (const step of expr.steps) {
		if (step === '.') continue;
		if (step === '..') parts.pop();
		else parts.push(step);
	}
	return `/${parts.join('/')}`;
}

// ---------------------------------------------------------------------------------------------
// Conversions (XPath 1.0, 4.2 to 4.4, with ODK's dates as numbers).

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const DAY_MS = 86_400_000;

/** The string value of a value (XPath string()). */
export function toStr(v: XValue): string {
	if (typeof v === 'string') return v;
	if (typeof v === 'boolean') return v ? 'true' : 'false';
	if (typeof v === 'number') {
		if (Number.isNaN(v)) return 'NaN';
		if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
		return Object.is(v, -0) ? '0' : String(v);
	}
	return v.nodes[0] ?? '';
}

/** The number value of a value (XPath number()); a date is its days since 1970-01-01. */
export function toNum(v: XValue): number {
	if (typeof v === 'number') return v;
	if (typeof v === 'boolean') return v ? 1 : 0;
	const s = toStr(v).trim();
	if (s === '') return NaN;
	if (/^-?(\d+\.?\d*|\.\d+)$/.test(s)) return Number(s);
	const d = DATE.exec(s);
	if (d) return Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3])) / DAY_MS;
	if (DATE_TIME.test(s)) {
		const ms = Date.parse(s);
		return Number.isNaN(ms) ? NaN : ms / DAY_MS;
	}
	return NaN;
}

/** The boolean value of a value (XPath boolean()). */
export function toBool(v: XValue): boolean {
	if (typeof v === 'boolean') return v;
	if (typeof v === 'number') return v !== 0 && !Number.isNaN(v);
	if (typeof v === 'string') return v.length > 0;
	return v.nodes.length > 0;
}

function isNodes(v: XValue): v is { nodes: string[] } {
	return typeof v === 'object';
}

function compareAtoms(op: BinaryOp, a: XValue, b: XValue): boolean {
	if (op === '=' || op === '!=') {
		let equal: boolean;
		if (typeof a === 'boolean' || typeof b === 'boolean') equal = toBool(a) === toBool(b);
		else if (typeof a === 'number' || typeof b === 'number') equal = toNum(a) === toNum(b);
		else equal = toStr(a) === toStr(b);
		return op === '=' ? equal : !equal;
	}
	const x = toNum(a);
	const y = toNum(b);
	switch (op) {
		case '<':
			return x < y;
		case '<=':
			return x <= y;
		case '>':
			return x > y;
		default:
			return x >= y;
	}
}

/** XPath 1.0, 3.4: a comparison with a node-set holds when it holds for some node. */
function compare(op: BinaryOp, a: XValue, b: XValue): boolean {
	if (isNodes(a) && isNodes(b)) return a.nodes.some((x) => b.nodes.some((y) => compareAtoms(op, x, y)));
	if (isNodes(a)) {
		if (typeof b === 'boolean') return compareAtoms(op, toBool(a), b);
		return a.nodes.some((x) => compareAtoms(op, x, b));
	}
	if (isNodes(b)) {
		if (typeof a === 'boolean') return compareAtoms(op, a, toBool(b));
		return b.nodes.some((y) => compareAtoms(op, a, y));
	}
	return compareAtoms(op, a, b);
}

// ---------------------------------------------------------------------------------------------
// Functions: XPath 1.0 core functions and the ODK XForms functions a questionnaire uses.

interface Fn {
	min: number;
	max: number;
	/** Arguments are evaluated lazily so that if() evaluates only the branch it takes. */
	run(args: (() => XValue)[], ctx: EvalContext): XValue;
}

function pad(n: number, width = 2): string {
	return String(n).padStart(width, '0');
}

/** The local calendar date of an instant: what "today" is for the person filling the form. */
function localDate(d: Date): string {
	return `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Days either side of 1970-01-01 a JavaScript Date holds (ECMA-262, 21.4.1.1: 8.64e15 ms). */
const MAX_DAYS = 100_000_000;

/** The date `days` after 1970-01-01, or '' (no date) outside years 0000 to 9999, as for any invalid date. */
function dateFromDays(days: number): string {
	if (!Number.isFinite(days) || Math.abs(days) > MAX_DAYS) return '';
	const iso = new Date(Math.floor(days) * DAY_MS).toISOString();
	return DATE.test(iso.slice(0, 10)) && iso[10] === 'T' ? iso.slice(0, 10) : '';
}

function spaceList(v: XValue): string[] {
	return toStr(v)
		.split(/\s+/)
		.filter((s) => s !== '');
}

function roundHalfUp(x: number, digits: number): number {
	const f = 10 ** digits;
	return Math.round(x * f) / f;
}

const FUNCTIONS: Readonly<Record<string, Fn>> = {
	// booleans
	true: { min: 0, max: 0, run: () => true },
	false: { min: 0, max: 0, run: () => false },
	not: { min: 1, max: 1, run: ([a]) => !toBool(a!()) },
	boolean: { min: 1, max: 1, run: ([a]) => toBool(a!()) },
	if: { min: 3, max: 3, run: ([c, a, b]) => (toBool(c!()) ? a!() : b!()) },
	// conversions
	string: { min: 0, max: 1, run: ([a], ctx) => toStr(a ? a() : { nodes: ctx.valuesAt(ctx.current) }) },
	number: { min: 0, max: 1, run: ([a], ctx) => toNum(a ? a() : { nodes: ctx.valuesAt(ctx.current) }) },
	int: { min: 1, max: 1, run: ([a]) => Math.trunc(toNum(a!())) },
	// numbers
	round: { min: 1, max: 2, run: ([a, d]) => roundHalfUp(toNum(a!()), d ? toNum(d()) : 0) },
	floor: { min: 1, max: 1, run: ([a]) => Math.floor(toNum(a!())) },
	ceiling: { min: 1, max: 1, run: ([a]) => Math.ceil(toNum(a!())) },
	abs: { min: 1, max: 1, run: ([a]) => Math.abs(toNum(a!())) },
	pow: { min: 2, max: 2, run: ([a, b]) => toNum(a!()) ** toNum(b!()) },
	sum: { min: 1, max: 1, run: ([a]) => nodesOf(a!()).reduce((s, x) => s + toNum(x), 0) },
	count: { min: 1, max: 1, run: ([a]) => nodesOf(a!()).length },
	min: { min: 1, max: Infinity, run: (args) => extreme(args, Math.min) },
	max: { min: 1, max: Infinity, run: (args) => extreme(args, Math.max) },
	// text
	concat: { min: 0, max: Infinity, run: (args) => joinCapped(args.map((a) => toStr(a())), '') },
	'string-length': { min: 0, max: 1, run: ([a], ctx) => [...toStr(a ? a() : { nodes: ctx.valuesAt(ctx.current) })].length },
	contains: { min: 2, max: 2, run: ([a, b]) => toStr(a!()).includes(toStr(b!())) },
	'starts-with': { min: 2, max: 2, run: ([a, b]) => toStr(a!()).startsWith(toStr(b!())) },
	'ends-with': { min: 2, max: 2, run: ([a, b]) => toStr(a!()).endsWith(toStr(b!())) },
	substr: { min: 2, max: 3, run: ([s, a, b]) => substr(toStr(s!()), toNum(a!()), b ? toNum(b()) : undefined) },
	'substring-before': { min: 2, max: 2, run: ([a, b]) => before(toStr(a!()), toStr(b!())) },
	'substring-after': { min: 2, max: 2, run: ([a, b]) => after(toStr(a!()), toStr(b!())) },
	'normalize-space': { min: 0, max: 1, run: ([a], ctx) => toStr(a ? a() : { nodes: ctx.valuesAt(ctx.current) }).trim().replace(/\s+/g, ' ') },
	translate: { min: 3, max: 3, run: ([s, f, t]) => translate(toStr(s!()), toStr(f!()), toStr(t!())) },
	coalesce: { min: 2, max: 2, run: ([a, b]) => (toStr(a!()) !== '' ? toStr(a!()) : toStr(b!())) },
	// The pattern was compiled at parse (parseExpression); run() is not used for regex().
	regex: { min: 2, max: 2, run: () => false },
	join: { min: 2, max: 2, run: ([sep, list]) => joinCapped(nodesOf(list!()), toStr(sep!())) },
	// select multiple answers are space-separated choice values (ODK XForms, select)
	selected: { min: 2, max: 2, run: ([a, b]) => spaceList(a!()).includes(toStr(b!()).trim()) },
	'count-selected': { min: 1, max: 1, run: ([a]) => spaceList(a!()).length },
	'selected-at': { min: 2, max: 2, run: ([a, i]) => spaceList(a!())[toNum(i!())] ?? '' },
	// dates
	today: { min: 0, max: 0, run: (_, ctx) => localDate(ctx.now) },
	now: { min: 0, max: 0, run: (_, ctx) => ctx.now.toISOString() },
	date: { min: 1, max: 1, run: ([a]) => toDate(a!()) },
	'decimal-date-time': { min: 1, max: 1, run: ([a]) => toNum(a!()) },
	'format-date': { min: 2, max: 2, run: ([a, f]) => formatDate(toDate(a!()), toStr(f!())) }
};

/** The names of the functions an expression may call. */
export const SUPPORTED_FUNCTIONS: readonly string[] = Object.keys(FUNCTIONS);

function nodesOf(v: XValue): string[] {
	return isNodes(v) ? v.nodes : [toStr(v)];
}

function extreme(args: (() => XValue)[], pick: (...n: number[]) => number): number {
	const numbers = args.flatMap((a) => nodesOf(a()).map((x) => toNum(x)));
	if (numbers.length === 0 || numbers.some(Number.isNaN)) return NaN;
	return pick(...numbers);
}

function substr(s: string, start: number, end: number | undefined): string {
	const chars = [...s];
	const from = Math.max(0, Number.isNaN(start) ? 0 : start);
	return chars.slice(from, end === undefined ? undefined : Math.max(from, end)).join('');
}

function before(s: string, sep: string): string {
	const at = s.indexOf(sep);
	return at === -1 ? '' : s.slice(0, at);
}

function after(s: string, sep: string): string {
	const at = s.indexOf(sep);
	return at === -1 ? '' : s.slice(at + sep.length);
}

function translate(s: string, from: string, to: string): string {
	const f = [...from];
	const t = [...to];
	return [...s].map((c) => (f.includes(c) ? (t[f.indexOf(c)] ?? '') : c)).join('');
}

function toDate(v: XValue): string {
	if (typeof v === 'number') return dateFromDays(v);
	const s = toStr(v).trim();
	if (DATE.test(s)) return s;
	if (DATE_TIME.test(s)) return s.slice(0, 10);
	const n = toNum(s);
	return Number.isNaN(n) ? '' : dateFromDays(n);
}

function formatDate(date: string, format: string): string {
	const m = DATE.exec(date);
	if (!m) return '';
	return format.replace(/%([Yymde])/g, (_, f: string) => {
		switch (f) {
			case 'Y':
				return m[1] as string;
			case 'y':
				return (m[1] as string).slice(2);
			case 'm':
				return m[2] as string;
			case 'n':
				return String(Number(m[2]));
			case 'd':
				return m[3] as string;
			default:
				return String(Number(m[3]));
		}
	});
}

// ---------------------------------------------------------------------------------------------
// Evaluation.

/**
 * The value of `expr` (a tree {@link parseExpression} made) in `ctx`. What XPath cannot compute is
 * NaN or the empty string; it throws only FormError('form-evaluation-failed'), when `ctx.budget`
 * runs out or a text would grow past {@link MAX_VALUE_LENGTH}. It recurses once per level of the
 * tree, which parseExpression bounds at {@link MAX_EXPRESSION_DEPTH}.
 */
export function evaluate(expr: Expr, ctx: EvalContext): XValue {
	spend(ctx, 1);
	switch (expr.k) {
		case 'num':
			return expr.v;
		case 'str':
			return expr.v;
		case 'path': {
			const nodes = ctx.valuesAt(resolvePath(expr, ctx.current));
			spend(ctx, nodes.length);
			return { nodes };
		}
		case 'neg':
			return -toNum(evaluate(expr.e, ctx));
		case 'call': {
			if (expr.name === 'regex') {
				// A tree without its compiled pattern was not made by parseExpression: it matches nothing.
				if (!expr.pattern) return false;
				const subject = toStr(evaluate(expr.args[0] as Expr, ctx));
				// The automaton visits at most (length + 1) x states (regex.ts); a visit costs about an
				// eighth of a node's evaluation (measured: 40,000 visits and 5,000 nodes a millisecond).
				spend(ctx, Math.ceil(((subject.length + 1) * expr.pattern.states.length) / 8));
				return matches(expr.pattern, subject);
			}
			const fn = FUNCTIONS[expr.name] as Fn;
			return fn.run(
				expr.args.map((a) => () => evaluate(a, ctx)),
				ctx
			);
		}
		case 'bin': {
			const { op } = expr;
			if (op === 'or') return toBool(evaluate(expr.l, ctx)) || toBool(evaluate(expr.r, ctx));
			if (op === 'and') return toBool(evaluate(expr.l, ctx)) && toBool(evaluate(expr.r, ctx));
			const l = evaluate(expr.l, ctx);
			const r = evaluate(expr.r, ctx);
			switch (op) {
				case '+':
					return toNum(l) + toNum(r);
				case '-':
					return toNum(l) - toNum(r);
				case '*':
					return toNum(l) * toNum(r);
				case 'div':
					return toNum(l) / toNum(r);
				case 'mod':
					return toNum(l) % toNum(r);
				default:
					return compare(op, l, r);
			}
		}
	}
}
