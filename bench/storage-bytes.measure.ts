/**
 * Bytes stored per event on an encrypted and a plain database, in Node on fake-indexeddb, counted
 * as bench/encrypted.ts counts them in Chromium (bytesOf). A quick before/after of a storage change:
 * `STORAGE_EVENTS=10000 npx vitest run --config bench/vitest.storage.config.mjs`.
 */
import { test } from 'vitest';
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import type { CasetrailEvent } from '../src/lib/core/event';
import { appendEvents, openDb } from '../src/lib/store/index';
import { openVaultDb } from '../src/lib/store/vault';
import { setUp } from '../src/lib/store/users';
import type { HeadValue } from '../src/lib/store/db';
(globalThis as { window?: unknown }).window ??= globalThis;
const { generateEvents } = await import('./bench');

function bytesOf(value: unknown): number {
	if (typeof value === 'string') return /^[\x00-\xff]*$/.test(value) ? value.length : value.length * 2;
	if (typeof value === 'number') return 8;
	if (value instanceof Uint8Array) return value.byteLength;
	if (Array.isArray(value)) return value.reduce((sum: number, v) => sum + bytesOf(v), 0);
	if (typeof value === 'object' && value !== null) return Object.entries(value).reduce((sum, [k, v]) => sum + k.length * 2 + bytesOf(v), 0);
	return 1;
}

function idbOpen(name: string): Promise<IDBDatabase> {
	return new Promise((resolve, reject) => {
		const req = indexedDB.open(name);
		req.onsuccess = () => resolve(req.result);
		req.onerror = () => reject(req.error);
	});
}

async function storeBytes(name: string): Promise<Map<string, { rows: number; values: number; indexes: number }>> {
	const idb = await idbOpen(name);
	const out = new Map<string, { rows: number; values: number; indexes: number }>();
	try {
		for (const store of Array.from(idb.objectStoreNames)) {
			const os = idb.transaction(store, 'readonly').objectStore(store);
			const indexes = Array.from(os.indexNames).map((i) => os.index(i));
			const figures = { rows: 0, values: 0, indexes: 0 };
			const rows = await new Promise<unknown[]>((resolve, reject) => {
				const req = os.getAll();
				req.onerror = () => reject(req.error);
				req.onsuccess = () => resolve(req.result);
			});
			const keys = await new Promise<IDBValidKey[]>((resolve, reject) => {
				const req = os.getAllKeys();
				req.onerror = () => reject(req.error);
				req.onsuccess = () => resolve(req.result);
			});
			rows.forEach((value, i) => {
				const primaryKey = keys[i];
				figures.rows++;
				figures.values += bytesOf(value) + bytesOf(primaryKey);
				for (const index of indexes) {
					const path = index.keyPath;
					const key = Array.isArray(path) ? path.map((p) => (value as Record<string, unknown>)[p]) : (value as Record<string, unknown>)[path];
					if (key === undefined || (Array.isArray(path) && (key as unknown[]).some((k) => k === undefined))) continue;
					const entries = index.multiEntry && Array.isArray(key) ? key : [key];
					for (const entry of entries) figures.indexes += bytesOf(entry) + bytesOf(primaryKey);
				}
			});
			out.set(store, figures);
		}
	} finally {
		idb.close();
	}
	return out;
}

test('bytes stored per event', { timeout: 1_200_000 }, async () => {
	const n = Number(process.env.STORAGE_EVENTS ?? 10000);
	const vaultName = `measure-vault-${Date.now()}`;
	const plainName = `measure-plain-${Date.now()}`;
	const { db: vdb } = openVaultDb(vaultName, { indexedDB, IDBKeyRange });
	const { user } = await setUp(vdb, { name: 'Admin', passphrase: 'correct horse battery staple' });
	const pdb = openDb(plainName, { indexedDB, IDBKeyRange });
	const events = generateEvents(n, 42).map((e): CasetrailEvent => ({ ...e, userId: user.id }));
	for (let i = 0; i < n; i += 1000) {
		await appendEvents(vdb, events.slice(i, i + 1000));
		await appendEvents(pdb, events.slice(i, i + 1000));
	}
	const head = (await pdb.meta.get('head'))?.value as HeadValue;
	const entities = await pdb.entities.count();
	const lines: string[] = [`${n} events, ${entities} entity rows, canonical ${head.bytes} B (${(head.bytes / n).toFixed(0)} B/event)`];
	for (const [label, name] of [['encrypted', vaultName], ['plain', plainName]] as const) {
		let total = 0;
		for (const [store, f] of await storeBytes(name)) {
			if (f.rows === 0) continue;
			lines.push(`${label} ${store}: ${f.rows} rows, values ${f.values} B (${(f.values / f.rows).toFixed(0)}/row), indexes ${f.indexes} B (${(f.indexes / f.rows).toFixed(0)}/row)`);
			total += f.values + f.indexes;
		}
		lines.push(`${label} total ${total} B, ${(total / n).toFixed(0)} B/event, ${(total / head.bytes).toFixed(2)}x canonical`);
	}
	vdb.close();
	pdb.close();
	console.log(lines.join('\n'));
});
