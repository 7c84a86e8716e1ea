import { describe, expect, it } from 'vitest';
import { buildBundle, buildBundleFrom, eventLeafHash, prefixFromLeafHashes } from '../../../../src/lib/core/bundle/build';
import { verifyBundle } from '../../../../src/lib/core/bundle/verify';
import { deviceIdOf } from '../../../../src/lib/core/bundle/checkpoint';
import { CompactRange, foldCompactRange } from '../../../../src/lib/core/merkle/compact';
import { emptyRoot } from '../../../../src/lib/core/merkle/hash';
import { bytesToBase64url } from '../../../../src/lib/core/encoding';
import { deviceKeys, sampleLog, viaJson } from './fixtures';

function rootOf(leafHashes: Uint8Array[]): Uint8Array {
	const range = new CompactRange();
	leafHashes.forEach((h) => range.append(h));
	return range.rootHash();
}

describe('buildBundle', () => {
	it('builds a full export that verifies after travelling as JSON text', async () => {
		const signer = await deviceKeys();
		const log = sampleLog(9);
		const bundle = await buildBundle({ events: log, from: 0, prefix: [], signer, issuedAt: '2026-11-02T09:00:00.000Z' });
		const v = await verifyBundle(JSON.stringify(bundle));
		expect(v.deviceId).toBe(await deviceIdOf(signer.publicJwk));
		expect(bundle.log.deviceId).toBe(v.deviceId);
		expect(v.treeSize).toBe(9);
		expect(v.issuedAt).toBe('2026-11-02T09:00:00.000Z');
		expect(v.events).toEqual(log);
		expect(v.leafHashes).toEqual(log.map(eventLeafHash));
		expect(v.rootHash).toEqual(rootOf(log.map(eventLeafHash)));
		expect(v.rootHashB64).toBe(bytesToBase64url(v.rootHash));
	});

	it('writes the spec header: alg ES256, typ casetrail-checkpoint+jws, the public jwk and nothing else', async () => {
		const signer = await deviceKeys();
		const bundle = await buildBundle({ events: sampleLog(2), from: 0, prefix: [], signer });
		const header = JSON.parse(Buffer.from(bundle.checkpoint.split('.')[0]!, 'base64url').toString('utf8'));
		expect(Object.keys(header)).toEqual(['alg', 'typ', 'jwk']);
		expect(header).toEqual({ alg: 'ES256', typ: 'casetrail-checkpoint+jws', jwk: signer.publicJwk });
		expect(Object.keys(header.jwk).sort()).toEqual(['crv', 'kty', 'x', 'y']);
	});

	it('signs the canonical payload {deviceId, issuedAt, rootHash, treeSize} (RFC 8785 key order)', async () => {
		const signer = await deviceKeys();
		const bundle = await buildBundle({ events: sampleLog(3), from: 0, prefix: [], signer, issuedAt: '2026-11-02T09:00:00.000Z' });
		const payload = Buffer.from(bundle.checkpoint.split('.')[1]!, 'base64url').toString('utf8');
		const v = await verifyBundle(bundle);
		expect(payload).toBe(`{"deviceId":"${v.deviceId}","issuedAt":"2026-11-02T09:00:00.000Z","rootHash":"${v.rootHashB64}","treeSize":3}`);
	});

	it('builds an empty full export whose root is SHA-256 of the empty string', async () => {
		const v = await verifyBundle(viaJson(await buildBundle({ events: [], from: 0, prefix: [], signer: await deviceKeys() })));
		expect(v.treeSize).toBe(0);
		expect(v.rootHash).toEqual(emptyRoot());
	});

	it('stamps the current time when no issuedAt is given', async () => {
		const before = Date.now();
		const v = await verifyBundle(await buildBundle({ events: sampleLog(1), from: 0, prefix: [], signer: await deviceKeys() }));
		expect(Date.parse(v.issuedAt)).toBeGreaterThanOrEqual(before - 1000);
		expect(Date.parse(v.issuedAt)).toBeLessThanOrEqual(Date.now() + 1000);
	});

	it('refuses an invalid event with invalid-event', async () => {
		const events = sampleLog(3);
		const broken = { ...events[1]!, timestamp: 'yesterday' };
		await expect(buildBundle({ events: [events[0]!, broken], from: 0, prefix: [], signer: await deviceKeys() })).rejects.toMatchObject({ code: 'invalid-event' });
	});

	it('refuses the same event twice with duplicate-event', async () => {
		const events = sampleLog(2);
		await expect(buildBundle({ events: [...events, events[0]!], from: 0, prefix: [], signer: await deviceKeys() })).rejects.toMatchObject({ code: 'duplicate-event' });
	});

	it('refuses a prefix that is not the compact range of from with size-mismatch', async () => {
		const log = sampleLog(6);
		const prefix = prefixFromLeafHashes(log.map(eventLeafHash), 3);
		await expect(buildBundle({ events: log.slice(3), from: 4, prefix, signer: await deviceKeys() })).rejects.toMatchObject({ code: 'size-mismatch' });
	});
});

