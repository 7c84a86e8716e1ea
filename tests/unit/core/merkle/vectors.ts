/** Where the shared test vectors live: shared/vectors beside the checkout (as CI lays it out). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const VECTORS_DIR = fileURLToPath(new URL('../../../../../shared/vectors/', import.meta.url));

/** Parses a JSON vector file under VECTORS_DIR. */
export function readVector(relativePath: string): unknown {
	return JSON.parse(readFileSync(VECTORS_DIR + relativePath, 'utf8'));
}
