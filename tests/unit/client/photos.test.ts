// The size of the photos a device makes (issue 17): the programme's choice in Settings, kept in
// localStorage, with 1600 px when nothing (or anything unexpected) is stored there.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PHOTO_SETTINGS, PHOTO_SIDES, fitWithin, photoSettings, setPhotoMaxSide } from '../../../src/lib/client/photos';

class MemoryStorage {
	private items = new Map<string, string>();
	getItem(key: string): string | null {
		return this.items.get(key) ?? null;
	}
	setItem(key: string, value: string): void {
		this.items.set(key, value);
	}
	removeItem(key: string): void {
		this.items.delete(key);
	}
	get size(): number {
		return this.items.size;
	}
}

describe('photo settings', () => {
	let storage: MemoryStorage;
	beforeEach(() => {
		storage = new MemoryStorage();
		(globalThis as { localStorage?: unknown }).localStorage = storage;
	});
	afterEach(() => {
		delete (globalThis as { localStorage?: unknown }).localStorage;
	});

	it('makes 1600 px JPEG photos until an administrator chooses another size', () => {
		expect(photoSettings()).toEqual({ maxSide: 1600, type: 'image/jpeg', quality: 0.8 });
		setPhotoMaxSide(800);
		expect(photoSettings()).toEqual({ ...PHOTO_SETTINGS, maxSide: 800 });
		setPhotoMaxSide(2048);
		expect(photoSettings().maxSide).toBe(2048);
		// Back to the default: nothing is kept.
		setPhotoMaxSide(1600);
		expect(photoSettings().maxSide).toBe(1600);
		expect(storage.size).toBe(0);
	});

	it('refuses a size that is not offered and keeps the one set', () => {
		setPhotoMaxSide(1200);
		expect(() => setPhotoMaxSide(5000)).toThrow(RangeError);
		expect(() => setPhotoMaxSide(Number.NaN)).toThrow(RangeError);
		expect(photoSettings().maxSide).toBe(1200);
	});

	it('ignores what else is stored under its key, and works with no storage at all', () => {
		storage.setItem('casetrail.photoMaxSide', '999999');
		expect(photoSettings().maxSide).toBe(1600);
		storage.setItem('casetrail.photoMaxSide', 'large');
		expect(photoSettings().maxSide).toBe(1600);
		delete (globalThis as { localStorage?: unknown }).localStorage;
		expect(photoSettings().maxSide).toBe(1600);
		expect(() => setPhotoMaxSide(800)).not.toThrow();
	});

	it('every offered size scales a camera picture to that longer side', () => {
		for (const side of PHOTO_SIDES) expect(Math.max(...Object.values(fitWithin(4000, 3000, side)))).toBe(side);
	});
});
