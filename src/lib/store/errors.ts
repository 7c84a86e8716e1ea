/**
 * Turns what IndexedDB and Dexie throw into a CasetrailError with a stable code and a sentence a
 * person can act on: out of space, opened by a newer build, or a storage failure.
 */
import Dexie from 'dexie';
import { CasetrailError, isCasetrailError } from '../core/errors';
import { isOutdated, schemaOutdatedError } from './db';

/** The names of `e` and of the errors it wraps (Dexie keeps the original as `inner`). */
function errorNames(e: unknown): string[] {
	const names: string[] = [];
	let at: unknown = e;
	for (let depth = 0; depth < 5 && typeof at === 'object' && at !== null; depth++) {
		const name = (at as { name?: unknown }).name;
		if (typeof name === 'string') names.push(name);
		at = (at as { inner?: unknown }).inner ?? (at as { cause?: unknown }).cause;
	}
	return names;
}

/** True when `e` is, or wraps, the browser's out-of-space error. */
export function isQuotaExceeded(e: unknown): boolean {
	return errorNames(e).some((name) => name === 'QuotaExceededError' || name === Dexie.errnames.QuotaExceeded);
}

export function quotaExceededError(): CasetrailError {
	return new CasetrailError('quota-exceeded', 'The device has no storage space left, so nothing was saved. Free some space on the device (or export and archive older records), then try again.');
}

/**
 * The CasetrailError for anything a store call threw: its own CasetrailError unchanged, otherwise
 * 'quota-exceeded', 'schema-outdated' or 'storage-failed'.
 */
export function storeError(e: unknown, db?: Dexie): CasetrailError {
	if (isCasetrailError(e)) return e;
	if (isQuotaExceeded(e)) return quotaExceededError();
	const names = errorNames(e);
	if ((db && isOutdated(db)) || names.includes(Dexie.errnames.Version) || names.includes('VersionError')) return schemaOutdatedError();
	const detail = e instanceof Error ? e.message : String(e);
	return new CasetrailError('storage-failed', `The device's database could not complete the operation (${detail}). Nothing was changed; try again, and reload the page if it keeps failing.`);
}

/** Runs `work`, turning whatever it throws into a CasetrailError; fails fast on an outdated connection. */
export async function guarded<T>(db: Dexie, work: () => Promise<T>): Promise<T> {
	if (isOutdated(db)) throw schemaOutdatedError();
	try {
		return await work();
	} catch (e) {
		throw storeError(e, db);
	}
}
