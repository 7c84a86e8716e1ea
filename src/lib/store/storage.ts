/**
 * Persistent storage and space usage. The browser may evict an origin's data under storage pressure
 * unless it was granted persistence; a case registry must ask. `navigator.storage` comes in as an
 * argument so the worker passes the real one and tests pass a fake.
 */

/** The part of the StorageManager these helpers use. */
export interface StorageLike {
	persist?: () => Promise<boolean>;
	persisted?: () => Promise<boolean>;
	estimate?: () => Promise<{ usage?: number; quota?: number }>;
}

/** Whether this origin's data is safe from eviction, after asking for it. */
export type Persistence = 'granted' | 'denied' | 'unsupported';

/**
 * Asks the browser to keep this origin's data under storage pressure, unless it already does.
 * Resolves 'unsupported' when the API is absent (an old browser, a test) and never throws: a refusal
 * is a state to show, not an error.
 */
export async function requestPersistence(storage: StorageLike | undefined): Promise<Persistence> {
	if (!storage?.persist) return 'unsupported';
	try {
		if (storage.persisted && (await storage.persisted())) return 'granted';
		return (await storage.persist()) ? 'granted' : 'denied';
	} catch {
		return 'denied';
	}
}

/** Bytes used and available to this origin, as the browser estimates them. */
export interface StorageEstimateInfo {
	usage: number;
	quota: number;
	/** usage / quota in [0, 1]; 0 when the quota is unknown. */
	fraction: number;
	persisted: boolean;
}

/**
 * The browser's estimate of usage and quota, or `undefined` when the API is absent. The figures are
 * estimates (browsers pad them to hide other origins' sizes); use them for warnings, not accounting.
 */
export async function estimateStorage(storage: StorageLike | undefined): Promise<StorageEstimateInfo | undefined> {
	if (!storage?.estimate) return undefined;
	const { usage = 0, quota = 0 } = await storage.estimate();
	const persisted = storage.persisted ? await storage.persisted().catch(() => false) : false;
	return { usage, quota, fraction: quota > 0 ? Math.min(1, usage / quota) : 0, persisted };
}
