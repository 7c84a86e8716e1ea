import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CasetrailEvent } from '../../../src/lib/core/event';
import { generateDataKey } from '../../../src/lib/crypto/keys';
import { appendEvents } from '../../../src/lib/store/append';
import type { CasetrailDb } from '../../../src/lib/store/db';
import { checkIntegrity } from '../../../src/lib/store/integrity';
import { eventsSince, getEntity, getEntityEvents, getEvent, getEventWithProof, listEntities, verifyEventProof } from '../../../src/lib/store/read';
import { rebuildProjections } from '../../../src/lib/store/rebuild';
import { nameIndexSaved, nameOrder } from '../../../src/lib/store/name-index';
import { openVaultDb } from '../../../src/lib/store/vault';
import { at, dropDb, freshDb, IDBKeyRange, indexedDB } from './helpers';
import { ALICE, unlockedVaultDb, rawDump, rawEdit, rawGet } from './vault-helpers';

const open: CasetrailDb[] = [];
afterEach(async () => {
	await Promise.all(open.splice(0).map(dropDb));
});

const alice = ALICE;

const setup = (): ReturnType<typeof unlockedVaultDb> => unlockedVaultDb(open);

let n = 0;
function ev(entityGuid: string, type: string, data: Record<string, unknown>, ms: number, userId = alice.id): CasetrailEvent {
	n += 1;
	return { guid: `ev-${String(n).padStart(6, '0')}`, entityGuid, type, data, timestamp: at(ms), userId };
}

const PEOPLE = [
	{ guid: 'p-1', givenName: 'Amina', familyName: 'Yusuf', phone: '+254700000001' },
	{ guid: 'p-2', givenName: 'José', familyName: 'García', phone: '+254700000002' },
	{ guid: 'p-3', givenName: 'Zawadi', familyName: 'Okafor', phone: '+254700000003' },
	{ guid: 'p-4', givenName: 'Émile', familyName: 'Bernard', phone: '+254700000004' }
];

function registrations(): CasetrailEvent[] {
	return PEOPLE.map((p, i) => ev(p.guid, 'create-individual', { givenName: p.givenName, familyName: p.familyName, phone: p.phone }, i * 1000));
}

const SECRETS = ['Amina', 'Yusuf', 'José', 'Jose', 'García', 'Garcia', 'Zawadi', 'Okafor', 'Émile', 'Emile', 'Bernard', '254700', '700000001'];

function leaks(dump: Map<string, string[]>): string[] {
	const found: string[] = [];
	for (const [store, strings] of dump) {
		for (const secret of SECRETS) {
			const lower = secret.toLowerCase();
			if (strings.some((s) => s.toLowerCase().includes(lower))) found.push(`${store}: ${secret}`);
		}
	}
	return found;
}

