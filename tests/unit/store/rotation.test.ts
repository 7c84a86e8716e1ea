/**
 * Issue 15 (3), the rest: removing a user or lowering a role rotates the data key
 * (docs/decisions/0007-data-key-rotation.md). A copy of the removed user's row, with their
 * passphrase, opens only the old key, which opens nothing on the device any more; every remaining
 * user reads every record; an interrupted rotation leaves the device openable and the next sign-in
 * finishes it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CasetrailEvent } from '../../../src/lib/core/event';
import { openPrivateKey, unwrapDataKey, unwrapFromPublicSlot, wrapDataKey, type UserKeyPair } from '../../../src/lib/crypto/keys';
import { open, openText, storageKeys } from '../../../src/lib/crypto/seal';
import { appendEvents } from '../../../src/lib/store/append';
import type { CasetrailDb, UserRow } from '../../../src/lib/store/db';
import { checkIntegrity } from '../../../src/lib/store/integrity';
import { rebuildProjections } from '../../../src/lib/store/rebuild';
import { getEntity, getEntityEvents, listEntities } from '../../../src/lib/store/read';
import { addUser, currentUser, removeUser, rotationStatus, setUp, signIn, signOut, updateUser } from '../../../src/lib/store/users';
import { openVaultDb, vaultOf, type Vault } from '../../../src/lib/store/vault';
import { deviceIdentity, deviceSigner } from '../../../src/lib/worker/device';
import { at, dropDb, IDBKeyRange, indexedDB } from './helpers';
import { freshVaultDb, rawGet } from './vault-helpers';

const opened: CasetrailDb[] = [];
afterEach(async () => {
	const [first, ...rest] = opened.splice(0);
	for (const db of rest) db.close();
	if (first) await dropDb(first);
});

const ADMIN_PASS = 'correct horse battery staple';
const SAM_PASS = 'blue river tea garden';
const CW_PASS = 'seven silver spoons';

interface Device {
	db: CasetrailDb;
	adminId: string;
	samId: string;
	cwId: string;
}

/** Administrator Alice (signed in), supervisor Sam, case worker Chris, and `people` registered by Alice. */
async function device(people = 12): Promise<Device> {
	const { db } = freshVaultDb();
	opened.push(db);
	const { user } = await setUp(db, { name: 'Alice Admin', passphrase: ADMIN_PASS });
	const sam = await addUser(db, { name: 'Sam', role: 'supervisor', secretKind: 'passphrase', secret: SAM_PASS });
	const cw = await addUser(db, { name: 'Chris', role: 'case-worker', secretKind: 'passphrase', secret: CW_PASS });
	const events: CasetrailEvent[] = [];
	for (let i = 0; i < people; i++) {
		events.push({ guid: `ev-c-${i}`, entityGuid: `p-${i}`, type: 'create-individual', data: { givenName: `Amina${i}`, familyName: 'Yusuf', phone: `+2547000${String(i).padStart(5, '0')}` }, timestamp: at(i * 1000), userId: user.id });
	}
	await appendEvents(db, events, { firstSnapshot: 1 });
	// Updates, so snapshots exist too.
	await appendEvents(db, [{ guid: 'ev-u-0', entityGuid: 'p-0', type: 'update-individual', data: { familyName: 'Okafor' }, timestamp: at(99_000), userId: user.id }], { firstSnapshot: 1 });
	await deviceIdentity(db);
	return { db, adminId: user.id, samId: sam.id, cwId: cw.id };
}

function secondTab(db: CasetrailDb): CasetrailDb {
	const tab = openVaultDb(db.name, { indexedDB, IDBKeyRange }).db;
	opened.push(tab);
	return tab;
}

/** The data key a stored copy of a row opens with its passphrase, as someone outside the app would. */
async function keyOfCopy(row: UserRow, passphrase: string): Promise<Uint8Array> {
	// A row from before key pairs (so the same test runs against the code before rotation, and fails there).
	if (!row.pair && row.key) return unwrapDataKey(row.key, passphrase, row.id);
	const pair = row.pair as UserKeyPair;
	const privateKey = await openPrivateKey(pair, passphrase, row.id);
	return unwrapFromPublicSlot(pair.dataKey, privateKey, pair.publicKey, row.id);
}

