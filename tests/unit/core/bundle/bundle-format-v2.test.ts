/**
 * Bundle format version 2 (docs/bundle-format-v2.md, issue 14): consistency proofs from every tree
 * size the device signed before, verified against the signed root; version 1 still verifies.
 */
import { describe, expect, it } from 'vitest';
import { buildBundleFrom, consistencyFromLeafHashes, eventLeafHash } from '../../../../src/lib/core/bundle/build';
import { verifyBundle, verifyBundleResult } from '../../../../src/lib/core/bundle/verify';
import { base64urlToBytes, bytesToBase64url } from '../../../../src/lib/core/encoding';
import { verifyConsistency } from '../../../../src/lib/core/merkle/verify';
import { rootFromRange } from '../../../../src/lib/core/merkle/compact';
import type { BundleV2 } from '../../../../src/lib/core/bundle/types';
import type { CasetrailEvent } from '../../../../src/lib/core/event';
import { deviceKeys, sampleLog, viaJson } from './fixtures';

const ISSUED = '2026-11-02T09:00:00.000Z';

async function v2(log: CasetrailEvent[], from: number, signedSizes: number[]): Promise<BundleV2> {
	const bundle = viaJson(await buildBundleFrom({ log, from, signer: await deviceKeys(), issuedAt: ISSUED, signedSizes }));
	if (bundle.version !== 2) throw new Error('buildBundleFrom wrote version 1');
	return bundle;
}

async function codeOf(input: unknown): Promise<string> {
	const r = await verifyBundleResult(input);
	return r.ok ? 'ok' : r.error.code;
}

function rootOf(log: CasetrailEvent[], size: number): Uint8Array {
	return rootFromRange(0, [], log.slice(0, size).map(eventLeafHash));
}

