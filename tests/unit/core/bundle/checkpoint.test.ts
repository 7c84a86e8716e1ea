import { describe, expect, it } from 'vitest';
import { calculateJwkThumbprint, CompactSign } from 'jose';
import {
	deviceIdOf,
	generateDeviceKeys,
	parseCheckpoint,
	parsePublicJwk,
	signCheckpoint,
	verifyCheckpoint,
	verifyCheckpointSignature
} from '../../../../src/lib/core/bundle/checkpoint';
import { bytesToBase64url } from '../../../../src/lib/core/encoding';
import { deviceKeys, otherDeviceKeys } from './fixtures';

const ROOT = new Uint8Array(32).map((_, i) => i);
const ISSUED = '2026-11-02T09:00:00.000Z';
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/** A compact JWS over any header and payload text, signed by `privateKey`. */
async function rawJws(header: object, payload: string, privateKey: CryptoKey): Promise<string> {
	return new CompactSign(new TextEncoder().encode(payload)).setProtectedHeader(header as never).sign(privateKey);
}

describe('generateDeviceKeys', () => {
	it('makes a P-256 key pair whose private key cannot be exported', async () => {
		const keys = await generateDeviceKeys();
		expect(keys.privateKey.extractable).toBe(false);
		expect(keys.privateKey.algorithm).toMatchObject({ name: 'ECDSA', namedCurve: 'P-256' });
		await expect(globalThis.crypto.subtle.exportKey('jwk', keys.privateKey)).rejects.toThrow();
		expect(Object.keys(keys.publicJwk).sort()).toEqual(['crv', 'kty', 'x', 'y']);
	});
});

describe('deviceIdOf', () => {
	it('is the RFC 7638 SHA-256 thumbprint of the public key', async () => {
		const { publicJwk } = await deviceKeys();
		expect(await deviceIdOf(publicJwk)).toBe(await calculateJwkThumbprint(publicJwk, 'sha256'));
		expect(await deviceIdOf(publicJwk)).toMatch(/^[A-Za-z0-9_-]{43}$/);
	});

	it('hashes exactly the required EC members in lexicographic order, {"crv","kty","x","y"} (RFC 7638 §3.2)', async () => {
		const jwk = { kty: 'EC' as const, crv: 'P-256' as const, x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' };
		const expected = Buffer.from(
			await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(`{"crv":"P-256","kty":"EC","x":"${jwk.x}","y":"${jwk.y}"}`))
		).toString('base64url');
		expect(await deviceIdOf(jwk)).toBe(expected);
	});
});

