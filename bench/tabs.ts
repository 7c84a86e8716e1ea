/**
 * A page that drives the store as the app's database worker opens it (db.worker.ts: the vault that
 * encrypts records at rest, unlocked with the device's data key, and the WebAssembly SHA-256), for
 * the end-to-end test of two tabs editing the same people and households at once
 * (tests/e2e/store-two-tabs.spec.ts). Built with the bench page (bench/vite.config.ts).
 */
import type { User } from '../src/lib/core/access';
import { hexToBytes, bytesToHex } from '../src/lib/core/encoding';
import type { CasetrailEvent } from '../src/lib/core/event';
import { CompactRange, leafHash } from '../src/lib/core/merkle';
import { project } from '../src/lib/core/projection';
import { installFastSha256 } from '../src/lib/crypto/fast-sha256';
import { appendEvents, checkIntegrity, getTreeHead, iterateLog, rebuildProjections } from '../src/lib/store/index';
import { openVaultDb } from '../src/lib/store/vault';

const utf8 = new TextEncoder();

/** The people and households both tabs edit. */
export const PEOPLE = ['p-0', 'p-1', 'p-2', 'p-3', 'p-4', 'p-5'];
export const HOUSEHOLDS = ['h-0', 'h-1'];
const START = Date.UTC(2026, 0, 1);

/** The database `name` opened as the worker opens it, unlocked for `userId` with the data key `keyHex`. */
async function openAsWorker(name: string, keyHex: string, userId: string) {
	await installFastSha256();
	const { db, vault } = openVaultDb(name);
	const user: User = { id: userId, name: userId, role: 'administrator', createdAt: new Date(START).toISOString(), createdBy: userId };
	vault.unlock(user, hexToBytes(keyHex));
	return db;
}

/** Registers the people and households both tabs then edit, in one append. */
async function tabSeed(name: string, keyHex: string): Promise<number> {
	const db = await openAsWorker(name, keyHex, 'user-seed');
	const at = (i: number): string => new Date(START + i).toISOString();
	const events: CasetrailEvent[] = [
		...PEOPLE.map((guid, i): CasetrailEvent => ({ guid: `seed-${i}`, entityGuid: guid, type: 'create-individual', data: { givenName: `Person ${i}`, familyName: 'Shared' }, timestamp: at(i), userId: 'user-seed', version: 3 })),
		...HOUSEHOLDS.map((guid, i): CasetrailEvent => ({ guid: `seed-h${i}`, entityGuid: guid, type: 'create-group', data: { name: `Household ${i}` }, timestamp: at(100 + i), userId: 'user-seed' }))
	];
	const { appended } = await appendEvents(db, events);
	db.close();
	return appended;
}

/**
 * Appends `count` events of tab `tab` (guids `${tab}-n`, user `user-${tab}`) in batches of `batch`,
 * every one on the shared people and households: updates, members added and removed, case workers
 * assigned. Tab timestamps are `lag` ms behind the clock the other tab keeps, so many of a tab's
 * events sort before events the other tab already stored and re-project their entity.
 */
async function tabAppend(name: string, keyHex: string, tab: string, count: number, batch: number, lag: number): Promise<number> {
	const db = await openAsWorker(name, keyHex, `user-${tab}`);
	let appended = 0;
	for (let i = 0; i < count; i += batch) {
		const events: CasetrailEvent[] = [];
		for (let k = i; k < Math.min(count, i + batch); k++) {
			const timestamp = new Date(START + 10_000 + k * 1000 - lag).toISOString();
			const base = { guid: `${tab}-${String(k).padStart(6, '0')}`, timestamp, userId: `user-${tab}` };
			const person = PEOPLE[k % PEOPLE.length] as string;
			const household = HOUSEHOLDS[k % HOUSEHOLDS.length] as string;
			switch (k % 5) {
				case 0:
				case 1:
					events.push({ ...base, entityGuid: person, type: 'update-individual', data: { village: `${tab} village ${k}`, [`${tab}Visits`]: k }, version: 3 });
					break;
				case 2:
					events.push({ ...base, entityGuid: household, type: 'add-member', data: { memberGuid: person, role: k % 2 === 0 ? 'child' : 'other' } });
					break;
				case 3:
					events.push({ ...base, entityGuid: household, type: 'remove-member', data: { memberGuid: PEOPLE[(k + 3) % PEOPLE.length] as string } });
					break;
				default:
					events.push({ ...base, entityGuid: person, type: 'assign-case-worker', data: { caseWorkerId: `user-${tab}`, assignedAt: timestamp }, version: 3 });
			}
		}
		appended += (await appendEvents(db, events)).appended;
	}
	db.close();
	return appended;
}

/**
 * What the two tabs left: the head, the root recomputed from every stored leaf in log order, the
 * integrity verdict, whether the stored entities (opened through the vault) are core's projection of
 * the stored events, and how many rows a rebuild from the log changed (0: the rows the appends kept
 * are the replay's).
 */
async function tabCheck(name: string, keyHex: string) {
	const db = await openAsWorker(name, keyHex, 'user-check');
	const head = await getTreeHead(db);
	const range = new CompactRange();
	const guids: string[] = [];
	const events: CasetrailEvent[] = [];
	for await (const batch of iterateLog(db, { batchSize: 250 })) {
		for (const stored of batch) {
			range.append(leafHash(utf8.encode(stored.canonical)));
			guids.push(stored.event.guid);
			events.push(stored.event);
		}
	}
	const report = await checkIntegrity(db);
	const rows = await db.entities.orderBy('guid').toArray();
	const stored = JSON.stringify(rows.flatMap((row) => (row.entity ? [row.entity] : [])));
	const projected = JSON.stringify(project(events).entities);
	const snapshots = await db.snapshots.count();
	const rebuilt = await rebuildProjections(db);
	db.close();
	return {
		size: head.size,
		root: bytesToHex(head.root),
		recomputed: bytesToHex(range.rootHash()),
		guids,
		integrityOk: report.ok,
		entitiesMatchProjection: stored === projected,
		entities: rows.length,
		snapshots,
		rebuildChanged: rebuilt.changed
	};
}

/** Every string of every raw IndexedDB record of `name` (below Dexie and the vault), joined. */
async function tabRawText(name: string): Promise<string> {
	const idb = await new Promise<IDBDatabase>((resolve, reject) => {
		const req = indexedDB.open(name);
		req.onsuccess = () => resolve(req.result);
		req.onerror = () => reject(req.error);
	});
	const out: string[] = [];
	const walk = (value: unknown): void => {
		if (typeof value === 'string') out.push(value);
		else if (Array.isArray(value)) value.forEach(walk);
		else if (typeof value === 'object' && value !== null && !(value instanceof Uint8Array)) Object.values(value).forEach(walk);
	};
	for (const store of Array.from(idb.objectStoreNames)) {
		const records = await new Promise<unknown[]>((resolve, reject) => {
			const req = idb.transaction(store, 'readonly').objectStore(store).getAll();
			req.onsuccess = () => resolve(req.result);
			req.onerror = () => reject(req.error);
		});
		records.forEach(walk);
	}
	idb.close();
	return out.join('\n');
}

declare global {
	interface Window {
		tabSeed: typeof tabSeed;
		tabAppend: typeof tabAppend;
		tabCheck: typeof tabCheck;
		tabRawText: typeof tabRawText;
	}
}
window.tabSeed = tabSeed;
window.tabAppend = tabAppend;
window.tabCheck = tabCheck;
window.tabRawText = tabRawText;
