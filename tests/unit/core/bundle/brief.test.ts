/** brief(): a value quoted in an error message carries no character a terminal or a viewer acts on. */
import { describe, expect, it } from 'vitest';
import { brief } from '../../../../src/lib/core/bundle/json';

describe('brief', () => {
	it('escapes C0 and C1 controls, DEL, line separators and bidi overrides as JSON \\u escapes', () => {
		const shown = brief('a\u001b[2J\u009b2J\u007f\u2028\u202e\u2066b', 200);
		expect(shown).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u202e\u2066]/u);
		expect(JSON.parse(shown)).toBe('a\u001b[2J\u009b2J\u007f\u2028\u202e\u2066b');
		expect(shown).toContain('\\u009b');
	});
});
