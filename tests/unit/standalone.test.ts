/**
 * The repository stands alone: a user's clone has nothing beside it, so nothing the project runs
 * may read a path outside the checkout (issue 13). Scans every source, test, bench, CLI and CI file
 * for a relative path that climbs above the repository root.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const FOLDERS = ['src', 'tests', 'bench', 'cli', 'scripts', '.ci'];
const SOURCE = /\.(ts|js|mjs|cjs|svelte|json|sh)$|^run$/;

function files(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		if (name === 'node_modules' || name === 'vectors') return [];
		return statSync(path).isDirectory() ? files(path) : SOURCE.test(name) ? [path] : [];
	});
}

/** Every `../` chain in a string literal, resolved from the file that holds it. */
function escapes(path: string): string[] {
	const found: string[] = [];
	for (const [, rel] of readFileSync(path, 'utf8').matchAll(/['"`]((?:\.\.\/)+[^'"`\s]*)['"`]/g)) {
		const target = resolve(dirname(path), rel!);
		if (target !== ROOT && !target.startsWith(ROOT + sep)) found.push(`${relative(ROOT, path)}: ${rel}`);
	}
	return found;
}

describe('the repository', () => {
	it('reads no path outside its own checkout', () => {
		const all = FOLDERS.flatMap((f) => files(join(ROOT, f)));
		expect(all.length).toBeGreaterThan(100);
		expect(all.flatMap(escapes)).toEqual([]);
	});

	it('carries the vectors it tests against', () => {
		for (const v of ['rfc6962.json', 'bundles/expected.json', 'transparency-dev/README.md', 'README.md']) {
			expect(statSync(join(ROOT, 'tests/vectors', v)).isFile()).toBe(true);
		}
	});
});
