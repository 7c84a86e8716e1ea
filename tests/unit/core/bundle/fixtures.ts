/**
 * Shared fixtures for the bundle tests: a device key, event logs, and a way to sign a checkpoint
 * over any tree so a test can reach the checks that come after the signature.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CasetrailEvent } from '../../../../src/lib/core/event';
import { generateDeviceKeys, signCheckpoint } from '../../../../src/lib/core/bundle/checkpoint';
import type { Bundle, BundleSigner } from '../../../../src/lib/core/bundle/types';
import type { ErrorCode } from '../../../../src/lib/core/errors';

/** tests/vectors/bundles: the project's copy of the bundle-format vectors. */
export const VECTORS_DIR = fileURLToPath(new URL('../../../vectors/bundles/', import.meta.url));

/** The vector files and the verdict expected.json gives each ('ok' or an error code). */
export function bundleVectors(): { file: string; path: string; expected: string }[] {
	const expected = JSON.parse(readFileSync(join(VECTORS_DIR, 'expected.json'), 'utf8')) as Record<string, string>;
	return readdirSync(VECTORS_DIR)
		.filter((f) => f.endsWith('.json') && f !== 'expected.json')
		.sort()
		.map((file) => {
			const verdict = expected[file];
			if (verdict === undefined) throw new Error(`expected.json has no verdict for ${file}`);
			return { file, path: join(VECTORS_DIR, file), expected: verdict };
		});
}

/** Every code verification may reject a bundle with, in the spec's order. */
export const BUNDLE_ERROR_CODES: readonly ErrorCode[] = [
	'malformed',
	'unsupported-format',
	'bad-signature',
	'device-mismatch',
	'size-mismatch',
	'invalid-event',
	'duplicate-event',
	'root-mismatch',
	'bad-consistency-proof'
];

/** A device log of `n` valid, distinct events: individuals, a household, members, updates. */
export function sampleLog(n: number, seed = 0): CasetrailEvent[] {
	const events: CasetrailEvent[] = [];
	const household = `household-${seed}`;
	for (let i = 0; i < n; i++) {
		const guid = `018f6b1e-${String(seed).padStart(4, '0')}-7000-8000-${String(i).padStart(12, '0')}`;
		const timestamp = new Date(Date.UTC(2026, 10, 2, 8, 0, 0) + i * 60_000).toISOString();
		const base = { guid, timestamp, userId: `worker-${i % 3}`, version: 1 };
		if (i === 0) events.push({ ...base, entityGuid: household, type: 'create-group', data: { name: `Household ${seed}`, village: 'Kébémer' } });
		else if (i % 3 === 1) events.push({ ...base, entityGuid: `person-${seed}-${i}`, type: 'create-individual', data: { name: `Person ${i}`, sex: i % 2 ? 'F' : 'M' } });
		else if (i % 3 === 2) events.push({ ...base, entityGuid: household, type: 'add-member', data: { memberGuid: `person-${seed}-${i - 1}`, role: 'child' } });
		else events.push({ ...base, entityGuid: `person-${seed}-${i - 2}`, type: 'update-individual', data: { phone: `+221 77 ${i}` }, context: { reason: 'visit' } });
	}
	return events;
}

let keys: Promise<BundleSigner> | undefined;
let otherKeys: Promise<BundleSigner> | undefined;
/** One device key pair for the whole test file (generating one per test is needless work). */
export function deviceKeys(): Promise<BundleSigner> {
	return (keys ??= generateDeviceKeys());
}
/** A second, unrelated device. */
export function otherDeviceKeys(): Promise<BundleSigner> {
	return (otherKeys ??= generateDeviceKeys());
}

/** Replaces the bundle's checkpoint by a validly signed one over any tree the test wants. */
export async function resign(bundle: Bundle, tree: { treeSize: number; rootHash: Uint8Array }, signer: BundleSigner): Promise<Bundle> {
	const checkpoint = await signCheckpoint({ ...tree, issuedAt: '2026-11-02T09:00:00.000Z' }, signer);
	return { ...bundle, checkpoint };
}

/**
 * A compact ES256 JWS with the checkpoint header of `signer` over `payload` exactly as given, which
 * signCheckpoint would refuse to write (an impossible issuedAt, a member named twice).
 */
export async function signPayloadText(payload: string, signer: BundleSigner): Promise<string> {
	const header = JSON.stringify({ alg: 'ES256', typ: 'casetrail-checkpoint+jws', jwk: signer.publicJwk });
	const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
	const signingInput = `${b64(header)}.${b64(payload)}`;
	// WebCrypto's ECDSA signature is r || s, as ES256 wants (RFC 7518 §3.4).
	const signature = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, signer.privateKey, new TextEncoder().encode(signingInput));
	return `${signingInput}.${Buffer.from(signature).toString('base64url')}`;
}

/** A deep copy through JSON: what a bundle looks like after travelling. */
export function viaJson<T>(value: T): T {
	return JSON.parse(JSON.stringify(value)) as T;
}