/** Whether `key` opens the vault check, the device key, and how many raw event and entity rows. */
async function whatOpens(db: CasetrailDb, key: Uint8Array): Promise<{ vault: boolean; device: boolean; events: number; entities: number }> {
	const keys = storageKeys(key);
	const attempt = (f: () => unknown) => {
		try {
			f();
			return true;
		} catch {
			return false;
		}
	};
	const vaultRow = await rawGet(db.name, 'meta', 'vault');
	const deviceRow = await rawGet(db.name, 'keys', 'device');
	const events = await db.events.count();
	let eventsOpen = 0;
	for (let seq = 0; seq < events; seq++) {
		const row = await rawGet(db.name, 'events', seq);
		if (attempt(() => open(keys.seal, row?.sealed as Uint8Array, `event:${seq}`))) eventsOpen++;
	}
	let entitiesOpen = 0;
	for (const guid of (await db.entities.toCollection().primaryKeys()) as string[]) {
		const row = await rawGet(db.name, 'entities', guid);
		if (attempt(() => open(keys.seal, row?.sealed as Uint8Array, `entity:${guid}:${String(row?.count)}`))) entitiesOpen++;
	}
	return {
		vault: attempt(() => openText(keys.seal, (vaultRow?.value as { check: Uint8Array }).check, 'vault-check')),
		device: attempt(() => open(keys.seal, deviceRow?.sealedPrivateKey as Uint8Array, `device-key:${String(deviceRow?.deviceId)}`)),
		events: eventsOpen,
		entities: entitiesOpen
	};
}

/** Every record reads, search finds by prefix, and the integrity check passes, for whoever is signed in on `db`. */
async function everythingReads(db: CasetrailDb, people: number): Promise<void> {
	for (let i = 0; i < people; i++) {
		expect((await getEntity(db, `p-${i}`))?.data).toMatchObject({ givenName: `Amina${i}` });
		expect((await getEntityEvents(db, `p-${i}`)).length).toBeGreaterThan(0);
	}
	const page = await listEntities(db, { text: 'amina1', limit: 100 });
	expect(page.entities.map((e) => e.guid).sort()).toEqual(['p-1', 'p-10', 'p-11'].filter((g) => Number(g.slice(2)) < people).sort());
	const report = await checkIntegrity(db);
	expect(report.problems).toEqual([]);
	expect(report.ok).toBe(true);
}

describe('removing a user rotates the data key', () => {
	it('leaves a copy of their row, with their passphrase, opening a key that opens nothing on the device', async () => {
		const d = await device();
		const copy = (await d.db.users.get(d.samId)) as UserRow;
		const oldKey = await keyOfCopy(copy, SAM_PASS);
		// Before: the copy's key opens everything (the test could fail).
		const before = await whatOpens(d.db, oldKey);
		expect(before).toEqual({ vault: true, device: true, events: 13, entities: 12 });

		const outcome = await removeUser(d.db, d.samId);
		expect(await whatOpens(d.db, oldKey)).toEqual({ vault: false, device: false, events: 0, entities: 0 });
		expect(outcome).toMatchObject({ rotated: true, waitingFor: [] });
		expect(outcome.resealed).toBeGreaterThan(25);
		// The copy put back on disk does not sign in either.
		await d.db.users.put(copy);
		await expect(signIn(secondTab(d.db), d.samId, SAM_PASS)).rejects.toMatchObject({ code: 'decryption-failed' });
	});

	it('lets every remaining user read every record, search, sign and append; the integrity check passes', async () => {
		const d = await device();
		const before = await deviceIdentity(d.db);
		await removeUser(d.db, d.samId);
		// The administrator who removed carries on under the new key.
		expect(currentUser(d.db)?.id).toBe(d.adminId);
		await everythingReads(d.db, 12);
		expect((await deviceSigner(d.db)).deviceId).toBe(before.deviceId);
		await appendEvents(d.db, [{ guid: 'ev-after', entityGuid: 'p-0', type: 'update-individual', data: { middleName: 'Zawadi' }, timestamp: at(200_000), userId: d.adminId }]);
		// The case worker, in another tab, signs in with the new key (wrapped to their public key).
		const tab = secondTab(d.db);
		await signIn(tab, d.adminId, ADMIN_PASS);
		await everythingReads(tab, 12);
		signOut(tab);
		await signIn(tab, d.cwId, CW_PASS);
		expect(currentUser(tab)?.role).toBe('case-worker');
		expect((await getEntity(tab, 'p-0'))?.data).toMatchObject({ middleName: 'Zawadi' });
	});

	it('reports its progress as it goes', async () => {
		const d = await device();
		const seen: { done: number; total: number }[] = [];
		await removeUser(d.db, d.samId, { chunk: 5, onProgress: (p) => seen.push(p) });
		expect(seen.length).toBeGreaterThan(3);
		const last = seen[seen.length - 1];
		expect(last?.done).toBe(last?.total);
		for (let i = 1; i < seen.length; i++) expect((seen[i]?.done ?? 0) >= (seen[i - 1]?.done ?? 0)).toBe(true);
	});
});