describe('encryption at rest', () => {
	it('leaves no registered name or phone number in any raw store, locked or not', async () => {
		const { db, vault } = setup();
		await appendEvents(db, registrations());
		await appendEvents(db, [ev('p-1', 'update-individual', { familyName: 'Yusuf-Okafor' }, 9000)]);
		// Force snapshots too: every event of p-2 after this is snapshotted at 2 events.
		await appendEvents(db, [ev('p-2', 'update-individual', { middleName: 'Amina' }, 9500)], { firstSnapshot: 1 });
		expect(await db.snapshots.count()).toBeGreaterThan(0);
		expect(leaks(await rawDump(db.name))).toEqual([]);
		vault.lock();
		expect(leaks(await rawDump(db.name))).toEqual([]);
	});

	it('the same scan finds the names in a database without a vault (the scan can fail)', async () => {
		const db = freshDb();
		open.push(db);
		await appendEvents(db, registrations());
		expect(leaks(await rawDump(db.name))).toContain('events: Amina');
		expect(leaks(await rawDump(db.name))).toContain('entities: Amina');
	});

	it('keeps the clear index fields the store queries by', async () => {
		const { db } = setup();
		await appendEvents(db, registrations());
		const raw = await rawGet(db.name, 'events', 0);
		expect(Object.keys(raw ?? {}).sort()).toEqual(['entityGuid', 'guid', 'instant', 'sealed', 'seq', 'sync', 'timestamp', 'type']);
		const entity = await rawGet(db.name, 'entities', 'p-1');
		expect(entity?.sortName).toBeUndefined();
		// Blind tokens, as their 8 bytes (schema version 6; 16 hex digits before).
		const tokens = entity?.words as Uint8Array[];
		expect(tokens.length).toBeGreaterThan(0);
		expect(tokens.every((w) => w instanceof Uint8Array && w.length === 8)).toBe(true);
		expect(raw?.type).toBe('create-individual');
	});

	it('seals a field it does not know, byte arrays included, and gives it back', async () => {
		const { db } = setup();
		await appendEvents(db, registrations().slice(0, 1));
		const row = (await db.events.get(0)) as unknown as Record<string, unknown>;
		const extra = { ...row, seq: 1, guid: 'ev-extra', note: 'Amina was here', blob: new Uint8Array([1, 2, 3, 250]) };
		await db.events.add(extra as never);
		const raw = await rawGet(db.name, 'events', 1);
		expect(raw?.note).toBeUndefined();
		expect(raw?.blob).toBeUndefined();
		expect(leaks(await rawDump(db.name))).toEqual([]);
		const back = (await db.events.get(1)) as unknown as Record<string, unknown>;
		expect(back.note).toBe('Amina was here');
		expect(back.blob).toEqual(new Uint8Array([1, 2, 3, 250]));
		expect(back.canonical).toBe(row.canonical);
	});

	it('gives the store the same entities, events, proofs and integrity report as a plain database', async () => {
		const { db } = setup();
		const plain = freshDb();
		open.push(plain);
		const events = registrations();
		const late = ev('p-3', 'update-individual', { phone: '+254700000099' }, 500);
		for (const target of [db, plain]) {
			await appendEvents(target, events);
			await appendEvents(target, [late]);
		}
		for (const p of PEOPLE) expect(await getEntity(db, p.guid)).toEqual(await getEntity(plain, p.guid));
		expect((await getEntityEvents(db, 'p-3')).map((e) => e.canonical)).toEqual((await getEntityEvents(plain, 'p-3')).map((e) => e.canonical));
		expect((await eventsSince(db, 0, 10)).events.map((e) => e.canonical)).toEqual((await eventsSince(plain, 0, 10)).events.map((e) => e.canonical));
		const proof = await getEventWithProof(db, late.guid);
		expect(proof && verifyEventProof(proof)).toBe(true);
		expect(proof?.proof.root).toEqual((await getEventWithProof(plain, late.guid))?.proof.root);
		const report = await checkIntegrity(db);
		expect(report.ok).toBe(true);
		expect(report.computedRoot).toEqual((await checkIntegrity(plain)).computedRoot);
	});

	it.each(['replace', 'repair'] as const)('rebuilds the projections to the same entities (%s)', async (mode) => {
		const { db } = setup();
		await appendEvents(db, registrations());
		const before = await Promise.all(PEOPLE.map((p) => getEntity(db, p.guid)));
		if (mode === 'repair') await db.entities.delete(PEOPLE[0]!.guid);
		// A repair rewrites just the missing row: rows read through the vault compare equal to the replay's.
		expect((await rebuildProjections(db, { mode })).changed).toBe(mode === 'repair' ? 1 : PEOPLE.length);
		expect((await rebuildProjections(db)).changed).toBe(0);
		expect(await Promise.all(PEOPLE.map((p) => getEntity(db, p.guid)))).toEqual(before);
		expect(leaks(await rawDump(db.name))).toEqual([]);
	});
});

