/**
 * Checkpoints (signed tree heads): a device signs "my log has `treeSize` leaves and this root" as a
 * compact JWS with ES256, with its public key in the protected header, so anyone can check it offline
 * (spec/bundle-format.md, "Checkpoint"). The device id is the RFC 7638 thumbprint of that key, so no
 * other key can speak for the device.
 *
 * Checkpoints arrive inside bundles and are attacker-controlled: {@link parseCheckpoint} reads the
 * structure without trusting it, and {@link verifyCheckpointSignature} is the only thing that makes
 * its payload believable.
 */
import { CompactSign, calculateJwkThumbprint, compactVerify, importJWK } from 'jose';
import { CasetrailError } from '../errors';
import { canonicalBytes } from '../canonical';
import { base64urlToBytes, bytesToBase64url } from '../encoding';
import { HASH_SIZE } from '../merkle/hash';
import { isIndex } from '../merkle/bits';
import { parseTimestamp } from '../event';
import { brief, isJsonObject, member, parseJson, type JsonObject } from './json';
import { CHECKPOINT_ALG, CHECKPOINT_TYP, type BundleSigner, type CheckpointPayload, type PublicJwk } from './types';

/** Longest checkpoint accepted: a real one is about 600 characters. */
export const MAX_CHECKPOINT_LENGTH = 8192;

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * True when `s` is an ISO 8601 UTC instant naming a real time, read exactly as an event's timestamp
 * is ({@link parseTimestamp}): Date.parse would take 2026-02-30 or 24:00:00.
 */
export function isIsoInstant(s: unknown): s is string {
	return typeof s === 'string' && parseTimestamp(s) !== undefined;
}

/**
 * Decodes base64url (no padding) of exactly `length` bytes, or returns undefined. The decoder accepts
 * only the canonical spelling, so two different strings never stand for the same hash.
 */
export function decodeFixed(s: unknown, length: number): Uint8Array | undefined {
	if (typeof s !== 'string' || s.length !== Math.ceil((length * 4) / 3)) return undefined;
	try {
		const bytes = base64urlToBytes(s);
		return bytes.length === length ? bytes : undefined;
	} catch {
		return undefined;
	}
}

/** Creates the device's key pair: ECDSA P-256 whose private key can never be exported. */
export async function generateDeviceKeys(): Promise<BundleSigner & { publicKey: CryptoKey }> {
	const pair = await globalThis.crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
	return { privateKey: pair.privateKey, publicKey: pair.publicKey, publicJwk: await publicJwkOf(pair.publicKey) };
}

/** The public JWK (kty, crv, x, y only) of a P-256 public CryptoKey. */
export async function publicJwkOf(publicKey: CryptoKey): Promise<PublicJwk> {
	const jwk = await globalThis.crypto.subtle.exportKey('jwk', publicKey);
	const parsed = parsePublicJwk(jwk);
	if (!parsed) throw new TypeError('publicJwkOf requires an ECDSA P-256 public key.');
	return parsed;
}

