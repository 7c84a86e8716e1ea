/**
 * The patterns of an XForm's `regex()`, read and run here rather than by the JavaScript engine: a
 * form comes from another device, so its pattern is attacker-controlled, and a backtracking engine
 * takes exponential time on `^(a|a)*$` against `aaaa...!`. Two layers (docs/decisions/0006):
 *
 * - {@link compilePattern} accepts a small subset of JavaScript's `u`-mode syntax (literals, escapes,
 *   classes, `.`, `^`, `$`, `\b`, groups, alternation, quantifiers) within {@link MAX_PATTERN}
 *   characters and {@link MAX_STATES} automaton states, and refuses what backtracks
 *   catastrophically elsewhere or is not regular: backreferences, lookarounds, and a group repeated
 *   more than once (`*`, `+`, `{n,m}` with m > 1) that holds a quantifier or an alternation.
 * - {@link matches} runs the compiled pattern as a Thompson automaton over a set of states: each
 *   character of the subject visits each state at most once, so the work is at most
 *   (subject length + 1) x states, whatever the pattern. Subjects longer than
 *   {@link MAX_REGEX_SUBJECT} code points do not match.
 */
import { FormError } from './errors';

/** Longest pattern accepted, in characters. */
export const MAX_PATTERN = 256;
/** Most states a compiled pattern may have (counted repeats are unrolled). */
export const MAX_STATES = 512;
/** Longest subject tested, in code points; a longer one does not match. */
export const MAX_REGEX_SUBJECT = 10_000;

type CharTest = (cp: number) => boolean;
type Assertion = 'bol' | 'eol' | 'word' | 'not-word';

type Node =
	| { t: 'char'; test: CharTest }
	| { t: 'assert'; a: Assertion }
	| { t: 'seq'; items: Node[] }
	| { t: 'alt'; options: Node[] }
	| { t: 'rep'; e: Node; min: number; max: number };

type State = { k: 'char'; test: CharTest; out: number } | { k: 'split'; out: number; out2: number } | { k: 'assert'; a: Assertion; out: number } | { k: 'final' };

/** A compiled pattern: run it with {@link matches}. */
export interface Pattern {
	readonly source: string;
	readonly states: readonly State[];
	readonly start: number;
}

const isDigit: CharTest = (c) => c >= 48 && c <= 57;
const isWord: CharTest = (c) => isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isSpace: CharTest = (c) => /\s/u.test(String.fromCodePoint(c));
const isLineEnd = (c: number): boolean => c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
const not =
	(f: CharTest): CharTest =>
	(c) =>
		!f(c);

const SYNTAX = '^$\\.*+?()[]{}|/';

function refuse(source: string, why: string): FormError {
	return new FormError('form-unsupported', `The regex() pattern ${JSON.stringify(source)} is not accepted: ${why}.`);
}