describe('search and sort without names on disk', () => {
	async function names(db: CasetrailDb, query: Parameters<typeof listEntities>[1]): Promise<string[]> {
		return (await listEntities(db, query)).entities.map((e) => String(e.data.givenName));
	}

	it('finds entities by word prefix, folding case and accents', async () => {
		const { db } = setup();
		await appendEvents(db, registrations());
		expect(await names(db, { text: 'jos' })).toEqual(['José']);
		expect(await names(db, { text: 'GARC' })).toEqual(['José']);
		expect(await names(db, { text: 'emi' })).toEqual(['Émile']);
		expect(await names(db, { text: 'am yu' })).toEqual(['Amina']);
		expect(await names(db, { text: 'yusufx' })).toEqual([]);
		expect(await names(db, { text: '254700000003' })).toEqual(['Zawadi']);
	});

	it('lists by name in both directions and pages without skipping or repeating', async () => {
		const { db } = setup();
		await appendEvents(db, registrations());
		expect(await names(db, {})).toEqual(['Amina', 'Émile', 'José', 'Zawadi']);
		expect(await names(db, { direction: 'desc' })).toEqual(['Zawadi', 'José', 'Émile', 'Amina']);
		const seen: string[] = [];
		let after: Parameters<typeof listEntities>[1] = { limit: 1 };
		for (;;) {
			const page = await listEntities(db, after);
			seen.push(...page.entities.map((e) => String(e.data.givenName)));
			if (!page.next) break;
			after = { limit: 1, after: page.next };
		}
		expect(seen).toEqual(['Amina', 'Émile', 'José', 'Zawadi']);
	});

	it('builds the name order of many entities on the first list after unlock (regression: no WebCrypto await inside the list transaction)', async () => {
		const { db, vault, key } = setup();
		const many = Array.from({ length: 300 }, (_, i) => ev(`m-${String(i).padStart(3, '0')}`, 'create-individual', { givenName: `N${String(299 - i).padStart(3, '0')}` }, i));
		await appendEvents(db, many);
		vault.unlock(alice, key);
		// A slow WebCrypto, as on a busy phone: a transaction awaiting it would commit meanwhile.
		const decrypt = crypto.subtle.decrypt.bind(crypto.subtle);
		const slow = vi.spyOn(crypto.subtle, 'decrypt').mockImplementation(async (...args) => {
			await new Promise((resolve) => setTimeout(resolve, 5));
			return decrypt(...args);
		});
		try {
			const page = await listEntities(db, { limit: 5 });
			expect(page.entities.map((e) => e.data.givenName)).toEqual(['N000', 'N001', 'N002', 'N003', 'N004']);
		} finally {
			slow.mockRestore();
		}
	});

	it('builds the same name order inside a transaction, opening rows synchronously', async () => {
		const { db, vault, key } = setup();
		await appendEvents(db, registrations());
		vault.unlock(alice, key);
		const inside = await db.transaction('r', [db.entities, db.meta], () => nameOrder(db));
		vault.unlock(alice, key);
		expect(inside).toEqual(await nameOrder(db));
		expect(inside?.map((e) => e[1])).toEqual(['p-1', 'p-4', 'p-2', 'p-3']);
	});

	it('keeps the name order current after later appends and renames', async () => {
		const { db, vault } = setup();
		await appendEvents(db, registrations());
		expect(await names(db, {})).toEqual(['Amina', 'Émile', 'José', 'Zawadi']);
		await appendEvents(db, [ev('p-5', 'create-individual', { givenName: 'Baraka' }, 20_000), ev('p-3', 'update-individual', { givenName: 'Aaron' }, 21_000)]);
		// Updated in place when the append committed, not rebuilt by a rescan.
		expect(vault.cachedNames(6, 0)?.map((e) => e[1])).toEqual(['p-3', 'p-1', 'p-5', 'p-4', 'p-2']);
		expect(await names(db, {})).toEqual(['Aaron', 'Amina', 'Baraka', 'Émile', 'José']);
	});

	it('loads only the hits of a common search word, in name order, not every record before them', async () => {
		const { db } = setup();
		// 300 people sorted by name; the 3 last ones carry the word searched for.
		const many = Array.from({ length: 300 }, (_, i) => ev(`m-${String(i).padStart(3, '0')}`, 'create-individual', { givenName: `N${String(i).padStart(3, '0')}`, familyName: i >= 297 ? 'Zawadi' : 'Otieno' }, i));
		await appendEvents(db, many);
		await nameOrder(db);
		await nameIndexSaved(db);
		// Outside a transaction the walk opens rows with WebCrypto: one decryption per row opened.
		const decrypt = vi.spyOn(crypto.subtle, 'decrypt');
		try {
			// A load limit of 0 sends every search down the many-hits path, as a word carried by thousands would.
			const page = await listEntities(db, { text: 'zaw', limit: 5 }, { searchLoadLimit: 0 });
			expect(page.entities.map((e) => e.data.givenName)).toEqual(['N297', 'N298', 'N299']);
			expect(decrypt).toHaveBeenCalledTimes(3);
		} finally {
			decrypt.mockRestore();
		}
	});

	it('sees appends made through another connection (another tab)', async () => {
		const { db, key } = setup();
		await appendEvents(db, registrations());
		expect(await names(db, {})).toHaveLength(4);
		const other = openVaultDb(db.name, { indexedDB, IDBKeyRange });
		other.vault.unlock(alice, key);
		await appendEvents(other.db, [ev('p-9', 'create-individual', { givenName: 'Baraka' }, 30_000)]);
		other.db.close();
		expect(await names(db, {})).toEqual(['Amina', 'Baraka', 'Émile', 'José', 'Zawadi']);
	});

	it('sees records rebuilt through another connection (another tab), which moves no head, and keeps its order through its own rebuild', async () => {
		const { db, vault, key } = setup();
		await appendEvents(db, registrations());
		const other = openVaultDb(db.name, { indexedDB, IDBKeyRange });
		other.vault.unlock(alice, key);
		// A record lost on disk: this connection builds its name order without it.
		await other.db.entities.delete('p-2');
		expect(await names(db, {})).toEqual(['Amina', 'Émile', 'Zawadi']);
		expect(await rebuildProjections(other.db)).toMatchObject({ changed: 1 });
		expect(await names(db, {})).toEqual(['Amina', 'Émile', 'José', 'Zawadi']);
		// Healthy records: a rebuild that changes nothing counts no rebuild, and the order stays.
		expect(await rebuildProjections(db)).toMatchObject({ changed: 0 });
		expect((await db.meta.get('projections'))?.value).toEqual({ rebuilt: 1 });
		// This connection's own rebuild moves its order in place, as its appends do: no rescan.
		await other.db.entities.delete('p-3');
		other.db.close();
		expect(await rebuildProjections(db)).toMatchObject({ changed: 1 });
		expect(vault.cachedNames(4, 2)?.map((e) => e[1])).toEqual(['p-1', 'p-4', 'p-2', 'p-3']);
		expect(await names(db, {})).toEqual(['Amina', 'Émile', 'José', 'Zawadi']);
	});
});