describe('an interrupted rotation', () => {
	it('leaves the device openable, refuses appends under the old key meanwhile, and the next sign-in finishes it', async () => {
		const d = await device();
		const copy = (await d.db.users.get(d.samId)) as UserRow;
		const oldKey = await keyOfCopy(copy, SAM_PASS);
		const otherTab = secondTab(d.db);
		await signIn(otherTab, d.cwId, CW_PASS);
		let chunks = 0;
		await expect(
			removeUser(d.db, d.samId, {
				chunk: 4,
				onProgress: () => {
					if (++chunks === 3) throw new Error('the tab was closed');
				}
			})
		).rejects.toThrow('the tab was closed');
		// Midway: the tab that rotated is locked, the rotation record is there, rows are of both keys.
		expect(vaultOf(d.db)?.isUnlocked()).toBe(false);
		expect(await d.db.meta.get('rotation')).toBeDefined();
		const mid = await whatOpens(d.db, oldKey);
		expect(mid.events).toBeLessThan(13);
		expect(mid.vault).toBe(true);
		// Another tab still under the old key cannot write a record sealed with it: it is told to sign in again.
		await expect(
			appendEvents(otherTab, [{ guid: 'ev-mid', entityGuid: 'p-1', type: 'update-individual', data: { middleName: 'X' }, timestamp: at(300_000), userId: d.cwId }])
		).rejects.toMatchObject({ code: 'not-signed-in' });
		expect(currentUser(otherTab)).toBeUndefined();
		// The removed user's row, put back, cannot resume it.
		await d.db.users.put(copy);
		await expect(signIn(secondTab(d.db), d.samId, SAM_PASS)).rejects.toMatchObject({ code: 'profile-revoked' });
		await d.db.users.delete(d.samId);
		// The case worker's next sign-in finishes it.
		const tab = secondTab(d.db);
		const progress: number[] = [];
		await signIn(tab, d.cwId, CW_PASS, Date.now(), { onProgress: (p) => progress.push(p.done) });
		expect(progress.length).toBeGreaterThan(0);
		expect(await d.db.meta.get('rotation')).toBeUndefined();
		expect(await whatOpens(d.db, oldKey)).toEqual({ vault: false, device: false, events: 0, entities: 0 });
		signOut(tab);
		await signIn(tab, d.adminId, ADMIN_PASS);
		await everythingReads(tab, 12);
	});

	it('interrupted at its first chunk is finished by the next sign-in of the administrator who started it', async () => {
		const d = await device();
		const copy = (await d.db.users.get(d.samId)) as UserRow;
		const oldKey = await keyOfCopy(copy, SAM_PASS);
		// The tab closes as the first chunk commits.
		await removeUser(d.db, d.samId, {
			onProgress: () => {
				throw new Error('closed at the first chunk');
			}
		}).catch(() => undefined);
		const tab = secondTab(d.db);
		await signIn(tab, d.adminId, ADMIN_PASS);
		expect(await d.db.meta.get('rotation')).toBeUndefined();
		expect((await whatOpens(d.db, oldKey)).vault).toBe(false);
		await everythingReads(tab, 12);
	});
});

describe('lowering a role rotates the data key', () => {
	it('from supervisor to case worker: the older copy opens nothing, the demoted user signs in with the new role', async () => {
		const d = await device();
		const copy = (await d.db.users.get(d.samId)) as UserRow;
		const oldKey = await keyOfCopy(copy, SAM_PASS);
		const updated = await updateUser(d.db, d.samId, { role: 'case-worker' });
		expect(await whatOpens(d.db, oldKey)).toEqual({ vault: false, device: false, events: 0, entities: 0 });
		expect(updated.rotation).toMatchObject({ rotated: true, waitingFor: [] });
		const tab = secondTab(d.db);
		expect((await signIn(tab, d.samId, SAM_PASS)).role).toBe('case-worker');
		await everythingReads(d.db, 12);
	});

	it('a rename or a promotion does not rotate', async () => {
		const d = await device(2);
		const key = await keyOfCopy((await d.db.users.get(d.cwId)) as UserRow, CW_PASS);
		await updateUser(d.db, d.cwId, { name: 'Christine' });
		await updateUser(d.db, d.cwId, { role: 'supervisor' });
		expect((await whatOpens(d.db, key)).vault).toBe(true);
	});
});

