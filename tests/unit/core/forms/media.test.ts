/**
 * Image (photo, signature) and geopoint questions (issue 17): read from XForms as ODK writes them,
 * answered with an attachment reference or a position, stored as the reference and as a location.
 */
import { describe, expect, it } from 'vitest';
import { answerOfRef, attachmentRef } from '../../../../src/lib/core/attachments';
import type { CommandEnv } from '../../../../src/lib/core/commands';
import { answersFromData } from '../../../../src/lib/core/forms/engine';
import type { FormDefinition } from '../../../../src/lib/core/forms/definition';
import { parseXForm } from '../../../../src/lib/core/forms/parse';
import { checkDefinition, decideSubmission } from '../../../../src/lib/core/forms/submit';
import { locationFromGeopoint } from '../../../../src/lib/core/location';

function xform(body: string, binds: string, leaves: string): string {
	return `<?xml version="1.0"?>
<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml" xmlns:jr="http://openrosa.org/javarosa" xmlns:odk="http://www.opendatakit.org/xforms">
  <h:head>
    <h:title>Visit with photo</h:title>
    <model odk:xforms-version="1.0.0">
      <instance>
        <data id="visit_photo" version="1">
          ${leaves}
          <meta><instanceID/></meta>
        </data>
      </instance>
      ${binds}
      <bind calculate="concat('uuid:', uuid())" nodeset="/data/meta/instanceID" readonly="true()" type="string"/>
    </model>
  </h:head>
  <h:body>
    ${body}
  </h:body>
</h:html>`;
}

const VISIT = xform(
	`<upload mediatype="image/*" ref="/data/photo"><label>Photo of the shelter</label></upload>
    <upload appearance="signature" mediatype="image/*" ref="/data/consent"><label>Signature of consent</label></upload>
    <input ref="/data/where"><label>Where is the shelter?</label></input>`,
	`<bind nodeset="/data/photo" type="binary" required="true()"/>
      <bind nodeset="/data/consent" type="binary"/>
      <bind nodeset="/data/where" type="geopoint"/>`,
	'<photo/><consent/><where/>'
);

function definition(xml = VISIT): FormDefinition {
	const parsed = parseXForm(xml);
	return checkDefinition({ ...parsed.definition, purpose: { kind: 'event', eventType: 'visit-recorded' } });
}

const env: CommandEnv = { now: () => new Date('2026-06-01T09:00:00.000Z'), newGuid: () => 'g-1', userId: 'u-1' };
const entity = { guid: 'p-1', type: 'individual', data: { givenName: 'Awa' }, deleted: false, version: 1, createdAt: '2026-01-01T00:00:00.000Z', lastUpdated: '2026-01-01T00:00:00.000Z' };

const photo = attachmentRef(new Uint8Array([0xff, 0xd8, 0xff, 1, 2, 3]), 'image/jpeg');
const signature = attachmentRef(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 9]), 'image/png');

describe('image and geopoint questions', () => {
	it('are read from uploads of images bound to binary (signature by appearance) and inputs bound to geopoint', () => {
		const fields = definition().fields;
		expect(fields.map((f) => [f.name, f.type, f.appearance])).toEqual([
			['photo', 'image', undefined],
			['consent', 'image', 'signature'],
			['where', 'geopoint', undefined]
		]);
	});

	it('refuse an upload of anything but images, and binary on a text input', () => {
		const pdf = xform(`<upload mediatype="application/pdf" ref="/data/doc"><label>Document</label></upload>`, `<bind nodeset="/data/doc" type="binary"/>`, '<doc/>');
		expect(() => parseXForm(pdf)).toThrow(expect.objectContaining({ code: 'form-unsupported' }));
		const input = xform(`<input ref="/data/doc"><label>Document</label></input>`, `<bind nodeset="/data/doc" type="binary"/>`, '<doc/>');
		expect(() => parseXForm(input)).toThrow(expect.objectContaining({ code: 'form-unsupported' }));
	});

	it('store the attachment reference and the position (altitude dropped) in the event', () => {
		const event = decideSubmission(definition(), { formId: 'visit_photo', version: '1', answers: { photo: answerOfRef(photo), consent: answerOfRef(signature), where: '14.6928 -17.4467 12 8.5' } }, entity, env);
		expect(event.data).toEqual({ photo, consent: signature, where: { latitude: 14.6928, longitude: -17.4467, accuracy: 9 } });
	});

	it('refuse an answer that is not a reference or not a position, and a missing required photo', () => {
		const refused = (answers: Record<string, string>) => {
			try {
				decideSubmission(definition(), { formId: 'visit_photo', version: '1', answers }, entity, env);
				return {};
			} catch (e) {
				return (e as { fields: Record<string, string> }).fields;
			}
		};
		expect(refused({ photo: 'data:image/jpeg;base64,/9j/' })).toMatchObject({ photo: 'Take or choose the image again.' });
		expect(refused({ photo: answerOfRef(photo), where: '95 10' })).toMatchObject({ where: 'Record the location again.' });
		expect(refused({ where: '14 -17' })).toMatchObject({ photo: 'This question needs an answer.' });
	});

	it('fill an update form back from the stored reference and position', () => {
		const answers = answersFromData(definition(), { photo, where: { latitude: 14.6928, longitude: -17.4467, accuracy: 9 } });
		expect(answers).toEqual({ photo: answerOfRef(photo), where: '14.6928 -17.4467 0 9' });
		expect(locationFromGeopoint(answers.where as string)).toEqual({ latitude: 14.6928, longitude: -17.4467, accuracy: 9 });
	});

	it('keep appearance to signatures on image questions in a published definition', () => {
		const def = definition();
		const bad = { ...def, fields: def.fields.map((f) => (f.name === 'where' ? { ...f, appearance: 'signature' } : f)) };
		expect(() => checkDefinition(bad)).toThrow(expect.objectContaining({ code: 'form-invalid' }));
	});
});
