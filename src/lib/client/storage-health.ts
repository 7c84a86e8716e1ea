/**
 * Judges whether the data on this device is at risk: storage nearly full, or records that exist
 * only here for too long. Pure, so the thresholds are tested; StorageStatus.svelte shows the result.
 */

/** Warn when usage passes this share of the quota: past it, a save may fail with QuotaExceeded. */
export const QUOTA_WARN_RATIO = 0.8;

/**
 * Warn when records have waited this many days for an export. Safari deletes a site's storage
 * after 7 days of browser use without a visit unless it is on the home screen; 3 leaves four days
 * to act, and also bounds what a lost or reset device costs.
 */
export const EXPORT_WARN_DAYS = 3;

/**
 * Photos and signatures are large and cannot be taken again once the device is lost: when a device
 * holds at least this many bytes of them and has events waiting, the export reminder comes after
 * {@link EXPORT_WARN_DAYS_WITH_PHOTOS} days instead of {@link EXPORT_WARN_DAYS}.
 */
export const PHOTO_REMINDER_BYTES = 25_000_000;
export const EXPORT_WARN_DAYS_WITH_PHOTOS = 1;

export interface StorageFacts {
	/** Bytes used by this origin, from navigator.storage.estimate(); null when unknown. */
	usage: number | null;
	/** Bytes this origin may use; null when unknown. */
	quota: number | null;
	/** Events recorded here and not yet in any export; undefined when the caller does not know. */
	unexportedEvents?: number | undefined;
	/** Whole days since the last export, null if there never was one, undefined when unknown. */
	daysSinceExport?: number | null | undefined;
	/** Bytes of the photos and signatures stored here (before sealing); undefined when unknown. */
	attachmentBytes?: number | undefined;
}

export type StorageWarning =
	| { code: 'quota-near'; ratio: number; attachmentBytes?: number }
	| { code: 'export-overdue'; days: number | null };

/** Share of the quota in use, in [0, 1]; null when either number is unknown or the quota is 0. */
export function usageRatio(usage: number | null, quota: number | null): number | null {
	if (usage === null || quota === null || quota <= 0) return null;
	return Math.min(1, Math.max(0, usage / quota));
}

/**
 * The warnings these facts call for, most urgent first. An export is overdue when the last one is
 * at least EXPORT_WARN_DAYS old (EXPORT_WARN_DAYS_WITH_PHOTOS when the device holds
 * PHOTO_REMINDER_BYTES of photos or more), or there never was one, and events may be waiting: a
 * known count of 0 means everything is already exported, so there is nothing to lose. A nearly full
 * quota says how much of it photos take.
 */
export function storageWarnings(facts: StorageFacts): StorageWarning[] {
	const warnings: StorageWarning[] = [];
	const ratio = usageRatio(facts.usage, facts.quota);
	if (ratio !== null && ratio > QUOTA_WARN_RATIO) warnings.push(facts.attachmentBytes ? { code: 'quota-near', ratio, attachmentBytes: facts.attachmentBytes } : { code: 'quota-near', ratio });
	const days = facts.daysSinceExport;
	const waiting = facts.unexportedEvents === undefined || facts.unexportedEvents > 0;
	const after = (facts.attachmentBytes ?? 0) >= PHOTO_REMINDER_BYTES ? EXPORT_WARN_DAYS_WITH_PHOTOS : EXPORT_WARN_DAYS;
	if (days !== undefined && waiting && (days === null || days >= after)) {
		warnings.push({ code: 'export-overdue', days });
	}
	return warnings;
}

/** A byte count for people: "0 B", "512 B", "1.5 kB", "12 MB", "2.3 GB" (powers of 1000); in another
 * language its own number and unit names through Intl ("1,5 ko", "12 م.ب"). */
export function formatBytes(bytes: number, locale = 'en'): string {
	const units = ['B', 'kB', 'MB', 'GB', 'TB'];
	const intlUnits = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'];
	let value = Math.max(0, bytes);
	let unit = 0;
	while (value >= 1000 && unit < units.length - 1) {
		value /= 1000;
		unit += 1;
	}
	const digits = unit === 0 || value >= 10 ? 0 : 1;
	if (locale !== 'en') {
		const rounded = Number(value.toFixed(digits));
		return new Intl.NumberFormat(locale, { style: 'unit', unit: intlUnits[unit], unitDisplay: 'short', maximumFractionDigits: digits }).format(rounded);
	}
	return `${value.toFixed(digits)} ${units[unit]}`;
}

/** What the storage of the events costs: bytes used per event, and as a multiple of the events' own bytes. */
export interface StorageCost {
	perEvent: number;
	/** usage / the canonical bytes of every stored event (what an export of them all holds, about). */
	ratio: number;
}

/**
 * Storage used per stored event and against the events' own bytes (issue 20: the target is at most
 * 3x); null when the usage is unknown or nothing is stored. The usage is the whole origin's (the app
 * and its caches included), so on a device with few events the figure is high.
 */
export function storageCost(usage: number | null, events: number, eventBytes: number): StorageCost | null {
	if (usage === null || events <= 0 || eventBytes <= 0) return null;
	return { perEvent: usage / events, ratio: usage / eventBytes };
}
