/**
 * What encryption at rest costs the store, for the benchmark (issue 8): the same generated events
 * appended in batches to a plain database and to a vault database, then the integrity check, a
 * name-sorted first page (which builds the in-memory name order) and two prefix searches, of a name
 * early and of one late in the name order, on both.
 * Returns rows in the bench/results.json shape; run it where IndexedDB is real (headless Chromium).
 */
import Dexie from 'dexie';
import type { User } from '../core/access';
import type { CasetrailEvent } from '../core/event';
import { generateDataKey } from '../crypto/keys';
import { appendEvents } from './append';
import { openDb, type CasetrailDb, type OpenOptions } from './db';
import { checkIntegrity } from './integrity';
import { listEntities } from './read';
import { openVaultDb } from './vault';

export interface VaultCostRow {
	name: string;
	n: number;
	value: number;
	unit: string;
}

const GIVEN = ['Amina', 'José', 'Nguyễn', 'Fatima', 'Oluwaseun', 'Maria', 'Abdirahman', 'Chen', 'Zawadi', 'Émile', 'Baraka', 'Ingrid'];
const FAMILY = ['Yusuf', 'García', 'Thị Lan', 'Okafor', 'Haddad', 'Mwangi', 'Kowalczyk', 'Silva', 'Bernard', 'Otieno'];

/** `n` events by `userId`: each individual is registered, then updated once (about 300 bytes each). */
export function vaultCostEvents(n: number, userId: string): CasetrailEvent[] {
	const out: CasetrailEvent[] = [];
	const t0 = Date.UTC(2026, 0, 1);
	for (let i = 0; out.length < n; i++) {
		const entityGuid = `0190c0de-0000-7000-8000-${String(i).padStart(12, '0')}`;
		const timestamp = new Date(t0 + i * 1000).toISOString();
		out.push({
			guid: `0190c0de-0001-7000-8000-${String(i).padStart(12, '0')}`,
			entityGuid,
			type: 'create-individual',
			data: { givenName: GIVEN[i % GIVEN.length], familyName: FAMILY[(i * 7) % FAMILY.length], sex: 'female', dateOfBirth: '1990-01-01', phone: `+2547${String(10_000_000 + i)}` },
			timestamp,
			userId,
			version: 3,
			metadata: { deviceId: 'bench-device', appVersion: 'bench' },
			context: { source: 'bench' }
		});
		if (out.length < n) {
			out.push({
				guid: `0190c0de-0002-7000-8000-${String(i).padStart(12, '0')}`,
				entityGuid,
				type: 'update-individual',
				data: { address: `Plot ${i}, Kisumu` },
				timestamp: new Date(t0 + i * 1000 + 500).toISOString(),
				userId,
				version: 3,
				context: { reason: 'moved', source: 'bench' }
			});
		}
	}
	return out;
}

async function timed(run: () => Promise<unknown>): Promise<number> {
	const t = performance.now();
	await run();
	return performance.now() - t;
}

/**
 * Appends `n` events in batches of `batch` to a plain and to a vault database (fresh, named
 * `${prefix}-plain` and `${prefix}-vault`, deleted afterwards) and measures both.
 */
export async function measureVaultCost(n: number, batch = 1000, prefix = 'casetrail-vault-cost', options: OpenOptions = {}): Promise<VaultCostRow[]> {
	const user: User = { id: 'u-bench', name: 'Bench', role: 'administrator', createdAt: '2026-01-01T00:00:00.000Z', createdBy: 'u-bench' };
	const events = vaultCostEvents(n, user.id);
	const dexieOptions = { ...(options.indexedDB ? { indexedDB: options.indexedDB } : {}), ...(options.IDBKeyRange ? { IDBKeyRange: options.IDBKeyRange } : {}) };
	const plainName = `${prefix}-plain`;
	const vaultName = `${prefix}-vault`;
	const drop = (name: string) => new Dexie(name, dexieOptions).delete();
	await Promise.all([drop(plainName), drop(vaultName)]);
	const plain = openDb(plainName, options);
	const { db: sealed, vault } = openVaultDb(vaultName, options);
	vault.unlock(user, generateDataKey());
	const rows: VaultCostRow[] = [];
	const measure = async (label: string, unit: string, run: (db: CasetrailDb) => Promise<unknown>, per?: number): Promise<void> => {
		const a = await timed(() => run(plain));
		const b = await timed(() => run(sealed));
		const value = (ms: number) => (per ? Math.round((per * 1000) / ms) : Number(ms.toFixed(1)));
		rows.push({ name: `vault.${label}.plain`, n, value: value(a), unit }, { name: `vault.${label}.encrypted`, n, value: value(b), unit });
		rows.push({ name: `ratio.vault.${label}.encrypted.vs.plain`, n, value: Number((per ? a / b : b / a).toFixed(2)), unit: per ? 'x throughput' : 'x time' });
	};
	try {
		await measure('append.batch', 'events/s', async (db) => {
			for (let i = 0; i < events.length; i += batch) await appendEvents(db, events.slice(i, i + batch));
		}, n);
		await measure('verify.all', 'ms', (db) => checkIntegrity(db, { chunkSize: 2000 }));
		await measure('list.byName.firstPage', 'ms', (db) => listEntities(db, { sort: 'name', limit: 50 }));
		await measure('list.byName.secondCall', 'ms', (db) => listEntities(db, { sort: 'name', limit: 50 }));
		await measure('search.prefix', 'ms', (db) => listEntities(db, { text: 'ami', limit: 50 }));
		// A name late in the name order: its page lies behind every earlier name.
		await measure('search.prefix.late', 'ms', (db) => listEntities(db, { text: 'zaw', limit: 50 }));
		return rows;
	} finally {
		plain.close();
		sealed.close();
		vault.lock();
		await Promise.all([drop(plainName), drop(vaultName)]);
	}
}
