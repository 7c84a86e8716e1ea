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
import { storeBytes } from './store-bytes';
(globalThis as { window?: unknown }).window ??= globalThis;
const { generateEvents } = await import('./bench');

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
		for (const [store, f] of await storeBytes(name, indexedDB)) {
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
