// Photos of individuals (issue 17), in Chromium against the production build: device A takes a photo
// (a file given to the camera input), which is resized on the device, registers the person while
// offline, shows the photo on the record; a raw scan of IndexedDB after signing out finds no image
// bytes in clear; A exports, device B (a second context) imports the bundle and shows the same photo,
// and refuses a copy whose photo was changed. axe on the register and record pages.
import { readFile } from 'node:fs/promises';
import { test, expect, type Page } from '@playwright/test';
import { ADMIN, expectAccessible, fillPerson, go, setUp, signIn, signOut } from './fixtures';

const PERSON = { givenName: 'Awa', familyName: 'Camara', sex: 'female', dateOfBirth: '1991-07-09' } as const;

/** A 2400 × 1600 JPEG of noise and shapes, made by the browser itself: several hundred kilobytes. */
async function cameraPicture(page: Page): Promise<Buffer> {
	const base64 = await page.evaluate(async () => {
		const canvas = document.createElement('canvas');
		canvas.width = 2400;
		canvas.height = 1600;
		const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
		const image = ctx.createImageData(2400, 1600);
		let seed = 7;
		for (let i = 0; i < image.data.length; i += 4) {
			seed = (seed * 1103515245 + 12345) & 0x7fffffff;
			image.data[i] = seed & 0xff;
			image.data[i + 1] = (seed >> 8) & 0xff;
			image.data[i + 2] = (i / 4) % 2400 / 10;
			image.data[i + 3] = 255;
		}
		ctx.putImageData(image, 0, 0);
		ctx.fillStyle = '#c33';
		ctx.fillRect(600, 400, 1200, 800);
		const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b as Blob), 'image/jpeg', 0.95));
		const bytes = new Uint8Array(await blob.arrayBuffer());
		let text = '';
		for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
		return btoa(text);
	});
	return Buffer.from(base64, 'base64');
}