/** The device id of a public key: its RFC 7638 SHA-256 thumbprint, base64url. */
export function deviceIdOf(jwk: PublicJwk): Promise<string> {
	return calculateJwkThumbprint({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, 'sha256');
}

/** UTF-8 of the RFC 8785 canonical JSON of the payload: the bytes the JWS signs. */
export function checkpointPayloadBytes(payload: CheckpointPayload): Uint8Array {
	const { deviceId, treeSize, rootHash, issuedAt } = payload;
	return canonicalBytes({ deviceId, treeSize, rootHash, issuedAt });
}

/**
 * Signs a checkpoint for a tree of `treeSize` leaves with root `rootHash` (32 bytes). The device id
 * is derived from `signer.publicJwk`; `issuedAt` must be an ISO 8601 UTC instant. Returns the
 * compact JWS.
 */
export async function signCheckpoint(
	tree: { treeSize: number; rootHash: Uint8Array; issuedAt: string },
	signer: BundleSigner
): Promise<string> {
	if (!isIndex(tree.treeSize)) throw new RangeError(`treeSize must be a non-negative safe integer, not ${tree.treeSize}.`);
	if (tree.rootHash.length !== HASH_SIZE) throw new RangeError(`rootHash must be ${HASH_SIZE} bytes, not ${tree.rootHash.length}.`);
	if (!isIsoInstant(tree.issuedAt)) throw new RangeError(`issuedAt must be an ISO 8601 UTC instant, not "${tree.issuedAt}".`);
	const publicJwk = parsePublicJwk(signer.publicJwk);
	if (!publicJwk) throw new TypeError('signer.publicJwk must be a P-256 public JWK (kty, crv, x, y).');
	const payload: CheckpointPayload = {
		deviceId: await deviceIdOf(publicJwk),
		treeSize: tree.treeSize,
		rootHash: bytesToBase64url(tree.rootHash),
		issuedAt: tree.issuedAt
	};
	// Header members in the spec's order; jose writes them as given.
	return new CompactSign(checkpointPayloadBytes(payload))
		.setProtectedHeader({ alg: CHECKPOINT_ALG, typ: CHECKPOINT_TYP, jwk: { ...publicJwk } })
		.sign(signer.privateKey);
}

/** A checkpoint whose structure was read but whose signature is not yet checked. */
export interface ParsedCheckpoint {
	/** The JWS as given. */
	jws: string;
	/** The decoded protected header: untrusted until {@link verifyCheckpointSignature} passes. */
	header: JsonObject;
	payload: CheckpointPayload;
	/** The 32-byte root the payload names. */
	rootHash: Uint8Array;
	/** The decoded signature: untrusted. */
	signature: Uint8Array;
}

/**
 * Reads the structure of a checkpoint without trusting it: three base64url segments, a protected
 * header that is a JSON object, and a payload that is a JSON object with `deviceId` (string),
 * `treeSize` (non-negative safe integer), `rootHash` (base64url of 32 bytes) and `issuedAt`
 * (ISO 8601 UTC). Throws CasetrailError('malformed') otherwise.
 */
export function parseCheckpoint(jws: unknown): ParsedCheckpoint {
	const bad = (why: string): never => {
		throw new CasetrailError('malformed', `The checkpoint ${why}; the bundle was damaged or not written by Casetrail.`);
	};
	if (typeof jws !== 'string') return bad('is not a string');
	if (jws.length > MAX_CHECKPOINT_LENGTH) return bad(`is longer than ${MAX_CHECKPOINT_LENGTH} characters`);
	const parts = jws.split('.');
	if (parts.length !== 3) return bad('is not a JWS in compact serialization (three dot-separated parts)');
	const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
	if (!BASE64URL.test(headerPart) || !BASE64URL.test(payloadPart) || !BASE64URL.test(signaturePart)) {
		return bad('contains characters that are not base64url');
	}
	let signature: Uint8Array;
	try {
		// Strict decoding: a lenient one would let two spellings of one signature both pass.
		signature = base64urlToBytes(signaturePart);
	} catch {
		return bad('signature is not canonical base64url');
	}
	const header = decodeJsonSegment(headerPart, 'protected header');
	const payloadJson = decodeJsonSegment(payloadPart, 'payload');
	if (!isJsonObject(header)) return bad('protected header is not a JSON object');
	if (!isJsonObject(payloadJson)) return bad('payload is not a JSON object');

	const deviceId = member(payloadJson, 'deviceId');
	const treeSize = member(payloadJson, 'treeSize');
	const rootB64 = member(payloadJson, 'rootHash');
	const issuedAt = member(payloadJson, 'issuedAt');
	if (typeof deviceId !== 'string' || deviceId.length === 0) return bad('payload has no deviceId string');
	if (!isIndex(treeSize)) return bad('payload treeSize is not a non-negative integer');
	const rootHash = decodeFixed(rootB64, HASH_SIZE);
	if (!rootHash || typeof rootB64 !== 'string') return bad(`payload rootHash is not base64url of ${HASH_SIZE} bytes`);
	if (!isIsoInstant(issuedAt)) return bad('payload issuedAt is not an ISO 8601 UTC instant');
	return { jws, header, payload: { deviceId, treeSize, rootHash: rootB64, issuedAt }, rootHash, signature };
}

/**
 * Checks that a parsed checkpoint is signed with ES256 by the P-256 key in its own protected header,
 * with the checkpoint `typ`, and returns that key. Throws CasetrailError('bad-signature') otherwise.
 * It says nothing about which device the key belongs to: compare {@link deviceIdOf} of the result
 * with the device id you expect.
 */
export async function verifyCheckpointSignature(parsed: ParsedCheckpoint): Promise<PublicJwk> {
	const { header } = parsed;
	const alg = member(header, 'alg');
	if (alg !== CHECKPOINT_ALG) {
		throw new CasetrailError('bad-signature', `The checkpoint is signed with ${brief(alg)} instead of ${CHECKPOINT_ALG}; it was not made by Casetrail and cannot be trusted.`);
	}
	if (member(header, 'typ') !== CHECKPOINT_TYP) {
		throw new CasetrailError('bad-signature', `The checkpoint header does not have typ "${CHECKPOINT_TYP}"; a signature made for something else cannot vouch for a bundle.`);
	}
	// RFC 7797 unencoded payloads and critical extensions would change what the signature covers.
	if (member(header, 'crit') !== undefined || member(header, 'b64') !== undefined) {
		throw new CasetrailError('bad-signature', 'The checkpoint header uses JWS extensions (crit or b64) that Casetrail checkpoints never use.');
	}
	const publicJwk = parsePublicJwk(member(header, 'jwk'));
	if (!publicJwk) {
		throw new CasetrailError('bad-signature', 'The checkpoint header does not carry a P-256 public key (jwk with kty "EC", crv "P-256", x, y and no private part); the signature cannot be checked.');
	}
	// ES256 signatures are r || s, 32 bytes each (RFC 7518 §3.4), never DER.
	if (parsed.signature.length !== 64) {
		throw new CasetrailError('bad-signature', 'The checkpoint signature is not 64 bytes long, so it cannot be an ES256 signature; do not import the bundle.');
	}
	try {
		const key = await importJWK({ ...publicJwk }, CHECKPOINT_ALG);
		await compactVerify(parsed.jws, key, { algorithms: [CHECKPOINT_ALG] });
	} catch {
		throw new CasetrailError('bad-signature', 'The checkpoint signature does not verify: the bundle was changed after it was signed, or signed with another key. Do not import it; ask for a fresh export.');
	}
	return publicJwk;
}

/**
 * Parses and verifies a checkpoint on its own (outside a bundle): structure, signature, and that the
 * payload's deviceId is the thumbprint of the signing key. Throws CasetrailError with `malformed`,
 * `bad-signature` or `device-mismatch`.
 */
export async function verifyCheckpoint(jws: unknown): Promise<{ payload: CheckpointPayload; rootHash: Uint8Array; publicJwk: PublicJwk }> {
	const parsed = parseCheckpoint(jws);
	const publicJwk = await verifyCheckpointSignature(parsed);
	const thumbprint = await deviceIdOf(publicJwk);
	if (thumbprint !== parsed.payload.deviceId) {
		throw new CasetrailError('device-mismatch', `The checkpoint claims device ${parsed.payload.deviceId} but is signed by the key of device ${thumbprint}; one device cannot sign for another.`);
	}
	return { payload: parsed.payload, rootHash: parsed.rootHash, publicJwk };
}

/** The P-256 public key in `value` reduced to kty, crv, x, y; undefined if it is anything else. */
export function parsePublicJwk(value: unknown): PublicJwk | undefined {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
	const get = (k: string): unknown => (Object.hasOwn(value, k) ? (value as Record<string, unknown>)[k] : undefined);
	// A private part in a header would be a leaked key; refuse it rather than ignore it.
	if (get('d') !== undefined) return undefined;
	const x = get('x');
	const y = get('y');
	if (get('kty') !== 'EC' || get('crv') !== 'P-256') return undefined;
	if (!decodeFixed(x, 32) || !decodeFixed(y, 32) || typeof x !== 'string' || typeof y !== 'string') return undefined;
	return { kty: 'EC', crv: 'P-256', x, y };
}

function decodeJsonSegment(segment: string, what: string): unknown {
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(base64urlToBytes(segment));
	} catch {
		throw new CasetrailError('malformed', `The checkpoint ${what} is not base64url-encoded UTF-8; the bundle was damaged or not written by Casetrail.`);
	}
	return parseJson(text, `The checkpoint ${what}`);
}
