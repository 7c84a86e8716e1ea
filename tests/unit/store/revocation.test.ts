/**
 * Issue 15 (3), in part: user profiles are versioned and authenticated, so a row copied before a
 * removal, a demotion or a secret reset and put back on disk is refused at sign-in
 * ('profile-revoked'), and a tab where a removed user is signed in signs them out, a demoted one
 * loses the role at once (revalidateSession, which each tab's worker runs when another tab's worker
 * announces a change of users).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createGuidGenerator } from '../../../src/lib/core/event';
import type { CasetrailDb, UserRow } from '../../../src/lib/store/db';
import { createWorkerApi } from '../../../src/lib/worker/api';
import { openVaultDb } from '../../../src/lib/store/vault';
import { addUser, changeSecret, currentUser, removeUser, revalidateSession, setUp, signIn, updateUser } from '../../../src/lib/store/users';
import { dropDb, IDBKeyRange, indexedDB } from './helpers';
import { asSetUpBeforeRosters, freshVaultDb } from './vault-helpers';

const opened: CasetrailDb[] = [];
afterEach(async () => {
	const [first, ...rest] = opened.splice(0);
	for (const db of rest) db.close();
	if (first) await dropDb(first);
});

const ADMIN_PASS = 'correct horse battery staple';
const PASS = 'blue river tea garden';

/** A device set up by an administrator (signed in, tab A) with `role` user Sam added. */
async function device(role: 'supervisor' | 'administrator'): Promise<{ db: CasetrailDb; samId: string }> {
	const { db } = freshVaultDb();
	opened.push(db);
	await setUp(db, { name: 'Alice Admin', passphrase: ADMIN_PASS });
	const sam = await addUser(db, { name: 'Sam', role, secretKind: 'passphrase', secret: PASS });
	return { db, samId: sam.id };
}

/** A second tab (its own connection and vault) on the same database. */
function secondTab(db: CasetrailDb): CasetrailDb {
	const tab = openVaultDb(db.name, { indexedDB, IDBKeyRange }).db;
	opened.push(tab);
	return tab;
}

async function copyOf(db: CasetrailDb, id: string): Promise<UserRow> {
	return (await db.users.get(id)) as UserRow;
}

describe('a removed user', () => {
	it('whose row was copied before the removal and put back cannot sign in (profile-revoked)', async () => {
		const { db, samId } = await device('supervisor');
		const before = await copyOf(db, samId);
		await removeUser(db, samId);
		await db.users.put(before);
		const tab = secondTab(db);
		// Since rotation (decision 0007) the copy opens only the old data key, which no longer opens the device.
		await expect(signIn(tab, samId, PASS)).rejects.toMatchObject({ code: 'decryption-failed' });
		expect(currentUser(tab)).toBeUndefined();
	});

	it('is signed out of a tab where they were signed in once that tab checks its session', async () => {
		const { db, samId } = await device('supervisor');
		const tab = secondTab(db);
		await signIn(tab, samId, PASS);
		expect((await revalidateSession(tab))?.id).toBe(samId);
		await removeUser(db, samId);
		expect(await revalidateSession(tab)).toBeUndefined();
		expect(currentUser(tab)).toBeUndefined();
	});
});

describe('a demoted user', () => {
	it('who restores their row from before the demotion cannot sign in with it (profile-revoked)', async () => {
		const { db, samId } = await device('administrator');
		const before = await copyOf(db, samId);
		await updateUser(db, samId, { role: 'case-worker' });
		await db.users.put(before);
		const tab = secondTab(db);
		// A demotion rotates the data key: the older copy holds only the old one.
		await expect(signIn(tab, samId, PASS)).rejects.toMatchObject({ code: 'decryption-failed' });
	});

	it('is signed out of a tab where they are signed in once it checks its session, and signs in again with the new role', async () => {
		const { db, samId } = await device('administrator');
		const tab = secondTab(db);
		await signIn(tab, samId, PASS);
		await updateUser(db, samId, { role: 'case-worker' });
		// The demotion rotated the data key: the tab's session holds the old one.
		expect(await revalidateSession(tab)).toBeUndefined();
		expect(currentUser(tab)).toBeUndefined();
		expect((await signIn(tab, samId, PASS)).role).toBe('case-worker');
	});

	it('keeps the role in a tab where a rename (no rotation) happened', async () => {
		const { db, samId } = await device('administrator');
		const tab = secondTab(db);
		await signIn(tab, samId, PASS);
		await updateUser(db, samId, { name: 'Samuel' });
		expect((await revalidateSession(tab))?.name).toBe('Samuel');
	});

	it('still signs in with their current row', async () => {
		const { db, samId } = await device('administrator');
		await updateUser(db, samId, { role: 'supervisor', name: 'Samuel' });
		const tab = secondTab(db);
		expect(await signIn(tab, samId, PASS)).toMatchObject({ id: samId, role: 'supervisor', name: 'Samuel' });
	});
});

