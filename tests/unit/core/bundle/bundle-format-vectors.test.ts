/**
 * Replays the shared bundle vectors (shared/vectors/bundles, spec/bundle-format.md): one test per
 * file, each expecting the verdict expected.json gives it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { verifyBundle, verifyBundleResult } from '../../../../src/lib/core/bundle/verify';
import { CompactRange, foldCompactRange } from '../../../../src/lib/core/merkle/compact';
import { bundleVectors } from './fixtures';

const vectors = bundleVectors();

describe('verifyBundle on the shared bundle vectors', () => {
	it('finds every vector expected.json lists', () => {
		expect(vectors.length).toBeGreaterThanOrEqual(11);
	});

	for (const { file, path, expected } of vectors) {
		it(`${file}: ${expected === 'ok' ? 'accepts it' : `rejects it with ${expected}`}`, async () => {
			const result = await verifyBundleResult(readFileSync(path, 'utf8'));
			if (expected === 'ok') {
				expect(result).toMatchObject({ ok: true });
			} else {
				expect(result.ok).toBe(false);
				if (!result.ok) {
					expect(result.error.code).toBe(expected);
					expect(result.error.message).toMatch(/^[A-Z].*[.]$/s);
				}
			}
		});
	}
});

describe('verifyBundle on valid-full.json', () => {
	it('returns the device, the tree and the events it proves', async () => {
		const v = await verifyBundle(readFileSync(vectors.find((x) => x.file === 'valid-full.json')!.path, 'utf8'));
		expect(v.deviceId).toBe('AbRW5BiC0z2ds4Zk4g_xD0ikz7qK8rrKVnS8L61whhk');
		expect(v.treeSize).toBe(7);
		expect(v.from).toBe(0);
		expect(v.prefix).toEqual([]);
		expect(v.events).toHaveLength(7);
		expect(v.leafHashes).toHaveLength(7);
		expect(v.rootHash).toHaveLength(32);
		expect(v.rootHashB64).toBe('Dyw2y2e6hKpCp3iLY1qqe4OZwHCXZzGZmBgINoT_H7c');
		expect(v.issuedAt).toBe('2026-11-02T09:00:00.000Z');
		expect(v.publicJwk).toEqual({ kty: 'EC', crv: 'P-256', x: expect.any(String), y: expect.any(String) });
		expect(v.events[6]?.guid).toBe('018f6b1e-1000-7000-8000-000000000007');
	});

	it('and valid-since-3.json: the since-bundle prefix folds to the root of the first 3 leaves of the full one', async () => {
		const full = await verifyBundle(readFileSync(vectors.find((x) => x.file === 'valid-full.json')!.path, 'utf8'));
		const since = await verifyBundle(readFileSync(vectors.find((x) => x.file === 'valid-since-3.json')!.path, 'utf8'));
		expect(since.from).toBe(3);
		expect(since.rootHashB64).toBe(full.rootHashB64);
		expect(since.leafHashes).toEqual(full.leafHashes.slice(3));
		const range = new CompactRange();
		full.leafHashes.slice(0, 3).forEach((h) => range.append(h));
		expect(foldCompactRange(since.prefix)).toEqual(range.rootHash());
	});
});