describe('when the vault is locked', () => {
	it('refuses an append with not-signed-in and stores nothing', async () => {
		const { db, vault } = setup();
		await appendEvents(db, registrations().slice(0, 1));
		vault.lock();
		await expect(appendEvents(db, [ev('p-8', 'create-individual', { givenName: 'X' }, 1)])).rejects.toMatchObject({ code: 'not-signed-in' });
		expect(await db.events.count()).toBe(1);
		expect(await db.entities.count()).toBe(1);
		expect((await db.meta.get('head'))?.value).toMatchObject({ size: 1 });
	});

	it('refuses to read records with not-signed-in', async () => {
		const { db, vault } = setup();
		await appendEvents(db, registrations());
		vault.lock();
		await expect(getEntity(db, 'p-1')).rejects.toMatchObject({ code: 'not-signed-in' });
		await expect(listEntities(db, { text: 'ami' })).rejects.toMatchObject({ code: 'not-signed-in' });
		await expect(getEvent(db, 'ev-000001')).rejects.toMatchObject({ code: 'not-signed-in' });
	});
});

describe('who records an event', () => {
	it('refuses a local event whose userId is not the signed-in user, storing nothing', async () => {
		const { db } = setup();
		await expect(appendEvents(db, [ev('p-1', 'create-individual', { givenName: 'A' }, 0, 'u-mallory')])).rejects.toMatchObject({ code: 'forbidden' });
		expect(await db.events.count()).toBe(0);
		expect(await db.entities.count()).toBe(0);
	});

	it('accepts imported events recorded by other users', async () => {
		const { db } = setup();
		const result = await appendEvents(db, [ev('p-1', 'create-individual', { givenName: 'A' }, 0, 'u-other')], { origins: [{ deviceId: 'd-2', index: 0 }] });
		expect(result.appended).toBe(1);
	});
});

