/**
 * The device signing key on the encrypted store (issue 14): stored only sealed under the data key,
 * imported into the worker's memory as a non-extractable key while someone is signed in, and
 * forgotten at lock, so a locked device, or a copy of its storage, cannot sign a checkpoint.
 */
import { KeyObject } from 'node:crypto';
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { deviceIdOf, generateDeviceKeys, publicJwkOf, signCheckpoint } from '../../../src/lib/core/bundle/checkpoint';
import { verifyBundle } from '../../../src/lib/core/bundle/verify';
import { bytesToBase64url } from '../../../src/lib/core/encoding';
import type { CasetrailDb } from '../../../src/lib/store/db';
import { openVaultDb } from '../../../src/lib/store/vault';
import { deviceIdentity, deviceSigner } from '../../../src/lib/worker/device';
import { dropDb } from '../store/helpers';
import { asSetUpBeforeRosters, rawRecords } from '../store/vault-helpers';
import { failure, ok, vaultWorker, workerOver } from './helpers';

const ADMIN = { name: 'Alice Admin', passphrase: 'correct horse battery staple' };
let db: CasetrailDb;
afterEach(async () => {
	await dropDb(db);
});

async function signedInWorker() {
	const fresh = vaultWorker();
	db = fresh.db;
	const setUp = await ok(fresh.api.setUp(ADMIN));
	return { api: fresh.api, adminId: setUp.user.id };
}

/** Every value of every record of every object store, read below Dexie and the vault. */
async function rawValues(name: string): Promise<unknown[]> {
	const out: unknown[] = [];
	const walk = (v: unknown): void => {
		out.push(v);
		if (v instanceof Uint8Array || v instanceof CryptoKey) return;
		if (Array.isArray(v)) v.forEach(walk);
		else if (typeof v === 'object' && v !== null) Object.values(v).forEach(walk);
	};
	for (const records of (await rawRecords(name)).values()) records.forEach(walk);
	return out;
}

/** The private scalar d of a P-256 key, whatever its extractable flag (Node reads it below WebCrypto). */
function scalarOf(key: CryptoKey): Uint8Array {
	const jwk = KeyObject.from(key).export({ format: 'jwk' });
	return new Uint8Array(Buffer.from(String(jwk.d), 'base64url'));
}

function containsBytes(haystack: Uint8Array, needle: Uint8Array): boolean {
	return Buffer.from(haystack).indexOf(Buffer.from(needle)) !== -1;
}

