// Form definitions come from other devices, so they are attacker-controlled input: what a form may
// ask the engine to do is bounded at import, when a published definition is read, and at evaluation
// (docs/decisions/0006-forms-as-events.md, "What is refused, and why").
import { describe, expect, it } from 'vitest';
import type { CasetrailEvent } from '../../../../src/lib/core/event';
import { definitionHash, type FormDefinition } from '../../../../src/lib/core/forms/definition';
import { computeForm, withOutputs } from '../../../../src/lib/core/forms/engine';
import { parseXForm } from '../../../../src/lib/core/forms/parse';
import { compilePattern, lastRun, matches, MAX_REGEX_SUBJECT } from '../../../../src/lib/core/forms/regex';
import { checkDefinition, publishedForms, publishFormEvent, readPublishedForm } from '../../../../src/lib/core/forms/submit';
import { evaluate, parseExpression, type XValue } from '../../../../src/lib/core/forms/xpath';
import { individualRegistration } from './xforms';

const NOW = new Date(2026, 11, 3, 9, 30);
const REDOS = '^(a|a)*$';
const env = { now: () => new Date('2026-06-01T09:00:00Z'), newGuid: () => '01900000-0000-7000-8000-000000000001', userId: 'admin' };

function run(source: string, values: Record<string, string> = {}): XValue {
	return evaluate(parseExpression(source), { current: '/data/q', now: NOW, valuesAt: (path) => (path in values ? [values[path] as string] : []) });
}

function registration(phoneConstraint: string): string {
	return individualRegistration('1').replace(`constraint="regex(., '^[0-9+ ]{6,20}$')"`, () => `constraint="${phoneConstraint}"`);
}

function definitionOf(xml: string): FormDefinition {
	const parsed = parseXForm(xml);
	return { ...parsed.definition, purpose: parsed.purpose! };
}

/** A publish-form event carrying `definition` as another device could write it: hash and all, unchecked. */
function forgedEvent(definition: FormDefinition): CasetrailEvent {
	const event = publishFormEvent(definitionOf(individualRegistration('1')), env);
	return { ...event, data: { formId: definition.formId, version: definition.version, hash: definitionHash(definition), definition } };
}

/** The valid registration with one field's expression replaced, as a forged definition would have it. */
function withPhone(key: 'constraint' | 'calculate' | 'relevant', source: string): FormDefinition {
	const definition = definitionOf(individualRegistration('1'));
	const phone = definition.fields.find((f) => f.name === 'phone')!;
	phone[key] = source;
	return definition;
}