/** Reads `source` into a tree; throws FormError('form-unsupported') saying why when it is refused. */
function parsePattern(source: string): Node {
	const chars = [...source];
	let i = 0;
	const peek = (): string | undefined => chars[i];
	const fail = (why: string): never => {
		throw refuse(source, why);
	};

	const hex = (n: number): number => {
		const digits = chars.slice(i, i + n).join('');
		if (digits.length !== n || !/^[0-9A-Fa-f]+$/.test(digits)) fail('a \\x or \\u escape needs hexadecimal digits');
		i += n;
		return parseInt(digits, 16);
	};

	/** The character or class after a backslash (i is past the backslash). */
	const escape = (inClass: boolean): CharTest | number | Assertion => {
		const c = chars[i++];
		if (c === undefined) return fail('it ends with a backslash');
		switch (c) {
			case 'd':
				return isDigit;
			case 'D':
				return not(isDigit);
			case 'w':
				return isWord;
			case 'W':
				return not(isWord);
			case 's':
				return isSpace;
			case 'S':
				return not(isSpace);
			case 'b':
				return inClass ? 8 : 'word';
			case 'B':
				if (inClass) return fail('\\B is not a character');
				return 'not-word';
			case 'n':
				return 10;
			case 'r':
				return 13;
			case 't':
				return 9;
			case 'f':
				return 12;
			case 'v':
				return 11;
			case '0':
				if (/[0-9]/.test(peek() ?? '')) return fail('octal escapes are not accepted');
				return 0;
			case 'x':
				return hex(2);
			case 'u': {
				if (peek() === '{') {
					const end = chars.indexOf('}', i);
					const digits = end === -1 ? '' : chars.slice(i + 1, end).join('');
					if (!/^[0-9A-Fa-f]{1,6}$/.test(digits) || parseInt(digits, 16) > 0x10ffff) return fail('a \\u{...} escape needs a code point');
					i = end + 1;
					return parseInt(digits, 16);
				}
				return hex(4);
			}
			default:
				if (/[1-9]/.test(c)) return fail('backreferences (\\1 ...) are not accepted');
				if (c === 'k') return fail('named backreferences are not accepted');
				if (c === 'p' || c === 'P') return fail('Unicode property escapes are not accepted');
				if (SYNTAX.includes(c) || (inClass && c === '-')) return c.codePointAt(0) as number;
				return fail(`the escape \\${c} is not accepted`);
		}
	};

	const literal = (cp: number): CharTest => (c) => c === cp;

	const charClass = (): CharTest => {
		// i is past '['.
		const negated = peek() === '^';
		if (negated) i++;
		const parts: CharTest[] = [];
		const one = (): CharTest | number => {
			const c = chars[i++];
			if (c === undefined) return fail('a character class ([...]) is not closed');
			if (c === '\\') {
				const e = escape(true);
				if (typeof e === 'string') return fail('an assertion cannot stand in a class');
				return e;
			}
			return c.codePointAt(0) as number;
		};
		while (peek() !== ']') {
			const from = one();
			if (peek() === '-' && chars[i + 1] !== ']' && chars[i + 1] !== undefined) {
				i++;
				const to = one();
				if (typeof from !== 'number' || typeof to !== 'number') return fail('a range in a class needs single characters at both ends');
				if (from > to) return fail('a range in a class is out of order');
				parts.push((c) => c >= from && c <= to);
			} else parts.push(typeof from === 'number' ? literal(from) : from);
		}
		i++;
		const any: CharTest = (c) => parts.some((p) => p(c));
		return negated ? not(any) : any;
	};

	const quantifier = (): { min: number; max: number } | undefined => {
		const c = peek();
		let q: { min: number; max: number } | undefined;
		if (c === '*') q = { min: 0, max: Infinity };
		else if (c === '+') q = { min: 1, max: Infinity };
		else if (c === '?') q = { min: 0, max: 1 };
		else if (c === '{') {
			const m = /^\{(\d{1,3})(,(\d{0,3}))?\}/.exec(chars.slice(i, i + 9).join(''));
			if (!m) return fail('a { must start a count such as {2} or {1,3}');
			const min = Number(m[1]);
			const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
			if (max < min) return fail('a count {n,m} needs n <= m');
			i += m[0].length - 1;
			q = { min, max };
		}
		if (!q) return undefined;
		i++;
		if (peek() === '?') i++; // lazy or greedy: the same for a test
		return q;
	};

	/** True when a node holds a quantifier or an alternation. */
	const branching = (n: Node): boolean => {
		switch (n.t) {
			case 'rep':
			case 'alt':
				return true;
			case 'seq':
				return n.items.some(branching);
			default:
				return false;
		}
	};

	let depth = 0;
	const alternation = (): Node => {
		const options: Node[] = [sequence()];
		while (peek() === '|') {
			i++;
			options.push(sequence());
		}
		return options.length === 1 ? (options[0] as Node) : { t: 'alt', options };
	};

	const sequence = (): Node => {
		const items: Node[] = [];
		for (;;) {
			const c = peek();
			if (c === undefined || c === '|' || c === ')') break;
			i++;
			let atom: Node;
			let group = false;
			if (c === '(') {
				if (peek() === '?') {
					const kind = chars.slice(i, i + 3).join('');
					if (kind.startsWith('?:')) i += 2;
					else if (kind.startsWith('?=') || kind.startsWith('?!') || kind === '?<=' || kind === '?<!') return fail('lookarounds are not accepted');
					else if (kind.startsWith('?<')) {
						const end = chars.indexOf('>', i);
						if (end === -1 || !/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(chars.slice(i + 2, end).join(''))) return fail('a named group needs a name');
						i = end + 1;
					} else return fail('this group syntax is not accepted');
				}
				if (++depth > 16) return fail('groups are nested too deeply');
				atom = alternation();
				depth--;
				if (peek() !== ')') return fail('a group is not closed');
				i++;
				group = true;
			} else if (c === '[') atom = { t: 'char', test: charClass() };
			else if (c === '.') atom = { t: 'char', test: not(isLineEnd) };
			else if (c === '^') atom = { t: 'assert', a: 'bol' };
			else if (c === '$') atom = { t: 'assert', a: 'eol' };
			else if (c === '\\') {
				const e = escape(false);
				atom = typeof e === 'string' ? { t: 'assert', a: e } : { t: 'char', test: typeof e === 'number' ? literal(e) : e };
			} else if (c === '*' || c === '+' || c === '?' || c === '{') return fail('a quantifier has nothing to repeat');
			else if (c === ']' || c === '}') return fail(`a lone ${c} is not accepted`);
			else atom = { t: 'char', test: literal(c.codePointAt(0) as number) };
			const q = quantifier();
			if (q) {
				if (atom.t === 'assert') return fail('an assertion cannot be repeated');
				if (group && q.max > 1 && branching(atom)) return fail('a group repeated more than once must not hold a quantifier or an alternation (it can take exponential time)');
				if (peek() !== undefined && '*+?{'.includes(peek() as string)) return fail('a quantifier cannot follow a quantifier');
				atom = { t: 'rep', e: atom, min: q.min, max: q.max };
			}
			items.push(atom);
		}
		return items.length === 1 ? (items[0] as Node) : { t: 'seq', items };
	};

	const tree = alternation();
	if (i < chars.length) fail('a ) has no (');
	return tree;
}