describe('the device signing key on the encrypted store', () => {
	it('is nowhere in storage: a raw scan of every store finds no private key and no bytes of its scalar', async () => {
		const { api } = await signedInWorker();
		await ok(api.execute({ type: 'register-individual', givenName: 'Amina', familyName: 'Okello', sex: 'female', dateOfBirth: '1990-03-14' }));
		await ok(api.exportBundle());
		const values = await rawValues(db.name);
		const privateKeys = values.filter((v) => v instanceof CryptoKey && v.type === 'private');
		expect(privateKeys, 'a private CryptoKey is stored').toEqual([]);
		const d = scalarOf((await deviceSigner(db)).privateKey);
		const dText = [Buffer.from(d).toString('hex'), bytesToBase64url(d), Buffer.from(d).toString('base64'), Buffer.from(d).toString('latin1')];
		for (const v of values) {
			if (v instanceof Uint8Array) expect(containsBytes(v, d), 'the scalar is stored as bytes').toBe(false);
			if (typeof v === 'string') for (const t of dText) expect(v.includes(t), 'the scalar is stored as text').toBe(false);
		}
		// The stored key is there, sealed: the device has a key and it is the one that signed.
		const row = await db.keys.get('device');
		expect(row?.sealedPrivateKey).toBeInstanceOf(Uint8Array);
		expect(row?.pkcs8).toBeUndefined();
	});

	it('signs nothing while the vault is locked: export fails, the signer is refused, and nothing stored can sign', async () => {
		const { api } = await signedInWorker();
		await ok(api.execute({ type: 'register-individual', givenName: 'Amina', familyName: 'Okello', sex: 'female', dateOfBirth: '1990-03-14' }));
		await ok(api.exportBundle());
		await ok(api.signOut());

		expect((await failure(api.exportBundle())).code).toBe('not-signed-in');
		// What someone holding the locked device reads: no member of any stored row is a key that signs.
		const signing = (await rawValues(db.name)).filter((v): v is CryptoKey => v instanceof CryptoKey && v.usages.includes('sign'));
		const identity = await deviceIdentity(db);
		const signed: string[] = [];
		for (const key of signing) {
			signed.push(await signCheckpoint({ treeSize: 1, rootHash: new Uint8Array(32), issuedAt: '2026-11-02T09:00:00.000Z' }, { privateKey: key, publicJwk: identity.publicJwk }));
		}
		expect(signed, 'a checkpoint was signed with a stored key while the vault was locked').toEqual([]);
		await expect(deviceSigner(db)).rejects.toMatchObject({ code: 'not-signed-in' });
		expect(await db.exports.count()).toBe(1);
	});

	it('is not made while the vault is locked: there is nothing to seal it under', async () => {
		const { api } = await signedInWorker();
		await ok(api.signOut());
		await expect(deviceIdentity(db)).rejects.toMatchObject({ code: 'not-signed-in' });
		await expect(deviceSigner(db)).rejects.toMatchObject({ code: 'not-signed-in' });
		expect(await db.keys.count()).toBe(0);
	});

	it('is imported non-extractable while signed in, forgotten at lock and imported again at the next sign-in', async () => {
		const { api, adminId } = await signedInWorker();
		const before = await deviceSigner(db);
		expect(before.privateKey.extractable).toBe(false);
		expect(before.privateKey.usages).toEqual(['sign']);
		await expect(globalThis.crypto.subtle.exportKey('pkcs8', before.privateKey)).rejects.toThrow();
		await ok(api.signOut());
		await ok(api.signIn(adminId, ADMIN.passphrase));
		const after = await deviceSigner(db);
		expect(after.privateKey).not.toBe(before.privateKey);
		expect(after.deviceId).toBe(before.deviceId);
		expect(scalarOf(after.privateKey)).toEqual(scalarOf(before.privateKey));
	});

	it('does not open when its sealed bytes are edited on disk: decryption-failed, nothing signed', async () => {
		const { api, adminId } = await signedInWorker();
		await ok(api.execute({ type: 'register-individual', givenName: 'Amina', familyName: 'Okello', sex: 'female', dateOfBirth: '1990-03-14' }));
		await deviceIdentity(db);
		const row = (await db.keys.get('device'))!;
		const sealed = row.sealedPrivateKey!.slice();
		sealed[sealed.length - 1]! ^= 1;
		await db.keys.put({ ...row, sealedPrivateKey: sealed });
		// Another connection, as the worker after a reload: nothing of this session is in its memory.
		const { db: second } = openVaultDb(db.name, { indexedDB, IDBKeyRange });
		try {
			const other = workerOver(second);
			await ok(other.signIn(adminId, ADMIN.passphrase));
			expect((await failure(other.exportBundle())).code).toBe('decryption-failed');
			expect(await second.exports.count()).toBe(0);
		} finally {
			second.close();
		}
	});

	it('keeps the device id of a key made before keys were sealed, and signs with it only while signed in', async () => {
		const { api, adminId } = await signedInWorker();
		const legacy = await generateDeviceKeys();
		const identity = { deviceId: await deviceIdOf(legacy.publicJwk), publicJwk: legacy.publicJwk };
		// A device as the release before sealed keys left it; its first sign-in upgrades it.
		await db.keys.put({ id: 'device', deviceId: identity.deviceId, publicJwk: legacy.publicJwk, privateKey: legacy.privateKey, createdAt: '2026-01-01T00:00:00.000Z' });
		await asSetUpBeforeRosters(db);
		await ok(api.signOut());
		await ok(api.signIn(adminId, ADMIN.passphrase));
		const info = await ok(api.deviceInfo());
		expect(info).toMatchObject({ deviceId: identity.deviceId, legacyKey: true });
		await ok(api.execute({ type: 'register-individual', givenName: 'Amina', familyName: 'Okello', sex: 'female', dateOfBirth: '1990-03-14' }));
		const done = await ok(api.exportBundle());
		expect((await verifyBundle(await done.blob.text())).deviceId).toBe(identity.deviceId);
		await ok(api.signOut());
		expect((await failure(api.exportBundle())).code).toBe('not-signed-in');
		await ok(api.signIn(adminId, ADMIN.passphrase));
		expect((await ok(api.deviceInfo())).deviceId).toBe(identity.deviceId);
		// A data key rotation keeps it the key this device signs with.
		const sam = await ok(api.addUser({ name: 'Sam', role: 'supervisor', secretKind: 'passphrase', secret: 'blue river tea garden' }));
		expect(await ok(api.removeUser(sam.id))).toMatchObject({ rotated: true });
		const after = await ok(api.exportBundle());
		expect((await verifyBundle(await after.blob.text())).deviceId).toBe(identity.deviceId);
	});

	it('signs nothing with a key row replaced on disk by one in clear, whoever holds its private key', async () => {
		for (const replace of ['a stored CryptoKey', 'PKCS#8 bytes'] as const) {
			const { api } = await signedInWorker();
			const theirs = await globalThis.crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
			const publicJwk = await publicJwkOf(theirs.publicKey);
			const deviceId = await deviceIdOf(publicJwk);
			const secret = replace === 'a stored CryptoKey' ? { privateKey: theirs.privateKey } : { pkcs8: new Uint8Array(await globalThis.crypto.subtle.exportKey('pkcs8', theirs.privateKey)) };
			await db.keys.put({ id: 'device', deviceId, publicJwk, createdAt: '2026-01-01T00:00:00.000Z', ...secret });
			await ok(api.execute({ type: 'register-individual', givenName: 'Amina', familyName: 'Okello', sex: 'female', dateOfBirth: '1990-03-14' }));
			const refused = await failure(api.exportBundle());
			expect(refused.code, replace).toBe('decryption-failed');
			expect(await db.exports.count(), replace).toBe(0);
			await dropDb(db);
		}
	});
});