describe('bundle format version 2', () => {
	it('is what buildBundleFrom writes by default, and verifies with its version and its proven roots', async () => {
		const log = sampleLog(14);
		const bundle = await v2(log, 12, [3, 10, 12]);
		expect(bundle.version).toBe(2);
		expect(bundle.consistency.map((c) => c.treeSize)).toEqual([3, 10, 12]);
		const verified = await verifyBundle(bundle);
		expect(verified.version).toBe(2);
		expect(verified.consistency.map((c) => c.treeSize)).toEqual([3, 10, 12]);
		for (const c of verified.consistency) expect(c.rootHash).toEqual(rootOf(log, c.treeSize));
	});

	it('carries, for every size below the new one, an RFC 9162 proof that an independent verifier accepts', async () => {
		for (let n = 2; n <= 33; n++) {
			const log = sampleLog(n, n);
			const leaves = log.map(eventLeafHash);
			const sizes = Array.from({ length: n - 1 }, (_, i) => i + 1);
			const entries = await consistencyFromLeafHashes(leaves, sizes);
			expect(entries.map((e) => e.treeSize)).toEqual(sizes);
			for (const e of entries) {
				const proof = e.proof.map((p) => base64urlToBytes(p));
				expect(verifyConsistency(e.treeSize, n, proof, rootOf(log, e.treeSize), rootOf(log, n)), `${e.treeSize} -> ${n}`).toBe(true);
			}
		}
	});

	it('drops sizes that need no proof: 0, the new size itself, larger ones and duplicates', async () => {
		const leaves = sampleLog(8).map(eventLeafHash);
		expect((await consistencyFromLeafHashes(leaves, [8, 0, 5, 5, 9, 2])).map((e) => e.treeSize)).toEqual([2, 5]);
	});

	it('gives a rewritten log a different root at the earlier size, so its proof cannot carry the root a receiver holds', async () => {
		const log = sampleLog(14);
		const rewritten = log.map((e, i) => (i === 8 ? { ...e, data: { name: 'Rewritten' } } : e));
		const honest = await v2(log, 12, [10]);
		const forged = await v2(rewritten, 12, [10]);
		expect(await codeOf(forged)).toBe('ok');
		expect(forged.consistency[0]!.rootHash).not.toBe(honest.consistency[0]!.rootHash);
		// Claiming the old root with the rewritten log's proof does not verify.
		const claimed = { ...forged, consistency: [{ ...forged.consistency[0]!, rootHash: honest.consistency[0]!.rootHash }] };
		expect(await codeOf(claimed)).toBe('bad-consistency-proof');
	});

	describe('when the consistency list is damaged', () => {
		it('bad-consistency-proof when one proof node is replaced', async () => {
			const bundle = await v2(sampleLog(14), 12, [3, 10]);
			const entry = bundle.consistency[1]!;
			const damaged = { ...bundle, consistency: [bundle.consistency[0]!, { ...entry, proof: [bytesToBase64url(new Uint8Array(32)), ...entry.proof.slice(1)] }] };
			expect(await codeOf(damaged)).toBe('bad-consistency-proof');
		});

		it('bad-consistency-proof when a proof is dropped or a node added', async () => {
			const bundle = await v2(sampleLog(14), 12, [10]);
			const entry = bundle.consistency[0]!;
			expect(await codeOf({ ...bundle, consistency: [{ ...entry, proof: [] }] })).toBe('bad-consistency-proof');
			expect(await codeOf({ ...bundle, consistency: [{ ...entry, proof: [...entry.proof, entry.proof[0]!] }] })).toBe('bad-consistency-proof');
		});

		it('bad-consistency-proof when an entry claims another size for the same proof', async () => {
			const bundle = await v2(sampleLog(14), 12, [10]);
			expect(await codeOf({ ...bundle, consistency: [{ ...bundle.consistency[0]!, treeSize: 11 }] })).toBe('bad-consistency-proof');
		});

		it('size-mismatch when an entry is from a size at or above the signed one', async () => {
			const bundle = await v2(sampleLog(14), 12, [10]);
			expect(await codeOf({ ...bundle, consistency: [{ ...bundle.consistency[0]!, treeSize: 14 }] })).toBe('size-mismatch');
		});

		const shapes: [string, (b: BundleV2) => unknown][] = [
			['no consistency member', ({ consistency: _, ...b }) => b],
			['a consistency member that is not an array', (b) => ({ ...b, consistency: {} })],
			['an entry that is not an object', (b) => ({ ...b, consistency: [7] })],
			['an entry of size 0', (b) => ({ ...b, consistency: [{ ...b.consistency[0]!, treeSize: 0 }] })],
			['a fractional size', (b) => ({ ...b, consistency: [{ ...b.consistency[0]!, treeSize: 2.5 }] })],
			['entries out of order', (b) => ({ ...b, consistency: [b.consistency[1]!, b.consistency[0]!] })],
			['the same size twice', (b) => ({ ...b, consistency: [b.consistency[0]!, b.consistency[0]!] })],
			['a root that is not 32 bytes', (b) => ({ ...b, consistency: [{ ...b.consistency[0]!, rootHash: 'AAAA' }] })],
			['a proof that is not an array', (b) => ({ ...b, consistency: [{ ...b.consistency[0]!, proof: 'x' }] })],
			['a proof node that is not base64url of 32 bytes', (b) => ({ ...b, consistency: [{ ...b.consistency[0]!, proof: ['AA=='] }] })]
		];
		for (const [name, make] of shapes) {
			it(`malformed for ${name}`, async () => {
				expect(await codeOf(make(await v2(sampleLog(14), 12, [3, 10])))).toBe('malformed');
			});
		}
	});

	describe('version 1', () => {
		it('still verifies, says it is version 1, and proves no earlier roots', async () => {
			const bundle = viaJson(await buildBundleFrom({ log: sampleLog(9), from: 4, signer: await deviceKeys(), issuedAt: ISSUED, version: 1 }));
			expect(bundle.version).toBe(1);
			expect('consistency' in bundle).toBe(false);
			const verified = await verifyBundle(bundle);
			expect(verified).toMatchObject({ version: 1, treeSize: 9, from: 4, consistency: [] });
		});

		it('ignores a consistency member, which version 1 does not define', async () => {
			const v1 = viaJson(await buildBundleFrom({ log: sampleLog(9), from: 4, signer: await deviceKeys(), issuedAt: ISSUED, version: 1 }));
			const verified = await verifyBundle({ ...v1, consistency: 'anything' });
			expect(verified.consistency).toEqual([]);
		});
	});
});
