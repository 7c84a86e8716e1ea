/**
 * Photos through the worker (issue 17): handed over, saved with the record that references them,
 * exported in the bundle, verified and imported on another device; a bundle whose photo was changed
 * or left out is refused and changes nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AttachmentRef } from '../../../src/lib/core/attachments';
import type { BundleV2 } from '../../../src/lib/core/bundle/types';
import { base64urlToBytes, bytesToBase64url } from '../../../src/lib/core/encoding';
import { device, dropDevices, exportText, failure, ok, snapshot, user } from './exchange-helpers';
import { answerOfRef } from '../../../src/lib/core/attachments';
import { parseXForm } from '../../../src/lib/core/forms/parse';

const PHOTO_FORM = `<?xml version="1.0"?>
<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml" xmlns:odk="http://www.opendatakit.org/xforms">
  <h:head>
    <h:title>Shelter photo</h:title>
    <model odk:xforms-version="1.0.0">
      <instance><data id="shelter_photo" version="1"><photo/><where/><meta><instanceID/></meta></data></instance>
      <bind nodeset="/data/photo" type="binary" required="true()"/>
      <bind nodeset="/data/where" type="geopoint"/>
      <bind calculate="concat('uuid:', uuid())" nodeset="/data/meta/instanceID" readonly="true()" type="string"/>
    </model>
  </h:head>
  <h:body>
    <upload mediatype="image/*" ref="/data/photo"><label>Photo of the shelter</label></upload>
    <input ref="/data/where"><label>Where?</label></input>
  </h:body>
</h:html>`;

afterEach(dropDevices);

function jpeg(seed: number, length = 5000): Uint8Array {
	const bytes = new Uint8Array(length);
	bytes.set([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00], 0);
	for (let i = 11; i < length; i++) bytes[i] = (i * 17 + seed) & 0xff;
	return bytes;
}

const PERSON = { type: 'register-individual', givenName: 'Amina', familyName: 'Yusuf', sex: 'female', dateOfBirth: '1990-02-03' } as const;

describe('photos of individuals', () => {
	it('are handed over, saved with the registration and read back for the record', async () => {
		const a = device();
		const bytes = jpeg(1);
		const ref = await ok(a.api.stageAttachment(bytes, 'image/jpeg'));
		const done = await ok(a.api.execute({ ...PERSON, photo: ref }));
		expect(done.entity?.data.photo).toEqual(ref);
		const shown = await ok(a.api.attachment(done.entity!.guid, ref.sha256));
		expect(shown.bytes).toEqual(bytes);
		expect(shown.mediaType).toBe('image/jpeg');
	});

	it('are shown only to who may see the record, and only for an image the record references', async () => {
		const a = device();
		const ref = await ok(a.api.stageAttachment(jpeg(40), 'image/jpeg'));
		const done = await ok(a.api.execute({ ...PERSON, photo: ref }));
		const other = await ok(a.api.execute({ ...PERSON, givenName: 'Juma' }));
		// Another record does not lend its photo: the photo is asked for through the record it is on.
		expect((await failure(a.api.attachment(other.entity!.guid, ref.sha256))).code).toBe('not-found');
		a.signIn(user('cw-1', 'case-worker'));
		expect((await failure(a.api.attachment(done.entity!.guid, ref.sha256))).code).toBe('forbidden');
	});

	it('refuses bytes that are not the image their type says, and a type that is not an image', async () => {
		const a = device();
		expect((await failure(a.api.stageAttachment(new TextEncoder().encode('<svg onload=alert(1)>'), 'image/png'))).code).toBe('validation-failed');
		expect((await failure(a.api.stageAttachment(jpeg(2), 'image/svg+xml'))).code).toBe('validation-failed');
	});

	it('refuses a registration whose photo was never handed over, and stores nothing', async () => {
		const a = device();
		const ref: AttachmentRef = { sha256: 'ab'.repeat(32), mediaType: 'image/jpeg', size: 10 };
		// meta apart: a refused append counts its events as failed there. The device key first.
		await ok(a.api.deviceInfo());
		const before = await snapshot(a.ctx.db, ['meta']);
		expect((await failure(a.api.execute({ ...PERSON, photo: ref }))).code).toBe('attachment-missing');
		expect(await snapshot(a.ctx.db, ['meta'])).toEqual(before);
		expect(await a.ctx.db.events.count()).toBe(0);
	});

	it('refuses a photo field that is not a reference', async () => {
		const a = device();
		const refused = await failure(a.api.execute({ ...PERSON, photo: 'data:image/jpeg;base64,/9j/' }));
		expect(refused.code).toBe('validation-failed');
		expect(refused.fields?.photo).toBeDefined();
	});

	it('is replaced by an edit, and the record keeps the old photo in its history', async () => {
		const a = device();
		const first = await ok(a.api.stageAttachment(jpeg(3), 'image/jpeg'));
		const done = await ok(a.api.execute({ ...PERSON, photo: first }));
		const second = await ok(a.api.stageAttachment(jpeg(4), 'image/jpeg'));
		const edited = await ok(a.api.execute({ type: 'update-entity', entityGuid: done.entity!.guid, changes: { photo: second }, reason: 'New photo' }));
		expect(edited.entity?.data.photo).toEqual(second);
		expect((await ok(a.api.attachment(done.entity!.guid, first.sha256))).bytes).toEqual(jpeg(3));
		expect(await a.ctx.db.attachments.count()).toBe(2);
	});
});

describe('photos in form submissions', () => {
	it('are saved with the submission that answers an image question, and refused when never handed over', async () => {
		const a = device();
		const person = await ok(a.api.execute({ ...PERSON }));
		await ok(a.api.publishForm({ ...parseXForm(PHOTO_FORM).definition, purpose: { kind: 'event', eventType: 'visit-recorded' } }));
		const missing = { sha256: 'cd'.repeat(32), mediaType: 'image/jpeg', size: 99 } as const;
		const base = { formId: 'shelter_photo', version: '1', entityGuid: person.entity!.guid };
		expect((await failure(a.api.submitForm({ ...base, answers: { photo: answerOfRef(missing) } }))).code).toBe('attachment-missing');
		const bytes = jpeg(30);
		const ref = await ok(a.api.stageAttachment(bytes, 'image/jpeg'));
		const done = await ok(a.api.submitForm({ ...base, answers: { photo: answerOfRef(ref), where: '14.7 -17.4 0 20' } }));
		expect(done.event.data).toEqual({ photo: ref, where: { latitude: 14.7, longitude: -17.4, accuracy: 20 } });
		expect((await ok(a.api.attachment(person.entity!.guid, ref.sha256))).bytes).toEqual(bytes);
	});
});

describe('photos in bundles', () => {
	async function withPhoto() {
		const a = device('supervisor', 'sup-a');
		const bytes = jpeg(5, 40_000);
		const ref = await ok(a.api.stageAttachment(bytes, 'image/jpeg'));
		const done = await ok(a.api.execute({ ...PERSON, photo: ref }));
		const exported = await exportText(a);
		return { a, bytes, ref, guid: done.entity!.guid, exported, bundle: JSON.parse(exported.text) as BundleV2 };
	}

	it('are exported with the events that reference them and imported on another device, where the same photo shows', async () => {
		const { bytes, ref, guid, exported, bundle } = await withPhoto();
		expect(bundle.attachments).toEqual([{ sha256: ref.sha256, data: bytesToBase64url(bytes) }]);
		expect(exported.length).toBe(exported.text.length);
		const b = device('supervisor', 'sup-b');
		const summary = await ok(b.api.inspectBundle(exported.text));
		expect(summary.valid).toBe(true);
		const imported = await ok(b.api.importBundle(exported.text));
		expect(imported.appended).toBeGreaterThan(0);
		expect((await ok(b.api.entity(guid))).entity.data.photo).toEqual(ref);
		expect((await ok(b.api.attachment(guid, ref.sha256))).bytes).toEqual(bytes);
	});

	it('refuses a bundle whose photo was changed, or left out, and stores nothing', async () => {
		const { exported, bundle } = await withPhoto();
		const b = device('supervisor', 'sup-b');
		// The device's own key is made when it first reads a bundle; meta counts refused events.
		await ok(b.api.deviceInfo());
		const before = await snapshot(b.ctx.db, ['meta']);
		const changed = base64urlToBytes(bundle.attachments![0]!.data);
		changed[5000] = (changed[5000] as number) ^ 1;
		const tampered = JSON.stringify({ ...bundle, attachments: [{ ...bundle.attachments![0]!, data: bytesToBase64url(changed) }] });
		expect((await failure(b.api.importBundle(tampered))).code).toBe('attachment-mismatch');
		const { attachments: _left, ...without } = bundle;
		expect((await failure(b.api.importBundle(JSON.stringify(without)))).code).toBe('attachment-missing');
		expect(await snapshot(b.ctx.db, ['meta'])).toEqual(before);
		expect(await b.ctx.db.attachments.count()).toBe(0);
		expect(exported.text).toContain('"attachments"');
	});
});

describe('location of a change', () => {
	it('is written into the metadata of each event, rounded, when the page gives a position', async () => {
		const a = device();
		const done = await ok(a.api.execute({ ...PERSON }, { location: { latitude: 14.69280004, longitude: -17.4467, accuracy: 12.4 } }));
		expect(done.events[0]?.metadata?.location).toEqual({ latitude: 14.6928, longitude: -17.4467, accuracy: 12 });
	});

	it('refuses a position out of range or with other members, and stores nothing', async () => {
		const a = device();
		for (const location of [{ latitude: 91, longitude: 0 }, { latitude: 0, longitude: -181 }, { latitude: 0, longitude: 0, accuracy: -1 }, { latitude: 0, longitude: 0, altitude: 3 }, { latitude: '14', longitude: 0 }]) {
			expect((await failure(a.api.execute({ ...PERSON }, { location: location as never }))).code).toBe('validation-failed');
		}
		expect(await a.ctx.db.events.count()).toBe(0);
	});
});

describe('the export status', () => {
	it('counts the photos stored and their bytes', async () => {
		const a = device();
		expect((await ok(a.api.exportStatus())).attachments).toEqual({ count: 0, bytes: 0 });
		const ref = await ok(a.api.stageAttachment(jpeg(9, 1234), 'image/jpeg'));
		await ok(a.api.execute({ ...PERSON, photo: ref }));
		expect((await ok(a.api.exportStatus())).attachments).toEqual({ count: 1, bytes: 1234 });
	});
});

describe('the integrity check', () => {
	it('passes with photos stored, names a photo changed on disk and one removed, and still lets records be rebuilt', async () => {
		const a = device();
		const first = await ok(a.api.stageAttachment(jpeg(50), 'image/jpeg'));
		await ok(a.api.execute({ ...PERSON, photo: first }));
		const second = await ok(a.api.stageAttachment(jpeg(51), 'image/jpeg'));
		await ok(a.api.execute({ ...PERSON, givenName: 'Juma', photo: second }));
		expect((await ok(a.api.checkIntegrity())).ok).toBe(true);

		// On disk (no vault here: the rows are as written): one photo's bytes changed, the other removed.
		const row = (await a.ctx.db.attachments.get(first.sha256))!;
		const changed = new Uint8Array(row.bytes);
		changed[100] = (changed[100] as number) ^ 1;
		await a.ctx.db.attachments.put({ ...row, bytes: changed });
		await a.ctx.db.attachments.delete(second.sha256);
		const report = await ok(a.api.checkIntegrity());
		expect(report.ok).toBe(false);
		expect(report.problems.map((p) => p.kind).sort()).toEqual(['attachment-mismatch', 'attachment-missing']);
		expect(report.problems.find((p) => p.kind === 'attachment-missing')).toMatchObject({ begin: 1, end: 2 });
		// Records do not hold the images: a rebuild is not refused for them.
		await ok(a.api.rebuildRecords());
	});
});
