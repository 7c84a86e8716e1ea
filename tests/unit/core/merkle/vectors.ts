/** Where the test vectors live: tests/vectors, the project's own copies (tests/vectors/README.md). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const VECTORS_DIR = fileURLToPath(new URL('../../../vectors/', import.meta.url));

/** Parses a JSON vector file under VECTORS_DIR. */
export function readVector(relativePath: string): unknown {
	return JSON.parse(readFileSync(VECTORS_DIR + relativePath, 'utf8'));
}
