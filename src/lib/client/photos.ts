/**
 * Photos made on the device (issue 17): a picture from the camera or a file is decoded, scaled down
 * so that its longer side is at most the programme's size ({@link photoSettings}, 1600 px unless
 * an administrator chose another in Settings), and compressed, in the
 * browser (createImageBitmap and a canvas: no library), before the worker ever sees it. What is
 * stored and sent is this smaller image, never the camera's original.
 */
import { CasetrailError } from '../core/errors';

/** The photo field's problem as a code, for the page to say in its language. */
const INVALID_PHOTO = { problems: { photo: { code: 'invalid' as const } } };

/** How photos are made. */
export interface PhotoSettings {
	/** Longest side in pixels after resizing (a smaller picture is kept at its size). */
	maxSide: number;
	/** The stored format: 'image/jpeg' (every browser) or 'image/webp' (smaller, where the browser encodes it). */
	type: 'image/jpeg' | 'image/webp';
	/** Encoder quality, 0 to 1. */
	quality: number;
}

/** 1600 px JPEG at quality 0.8: a face or a document stays legible at about 150 to 350 KB. */
export const PHOTO_SETTINGS: Readonly<PhotoSettings> = Object.freeze({ maxSide: 1600, type: 'image/jpeg', quality: 0.8 });

/** The longest sides an administrator can choose in Settings, in pixels. */
export const PHOTO_SIDES = [800, 1200, 1600, 2048] as const;

const SIDE_KEY = 'casetrail.photoMaxSide';

/**
 * How this device makes photos: {@link PHOTO_SETTINGS} with the longest side the programme chose
 * in Settings (kept in localStorage: a number, no personal data). Anything else stored there, or no
 * storage at all, gives the default.
 */
export function photoSettings(): PhotoSettings {
	let side: number = PHOTO_SETTINGS.maxSide;
	try {
		const stored = Number(localStorage.getItem(SIDE_KEY));
		if ((PHOTO_SIDES as readonly number[]).includes(stored)) side = stored;
	} catch {
		// No storage (private mode): the default.
	}
	return { ...PHOTO_SETTINGS, maxSide: side };
}

/** Sets the longest side of the photos this device makes; one of {@link PHOTO_SIDES}. */
export function setPhotoMaxSide(side: number): void {
	if (!(PHOTO_SIDES as readonly number[]).includes(side)) throw new RangeError(`Photo side must be one of ${PHOTO_SIDES.join(', ')}.`);
	try {
		if (side === PHOTO_SETTINGS.maxSide) localStorage.removeItem(SIDE_KEY);
		else localStorage.setItem(SIDE_KEY, String(side));
	} catch {
		// Storage refused (private mode): the default stays.
	}
}

/** A resized photo, ready to hand to the worker. */
export interface PreparedPhoto {
	bytes: Uint8Array;
	mediaType: 'image/jpeg' | 'image/webp' | 'image/png';
	width: number;
	height: number;
}

/** The size of a picture scaled so that its longer side is at most `maxSide`. */
export function fitWithin(width: number, height: number, maxSide: number): { width: number; height: number } {
	const scale = Math.min(1, maxSide / Math.max(width, height));
	return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/**
 * Decodes `file`, scales it down and encodes it as `settings.type` (JPEG when the browser cannot
 * encode WebP). Throws CasetrailError('validation-failed') when the file is not a picture the
 * browser can read.
 */
export async function preparePhoto(file: Blob, settings: PhotoSettings = photoSettings()): Promise<PreparedPhoto> {
	let bitmap: ImageBitmap;
	try {
		bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
	} catch {
		throw new CasetrailError('validation-failed', 'This file is not a photo this device can read. Choose a JPEG, PNG or WebP image.', { photo: 'Not a photo this device can read.' }, INVALID_PHOTO);
	}
	try {
		const { width, height } = fitWithin(bitmap.width, bitmap.height, settings.maxSide);
		const canvas = document.createElement('canvas');
		canvas.width = width;
		canvas.height = height;
		const context = canvas.getContext('2d');
		if (!context) throw new CasetrailError('validation-failed', 'This device cannot prepare photos (no canvas).', { photo: 'This device cannot prepare photos.' }, INVALID_PHOTO);
		context.drawImage(bitmap, 0, 0, width, height);
		let blob = await encode(canvas, settings.type, settings.quality);
		// A browser that cannot encode the type gives PNG instead: fall back to JPEG, which all encode.
		if (!blob || blob.type !== settings.type) blob = await encode(canvas, 'image/jpeg', settings.quality);
		if (!blob) throw new CasetrailError('validation-failed', 'The photo could not be compressed on this device.', { photo: 'The photo could not be compressed.' }, INVALID_PHOTO);
		return { bytes: new Uint8Array(await blob.arrayBuffer()), mediaType: blob.type as PreparedPhoto['mediaType'], width, height };
	} finally {
		bitmap.close();
	}
}

function encode(canvas: HTMLCanvasElement, type: string, quality: number): Promise<Blob | null> {
	return new Promise((resolve) => canvas.toBlob(resolve, type, quality));
}
