import { describe, expect, it } from 'vitest';
import { EXPORT_WARN_DAYS, PHOTO_REMINDER_BYTES, formatBytes, storageCost, storageWarnings, usageRatio } from '../../../src/lib/client/storage-health';

describe('usageRatio', () => {
	it('is the share of the quota in use', () => {
		expect(usageRatio(250, 1000)).toBe(0.25);
	});

	it('is null when a number is unknown or the quota is zero', () => {
		expect(usageRatio(null, 1000)).toBeNull();
		expect(usageRatio(10, null)).toBeNull();
		expect(usageRatio(0, 0)).toBeNull();
	});

	it('stays within [0, 1] when a browser reports usage above its quota', () => {
		expect(usageRatio(1200, 1000)).toBe(1);
	});
});

describe('storageWarnings', () => {
	describe('quota', () => {
		it('warns once usage passes 80% of the quota', () => {
			expect(storageWarnings({ usage: 801, quota: 1000 })).toEqual([{ code: 'quota-near', ratio: 0.801 }]);
		});

		it('does not warn at exactly 80%', () => {
			expect(storageWarnings({ usage: 800, quota: 1000 })).toEqual([]);
		});

		it('does not warn when the numbers are unknown', () => {
			expect(storageWarnings({ usage: null, quota: null })).toEqual([]);
		});
	});

	describe('export', () => {
		const known = { usage: 1, quota: 1000 };

		it(`warns when events have waited ${EXPORT_WARN_DAYS} days since the last export`, () => {
			expect(storageWarnings({ ...known, unexportedEvents: 4, daysSinceExport: EXPORT_WARN_DAYS })).toEqual([
				{ code: 'export-overdue', days: EXPORT_WARN_DAYS }
			]);
		});

		it('does not warn a day earlier', () => {
			expect(storageWarnings({ ...known, unexportedEvents: 4, daysSinceExport: EXPORT_WARN_DAYS - 1 })).toEqual([]);
		});

		it('warns when there are events and no export was ever made', () => {
			expect(storageWarnings({ ...known, unexportedEvents: 1, daysSinceExport: null })).toEqual([
				{ code: 'export-overdue', days: null }
			]);
		});

		it('does not warn when every event is already exported, however old the export', () => {
			expect(storageWarnings({ ...known, unexportedEvents: 0, daysSinceExport: 30 })).toEqual([]);
			expect(storageWarnings({ ...known, unexportedEvents: 0, daysSinceExport: null })).toEqual([]);
		});

		it('warns on an old export when the number of waiting events is unknown', () => {
			expect(storageWarnings({ ...known, daysSinceExport: 10 })).toEqual([{ code: 'export-overdue', days: 10 }]);
		});

		it('does not warn when the export date is unknown', () => {
			expect(storageWarnings({ ...known, unexportedEvents: 50 })).toEqual([]);
		});
	});

	describe('photos and signatures', () => {
		const known = { usage: 100, quota: 1000, unexportedEvents: 4 };

		it('bring the export reminder forward to one day once they reach 25 MB', () => {
			expect(storageWarnings({ ...known, daysSinceExport: 1, attachmentBytes: PHOTO_REMINDER_BYTES - 1 })).toEqual([]);
			expect(storageWarnings({ ...known, daysSinceExport: 1, attachmentBytes: PHOTO_REMINDER_BYTES })).toEqual([{ code: 'export-overdue', days: 1 }]);
			expect(storageWarnings({ ...known, daysSinceExport: 0, attachmentBytes: PHOTO_REMINDER_BYTES })).toEqual([]);
			expect(storageWarnings({ ...known, unexportedEvents: 0, daysSinceExport: 5, attachmentBytes: PHOTO_REMINDER_BYTES })).toEqual([]);
		});

		it('are named in the quota warning with the bytes they take', () => {
			expect(storageWarnings({ usage: 900, quota: 1000, attachmentBytes: 600 })).toEqual([{ code: 'quota-near', ratio: 0.9, attachmentBytes: 600 }]);
			expect(storageWarnings({ usage: 900, quota: 1000, attachmentBytes: 0 })).toEqual([{ code: 'quota-near', ratio: 0.9 }]);
		});
	});

	it('lists a full quota before an overdue export', () => {
		const codes = storageWarnings({ usage: 990, quota: 1000, unexportedEvents: 3, daysSinceExport: null }).map((w) => w.code);
		expect(codes).toEqual(['quota-near', 'export-overdue']);
	});
});

describe('formatBytes', () => {
	it('in another language, writes its own digits, separator and unit names', () => {
		expect(formatBytes(1500, 'fr')).toBe('1,5\u202fko');
		expect(formatBytes(12_345_678, 'es')).toBe('12 MB');
		expect(formatBytes(2_300_000_000, 'fr')).toBe('2,3\u202fGo');
	});

	it('uses powers of 1000 with one decimal below 10 units', () => {
		expect(formatBytes(0)).toBe('0 B');
		expect(formatBytes(999)).toBe('999 B');
		expect(formatBytes(1500)).toBe('1.5 kB');
		expect(formatBytes(12_345_678)).toBe('12 MB');
		expect(formatBytes(2_300_000_000)).toBe('2.3 GB');
	});
});

describe('storageCost', () => {
	it('gives the bytes used per event and against the events’ own bytes', () => {
		expect(storageCost(513_000_000, 100_000, 43_000_000)).toEqual({ perEvent: 5130, ratio: 513 / 43 });
	});
	it('is unknown without a usage, without events or without their bytes', () => {
		expect(storageCost(null, 10, 1000)).toBeNull();
		expect(storageCost(1000, 0, 0)).toBeNull();
		expect(storageCost(1000, 10, 0)).toBeNull();
	});
});