describe('users not signed in since key pairs', () => {
	/** Turns `id`'s row into one stored before key pairs: the data key under the passphrase, no pair. */
	async function asLegacy(db: CasetrailDb, id: string, passphrase: string): Promise<void> {
		const row = (await db.users.get(id)) as UserRow;
		const { pair: _pair, ...rest } = row;
		await db.users.put({ ...rest, key: await wrapDataKey((vaultOf(db) as Vault).dataKey(), passphrase, id) });
	}

	it('still sign in; the rotation waits for them, says so, and runs at the sign-in that gives the last one a key pair', async () => {
		const d = await device();
		await asLegacy(d.db, d.cwId, CW_PASS);
		const copy = (await d.db.users.get(d.samId)) as UserRow;
		const oldKey = await keyOfCopy(copy, SAM_PASS);
		expect(await removeUser(d.db, d.samId)).toMatchObject({ rotated: false, waitingFor: ['Chris'] });
		expect(await rotationStatus(d.db)).toMatchObject({ rotated: false, waitingFor: ['Chris'] });
		// Revoked in the app at once; the key is not rotated yet.
		expect((await whatOpens(d.db, oldKey)).vault).toBe(true);
		const tab = secondTab(d.db);
		await signIn(tab, d.cwId, CW_PASS);
		expect((await tab.users.get(d.cwId))?.pair).toBeDefined();
		expect((await tab.users.get(d.cwId))?.key).toBeUndefined();
		expect(await rotationStatus(tab)).toMatchObject({ rotated: true, waitingFor: [] });
		expect(await whatOpens(d.db, oldKey)).toEqual({ vault: false, device: false, events: 0, entities: 0 });
		await everythingReads(tab, 12);
	});
});

describe('cost', () => {
	it('of a rotation at 2,000 records', { timeout: 120_000 }, async () => {
		const { db } = freshVaultDb();
		opened.push(db);
		const { user } = await setUp(db, { name: 'Alice Admin', passphrase: ADMIN_PASS });
		const sam = await addUser(db, { name: 'Sam', role: 'supervisor', secretKind: 'passphrase', secret: SAM_PASS });
		for (let b = 0; b < 4; b++) {
			const events: CasetrailEvent[] = [];
			for (let i = 0; i < 500; i++) {
				const k = b * 500 + i;
				events.push({ guid: `ev-${k}`, entityGuid: `p-${k}`, type: 'create-individual', data: { givenName: `Given${k}`, familyName: 'Family', phone: `+2547${String(k).padStart(8, '0')}` }, timestamp: at(k), userId: user.id });
			}
			await appendEvents(db, events);
		}
		const rows = (await db.events.count()) + (await db.entities.count());
		const started = performance.now();
		await removeUser(db, sam.id);
		const ms = performance.now() - started;
		console.log(`rotation of ${rows} rows (2,000 records): ${ms.toFixed(0)} ms`);
		expect(await db.meta.get('rotation')).toBeUndefined();
	});
});

describe('another tab that has not noticed a rotation', () => {
	it('cannot rebuild, append or check integrity under the old key, and is signed out when it tries', async () => {
		const d = await device(4);
		const tab = secondTab(d.db);
		await signIn(tab, d.cwId, CW_PASS);
		await removeUser(d.db, d.samId);
		await expect(rebuildProjections(tab, { mode: 'replace' })).rejects.toMatchObject({ code: 'not-signed-in' });
		expect(currentUser(tab)).toBeUndefined();
		await signIn(tab, d.cwId, CW_PASS);
		await expect(checkIntegrity(tab)).resolves.toMatchObject({ ok: true });
		// After the rotation, a stale tab's integrity check does not report every record changed: it signs in again.
		const stale = secondTab(d.db);
		await signIn(stale, d.adminId, ADMIN_PASS);
		await removeUser(d.db, d.cwId);
		await expect(checkIntegrity(stale)).rejects.toMatchObject({ code: 'not-signed-in' });
		await expect(
			appendEvents(stale, [{ guid: 'ev-stale', entityGuid: 'p-1', type: 'update-individual', data: { middleName: 'X' }, timestamp: at(300_000), userId: d.adminId }])
		).rejects.toMatchObject({ code: 'not-signed-in' });
		await everythingReads(d.db, 4);
	});
});

describe('user changes in a tab whose key was replaced', () => {
	it('are refused with not-signed-in, and the tab signs in again', async () => {
		const d = await device(2);
		const stale = secondTab(d.db);
		await signIn(stale, d.adminId, ADMIN_PASS);
		await removeUser(d.db, d.samId);
		await expect(addUser(stale, { name: 'Pat', role: 'case-worker', secretKind: 'passphrase', secret: 'purple kites at dawn' })).rejects.toMatchObject({ code: 'not-signed-in' });
		expect(currentUser(stale)).toBeUndefined();
		await signIn(stale, d.adminId, ADMIN_PASS);
		expect((await addUser(stale, { name: 'Pat', role: 'case-worker', secretKind: 'passphrase', secret: 'purple kites at dawn' })).name).toBe('Pat');
	});
});