/** Byte arrays anywhere in the app's database holding a JPEG, PNG or WebP signature: image bytes in clear. */
async function imageHeadersOnDisk(page: Page, probe: Buffer): Promise<{ stores: string[]; records: Record<string, number>; probeFound: boolean }> {
	return page.evaluate(async (probeBase64) => {
		const db = await new Promise<IDBDatabase>((resolve, reject) => {
			const req = indexedDB.open('casetrail');
			req.onsuccess = () => resolve(req.result);
			req.onerror = () => reject(req.error);
		});
		const found = new Set<string>();
		const records: Record<string, number> = {};
		// A whole file signature, anywhere in the bytes: a JPEG's start of image with its JFIF or Exif
		// marker, PNG's eight bytes, WebP's RIFF...WEBP. (Three or four bytes alone turn up by chance in
		// a few hundred kilobytes of ciphertext: FF D8 FF about once in 80 sealed photos.)
		const at = (bytes: Uint8Array, i: number, sig: readonly number[]): boolean => sig.every((b, k) => bytes[i + k] === b);
		const ascii = (text: string): number[] => Array.from(text, (c) => c.charCodeAt(0));
		const has = (bytes: Uint8Array): boolean => {
			for (let i = 0; i + 12 <= bytes.length; i++) {
				if (at(bytes, i, [0xff, 0xd8, 0xff]) && (at(bytes, i + 6, ascii('JFIF')) || at(bytes, i + 6, ascii('Exif')))) return true;
				if (at(bytes, i, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return true;
				if (at(bytes, i, ascii('RIFF')) && at(bytes, i + 8, ascii('WEBP'))) return true;
			}
			return false;
		};
		const walk = (store: string, value: unknown): void => {
			if (value instanceof Uint8Array) {
				if (has(value)) found.add(store);
			} else if (value instanceof ArrayBuffer) walk(store, new Uint8Array(value));
			else if (typeof value === 'string') {
				// Base64 of a JPEG starts "/9j/", of a PNG "iVBOR".
				if (value.includes('/9j/') || value.includes('iVBOR')) found.add(store);
			} else if (Array.isArray(value)) value.forEach((v) => walk(store, v));
			else if (typeof value === 'object' && value !== null && !(value instanceof CryptoKey)) for (const v of Object.values(value)) walk(store, v);
		};
		for (const name of Array.from(db.objectStoreNames)) {
			const rows = await new Promise<unknown[]>((resolve, reject) => {
				const req = db.transaction(name, 'readonly').objectStore(name).getAll();
				req.onsuccess = () => resolve(req.result);
				req.onerror = () => reject(req.error);
			});
			records[name] = rows.length;
			rows.forEach((row) => walk(name, row));
		}
		db.close();
		// The same search finds an image in clear: the picture the camera gave.
		const probeFound = has(Uint8Array.from(atob(probeBase64), (c) => c.charCodeAt(0)));
		return { stores: [...found], records, probeFound };
	}, probe.toString('base64'));
}

/** The size the shown image was decoded at. */
async function shownSize(page: Page): Promise<{ width: number; height: number }> {
	const image = page.getByTestId('attachment-image').first();
	await expect(image).toBeVisible();
	await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
	return image.evaluate((img: HTMLImageElement) => ({ width: img.naturalWidth, height: img.naturalHeight }));
}

/** SHA-256 of the decoded pixels of the shown image: the same photo shows the same pixels. */
async function pixelHash(page: Page): Promise<string> {
	return page.getByTestId('attachment-image').first().evaluate(async (img: HTMLImageElement) => {
		const canvas = document.createElement('canvas');
		canvas.width = img.naturalWidth;
		canvas.height = img.naturalHeight;
		const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
		ctx.drawImage(img, 0, 0);
		const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
		const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', pixels));
		return Array.from(digest, (x) => x.toString(16).padStart(2, '0')).join('');
	});
}

test('a photo taken offline is resized, sealed at rest, exported, imported on a second device and shown there', async ({ browser }) => {
	const contextA = await browser.newContext();
	const contextB = await browser.newContext();
	try {
		const a = await contextA.newPage();
		await setUp(a);
		const picture = await cameraPicture(a);
		expect(picture.length).toBeGreaterThan(300_000);

		// Offline: the photo is prepared and the person registered with it, with no network at all.
		await contextA.setOffline(true);
		await go(a, '/register');
		await fillPerson(a, PERSON);
		await a.getByLabel('Take a photo').setInputFiles({ name: 'camera.jpg', mimeType: 'image/jpeg', buffer: picture });
		await expect(a.getByTestId('photo-preview')).toBeVisible();
		await expect(a.getByRole('status').filter({ hasText: 'Photo ready' })).toContainText('1600 × 1067 pixels');
		await expectAccessible(a);
		await a.getByRole('button', { name: 'Register', exact: true }).click();
		const saved = a.getByTestId('saved');
		await expect(saved).toContainText('Awa Camara is registered.');
		await expect(a.getByTestId('photo-preview')).toHaveCount(0);
		const href = (await saved.getByRole('link').getAttribute('href')) ?? '';
		await go(a, href);
		expect(await shownSize(a)).toEqual({ width: 1600, height: 1067 });
		const sha256 = await a.getByTestId('attachment-image').getAttribute('data-sha256');
		expect(sha256).toMatch(/^[0-9a-f]{64}$/);
		const pixelsOnA = await pixelHash(a);
		await expect(a.getByRole('img', { name: 'Photo of Awa Camara' })).toBeVisible();
		await expectAccessible(a);

		// Signed out (the data key forgotten), the database holds no image in clear.
		await signOut(a);
		const scan = await imageHeadersOnDisk(a, picture);
		expect(scan.probeFound).toBe(true);
		expect(scan.records['attachments']).toBe(1);
		expect(scan.stores).toEqual([]);

		// A exports the whole log, photo included.
		await signIn(a, ADMIN.name, ADMIN.passphrase);
		await go(a, '/exchange');
		await a.getByLabel('Whole log').check();
		await a.getByRole('button', { name: 'Create bundle' }).click();
		await expect(a.getByTestId('export-ready')).toContainText('Bundle ready');
		const [download] = await Promise.all([a.waitForEvent('download'), a.getByTestId('download').click()]);
		const text = await readFile((await download.path()) as string, 'utf8');
		const bundle = JSON.parse(text) as { version: number; attachments: { sha256: string; data: string }[] };
		expect(bundle.version).toBe(2);
		expect(bundle.attachments.map((x) => x.sha256)).toEqual([sha256]);

		// Device B imports it and shows the same photo.
		const b = await contextB.newPage();
		await setUp(b);
		await go(b, '/exchange');
		await b.getByLabel('Bundle file').setInputFiles({ name: download.suggestedFilename(), mimeType: 'application/json', buffer: Buffer.from(text) });
		await expect(b.getByTestId('bundle-summary')).toContainText('Valid: this bundle is complete');
		await b.getByRole('button', { name: 'Import', exact: true }).click();
		await expect(b.getByTestId('imported')).toContainText('Imported:');
		await go(b, href);
		await expect(b.getByTestId('entity-name')).toHaveText('Awa Camara');
		await expect(b.getByTestId('attachment-image')).toHaveAttribute('data-sha256', sha256 as string);
		expect(await shownSize(b)).toEqual({ width: 1600, height: 1067 });
		expect(await pixelHash(b)).toBe(pixelsOnA);
		await expectAccessible(b);

		// A copy whose photo was changed is refused, and says why.
		const tampered = JSON.parse(text) as { attachments: { sha256: string; data: string }[] };
		const data = tampered.attachments[0]!.data;
		tampered.attachments[0]!.data = data.slice(0, 2000) + (data[2000] === 'A' ? 'B' : 'A') + data.slice(2001);
		await go(b, '/exchange');
		await b.getByLabel('Bundle file').setInputFiles({ name: 'tampered.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(tampered)) });
		const refused = b.getByTestId('bundle-invalid');
		await expect(refused).toHaveAttribute('data-code', 'attachment-mismatch');
		await expect(refused).toContainText('A photo or signature in the bundle is not the one its record names');
	} finally {
		await contextA.close();
		await contextB.close();
	}
});

test('a replaced photo stays in the history: time travel shows the photo of that time', async ({ page }) => {
	await setUp(page);
	const picture = await cameraPicture(page);
	await go(page, '/register');
	await fillPerson(page, PERSON);
	await page.getByLabel('Choose a photo').setInputFiles({ name: 'first.jpg', mimeType: 'image/jpeg', buffer: picture });
	await expect(page.getByTestId('photo-preview')).toBeVisible();
	await page.getByRole('button', { name: 'Register', exact: true }).click();
	const saved = page.getByTestId('saved');
	await expect(saved).toContainText('is registered.');
	const href = (await saved.getByRole('link').getAttribute('href')) ?? '';
	await go(page, href);
	const first = await page.getByTestId('attachment-image').getAttribute('data-sha256');

	// A new photo, smaller than the limit: kept at its own size.
	const second = await page.evaluate(async () => {
		const canvas = document.createElement('canvas');
		canvas.width = 640;
		canvas.height = 480;
		const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
		ctx.fillStyle = '#2a6';
		ctx.fillRect(0, 0, 640, 480);
		const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b as Blob), 'image/png'));
		return Array.from(new Uint8Array(await blob.arrayBuffer()));
	});
	await page.getByRole('button', { name: 'Edit' }).click();
	await page.getByLabel('Choose a photo').setInputFiles({ name: 'second.png', mimeType: 'image/png', buffer: Buffer.from(second) });
	await expect(page.getByRole('status').filter({ hasText: 'Photo ready' })).toContainText('640 × 480 pixels');
	await page.locator('#edit-reason').fill('New photo at the visit');
	await expectAccessible(page);
	await page.getByRole('button', { name: 'Save changes' }).click();
	await expect(page.getByTestId('notice')).toBeVisible();
	const today = await page.getByTestId('attachment-image').getAttribute('data-sha256');
	expect(today).not.toBe(first);

	// The storage section counts both photos (the replaced one stays in the history).
	await go(page, '/settings');
	const used = page.getByTestId('attachment-bytes');
	await expect(used).toContainText('Photos and signatures: 2 on this device');
	expect(Number(await used.getAttribute('data-bytes'))).toBeGreaterThan(100_000);
	await go(page, href);

	await page.getByRole('link', { name: 'History and time travel' }).click();
	const trail = page.getByTestId('trail');
	// The registration's photo, and the edit's before and after.
	await expect(trail.getByTestId('attachment-image')).toHaveCount(3);
	// As of the registration: the first photo then, the new one today.
	await trail.getByRole('button', { name: 'See the record as it was after this' }).last().click();
	const travel = page.getByTestId('time-travel');
	await expect(travel.getByTestId('attachment-image')).toHaveCount(2);
	await expect(travel.getByTestId('attachment-image').first()).toHaveAttribute('data-sha256', first as string);
	await expect(travel.getByTestId('attachment-image').last()).toHaveAttribute('data-sha256', today as string);
	await expect(travel.getByRole('img', { name: 'Photo (Then)' })).toBeVisible();
	await expectAccessible(page);
});

const SHELTER_VISIT = `<?xml version="1.0"?>
<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml" xmlns:odk="http://www.opendatakit.org/xforms">
  <h:head>
    <h:title>Shelter visit</h:title>
    <model odk:xforms-version="1.0.0">
      <instance><data id="shelter_visit" version="1"><photo/><consent/><where/><meta><instanceID/></meta></data></instance>
      <bind nodeset="/data/photo" type="binary" required="true()"/>
      <bind nodeset="/data/consent" type="binary" required="true()"/>
      <bind nodeset="/data/where" type="geopoint"/>
      <bind calculate="concat('uuid:', uuid())" nodeset="/data/meta/instanceID" readonly="true()" type="string"/>
    </model>
  </h:head>
  <h:body>
    <upload mediatype="image/*" ref="/data/photo"><label>Photo of the shelter</label></upload>
    <upload appearance="signature" mediatype="image/*" ref="/data/consent"><label>Signature of consent</label></upload>
    <input ref="/data/where"><label>Location of the shelter</label></input>
  </h:body>
</h:html>`;

test('a form with a photo, a drawn signature and a geopoint is filled in and its images show in the record history', async ({ browser }) => {
	const context = await browser.newContext({ geolocation: { latitude: 12.65, longitude: -8.0, accuracy: 25 }, permissions: ['geolocation'] });
	try {
		const page = await context.newPage();
		await setUp(page);
		// Publish the visit form.
		await go(page, '/forms');
		await page.getByLabel('XForm file (.xml)').setInputFiles({ name: 'shelter.xml', mimeType: 'application/xml', buffer: Buffer.from(SHELTER_VISIT) });
		await expect(page.getByTestId('understood')).toBeVisible();
		await page.getByLabel('What a submission does').selectOption({ label: 'Records a visit' });
		await page.getByRole('button', { name: 'Publish this version' }).click();
		await expect(page.getByTestId('published')).toContainText('is published');

		// A person, then the visit from their record.
		await go(page, '/register');
		await fillPerson(page, PERSON);
		await page.getByRole('button', { name: 'Register', exact: true }).click();
		const href = (await page.getByTestId('saved').getByRole('link').getAttribute('href')) ?? '';
		await go(page, href);
		await page.getByTestId('follow-ups').getByRole('link', { name: 'Shelter visit' }).click();

		// Saving without the photo and the signature is refused beside each.
		await page.getByRole('button', { name: 'Save', exact: true }).click();
		await expect(page.getByTestId('form-saved')).toHaveCount(0);

		await page.getByLabel('Choose a photo').setInputFiles({ name: 'shelter.jpg', mimeType: 'image/jpeg', buffer: await cameraPicture(page) });
		await expect(page.getByTestId('photo-preview')).toBeVisible();

		// The signature, drawn with the mouse on the pad.
		const pad = page.locator('canvas').first();
		await pad.scrollIntoViewIfNeeded();
		const box = (await pad.boundingBox())!;
		await page.mouse.move(box.x + 20, box.y + box.height / 2);
		await page.mouse.down();
		for (let i = 1; i <= 10; i++) await page.mouse.move(box.x + 20 + i * 25, box.y + box.height / 2 + (i % 2 ? -20 : 20));
		await page.mouse.up();
		await page.getByRole('button', { name: 'Keep this signature' }).click();
		await expect(page.getByRole('status').filter({ hasText: 'Signature kept' })).toBeVisible();
		await expect(page.getByRole('img', { name: 'Signature of consent: signature pad, signature kept' })).toBeVisible();

		await page.getByRole('button', { name: 'Record the location' }).click();
		await expect(page.getByText('Recorded: 12.65000, -8.00000 (within 25 m).')).toBeVisible();
		await expectAccessible(page);
		await page.getByRole('button', { name: 'Save', exact: true }).click();
		await expect(page.getByTestId('form-saved')).toBeVisible();

		// The history shows the answers: both images and the position.
		await go(page, `${href}/history`);
		const recorded = page.getByTestId('recorded');
		await expect(recorded.getByTestId('attachment-image')).toHaveCount(2);
		await expect(recorded.getByRole('img', { name: 'Signature of consent' })).toBeVisible();
		await expect(recorded).toContainText('12.65000, -8.00000 (within 25 m)');
		const signatureSize = await recorded.getByRole('img', { name: 'Signature of consent' }).evaluate(async (img: HTMLImageElement) => {
			await img.decode();
			return [img.naturalWidth, img.naturalHeight];
		});
		expect(signatureSize).toEqual([600, 200]);
		await expectAccessible(page);
	} finally {
		await context.close();
	}
});

test('a signature can be made from the keyboard: the typed name is written on the pad', async ({ page }) => {
	await setUp(page);
	await go(page, '/forms');
	await page.getByLabel('XForm file (.xml)').setInputFiles({ name: 'shelter.xml', mimeType: 'application/xml', buffer: Buffer.from(SHELTER_VISIT) });
	await page.getByLabel('What a submission does').selectOption({ label: 'Records a visit' });
	await page.getByRole('button', { name: 'Publish this version' }).click();
	await expect(page.getByTestId('published')).toContainText('is published');
	await go(page, '/register');
	await fillPerson(page, PERSON);
	await page.getByRole('button', { name: 'Register', exact: true }).click();
	await go(page, (await page.getByTestId('saved').getByRole('link').getAttribute('href')) ?? '');
	await page.getByTestId('follow-ups').getByRole('link', { name: 'Shelter visit' }).click();
	await page.getByRole('button', { name: 'Keep this signature' }).click();
	await expect(page.getByText('Nothing is signed yet')).toBeVisible();
	const typed = page.getByLabel('Or type the full name to sign with it');
	await typed.focus();
	await page.keyboard.type('Awa Camara');
	await page.keyboard.press('Tab');
	await expect(page.getByRole('button', { name: 'Sign with the typed name' })).toBeFocused();
	await page.keyboard.press('Enter');
	await page.keyboard.press('Tab');
	await expect(page.getByRole('button', { name: 'Keep this signature' })).toBeFocused();
	await page.keyboard.press('Enter');
	await expect(page.getByRole('img', { name: 'Signature of consent: signature pad, signature kept' })).toBeVisible();
});

test('a device out of space while saving a photo keeps the form and says what to do', async ({ page }) => {
	// The device is full for photos: the worker's IndexedDB refuses any write to the attachments
	// store with the browser's out-of-space error (what a full disk gives).
	await page.route('**/_app/immutable/workers/db.worker-*.js', async (route) => {
		const response = await route.fetch();
		const full =
			'{ const put = IDBObjectStore.prototype.put; IDBObjectStore.prototype.put = function (...args) {' +
			" if (this.name === 'attachments') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');" +
			' return put.apply(this, args); }; }\n';
		await route.fulfill({ response, body: full + (await response.text()) });
	});
	await setUp(page);
	const picture = await cameraPicture(page);
	await go(page, '/register');
	await fillPerson(page, PERSON);
	await page.getByLabel('Choose a photo').setInputFiles({ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: picture });
	await expect(page.getByTestId('photo-preview')).toBeVisible();
	await page.getByRole('button', { name: 'Register', exact: true }).click();
	const notice = page.getByTestId('photo-quota');
	await expect(notice).toHaveAttribute('role', 'alert');
	await expect(notice).toContainText('There is no storage space left on this device for the photo, so nothing was saved.');
	await expect(notice).toContainText('remove the photo and save without it');
	// Everything entered is still there, the photo too.
	await expect(page.locator('#reg-givenName')).toHaveValue(PERSON.givenName);
	await expect(page.locator('#reg-dateOfBirth')).toHaveValue(PERSON.dateOfBirth);
	await expect(page.getByTestId('photo-preview')).toBeVisible();
	await expect(page.getByTestId('saved')).toHaveCount(0);
	await expectAccessible(page);
	// Without the photo the record saves.
	await page.getByRole('button', { name: 'Remove the photo' }).click();
	await page.getByRole('button', { name: 'Register', exact: true }).click();
	await expect(page.getByTestId('saved')).toContainText('Awa Camara is registered.');
});

test('an administrator sets the size of the photos the device makes; later photos are made at that size', async ({ page }) => {
	await setUp(page);
	const picture = await cameraPicture(page);
	await go(page, '/settings');
	const side = page.getByLabel('Longest side of the photos this device saves');
	await expect(side).toHaveValue('1600');
	await side.selectOption({ label: '800 pixels' });
	await expectAccessible(page);

	// The choice stays when the page is left and opened again, and the photo field says and uses it.
	await go(page, '/');
	await go(page, '/settings');
	await expect(page.getByLabel('Longest side of the photos this device saves')).toHaveValue('800');
	await go(page, '/register');
	await expect(page.getByText('at most 800 pixels on its longer side')).toBeVisible();
	await fillPerson(page, PERSON);
	await page.getByLabel('Take a photo').setInputFiles({ name: 'camera.jpg', mimeType: 'image/jpeg', buffer: picture });
	await expect(page.getByRole('status').filter({ hasText: 'Photo ready' })).toContainText('800 × 533 pixels');
	await page.getByRole('button', { name: 'Register', exact: true }).click();
	const saved = page.getByTestId('saved');
	await expect(saved).toContainText('Awa Camara is registered.');
	await go(page, (await saved.getByRole('link').getAttribute('href')) ?? '');
	expect(await shownSize(page)).toEqual({ width: 800, height: 533 });
});