describe('a reset secret', () => {
	it('leaves the row with the old secret, put back on disk, unable to sign in', async () => {
		const { db, samId } = await device('supervisor');
		const before = await copyOf(db, samId);
		await changeSecret(db, { userId: samId, secretKind: 'passphrase', secret: 'a brand new passphrase' });
		const tab = secondTab(db);
		expect((await signIn(tab, samId, 'a brand new passphrase')).id).toBe(samId);
		await db.users.put(before);
		await expect(signIn(tab, samId, PASS)).rejects.toMatchObject({ code: 'profile-revoked' });
	});
});

describe('a device set up before profile versions', () => {
	it('makes its roster from the rows at the first sign-in, and from then on refuses an older copy', async () => {
		const { db, samId } = await device('supervisor');
		await asSetUpBeforeRosters(db);
		const tab = secondTab(db);
		expect((await signIn(tab, samId, PASS)).id).toBe(samId);
		expect(await db.meta.get('roster')).toBeDefined();
		const before = await copyOf(db, samId);
		await removeUser(db, samId);
		await db.users.put(before);
		await expect(signIn(tab, samId, PASS)).rejects.toMatchObject({ code: 'decryption-failed' });
	});
});

describe('a device set up with a roster', () => {
	it('does not take a removed roster for an older device: nobody signs in, not even a removed user whose row was put back', async () => {
		const { db, samId } = await device('supervisor');
		const before = await copyOf(db, samId);
		await removeUser(db, samId);
		await db.users.put(before);
		await db.meta.delete('roster');
		const tab = secondTab(db);
		await expect(signIn(tab, samId, PASS)).rejects.toMatchObject({ code: 'decryption-failed' });
		const admin = (await db.users.toArray()).find((r) => r.role === 'administrator');
		await expect(signIn(tab, admin?.id ?? '', ADMIN_PASS)).rejects.toMatchObject({ code: 'decryption-failed', message: expect.stringContaining('list of this device’s users') });
		expect(currentUser(tab)).toBeUndefined();
	});

	it('signs a user out of a tab when the roster is removed under it', async () => {
		const { db, samId } = await device('supervisor');
		const tab = secondTab(db);
		await signIn(tab, samId, PASS);
		await db.meta.delete('roster');
		expect(await revalidateSession(tab)).toBeUndefined();
		expect(currentUser(tab)).toBeUndefined();
	});
});

describe('the worker API across tabs', () => {
	it('signs a removed user out of their other tab, and applies a demotion there, as soon as the change is announced', async () => {
		const { db: adminDb } = freshVaultDb();
		opened.push(adminDb);
		const samDb = secondTab(adminDb);
		const announced: Promise<unknown>[] = [];
		const api = (db: CasetrailDb, others: () => CasetrailDb[]) =>
			createWorkerApi({
				db,
				now: () => new Date(),
				newGuid: createGuidGenerator(),
				appVersion: 'test',
				user: () => currentUser(db),
				deviceId: async () => undefined,
				announce: () => undefined,
				// As db.worker.ts does over its BroadcastChannel: every other tab's worker checks its session.
				announceUsers: () => {
					for (const other of others()) announced.push(revalidateSession(other));
				}
			});
		const adminApi = api(adminDb, () => [samDb]);
		const samApi = api(samDb, () => [adminDb]);
		const setUpDone = await adminApi.setUp({ name: 'Alice Admin', passphrase: ADMIN_PASS });
		expect(setUpDone.ok).toBe(true);
		const added = await adminApi.addUser({ name: 'Sam', role: 'supervisor', secretKind: 'passphrase', secret: PASS });
		if (!added.ok) throw new Error(added.error.message);
		await Promise.all(announced.splice(0));
		expect((await samApi.signIn(added.value.id, PASS)).ok).toBe(true);

		expect((await adminApi.updateUser(added.value.id, { role: 'case-worker' })).ok).toBe(true);
		await Promise.all(announced.splice(0));
		// The demotion rotated the data key: Sam's tab is signed out and signs in again as a case worker.
		expect(currentUser(samDb)).toBeUndefined();
		expect((await samApi.signIn(added.value.id, PASS)).ok).toBe(true);
		expect(currentUser(samDb)?.role).toBe('case-worker');

		expect((await adminApi.removeUser(added.value.id)).ok).toBe(true);
		await Promise.all(announced.splice(0));
		expect(currentUser(samDb)).toBeUndefined();
		const after = await samApi.listEntities({});
		expect(after.ok ? 'ok' : after.error.code).toBe('not-signed-in');
	});
});
