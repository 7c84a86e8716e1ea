/**
 * The rule that keeps core pure (ARCHITECTURE.md): src/lib/core imports nothing from the store, the
 * worker, the page or Dexie, and touches no browser global, so the command line, the worker, the
 * page and these tests all run the same code.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const CORE = join(process.cwd(), 'src/lib/core');

function sources(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const path = join(dir, entry.name);
		return entry.isDirectory() ? sources(path) : entry.name.endsWith('.ts') ? [path] : [];
	});
}

const FORBIDDEN_IMPORTS = [/from '\.\.\/(\.\.\/)?(store|worker|client|ui|crypto)\b/, /from 'dexie'/, /from '\$app\//, /from '\$lib\//, /from 'svelte/];
const FORBIDDEN_GLOBALS = /\b(window|document|indexedDB|localStorage|sessionStorage|navigator|IDBKeyRange)\b/;

/** Code without comments and string contents, so a word in a doc comment or a message does not count. */
function code(text: string): string {
	return text
		.replace(/\/\*[\s\S]*?\*\//g, '')
		.replace(/\/\/.*$/gm, '')
		.replace(/`(?:\\.|[^`\\])*`/g, '``')
		.replace(/'(?:\\.|[^'\\])*'/g, "''");
}

describe('src/lib/core', () => {
	const files = sources(CORE);

	it('has source files to check', () => {
		expect(files.length).toBeGreaterThan(10);
	});

	for (const file of files) {
		const name = relative(CORE, file);
		it(`${name} imports no store, worker, page or Dexie module and uses no browser global`, () => {
			const text = readFileSync(file, 'utf8');
			const imports = text.split('\n').filter((line) => /^\s*(import|export) .* from /.test(line));
			for (const pattern of FORBIDDEN_IMPORTS) expect(imports.filter((line) => pattern.test(line))).toEqual([]);
			expect(code(text).match(FORBIDDEN_GLOBALS)).toBeNull();
		});
	}
});
