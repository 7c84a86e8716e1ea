/**
 * Replays the 196 transparency-dev/merkle verification probes (../vectors/transparency-dev): one
 * test per file, named after its path; the verifier's verdict must be the opposite of `wantErr`.
 * Hashes in these files are standard padded base64; a `null` proof means an empty one.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { base64ToBytes } from '../../../../src/lib/core/encoding';
import { verifyConsistency, verifyInclusion } from '../../../../src/lib/core/merkle/verify';
import { VECTORS_DIR, readVector } from './vectors';

const ROOT = join(VECTORS_DIR, 'transparency-dev');

function jsonFilesUnder(dir: string): string[] {
	return readdirSync(dir)
		.sort()
		.flatMap((name) => {
			const path = join(dir, name);
			if (statSync(path).isDirectory()) return jsonFilesUnder(path);
			return name.endsWith('.json') ? [relative(ROOT, path)] : [];
		});
}

interface InclusionCase {
	leafIdx: number;
	treeSize: number;
	root: string;
	leafHash: string;
	proof: string[] | null;
	wantErr: boolean;
}

interface ConsistencyCase {
	size1: number;
	size2: number;
	root1: string;
	root2: string;
	proof: string[] | null;
	wantErr: boolean;
}

const inclusionFiles = jsonFilesUnder(join(ROOT, 'inclusion'));
const consistencyFiles = jsonFilesUnder(join(ROOT, 'consistency'));
const b64 = (text: string): Uint8Array => base64ToBytes(text);

describe('transparency-dev vectors', () => {
	it('finds all 196 probe files', () => {
		expect(inclusionFiles.length + consistencyFiles.length).toBe(196);
		expect(inclusionFiles.length).toBeGreaterThan(0);
		expect(consistencyFiles.length).toBeGreaterThan(0);
	});

	describe('verifyInclusion', () => {
		it.each(inclusionFiles)('%s', (file) => {
			const c = readVector(`transparency-dev/${file}`) as InclusionCase;
			const verdict = verifyInclusion(b64(c.leafHash), c.leafIdx, c.treeSize, (c.proof ?? []).map(b64), b64(c.root));
			expect(verdict).toBe(!c.wantErr);
		});
	});

	describe('verifyConsistency', () => {
		it.each(consistencyFiles)('%s', (file) => {
			const c = readVector(`transparency-dev/${file}`) as ConsistencyCase;
			const verdict = verifyConsistency(c.size1, c.size2, (c.proof ?? []).map(b64), b64(c.root1), b64(c.root2));
			expect(verdict).toBe(!c.wantErr);
		});
	});
});
