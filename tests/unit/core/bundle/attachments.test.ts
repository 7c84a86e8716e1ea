/**
 * Attachments in bundle format version 2 (docs/spec/bundle-format-v2.md, "Attachments"): the bytes of
 * every photo or signature the events reference travel in the bundle and are checked against the
 * references' hashes and sizes; a version 1 bundle is read as version 1 always was.
 */
import { describe, expect, it } from 'vitest';
import { attachmentRef } from '../../../../src/lib/core/attachments';
import { buildBundleFrom } from '../../../../src/lib/core/bundle/build';
import { verifyBundle, verifyBundleResult } from '../../../../src/lib/core/bundle/verify';
import type { BundleV2 } from '../../../../src/lib/core/bundle/types';
import { base64urlToBytes, bytesToBase64url } from '../../../../src/lib/core/encoding';
import type { CasetrailEvent } from '../../../../src/lib/core/event';
import { deviceKeys, sampleLog, viaJson } from './fixtures';

const ISSUED = '2026-11-02T09:00:00.000Z';

function image(seed: number, length = 3000): Uint8Array {
	const bytes = new Uint8Array(length);
	bytes.set([0xff, 0xd8, 0xff, 0xe0], 0);
	for (let i = 4; i < length; i++) bytes[i] = (i * 13 + seed) & 0xff;
	return bytes;
}

const photo = image(1);
const signature = image(2, 1200);

/** A log whose events 1 and 4 reference a photo, and event 5 a signature nested in form answers. */
function logWithAttachments(): CasetrailEvent[] {
	const log = sampleLog(6);
	const withPhoto = (e: CasetrailEvent, bytes: Uint8Array, nest = false): CasetrailEvent => {
		const ref = attachmentRef(bytes, 'image/jpeg');
		return { ...e, data: nest ? { ...e.data, answers: { consent: { signature: ref } } } : { ...e.data, photo: ref } };
	};
	log[1] = withPhoto(log[1] as CasetrailEvent, photo);
	log[4] = withPhoto(log[4] as CasetrailEvent, photo);
	log[5] = withPhoto(log[5] as CasetrailEvent, signature, true);
	return log;
}

async function bundleOf(log: CasetrailEvent[], attachments: Uint8Array[], from = 0): Promise<BundleV2> {
	const bundle = viaJson(await buildBundleFrom({ log, from, signer: await deviceKeys(), issuedAt: ISSUED, attachments }));
	if (bundle.version !== 2) throw new Error('expected version 2');
	return bundle;
}

async function codeOf(input: unknown): Promise<string> {
	const r = await verifyBundleResult(input);
	return r.ok ? 'ok' : r.error.code;
}

describe('attachments in bundle format version 2', () => {
	it('carries each referenced attachment once, and verification returns the checked bytes', async () => {
		const bundle = await bundleOf(logWithAttachments(), [photo, signature, image(9)]);
		expect(bundle.attachments?.map((a) => a.sha256)).toEqual([attachmentRef(photo, 'image/jpeg').sha256, attachmentRef(signature, 'image/jpeg').sha256]);
		const verified = await verifyBundle(bundle);
		expect(verified.attachments).toEqual([photo, signature]);
		// Members in the documented order: the checkpoint, signed last, comes last.
		expect(Object.keys(bundle)).toEqual(['format', 'version', 'log', 'events', 'consistency', 'attachments', 'checkpoint']);
	});

	it('carries only what its own events reference: a bundle since the last export without photos has none', async () => {
		const log = logWithAttachments();
		log.push(...sampleLog(8, 1).slice(6));
		const later = await bundleOf(log, [photo, signature], 6);
		expect(later.attachments).toBeUndefined();
		expect((await verifyBundle(later)).attachments).toEqual([]);
	});

	it('refuses an attachment whose bytes were changed (attachment-mismatch)', async () => {
		const bundle = await bundleOf(logWithAttachments(), [photo, signature]);
		const changed = base64urlToBytes(bundle.attachments![0]!.data);
		changed[100] = (changed[100] as number) ^ 0xff;
		const tampered = { ...bundle, attachments: [{ ...bundle.attachments![0]!, data: bytesToBase64url(changed) }, bundle.attachments![1]!] };
		expect(await codeOf(tampered)).toBe('attachment-mismatch');
	});

	it('refuses bytes replaced together with their hash: the signed reference no longer matches (attachment-missing)', async () => {
		const bundle = await bundleOf(logWithAttachments(), [photo, signature]);
		const other = image(7);
		const swapped = { ...bundle, attachments: [{ sha256: attachmentRef(other, 'image/jpeg').sha256, data: bytesToBase64url(other) }, bundle.attachments![1]!] };
		expect(await codeOf(swapped)).toBe('attachment-missing');
	});

	it('refuses a bundle that leaves out a referenced attachment (attachment-missing), or all of them', async () => {
		const bundle = await bundleOf(logWithAttachments(), [photo, signature]);
		expect(await codeOf({ ...bundle, attachments: [bundle.attachments![0]!] })).toBe('attachment-missing');
		const { attachments: _dropped, ...without } = bundle;
		expect(await codeOf(without)).toBe('attachment-missing');
	});

	it('refuses a reference whose size is not the carried length (attachment-mismatch)', async () => {
		const log = logWithAttachments();
		const ref = attachmentRef(photo, 'image/jpeg');
		log[1] = { ...(log[1] as CasetrailEvent), data: { photo: { ...ref, size: ref.size - 1 } } };
		log[4] = { ...(log[4] as CasetrailEvent), data: { photo: { ...ref, size: ref.size - 1 } } };
		// Built by hand: buildBundle would carry the bytes; the sizes are what the signer signed.
		const bundle = await bundleOf(log, [photo, signature]);
		expect(await codeOf(bundle)).toBe('attachment-mismatch');
	});

	it('refuses a malformed attachments member (malformed)', async () => {
		const bundle = await bundleOf(logWithAttachments(), [photo, signature]);
		const first = bundle.attachments![0]!;
		for (const attachments of [
			'not a list',
			[{ sha256: first.sha256.toUpperCase(), data: first.data }],
			[{ sha256: first.sha256, data: first.data + '=' }],
			[first, first],
			[{ sha256: first.sha256 }]
		]) {
			expect(await codeOf({ ...bundle, attachments })).toBe('malformed');
		}
	});

	it('leaves version 1 as it was: its events are checked as version 1 checks them, without attachments', async () => {
		const bundle = viaJson(await buildBundleFrom({ log: logWithAttachments(), from: 0, signer: await deviceKeys(), issuedAt: ISSUED, version: 1 }));
		const verified = await verifyBundle(bundle);
		expect(verified.version).toBe(1);
		expect(verified.attachments).toEqual([]);
	});

	it('is refused by buildBundle when the bytes of a referenced attachment are not given', async () => {
		await expect(bundleOf(logWithAttachments(), [photo])).rejects.toMatchObject({ code: 'attachment-missing' });
	});
});