describe('regex() patterns', () => {
	it('refuses a pattern that backtracks catastrophically at import, as form-unsupported naming the question', () => {
		expect(() => parseXForm(registration(`regex(., '${REDOS}')`))).toThrow(expect.objectContaining({ code: 'form-unsupported', fields: { '/data/phone (constraint)': expect.stringContaining('repeated more than once') } }));
	});

	it('refuses the same pattern in a published definition read from an event: the version is ignored', () => {
		const event = forgedEvent(withPhone('constraint', `regex(., '${REDOS}')`));
		expect(() => readPublishedForm(event)).toThrow(expect.objectContaining({ code: 'form-invalid' }));
		expect(publishedForms([event])).toEqual([]);
	});

	it('refuses backreferences, lookarounds, nested quantifiers, patterns not written in the form, and overlong ones', () => {
		for (const pattern of ['^(a+)+$', '(a*)*b', '(\\d+|x)+', '(a)\\1', '^(?=a)a', '(?<!a)b', 'x{1,3}{2}', 'a'.repeat(257)]) {
			expect(() => parseExpression(`regex(., '${pattern}')`), pattern).toThrow(expect.objectContaining({ code: 'form-unsupported' }));
		}
		expect(() => parseExpression('regex(., /data/pattern)')).toThrow(expect.objectContaining({ code: 'form-unsupported' }));
		expect(() => checkDefinition(withPhone('constraint', 'regex(., concat("^(a", "|a)*$"))'))).toThrow(expect.objectContaining({ code: 'form-invalid' }));
	});

	it('keeps the answers of JavaScript regular expressions for the patterns it accepts', () => {
		const patterns = ['^[0-9+ ]{6,20}$', '^\\d{3}-\\d{4}$', '^[A-Za-z .\'-]+$', '^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\\.[a-zA-Z]{2,}$', '^(\\+\\d{1,3})?\\d{9}$', 'ab|cd', '^(?:yes|no)$', '\\bcat\\b', '^[^0-9]*$', '^.{2,4}$', 'é+', '^\\u0041\\x42$', '^$', '(ab)+c', '[\\]-]'];
		const subjects = ['', '123-4567', '+964 770 123 4567', 'a@b.co', 'fatima.h@example.org', '+964770123456', '770123456', 'ab', 'xcd', 'yes', 'no', 'maybe', 'the cat sat', 'concat', 'abc', 'éé', 'AB', 'ababc', ']', '-', "O'Brien", 'a\nb'];
		for (const pattern of patterns) {
			const compiled = compilePattern(pattern);
			const reference = new RegExp(pattern, 'u');
			for (const subject of subjects) expect(matches(compiled, subject), `${pattern} on ${JSON.stringify(subject)}`).toBe(reference.test(subject));
		}
	});

	it('does work linear in the subject by construction: at most (length + 1) x states, even for adversarial patterns and subjects', () => {
		const cases: [string, string][] = [
			['^a*a*a*a*a*a*a*a*$', `${'a'.repeat(5000)}!`],
			['^(ab|a)c?[a-z]+x$', `${'ab'.repeat(2000)}!`],
			['^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\\.[a-zA-Z]{2,}$', `${'a.'.repeat(3000)}@`],
			['^\\d{1,20}\\d{1,20}\\d{1,20}$', '1'.repeat(4000)]
		];
		for (const [pattern, subject] of cases) {
			const compiled = compilePattern(pattern);
			// (A backtracking engine takes O(n^8) steps on the first: no reference run here.)
			expect(matches(compiled, subject)).toBe(false);
			expect(lastRun.visits, pattern).toBeLessThanOrEqual((subject.length + 1) * compiled.states.length);
		}
	});

	it('does not test a subject longer than the cap: it does not match', () => {
		const compiled = compilePattern('a');
		expect(matches(compiled, 'a'.repeat(MAX_REGEX_SUBJECT))).toBe(true);
		expect(matches(compiled, 'a'.repeat(MAX_REGEX_SUBJECT + 1))).toBe(false);
		expect(lastRun.visits).toBe(0);
	});
});

describe('the size of an expression', () => {
	const sum = Array.from({ length: 20_000 }, (_, i) => `/data/q${i % 10}`).join('+');

	it('refuses a 20,000-term sum when it is read, at import and in a published definition, instead of overflowing the stack later', () => {
		expect(sum.length).toBeLessThan(200_000);
		expect(() => parseExpression(sum)).toThrow(expect.objectContaining({ code: 'form-unsupported' }));
		expect(() => parseXForm(registration(`. != ${sum.slice(0, 9_000).replace(/\+[^+]*$/, '')}`))).toThrow(expect.objectContaining({ code: 'form-unsupported' }));
		expect(() => readPublishedForm(forgedEvent(withPhone('calculate', sum)))).toThrow(expect.objectContaining({ code: 'form-invalid' }));
	});

	it('refuses deep nesting as written without overflowing the stack while reading it', () => {
		for (const source of [`${'('.repeat(20_000)}1${')'.repeat(20_000)}`, `${'-'.repeat(20_000)}1`, `${'abs('.repeat(5_000)}1${')'.repeat(5_000)}`]) {
			expect(() => parseExpression(source)).toThrow(expect.objectContaining({ code: 'form-unsupported' }));
		}
	});

	it('evaluates what it accepts: a 200-term sum and 60 nested calls', () => {
		const values = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`/data/q${i}`, '1']));
		expect(run(sum.split('+').slice(0, 200).join('+'), values)).toBe(200);
		expect(run(`${'abs('.repeat(60)}-1${')'.repeat(60)}`)).toBe(1);
	});
});

