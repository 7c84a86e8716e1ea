import { describe, expect, it } from 'vitest';
import { printable, printLines } from '../../../cli/terminal';

describe('printable', () => {
	it('writes C0 controls, DEL and C1 controls as \\u{hex}', () => {
		expect(printable('a\u0000b\u001bc\td\re\nf')).toBe('a\\u{0}b\\u{1B}c\\u{9}d\\u{D}e\\u{A}f');
		expect(printable('\u007f\u0080\u009b\u009f')).toBe('\\u{7F}\\u{80}\\u{9B}\\u{9F}');
	});

	it('writes the bidirectional formatting characters and line separators as \\u{hex}', () => {
		const bidi = '\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029';
		expect(printable(bidi)).toBe([...bidi].map((c) => `\\u{${c.codePointAt(0)!.toString(16).toUpperCase()}}`).join(''));
	});

	it('leaves every other character alone, accents, scripts and emoji included', () => {
		const text = 'Kébémer · Ἀθῆναι · عائشة · 张伟 · 👩🏽‍⚕️ \u00a0';
		expect(printable(text)).toBe(text);
	});
});

describe('printLines', () => {
	it('ends each line with one line feed, and a line feed inside a line is escaped', () => {
		expect(printLines(['VALID', 'x\ny'])).toBe('VALID\nx\\u{A}y\n');
	});
});
