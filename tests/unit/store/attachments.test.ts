import { afterEach, describe, expect, it } from 'vitest';
import { attachmentRef, isAttachmentRef, referencesIn, sniffMediaType } from '../../../src/lib/core/attachments';
import { CasetrailError } from '../../../src/lib/core/errors';
import type { CasetrailEvent } from '../../../src/lib/core/event';
import { leafHash } from '../../../src/lib/core/merkle';
import { canonicalBytes } from '../../../src/lib/core/canonical';
import { generateDataKey } from '../../../src/lib/crypto/keys';
import { appendEvents } from '../../../src/lib/store/append';
import type { CasetrailDb } from '../../../src/lib/store/db';
import { getEntity } from '../../../src/lib/store/read';
import { getAttachment, attachmentBytesUsed } from '../../../src/lib/store/attachments';
import { resealAll, firstCursor, sealCursor, rowsToReseal } from '../../../src/lib/store/rotation';
import { storageKeys } from '../../../src/lib/crypto/seal';
import { at, dropDb, freshDb } from './helpers';
import { ALICE, unlockedVaultDb, rawRecords } from './vault-helpers';

const open: CasetrailDb[] = [];
afterEach(async () => {
	await Promise.all(open.splice(0).map(dropDb));
});

const alice = ALICE;

const setup = (): ReturnType<typeof unlockedVaultDb> => unlockedVaultDb(open);

/** A small JPEG-like image: the JPEG start-of-image marker, a JFIF header and distinct filler. */
function jpeg(seed: number, length = 4096): Uint8Array {
	const bytes = new Uint8Array(length);
	bytes.set([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00], 0);
	for (let i = 11; i < length; i++) bytes[i] = (i * 31 + seed * 7) & 0xff;
	return bytes;
}

let n = 0;
function ev(entityGuid: string, type: string, data: Record<string, unknown>, ms: number): CasetrailEvent {
	n += 1;
	return { guid: `att-${String(n).padStart(6, '0')}`, entityGuid, type, data, timestamp: at(ms), userId: alice.id };
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
	const error = await promise.then(
		() => undefined,
		(e: unknown) => e
	);
	expect(error).toBeInstanceOf(CasetrailError);
	expect((error as CasetrailError).code).toBe(code);
}

/** True when `needle` occurs in `haystack`. */
function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
	outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
		for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
		return true;
	}
	return false;
}

/** Every byte array anywhere in a raw record. */
function byteArrays(value: unknown, out: Uint8Array[] = []): Uint8Array[] {
	if (value instanceof Uint8Array) out.push(value);
	else if (value instanceof ArrayBuffer) out.push(new Uint8Array(value));
	else if (Array.isArray(value)) for (const v of value) byteArrays(v, out);
	else if (typeof value === 'object' && value !== null) for (const v of Object.values(value)) byteArrays(v, out);
	return out;
}

describe('attachment references', () => {
	it('hash the bytes and name their media type and size', () => {
		const bytes = jpeg(1);
		const ref = attachmentRef(bytes, 'image/jpeg');
		expect(ref.size).toBe(bytes.length);
		expect(ref.sha256).toMatch(/^[0-9a-f]{64}$/);
		// SHA-256 of "abc" (FIPS 180-2 example).
		expect(attachmentRef(new TextEncoder().encode('abc'), 'image/png').sha256).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
		expect(isAttachmentRef(ref)).toBe(true);
		expect(sniffMediaType(bytes)).toBe('image/jpeg');
	});

	it('refuse a type that is not an image, empty bytes and anything too large', () => {
		for (const [bytes, type] of [
			[jpeg(1), 'application/pdf'],
			[new Uint8Array(0), 'image/jpeg'],
			[new Uint8Array(8 * 1024 * 1024 + 1), 'image/jpeg']
		] as const) {
			expect(() => attachmentRef(bytes, type)).toThrow(expect.objectContaining({ code: 'validation-failed' }));
		}
	});

	it('are objects of exactly sha256, mediaType and size, found anywhere in the data', () => {
		const ref = attachmentRef(jpeg(2), 'image/jpeg');
		expect(isAttachmentRef({ ...ref, extra: 1 })).toBe(false);
		expect(isAttachmentRef({ ...ref, sha256: ref.sha256.toUpperCase() })).toBe(false);
		expect(isAttachmentRef({ ...ref, mediaType: 'text/html' })).toBe(false);
		expect(isAttachmentRef({ ...ref, size: -1 })).toBe(false);
		const other = attachmentRef(jpeg(3), 'image/jpeg');
		expect(referencesIn({ photo: ref, answers: [{ group: { signature: other } }, { again: ref }] })).toEqual([ref, other]);
	});

	it('are covered by the leaf hash: another photo gives another leaf', () => {
		const e = ev('p-1', 'create-individual', { givenName: 'Amina', photo: attachmentRef(jpeg(4), 'image/jpeg') }, 0);
		const f = { ...e, data: { ...e.data, photo: attachmentRef(jpeg(5), 'image/jpeg') } };
		expect(leafHash(canonicalBytes(e))).not.toEqual(leafHash(canonicalBytes(f)));
	});
});