describe('dates out of range', () => {
	it('date() of a number of days no JavaScript date holds is empty, as an invalid date, and does not throw', () => {
		expect(run('date(100000001)')).toBe('');
		expect(run('date(-100000001)')).toBe('');
		expect(run('date(3000000)')).toBe(''); // year 10183: not YYYY-MM-DD
		expect(run("format-date(date(100000001), '%Y')")).toBe('');
		expect(run('date(0)')).toBe('1970-01-01');
	});
});

describe('cyclic calculations', () => {
	const cyclic = registration('true()').replace('<bind nodeset="/data/income" type="decimal" constraint=". &gt;= 0"/>', '<bind nodeset="/data/income" type="decimal" calculate="/data/phone + 1"/>').replace('constraint="true()"', () => 'calculate="/data/income + 1"');

	it('are refused at import, naming the cycle', () => {
		expect(() => parseXForm(cyclic)).toThrow(expect.objectContaining({ code: 'form-unsupported', fields: expect.objectContaining({ '/data/phone': expect.stringContaining('phone -> income -> phone') }) }));
	});

	it('are refused in a published definition, and computeForm refuses a cyclic definition given to it directly', () => {
		const definition = withPhone('calculate', '/data/income + 1');
		definition.fields.find((f) => f.name === 'income')!.calculate = '/data/phone + 1';
		expect(() => readPublishedForm(forgedEvent(definition))).toThrow(expect.objectContaining({ code: 'form-invalid' }));
		expect(() => computeForm(definition, {}, NOW)).toThrow(expect.objectContaining({ code: 'form-invalid' }));
	});

	it('include a calculation reading itself', () => {
		expect(() => checkDefinition(withPhone('calculate', 'string-length() + 1'))).toThrow(expect.objectContaining({ code: 'form-invalid' }));
		expect(() => checkDefinition(withPhone('calculate', '. + 1'))).toThrow(expect.objectContaining({ code: 'form-invalid' }));
	});

	it('are settled in one pass when acyclic, whatever the document order', () => {
		const definition = withPhone('calculate', "concat(/data/income, '!')");
		definition.fields.find((f) => f.name === 'income')!.calculate = "concat(/data/first_name, '?')";
		expect(computeForm(definition, { first_name: 'Ali' }, NOW).values.phone).toBe('Ali?!');
	});
});

describe('errors during evaluation', () => {
	it('become FormError form-evaluation-failed, not a bare error (which the worker would report as storage-failed)', () => {
		const long = withPhone('calculate', `concat(${Array.from({ length: 20 }, () => '/data/first_name').join(', ')})`);
		expect(() => computeForm(long, { first_name: 'x'.repeat(9_000) }, NOW)).toThrow(expect.objectContaining({ name: 'CasetrailError', code: 'form-evaluation-failed' }));
		const broken = { ...definitionOf(individualRegistration('1')), groups: null } as unknown as FormDefinition;
		expect(() => computeForm(broken, {}, NOW)).toThrow(expect.objectContaining({ name: 'CasetrailError', code: 'form-evaluation-failed' }));
	});
});

describe('label outputs', () => {
	it('share one work budget per computed state: once it is spent, further outputs are empty', () => {
		const definition: FormDefinition = {
			...definitionOf(individualRegistration('1')),
			fields: [{ name: 'x', path: '/data/r/x', type: 'integer', repeat: '/data/r' }],
			repeats: [{ path: '/data/r', name: 'r' }],
			body: [{ kind: 'repeat', path: '/data/r', items: [{ kind: 'field', name: 'x' }] }]
		};
		const answers: Record<string, string> = { r: '200' };
		for (let i = 1; i <= 200; i++) answers[`x[${i}]`] = '1';
		const state = computeForm(definition, answers, NOW);
		const output = `\${${Array.from({ length: 250 }, () => 'count(/data/r/x)').join(' + ')}}`;
		// Each output reads 250 x 200 values: about 50,000 units of the 1,000,000 a state may spend.
		const shown = Array.from({ length: 30 }, () => withOutputs(`${output};`, definition, state, answers, NOW));
		expect(shown[0]).toBe('50000;');
		expect(shown.at(-1)).toBe(';');
		expect(withOutputs(`${output};`, definition, computeForm(definition, answers, NOW), answers, NOW)).toBe('50000;');
	});
});