describe('tampering on disk', () => {
	it('pinpoints an event whose ciphertext was changed', async () => {
		const { db } = setup();
		await appendEvents(db, registrations());
		await rawEdit(db.name, 'events', 2, (r) => {
			const sealed = (r.sealed as Uint8Array).slice();
			sealed[40]! ^= 1;
			r.sealed = sealed;
		});
		const report = await checkIntegrity(db);
		expect(report.ok).toBe(false);
		expect(report.tampered).toEqual([2]);
	});

	it('pinpoints an event whose ciphertext was swapped with another one', async () => {
		const { db } = setup();
		await appendEvents(db, registrations());
		const first = await rawGet(db.name, 'events', 0);
		await rawEdit(db.name, 'events', 1, (r) => {
			r.sealed = first?.sealed;
		});
		expect((await checkIntegrity(db)).tampered).toEqual([1]);
	});

	it('refuses an entity whose sealed projection was moved onto another row', async () => {
		const { db } = setup();
		await appendEvents(db, registrations());
		const amina = await rawGet(db.name, 'entities', 'p-1');
		await rawEdit(db.name, 'entities', 'p-2', (r) => {
			r.sealed = amina?.sealed;
		});
		await expect(getEntity(db, 'p-2')).rejects.toMatchObject({ code: 'decryption-failed' });
		expect((await getEntity(db, 'p-1'))?.data.givenName).toBe('Amina');
	});

	it('a rebuild rewrites an entity and a snapshot whose ciphertext was changed, which reads refuse until then', async () => {
		const { db } = setup();
		const updates = [1, 2, 3].map((i) => ev('p-1', 'update-individual', { phone: `+25470000010${i}` }, 10_000 + i * 1000));
		await appendEvents(db, [...registrations(), ...updates], { firstSnapshot: 2 });
		const before = await getEntity(db, 'p-2');
		const flip = (r: Record<string, unknown>): void => {
			const sealed = (r.sealed as Uint8Array).slice();
			sealed[20]! ^= 1;
			r.sealed = sealed;
		};
		await rawEdit(db.name, 'entities', 'p-2', flip);
		await rawEdit(db.name, 'snapshots', ['p-1', 2], flip);
		await expect(getEntity(db, 'p-2')).rejects.toMatchObject({ code: 'decryption-failed' });
		expect((await rebuildProjections(db, { firstSnapshot: 2 })).changed).toBe(2);
		expect(await getEntity(db, 'p-2')).toEqual(before);
		expect(await db.snapshots.get(['p-1', 2])).toMatchObject({ entityGuid: 'p-1', position: 2, entity: { guid: 'p-1' } });
		expect((await rebuildProjections(db, { firstSnapshot: 2 })).changed).toBe(0);
	});

	it('cannot be read under another data key', async () => {
		const { db, vault } = setup();
		await appendEvents(db, registrations());
		vault.unlock(alice, generateDataKey());
		await expect(getEntity(db, 'p-1')).rejects.toMatchObject({ code: 'decryption-failed' });
	});
});

describe("other devices' leaf hashes (bundle exchange)", () => {
	it('seals level-0 peer nodes on disk, keeps higher ones clear, and reads both back', async () => {
		const { db, vault } = setup();
		const leaf = new Uint8Array(32).fill(7);
		const node = new Uint8Array(32).fill(9);
		await db.peerNodes.bulkAdd([
			{ deviceId: 'd-2', level: 0, index: 3, hash: leaf, treeSize: 4 },
			{ deviceId: 'd-2', level: 1, index: 1, hash: node, treeSize: 4 }
		]);
		const rawLeaf = await rawGet(db.name, 'peerNodes', ['d-2', 0, 3]);
		expect(rawLeaf?.hash).toBeUndefined();
		expect(rawLeaf?.sealed).toBeInstanceOf(Uint8Array);
		expect((await rawGet(db.name, 'peerNodes', ['d-2', 1, 1]))?.hash).toEqual(node);
		expect((await db.peerNodes.get(['d-2', 0, 3]))?.hash).toEqual(leaf);
		expect((await db.peerNodes.get(['d-2', 1, 1]))?.hash).toEqual(node);
		vault.lock();
		await expect(db.peerNodes.get(['d-2', 0, 3])).rejects.toMatchObject({ code: 'not-signed-in' });
	});
});

describe('Vault.lockIfIdle', () => {
	it('locks after the idle time without activity, and activity pushes it back', () => {
		const { vault, key } = setup();
		const t0 = Date.UTC(2026, 0, 1);
		const idle = 15 * 60_000;
		vault.unlock(alice, key, t0);
		expect(vault.lockIfIdle(idle, t0 + idle - 1)).toBe(false);
		vault.touch(t0 + idle - 1);
		expect(vault.lockIfIdle(idle, t0 + 2 * idle - 2)).toBe(false);
		expect(vault.user()).toEqual(alice);
		expect(vault.lockIfIdle(idle, t0 + 2 * idle - 1)).toBe(true);
		expect(vault.user()).toBeUndefined();
		expect(() => vault.keys()).toThrow(expect.objectContaining({ code: 'not-signed-in' }));
	});
});