describe('prefixFromLeafHashes', () => {
	it('gives one hash per set bit of from, largest subtree first, folding to the root of [0, from)', () => {
		const hashes = sampleLog(40).map(eventLeafHash);
		for (let from = 1; from <= 40; from++) {
			const prefix = prefixFromLeafHashes(hashes, from);
			expect(prefix).toHaveLength(from.toString(2).split('1').length - 1);
			expect(foldCompactRange(prefix)).toEqual(rootOf(hashes.slice(0, from)));
		}
		expect(prefixFromLeafHashes(hashes, 0)).toEqual([]);
		// 6 = 4 + 2: the root of leaves [0, 4) then the root of [4, 6).
		expect(prefixFromLeafHashes(hashes, 6)).toEqual([rootOf(hashes.slice(0, 4)), rootOf(hashes.slice(4, 6))]);
	});

	it('refuses a from beyond the log with out-of-range', () => {
		expect(() => prefixFromLeafHashes([], 1)).toThrow(expect.objectContaining({ code: 'out-of-range' }));
		expect(() => prefixFromLeafHashes([], -1)).toThrow(expect.objectContaining({ code: 'out-of-range' }));
	});
});

describe('buildBundleFrom (export since the last one)', () => {
	it('at every split of logs up to 33 events, the since-bundle verifies and its prefix hashes to the earlier checkpoint root', async () => {
		const signer = await deviceKeys();
		for (const n of [1, 2, 3, 5, 8, 16, 17, 33]) {
			const log = sampleLog(n, n);
			for (let from = 0; from <= n; from++) {
				const earlier = await verifyBundle(JSON.stringify(await buildBundleFrom({ log: log.slice(0, from), from: 0, signer })));
				const since = await verifyBundle(JSON.stringify(await buildBundleFrom({ log, from, signer })));
				expect(since.from).toBe(from);
				expect(since.treeSize).toBe(n);
				expect(since.events).toEqual(log.slice(from));
				expect(since.prefix).toHaveLength(from.toString(2).split('1').length - 1);
				expect(earlier.treeSize).toBe(from);
				const prefixRoot = from === 0 ? emptyRoot() : foldCompactRange(since.prefix);
				expect(prefixRoot).toEqual(earlier.rootHash);
				// The since-bundle signs the same root as a full export of the whole log.
				const full = await verifyBundle(await buildBundleFrom({ log, from: 0, signer }));
				expect(since.rootHash).toEqual(full.rootHash);
			}
		}
	});

	it('refuses a from past the end of the log with out-of-range', async () => {
		await expect(buildBundleFrom({ log: sampleLog(2), from: 3, signer: await deviceKeys() })).rejects.toMatchObject({ code: 'out-of-range' });
	});
});
