// The XPath subset against the ODK XForms specification (getodk.github.io/xforms-spec): XPath 1.0
// comparisons and conversions, and the ODK functions a questionnaire uses.
import { describe, expect, it } from 'vitest';
import { evaluate, parseExpression, toStr, type XValue } from '../../../../src/lib/core/forms/xpath';

const NOW = new Date(2026, 11, 3, 9, 30); // local time: today() is 2026-12-03 wherever the test runs

function run(source: string, values: Record<string, string> = {}, current = '/data/q'): XValue {
	return evaluate(parseExpression(source), {
		current,
		now: NOW,
		valuesAt: (path) => (path in values ? [values[path] as string] : [])
	});
}

describe('XPath 1.0 as ODK XForms uses it', () => {
	it('reads a field by absolute path and the current field as "."', () => {
		expect(run('/data/age', { '/data/age': '42' })).toEqual({ nodes: ['42'] });
		expect(run('. + 1', { '/data/q': '2' })).toBe(3);
	});

	it('resolves relative paths against the field being evaluated', () => {
		expect(run('../age * 2', { '/data/age': '4' }, '/data/group/q')).toBe(NaN);
		expect(run('../age * 2', { '/data/group/age': '4' }, '/data/group/q')).toBe(8);
	});

	it('compares a field with a number numerically and with text as text', () => {
		expect(run('. >= 1 and . <= 30', { '/data/q': '12' })).toBe(true);
		expect(run('. >= 1 and . <= 30', { '/data/q': '31' })).toBe(false);
		expect(run("/data/water = 'other'", { '/data/water': 'other' })).toBe(true);
		expect(run("/data/water != 'other'", { '/data/water': 'well' })).toBe(true);
		expect(run('/data/size = 3', { '/data/size': '3.0' })).toBe(true);
	});

	it('treats an empty answer as NaN in arithmetic and in comparisons with numbers', () => {
		expect(run('. > 0', { '/data/q': '' })).toBe(false);
		expect(run('. <= 0', { '/data/q': '' })).toBe(false);
		expect(toStr(run('/data/a + 1', { '/data/a': '' }))).toBe('NaN');
	});

	it('gives a missing field an empty node-set: false, and no equal value', () => {
		expect(run('/data/nothing')).toEqual({ nodes: [] });
		expect(run("/data/nothing = ''")).toBe(false);
		expect(run('not(/data/nothing)')).toBe(true);
	});

	it('keeps operator precedence: and binds tighter than or, * tighter than +', () => {
		expect(run('1 + 2 * 3')).toBe(7);
		expect(run('true() or false() and false()')).toBe(true);
		expect(run('(1 + 2) * 3')).toBe(9);
		expect(run('7 mod 3')).toBe(1);
		expect(run('7 div 2')).toBe(3.5);
		expect(run('-2 + 5')).toBe(3);
	});

	it('reads and, or, div and mod as names where no operator can stand', () => {
		expect(run('/data/and + /data/div', { '/data/and': '1', '/data/div': '2' })).toBe(3);
	});

	it('evaluates only the branch if() takes', () => {
		expect(run("if(/data/a = 'x', 'yes', 'no')", { '/data/a': 'x' })).toBe('yes');
		expect(run("if(/data/a = 'x', 'yes', 'no')", { '/data/a': 'y' })).toBe('no');
	});
});

describe('ODK XForms functions', () => {
	it('selected() and count-selected() read a select multiple as space-separated values', () => {
		expect(run("selected(/data/assets, 'bicycle')", { '/data/assets': 'radio bicycle' })).toBe(true);
		expect(run("selected(/data/assets, 'bike')", { '/data/assets': 'radio bicycle' })).toBe(false);
		expect(run('count-selected(/data/assets)', { '/data/assets': 'radio bicycle' })).toBe(2);
		expect(run('count-selected(/data/assets)', { '/data/assets': '' })).toBe(0);
		expect(run('selected-at(/data/assets, 1)', { '/data/assets': 'radio bicycle' })).toBe('bicycle');
	});

	it('today() is the local date, and a date compares with it as days since 1970-01-01', () => {
		expect(run('today()')).toBe('2026-12-03');
		expect(run('. <= today()', { '/data/q': '2026-12-03' })).toBe(true);
		expect(run('. <= today()', { '/data/q': '2026-12-04' })).toBe(false);
		expect(run('decimal-date-time(.)', { '/data/q': '1970-01-11' })).toBe(10);
		expect(run('int((today() - /data/dob) div 365.25)', { '/data/dob': '2000-11-01' })).toBe(26);
		expect(run('date(0)')).toBe('1970-01-01');
		expect(run("format-date(/data/d, '%d/%m/%Y')", { '/data/d': '2026-02-01' })).toBe('01/02/2026');
	});

	it('regex(), string-length(), concat(), contains(), substr() and coalesce() work on text', () => {
		expect(run("regex(., '^[0-9]{3}$')", { '/data/q': '123' })).toBe(true);
		expect(run("regex(., '^[0-9]{3}$')", { '/data/q': '12a' })).toBe(false);
		expect(run('string-length(.)', { '/data/q': 'نور' })).toBe(3);
		expect(run("concat(/data/a, ' ', /data/b)", { '/data/a': 'Amina', '/data/b': 'Diallo' })).toBe('Amina Diallo');
		expect(run("contains(., 'ab')", { '/data/q': 'cabd' })).toBe(true);
		expect(run('substr(., 1, 3)', { '/data/q': 'abcd' })).toBe('bc');
		expect(run("coalesce(/data/a, 'none')", { '/data/a': '' })).toBe('none');
	});

	it('round(), int(), number() and sum() follow XPath numbers', () => {
		expect(run('round(2.5)')).toBe(3);
		expect(run('round(3.14159, 2)')).toBe(3.14);
		expect(run('int(-2.7)')).toBe(-2);
		expect(toStr(run("number('abc')"))).toBe('NaN');
		expect(run('sum(/data/a)', { '/data/a': '4' })).toBe(4);
	});
});

describe('parseExpression', () => {
	it.each([
		["instance('x')/root/item", 'the function instance() is not supported'],
		['/data/a[1]', 'predicates'],
		['//a', '"//" is not supported'],
		['/data/a | /data/b', 'unions'],
		['pulldata("a","b","c","d")', 'pulldata() is not supported'],
		["concat('a'", '")" was expected'],
		['1 +', 'a value or a field was expected'],
		['today(1)', 'today() takes 0 arguments'],
		["'open", 'a quoted text is not closed']
	])('refuses %s with form-unsupported saying why', (source, why) => {
		expect(() => parseExpression(source)).toThrow(expect.objectContaining({ code: 'form-unsupported', message: expect.stringContaining(why) }));
	});
});