describe('signCheckpoint and verifyCheckpoint', () => {
	it('round-trips the tree size, root and time, and names the signing device', async () => {
		const signer = await deviceKeys();
		const jws = await signCheckpoint({ treeSize: 42, rootHash: ROOT, issuedAt: ISSUED }, signer);
		const { payload, rootHash, publicJwk } = await verifyCheckpoint(jws);
		expect(payload).toEqual({ deviceId: await deviceIdOf(signer.publicJwk), treeSize: 42, rootHash: bytesToBase64url(ROOT), issuedAt: ISSUED });
		expect(rootHash).toEqual(ROOT);
		expect(publicJwk).toEqual(signer.publicJwk);
	});

	it('refuses to sign a bad tree size, root or time', async () => {
		const signer = await deviceKeys();
		await expect(signCheckpoint({ treeSize: -1, rootHash: ROOT, issuedAt: ISSUED }, signer)).rejects.toThrow(RangeError);
		await expect(signCheckpoint({ treeSize: 1, rootHash: ROOT.slice(1), issuedAt: ISSUED }, signer)).rejects.toThrow(RangeError);
		await expect(signCheckpoint({ treeSize: 1, rootHash: ROOT, issuedAt: 'now' }, signer)).rejects.toThrow(RangeError);
	});

	it('rejects a payload signed by another key with bad-signature', async () => {
		const signer = await deviceKeys();
		const other = await otherDeviceKeys();
		const jws = await signCheckpoint({ treeSize: 1, rootHash: ROOT, issuedAt: ISSUED }, signer);
		const forged = await signCheckpoint({ treeSize: 1, rootHash: ROOT, issuedAt: ISSUED }, { privateKey: other.privateKey, publicJwk: signer.publicJwk });
		expect(forged.split('.')[0]).toBe(jws.split('.')[0]);
		await expect(verifyCheckpoint(forged)).rejects.toMatchObject({ code: 'bad-signature' });
	});

	it('rejects a payload changed after signing with bad-signature', async () => {
		const signer = await deviceKeys();
		const jws = await signCheckpoint({ treeSize: 1, rootHash: ROOT, issuedAt: ISSUED }, signer);
		const [h, p, s] = jws.split('.') as [string, string, string];
		const changed = b64(Buffer.from(p, 'base64url').toString('utf8').replace('"treeSize":1', '"treeSize":2'));
		await expect(verifyCheckpoint(`${h}.${changed}.${s}`)).rejects.toMatchObject({ code: 'bad-signature' });
	});

	it('rejects a signature by the header key whose payload names another device with device-mismatch', async () => {
		const signer = await deviceKeys();
		const other = await otherDeviceKeys();
		const payload = JSON.stringify({ deviceId: await deviceIdOf(other.publicJwk), treeSize: 1, rootHash: bytesToBase64url(ROOT), issuedAt: ISSUED });
		const jws = await rawJws({ alg: 'ES256', typ: 'casetrail-checkpoint+jws', jwk: signer.publicJwk }, payload, signer.privateKey);
		await expect(verifyCheckpoint(jws)).rejects.toMatchObject({ code: 'device-mismatch' });
	});

	describe('when the header is not a Casetrail ES256 header', () => {
		const cases: [string, (jwk: object) => object][] = [
			['alg none', (jwk) => ({ alg: 'none', typ: 'casetrail-checkpoint+jws', jwk })],
			['alg HS256', (jwk) => ({ alg: 'HS256', typ: 'casetrail-checkpoint+jws', jwk })],
			['no typ', (jwk) => ({ alg: 'ES256', jwk })],
			['another typ', (jwk) => ({ alg: 'ES256', typ: 'JWT', jwk })],
			['no jwk', () => ({ alg: 'ES256', typ: 'casetrail-checkpoint+jws' })],
			['a P-384 jwk', (jwk) => ({ alg: 'ES256', typ: 'casetrail-checkpoint+jws', jwk: { ...jwk, crv: 'P-384' } })],
			['an RSA jwk', () => ({ alg: 'ES256', typ: 'casetrail-checkpoint+jws', jwk: { kty: 'RSA', n: 'AQAB', e: 'AQAB' } })],
			['a jwk with its private part', (jwk) => ({ alg: 'ES256', typ: 'casetrail-checkpoint+jws', jwk: { ...jwk, d: bytesToBase64url(ROOT) } })],
			['a jwk whose point is not on the curve', (jwk) => ({ alg: 'ES256', typ: 'casetrail-checkpoint+jws', jwk: { ...jwk, y: bytesToBase64url(ROOT) } })],
			['a crit member', (jwk) => ({ alg: 'ES256', typ: 'casetrail-checkpoint+jws', jwk, crit: ['b64'], b64: false })]
		];
		for (const [name, header] of cases) {
			it(`rejects ${name} with bad-signature`, async () => {
				const signer = await deviceKeys();
				const good = await signCheckpoint({ treeSize: 1, rootHash: ROOT, issuedAt: ISSUED }, signer);
				const [, p, s] = good.split('.') as [string, string, string];
				const jws = `${b64(JSON.stringify(header(signer.publicJwk)))}.${p}.${s}`;
				await expect(verifyCheckpoint(jws)).rejects.toMatchObject({ code: 'bad-signature' });
			});
		}

		it('rejects a DER-encoded (non 64-byte) signature with bad-signature', async () => {
			const signer = await deviceKeys();
			const [h, p] = (await signCheckpoint({ treeSize: 1, rootHash: ROOT, issuedAt: ISSUED }, signer)).split('.') as [string, string];
			await expect(verifyCheckpoint(`${h}.${p}.${bytesToBase64url(new Uint8Array(70))}`)).rejects.toMatchObject({ code: 'bad-signature' });
		});
	});

	describe('when the JWS or its payload does not have the checkpoint shape', () => {
		const payloadCases: [string, unknown][] = [
			['an array payload', [1, 2]],
			['no deviceId', { treeSize: 1, rootHash: bytesToBase64url(ROOT), issuedAt: ISSUED }],
			['a string treeSize', { deviceId: 'd', treeSize: '1', rootHash: bytesToBase64url(ROOT), issuedAt: ISSUED }],
			['a negative treeSize', { deviceId: 'd', treeSize: -1, rootHash: bytesToBase64url(ROOT), issuedAt: ISSUED }],
			['a fractional treeSize', { deviceId: 'd', treeSize: 1.5, rootHash: bytesToBase64url(ROOT), issuedAt: ISSUED }],
			['a 31-byte rootHash', { deviceId: 'd', treeSize: 1, rootHash: bytesToBase64url(ROOT.slice(1)), issuedAt: ISSUED }],
			['a hex rootHash', { deviceId: 'd', treeSize: 1, rootHash: Buffer.from(ROOT).toString('hex'), issuedAt: ISSUED }],
			['an issuedAt that is not an instant', { deviceId: 'd', treeSize: 1, rootHash: bytesToBase64url(ROOT), issuedAt: 'Monday' }],
			// Issue 13: Date.parse rolls these over to another instant; an event's timestamp refuses them.
			['an issuedAt of 30 February', { deviceId: 'd', treeSize: 1, rootHash: bytesToBase64url(ROOT), issuedAt: '2026-02-30T00:00:00Z' }],
			['an issuedAt of 29 February in a common year', { deviceId: 'd', treeSize: 1, rootHash: bytesToBase64url(ROOT), issuedAt: '2026-02-29T12:00:00.000Z' }],
			['an issuedAt of 31 April', { deviceId: 'd', treeSize: 1, rootHash: bytesToBase64url(ROOT), issuedAt: '2026-04-31T08:00:00Z' }],
			['an issuedAt at 24:00:00', { deviceId: 'd', treeSize: 1, rootHash: bytesToBase64url(ROOT), issuedAt: '2026-11-02T24:00:00Z' }],
			['an issuedAt with a leap second', { deviceId: 'd', treeSize: 1, rootHash: bytesToBase64url(ROOT), issuedAt: '2026-12-31T23:59:60Z' }],
			['an issuedAt with a two-digit-era year', { deviceId: 'd', treeSize: 1, rootHash: bytesToBase64url(ROOT), issuedAt: '0026-11-02T09:00:00Z' }]
		];
		for (const [name, payload] of payloadCases) {
			it(`rejects ${name} with malformed`, async () => {
				const signer = await deviceKeys();
				const jws = await rawJws({ alg: 'ES256', typ: 'casetrail-checkpoint+jws', jwk: signer.publicJwk }, JSON.stringify(payload), signer.privateKey);
				await expect(verifyCheckpoint(jws)).rejects.toMatchObject({ code: 'malformed' });
			});
		}

		// Issue 13 (RFC 8785 takes I-JSON input, RFC 7493 §2.3): a verifier that kept the first of two
		// members would read another checkpoint from the same signed bytes. The last of each pair is the
		// honest value, so a parser that keeps the last would accept every one of these.
		const header = (jwk: object) => JSON.stringify({ alg: 'ES256', typ: 'casetrail-checkpoint+jws', jwk });
		const payload = (deviceId: string) => JSON.stringify({ deviceId, treeSize: 1, rootHash: bytesToBase64url(ROOT), issuedAt: ISSUED });
		const twiceCases: [string, (jwk: object, deviceId: string) => [string, string]][] = [
			['its header names alg twice', (jwk, id) => [header(jwk).replace('"alg":', '"alg":"none","alg":'), payload(id)]],
			['its header key names x twice', (jwk, id) => [header(jwk).replace('"x":', `"x":"${bytesToBase64url(ROOT)}","x":`), payload(id)]],
			['its payload names treeSize twice', (jwk, id) => [header(jwk), payload(id).replace('"treeSize":', '"treeSize":1000,"treeSize":')]],
			['its payload names issuedAt twice, once escaped', (jwk, id) => [header(jwk), payload(id).replace('"issuedAt":', '"issuedAt":"2020-01-01T00:00:00Z","\\u0069ssuedAt":')]]
		];
		for (const [name, make] of twiceCases) {
			it(`rejects a signed checkpoint whose ${name.slice(4)} with malformed`, async () => {
				const signer = await deviceKeys();
				const [h, p] = make(signer.publicJwk, await deviceIdOf(signer.publicJwk));
				const signingInput = `${b64(h)}.${b64(p)}`;
				// WebCrypto's ECDSA signature is r || s, as ES256 wants (RFC 7518 §3.4).
				const signature = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, signer.privateKey, new TextEncoder().encode(signingInput));
				await expect(verifyCheckpoint(`${signingInput}.${bytesToBase64url(new Uint8Array(signature))}`)).rejects.toMatchObject({ code: 'malformed' });
			});
		}

		it('accepts the same signed checkpoint when no member is named twice', async () => {
			const signer = await deviceKeys();
			const signingInput = `${b64(header(signer.publicJwk))}.${b64(payload(await deviceIdOf(signer.publicJwk)))}`;
			const signature = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, signer.privateKey, new TextEncoder().encode(signingInput));
			await expect(verifyCheckpoint(`${signingInput}.${bytesToBase64url(new Uint8Array(signature))}`)).resolves.toMatchObject({ payload: { treeSize: 1, issuedAt: ISSUED } });
		});

		for (const jws of [undefined, 42, '', 'a.b', 'a.b.c.d', 'e30.e30.!!', '%%%.e30.AA', `${b64('{')}.${b64('{}')}.AA`, 'x'.repeat(10_000)]) {
			it(`rejects ${JSON.stringify(jws)?.slice(0, 30)} with malformed`, () => {
				expect(() => parseCheckpoint(jws)).toThrow(expect.objectContaining({ code: 'malformed' }));
			});
		}

		it('rejects a non-canonical spelling of the signature with malformed', async () => {
			const signer = await deviceKeys();
			const jws = await signCheckpoint({ treeSize: 1, rootHash: ROOT, issuedAt: ISSUED }, signer);
			// 64 bytes take 86 characters; the last one carries 2 unused bits, which must be zero.
			const last = jws.at(-1)!;
			const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
			const twin = alphabet[alphabet.indexOf(last) + 1]!;
			expect(() => parseCheckpoint(jws.slice(0, -1) + twin)).toThrow(expect.objectContaining({ code: 'malformed' }));
			await expect(verifyCheckpointSignature(parseCheckpoint(jws))).resolves.toEqual(signer.publicJwk);
		});
	});
});

describe('parsePublicJwk', () => {
	it('keeps only kty, crv, x, y of a P-256 public key', async () => {
		const { publicJwk } = await deviceKeys();
		expect(parsePublicJwk({ ...publicJwk, kid: 'k', use: 'sig' })).toEqual(publicJwk);
	});

	it('refuses anything else', async () => {
		const { publicJwk } = await deviceKeys();
		for (const bad of [null, [], 'jwk', { ...publicJwk, kty: 'OKP' }, { ...publicJwk, x: 'short' }, { ...publicJwk, d: 'x' }, Object.create(publicJwk)]) {
			expect(parsePublicJwk(bad)).toBeUndefined();
		}
	});
});