/**
 * The compiled pattern of `source`. Throws FormError('form-unsupported') when it is longer than
 * {@link MAX_PATTERN}, outside the subset, refused as above, not valid JavaScript `u`-mode syntax, or
 * needs more than {@link MAX_STATES} states.
 */
export function compilePattern(source: string): Pattern {
	if (source.length > MAX_PATTERN) throw refuse(source.slice(0, 40) + '...', `it is longer than ${MAX_PATTERN} characters`);
	try {
		new RegExp(source, 'u');
	} catch {
		throw refuse(source, 'it is not a valid regular expression');
	}
	const tree = parsePattern(source);
	const states: State[] = [{ k: 'final' }];
	const add = (s: State): number => {
		if (states.length >= MAX_STATES) throw refuse(source, `it needs more than ${MAX_STATES} states (long counted repeats)`);
		states.push(s);
		return states.length - 1;
	};
	/** The start state of `n` followed by the state `next`. */
	const compile = (n: Node, next: number): number => {
		switch (n.t) {
			case 'char':
				return add({ k: 'char', test: n.test, out: next });
			case 'assert':
				return add({ k: 'assert', a: n.a, out: next });
			case 'seq': {
				let cur = next;
				for (let j = n.items.length - 1; j >= 0; j--) cur = compile(n.items[j] as Node, cur);
				return cur;
			}
			case 'alt': {
				let cur = compile(n.options[n.options.length - 1] as Node, next);
				for (let j = n.options.length - 2; j >= 0; j--) cur = add({ k: 'split', out: compile(n.options[j] as Node, next), out2: cur });
				return cur;
			}
			case 'rep': {
				let cur = next;
				if (n.max === Infinity) {
					const loop = add({ k: 'split', out: -1, out2: next });
					(states[loop] as { out: number }).out = compile(n.e, loop);
					cur = loop;
				} else {
					for (let j = 0; j < n.max - n.min; j++) cur = add({ k: 'split', out: compile(n.e, cur), out2: next });
				}
				for (let j = 0; j < n.min; j++) cur = compile(n.e, cur);
				return cur;
			}
		}
	};
	const start = compile(tree, 0);
	return { source, states, start };
}

/** Work counter for tests: states visited by the last {@link matches} call. */
export const lastRun = { visits: 0 };

/**
 * True when `pattern` matches somewhere in `subject` (JavaScript's `test`, ODK's `regex()`).
 * Linear: each position of the subject visits each state at most once.
 */
export function matches(pattern: Pattern, subject: string): boolean {
	const text = [...subject].map((c) => c.codePointAt(0) as number);
	lastRun.visits = 0;
	if (text.length > MAX_REGEX_SUBJECT) return false;
	const { states, start } = pattern;
	const seen = new Int32Array(states.length).fill(-1);
	let current: number[] = [];
	const stack: number[] = [];
	/** Adds `from` and the states reachable without reading a character, at position `at`. */
	const close = (from: number, at: number, into: number[]): boolean => {
		stack.push(from);
		while (stack.length > 0) {
			const s = stack.pop() as number;
			if (seen[s] === at) continue;
			seen[s] = at;
			lastRun.visits++;
			const state = states[s] as State;
			switch (state.k) {
				case 'final':
					stack.length = 0;
					return true;
				case 'char':
					into.push(s);
					break;
				case 'split':
					stack.push(state.out2, state.out);
					break;
				case 'assert': {
					const prev = at > 0 ? (text[at - 1] as number) : -1;
					const next = at < text.length ? (text[at] as number) : -1;
					let holds: boolean;
					if (state.a === 'bol') holds = at === 0;
					else if (state.a === 'eol') holds = at === text.length;
					else {
						const boundary = (prev >= 0 && isWord(prev)) !== (next >= 0 && isWord(next));
						holds = state.a === 'word' ? boundary : !boundary;
					}
					if (holds) stack.push(state.out);
					break;
				}
			}
		}
		return false;
	};
	for (let at = 0; ; at++) {
		// Unanchored: a match may start at every position.
		if (close(start, at, current)) return true;
		if (at === text.length) return false;
		const c = text[at] as number;
		const next: number[] = [];
		for (const s of current) {
			const state = states[s] as State & { k: 'char' };
			if (state.test(c) && close(state.out, at + 1, next)) return true;
		}
		current = next;
	}
}
