/**
 * What a database's rows and index entries take, counted below Dexie as Chromium's IndexedDB
 * serializes them, roughly: shared by the encrypted-store benchmark in Chromium (bench/encrypted.ts)
 * and the quick measure in Node on fake-indexeddb (bench/storage-bytes.measure.ts).
 */

/**
 * Bytes of a stored value as Chromium's IndexedDB serializes it, roughly: one byte per character of a
 * Latin-1 string (V8 writes those one byte each), two otherwise; byte arrays as their length.
 */
function bytesOf(value: unknown): number {
	if (typeof value === 'string') return /^[\x00-\xff]*$/.test(value) ? value.length : value.length * 2;
	if (typeof value === 'number') return 8;
	if (value instanceof Uint8Array) return value.byteLength;
	if (Array.isArray(value)) return value.reduce((sum: number, v) => sum + bytesOf(v), 0);
	if (typeof value === 'object' && value !== null) return Object.entries(value).reduce((sum, [k, v]) => sum + k.length * 2 + bytesOf(v), 0);
	return 1;
}

export function idbOpen(name: string, factory: IDBFactory = indexedDB): Promise<IDBDatabase> {
	return new Promise((resolve, reject) => {
		const req = factory.open(name);
		req.onsuccess = () => resolve(req.result);
		req.onerror = () => reject(req.error);
	});
}

/** Per object store: rows, bytes of the values, bytes of index entries (key + primary key), read below Dexie. */
export async function storeBytes(name: string, factory: IDBFactory = indexedDB): Promise<Map<string, { rows: number; values: number; indexes: number }>> {
	const idb = await idbOpen(name, factory);
	const out = new Map<string, { rows: number; values: number; indexes: number }>();
	try {
		for (const store of Array.from(idb.objectStoreNames)) {
			const os = idb.transaction(store, 'readonly').objectStore(store);
			const indexes = Array.from(os.indexNames).map((i) => os.index(i));
			const figures = { rows: 0, values: 0, indexes: 0 };
			await new Promise<void>((resolve, reject) => {
				const req = os.openCursor();
				req.onerror = () => reject(req.error);
				req.onsuccess = () => {
					const cursor = req.result;
					if (!cursor) return resolve();
					figures.rows++;
					figures.values += bytesOf(cursor.value) + bytesOf(cursor.primaryKey);
					for (const index of indexes) {
						const path = index.keyPath;
						const key = Array.isArray(path) ? path.map((p) => (cursor.value as Record<string, unknown>)[p]) : (cursor.value as Record<string, unknown>)[path];
						if (key === undefined || (Array.isArray(path) && (key as unknown[]).some((k) => k === undefined))) continue;
						const entries = index.multiEntry && Array.isArray(key) ? key : [key];
						for (const entry of entries) figures.indexes += bytesOf(entry) + bytesOf(cursor.primaryKey);
					}
					cursor.continue();
				};
			});
			out.set(store, figures);
		}
	} finally {
		idb.close();
	}
	return out;
}