describe('storing attachments', () => {
	it('stores the bytes with the event that references them, sealed, and reads them back', async () => {
		const { db } = setup();
		const bytes = jpeg(10);
		const ref = attachmentRef(bytes, 'image/jpeg');
		await appendEvents(db, [ev('p-1', 'create-individual', { givenName: 'Amina', photo: ref }, 0)], { attachments: [bytes] });
		expect((await getEntity(db, 'p-1'))?.data.photo).toEqual(ref);
		expect(await getAttachment(db, ref.sha256)).toEqual(bytes);
		expect(await attachmentBytesUsed(db)).toEqual({ count: 1, bytes: bytes.length });
	});

	it('seals the same way nested in a caller\'s transaction (an import), where only synchronous ciphers may run', async () => {
		const { db } = setup();
		const bytes = jpeg(20);
		const ref = attachmentRef(bytes, 'image/jpeg');
		await db.transaction('rw', db.tables, () => appendEvents(db, [ev('p-9', 'create-individual', { givenName: 'Juma', photo: ref }, 0)], { attachments: [bytes] }));
		expect(await getAttachment(db, ref.sha256)).toEqual(bytes);
		const raw = (await rawRecords(db.name)).get('attachments') as { sealed: Uint8Array }[];
		expect(raw[0]?.sealed.length).toBe(bytes.length + 28);
	});

	it('leaves no image bytes in clear on disk, signed in or locked (no JPEG header in any raw record)', async () => {
		const { db, vault } = setup();
		const bytes = jpeg(11, 20_000);
		const ref = attachmentRef(bytes, 'image/jpeg');
		await appendEvents(db, [ev('p-1', 'create-individual', { givenName: 'Amina', photo: ref }, 0)], { attachments: [bytes] });
		vault.lock();
		const header = new Uint8Array([0xff, 0xd8, 0xff, 0xe0]);
		const body = bytes.subarray(1000, 1032);
		const raw = await rawRecords(db.name);
		expect(raw.get('attachments')).toHaveLength(1);
		for (const [store, records] of raw) {
			for (const array of byteArrays(records)) {
				expect(contains(array, header), `JPEG header in ${store}`).toBe(false);
				expect(contains(array, body), `image bytes in ${store}`).toBe(false);
			}
		}
		await expectCode(getAttachment(db, ref.sha256), 'not-signed-in');
	});

	it('the same scan finds the image bytes in a database without a vault (the scan can fail)', async () => {
		const db = freshDb();
		open.push(db);
		const bytes = jpeg(12);
		await appendEvents(db, [ev('p-1', 'create-individual', { givenName: 'Amina', photo: attachmentRef(bytes, 'image/jpeg') }, 0)], { attachments: [bytes] });
		const arrays = byteArrays(await rawRecords(db.name).then((r) => r.get('attachments')));
		expect(arrays.some((a) => contains(a, new Uint8Array([0xff, 0xd8, 0xff, 0xe0])))).toBe(true);
	});

	it('refuses an event whose attachment is neither given nor stored, and stores nothing', async () => {
		const { db } = setup();
		const ref = attachmentRef(jpeg(13), 'image/jpeg');
		await expectCode(appendEvents(db, [ev('p-1', 'create-individual', { givenName: 'Amina', photo: ref }, 0)]), 'attachment-missing');
		expect(await db.events.count()).toBe(0);
		expect(await db.entities.count()).toBe(0);
		expect(await db.attachments.count()).toBe(0);
	});

	it('refuses a reference whose size is not the size of the bytes, and stores nothing', async () => {
		const { db } = setup();
		const bytes = jpeg(14);
		const ref = { ...attachmentRef(bytes, 'image/jpeg'), size: bytes.length + 1 };
		await expectCode(appendEvents(db, [ev('p-1', 'create-individual', { givenName: 'Amina', photo: ref }, 0)], { attachments: [bytes] }), 'attachment-mismatch');
		expect(await db.events.count()).toBe(0);
		expect(await db.attachments.count()).toBe(0);
	});

	it('lets a later event reference stored bytes without giving them again, and checks their size', async () => {
		const { db } = setup();
		const bytes = jpeg(15);
		const ref = attachmentRef(bytes, 'image/jpeg');
		await appendEvents(db, [ev('p-1', 'create-individual', { givenName: 'Amina', photo: ref }, 0)], { attachments: [bytes] });
		await appendEvents(db, [ev('p-2', 'create-individual', { givenName: 'Zawadi', photo: ref }, 1000)]);
		expect(await db.attachments.count()).toBe(1);
		await expectCode(appendEvents(db, [ev('p-3', 'create-individual', { givenName: 'Juma', photo: { ...ref, size: 3 } }, 2000)]), 'attachment-mismatch');
		expect(await db.events.count()).toBe(2);
	});

	it('does not store given bytes that no event references', async () => {
		const { db } = setup();
		await appendEvents(db, [ev('p-1', 'create-individual', { givenName: 'Amina' }, 0)], { attachments: [jpeg(16)] });
		expect(await db.attachments.count()).toBe(0);
	});

	it('a sealed attachment moved to another hash, or edited on disk, does not open', async () => {
		const { db } = setup();
		const a = jpeg(17);
		const b = jpeg(18);
		const refA = attachmentRef(a, 'image/jpeg');
		const refB = attachmentRef(b, 'image/jpeg');
		await appendEvents(db, [ev('p-1', 'create-individual', { givenName: 'Amina', photo: refA }, 0), ev('p-2', 'create-individual', { givenName: 'Juma', photo: refB }, 1)], { attachments: [a, b] });
		const raw = (await rawRecords(db.name)).get('attachments') as { sha256: string; sealed: Uint8Array }[];
		const sealedA = raw.find((r) => r.sha256 === refA.sha256)!.sealed;
		await rawPut(db.name, 'attachments', { ...raw.find((r) => r.sha256 === refB.sha256)!, sealed: sealedA });
		await expectCode(getAttachment(db, refB.sha256), 'decryption-failed');
		const flipped = new Uint8Array(sealedA);
		flipped[40] = (flipped[40] as number) ^ 1;
		await rawPut(db.name, 'attachments', { ...raw.find((r) => r.sha256 === refA.sha256)!, sealed: flipped });
		await expectCode(getAttachment(db, refA.sha256), 'decryption-failed');
	});

	it('a data key rotation re-seals attachments under the new key', async () => {
		const { db, vault, key } = setup();
		const bytes = jpeg(19);
		const ref = attachmentRef(bytes, 'image/jpeg');
		await appendEvents(db, [ev('p-1', 'create-individual', { givenName: 'Amina', photo: ref }, 0)], { attachments: [bytes] });
		const next = generateDataKey();
		const total = await rowsToReseal(db);
		await db.meta.put({ key: 'rotation', value: sealCursor(storageKeys(next), firstCursor(total)) });
		await resealAll(db, key, next);
		vault.unlock(alice, next);
		expect(await getAttachment(db, ref.sha256)).toEqual(bytes);
	});
});

async function rawPut(name: string, store: string, value: unknown): Promise<void> {
	const { indexedDB } = await import('fake-indexeddb');
	const idb = await new Promise<IDBDatabase>((resolve, reject) => {
		const req = indexedDB.open(name);
		req.onsuccess = () => resolve(req.result);
		req.onerror = () => reject(req.error);
	});
	try {
		await new Promise<void>((resolve, reject) => {
			const tx = idb.transaction(store, 'readwrite');
			tx.objectStore(store).put(value);
			tx.oncomplete = () => resolve();
			tx.onerror = () => reject(tx.error);
		});
	} finally {
		idb.close();
	}
}
