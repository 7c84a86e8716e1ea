import { afterEach, describe, expect, it } from 'vitest';
import type { CasetrailEvent } from '../../../src/lib/core/event';
import { wrapDataKey, generateDataKey } from '../../../src/lib/crypto/keys';
import { sealJson, storageKeys } from '../../../src/lib/crypto/seal';
import { appendEvents } from '../../../src/lib/store/append';
import type { CasetrailDb } from '../../../src/lib/store/db';
import { getEntity } from '../../../src/lib/store/read';
import { addUser, changeSecret, currentUser, DATA_LOSS_NOTICE, isSetUp, listProfiles, removeUser, setUp, signIn, signOut, updateUser } from '../../../src/lib/store/users';
import { at, dropDb } from './helpers';
import { freshVaultDb, rawDump, rawEdit } from './vault-helpers';
import { vaultOf } from '../../../src/lib/store/vault';

const open: CasetrailDb[] = [];
afterEach(async () => {
	await Promise.all(open.splice(0).map(dropDb));
});

function fresh(): CasetrailDb {
	const { db } = freshVaultDb();
	open.push(db);
	return db;
}

const NOW = new Date('2026-11-23T09:30:00.000Z');
const ADMIN_PASS = 'correct horse battery staple';

async function setUpDevice(): Promise<{ db: CasetrailDb; adminId: string }> {
	const db = fresh();
	const { user } = await setUp(db, { name: 'Alice Admin', passphrase: ADMIN_PASS }, NOW);
	return { db, adminId: user.id };
}

function register(userId: string, entityGuid: string, givenName: string): CasetrailEvent {
	return { guid: `${entityGuid}-create`, entityGuid, type: 'create-individual', data: { givenName }, timestamp: at(1000), userId };
}

describe('setUp', () => {
	it('makes the first administrator, signs them in and says that losing every passphrase loses the data', async () => {
		const db = fresh();
		expect(await isSetUp(db)).toBe(false);
		const result = await setUp(db, { name: '  Alice Admin ', passphrase: ADMIN_PASS }, NOW);
		expect(result.user).toMatchObject({ name: 'Alice Admin', role: 'administrator', createdAt: NOW.toISOString(), createdBy: result.user.id });
		expect(result.notice).toBe(DATA_LOSS_NOTICE);
		expect(result.notice).toMatch(/every passphrase/);
		expect(result.notice).toMatch(/export/);
		expect(currentUser(db)).toEqual(result.user);
		expect(await isSetUp(db)).toBe(true);
	});

	it('refuses a second setup with already-set-up', async () => {
		const { db } = await setUpDevice();
		await expect(setUp(db, { name: 'Mallory', passphrase: 'another passphrase' })).rejects.toMatchObject({ code: 'already-set-up' });
		expect(await db.users.count()).toBe(1);
	});

	it('lets only one of two setups racing in two tabs win', async () => {
		const db = fresh();
		const results = await Promise.allSettled([setUp(db, { name: 'A', passphrase: ADMIN_PASS }), setUp(db, { name: 'B', passphrase: ADMIN_PASS })]);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'already-set-up' } });
		expect(await db.users.count()).toBe(1);
	});

	it('refuses a short passphrase with validation-failed and stores nothing', async () => {
		const db = fresh();
		await expect(setUp(db, { name: 'Alice', passphrase: 'short' })).rejects.toMatchObject({ code: 'validation-failed', fields: { secret: expect.any(String) } });
		expect(await isSetUp(db)).toBe(false);
	});

	it('stores no passphrase and no data key in clear', async () => {
		const { db } = await setUpDevice();
		const dump = [...(await rawDump(db.name)).values()].flat().join('\n');
		expect(dump).not.toContain('horse');
	});
});

describe('signIn and signOut', () => {
	it('signs out (forgetting the key) and back in with the passphrase, reading what was recorded', async () => {
		const { db, adminId } = await setUpDevice();
		await appendEvents(db, [register(adminId, 'p-1', 'Amina')]);
		signOut(db);
		expect(currentUser(db)).toBeUndefined();
		await expect(getEntity(db, 'p-1')).rejects.toMatchObject({ code: 'not-signed-in' });
		const user = await signIn(db, adminId, ADMIN_PASS);
		expect(user.id).toBe(adminId);
		expect((await getEntity(db, 'p-1'))?.data.givenName).toBe('Amina');
	});

	it('refuses a wrong passphrase with wrong-passphrase and stays locked', async () => {
		const { db, adminId } = await setUpDevice();
		signOut(db);
		await expect(signIn(db, adminId, 'correct horse battery stapler')).rejects.toMatchObject({ code: 'wrong-passphrase' });
		expect(currentUser(db)).toBeUndefined();
	});

	it('refuses an unknown user with not-found', async () => {
		const { db } = await setUpDevice();
		await expect(signIn(db, 'nobody', ADMIN_PASS)).rejects.toMatchObject({ code: 'not-found' });
	});

	it('refuses a profile whose role was raised on disk', async () => {
		const { db, adminId } = await setUpDevice();
		const worker = await addUser(db, { name: 'Carl Worker', role: 'case-worker', secretKind: 'passphrase', secret: 'carl passphrase' }, NOW);
		signOut(db);
		await rawEdit(db.name, 'users', worker.id, (r) => {
			r.role = 'administrator';
		});
		await expect(signIn(db, worker.id, 'carl passphrase')).rejects.toMatchObject({ code: 'decryption-failed' });
		expect(currentUser(db)).toBeUndefined();
		expect((await signIn(db, adminId, ADMIN_PASS)).role).toBe('administrator');
	});

	it('refuses a user row forged with another data key', async () => {
		const { db } = await setUpDevice();
		const forgedKey = generateDataKey();
		const profile = { id: 'u-forged', name: 'Eve', role: 'administrator' as const, createdAt: NOW.toISOString(), createdBy: 'u-forged' };
		await db.users.add({
			...profile,
			secretKind: 'passphrase',
			key: await wrapDataKey(forgedKey, 'eve passphrase', 'u-forged'),
			attempts: { failures: 0, lastFailureAt: null },
			profile: sealJson(storageKeys(forgedKey).seal, profile, 'user:u-forged')
		});
		signOut(db);
		await expect(signIn(db, 'u-forged', 'eve passphrase')).rejects.toMatchObject({ code: 'decryption-failed' });
		expect(currentUser(db)).toBeUndefined();
	});
});

describe('PIN key slots (issue 15)', () => {
	it('are never made: adding a user with a PIN or changing to one is validation-failed on secretKind, and nothing is stored', async () => {
		const { db, adminId } = await setUpDevice();
		await expect(addUser(db, { name: 'Pia', role: 'case-worker', secretKind: 'pin', secret: '482915' }, NOW)).rejects.toMatchObject({ code: 'validation-failed', fields: { secretKind: expect.any(String) } });
		expect(await db.users.count()).toBe(1);
		await expect(changeSecret(db, { userId: adminId, secretKind: 'pin', secret: '482915', current: ADMIN_PASS })).rejects.toMatchObject({ code: 'validation-failed' });
		expect((await db.users.get(adminId))?.secretKind).toBe('passphrase');
	});

	it('stored by an older build no longer sign in (passphrase-required, no derivation), until an administrator sets a passphrase', async () => {
		const { db } = await setUpDevice();
		const worker = await addUser(db, { name: 'Pia', role: 'case-worker', secretKind: 'passphrase', secret: 'pia passphrase' }, NOW);
		// What an older build stored: the data key wrapped under a PIN.
		const dataKey = vaultOf(db)!.dataKey();
		await db.users.update(worker.id, { secretKind: 'pin', key: await wrapDataKey(dataKey, '482915', worker.id) });
		signOut(db);
		await expect(signIn(db, worker.id, '482915')).rejects.toMatchObject({ code: 'passphrase-required' });
		await signIn(db, (await db.users.toArray()).find((r) => r.role === 'administrator')!.id, ADMIN_PASS);
		await changeSecret(db, { userId: worker.id, secretKind: 'passphrase', secret: 'a new passphrase' });
		signOut(db);
		expect((await signIn(db, worker.id, 'a new passphrase')).id).toBe(worker.id);
	});
});

describe('managing users', () => {
	it('lets an administrator add a case worker who then signs in and records as themselves', async () => {
		const { db, adminId } = await setUpDevice();
		const worker = await addUser(db, { name: 'Carl Worker', role: 'case-worker', secretKind: 'passphrase', secret: 'carl passphrase' }, NOW);
		expect(worker).toMatchObject({ name: 'Carl Worker', role: 'case-worker', createdBy: adminId });
		signOut(db);
		await signIn(db, worker.id, 'carl passphrase');
		await appendEvents(db, [register(worker.id, 'p-2', 'Baraka')]);
		await expect(appendEvents(db, [register(adminId, 'p-3', 'Zawadi')])).rejects.toMatchObject({ code: 'forbidden' });
		expect((await listProfiles(db)).map((p) => [p.name, p.role])).toEqual([
			['Alice Admin', 'administrator'],
			['Carl Worker', 'case-worker']
		]);
	});

	it('refuses user management to a case worker (forbidden) and to nobody (not-signed-in)', async () => {
		const { db } = await setUpDevice();
		const worker = await addUser(db, { name: 'Carl', role: 'case-worker', secretKind: 'passphrase', secret: 'carl passphrase' });
		signOut(db);
		const input = { name: 'Dan', role: 'administrator' as const, secretKind: 'passphrase' as const, secret: 'dan passphrase' };
		await expect(addUser(db, input)).rejects.toMatchObject({ code: 'not-signed-in' });
		await signIn(db, worker.id, 'carl passphrase');
		await expect(addUser(db, input)).rejects.toMatchObject({ code: 'forbidden' });
		await expect(updateUser(db, worker.id, { role: 'administrator' })).rejects.toMatchObject({ code: 'forbidden' });
		expect(await db.users.count()).toBe(2);
	});

	it('keeps at least one administrator and refuses removing oneself', async () => {
		const { db, adminId } = await setUpDevice();
		await expect(updateUser(db, adminId, { role: 'supervisor' })).rejects.toMatchObject({ code: 'forbidden' });
		await expect(removeUser(db, adminId)).rejects.toMatchObject({ code: 'forbidden' });
		const second = await addUser(db, { name: 'Bea', role: 'administrator', secretKind: 'passphrase', secret: 'bea passphrase' });
		expect(await updateUser(db, adminId, { role: 'supervisor' })).toMatchObject({ role: 'supervisor' });
		expect(currentUser(db)?.role).toBe('supervisor');
		await expect(removeUser(db, second.id)).rejects.toMatchObject({ code: 'forbidden' });
	});

	it('re-seals the profile on change, so the changed user still signs in', async () => {
		const { db } = await setUpDevice();
		const worker = await addUser(db, { name: 'Carl', role: 'case-worker', secretKind: 'passphrase', secret: 'carl passphrase' });
		await updateUser(db, worker.id, { name: 'Carl Ochieng', role: 'supervisor' });
		signOut(db);
		expect(await signIn(db, worker.id, 'carl passphrase')).toMatchObject({ name: 'Carl Ochieng', role: 'supervisor' });
	});

	it('removes a user so they can no longer sign in', async () => {
		const { db } = await setUpDevice();
		const worker = await addUser(db, { name: 'Carl', role: 'case-worker', secretKind: 'passphrase', secret: 'carl passphrase' });
		await removeUser(db, worker.id);
		signOut(db);
		await expect(signIn(db, worker.id, 'carl passphrase')).rejects.toMatchObject({ code: 'not-found' });
	});
});

describe('changeSecret', () => {
	it('changes one own passphrase only with the current one', async () => {
		const { db, adminId } = await setUpDevice();
		await expect(changeSecret(db, { userId: adminId, secretKind: 'passphrase', secret: 'a brand new passphrase', current: 'not it at all' })).rejects.toMatchObject({ code: 'wrong-passphrase' });
		await changeSecret(db, { userId: adminId, secretKind: 'passphrase', secret: 'a brand new passphrase', current: ADMIN_PASS });
		signOut(db);
		await expect(signIn(db, adminId, ADMIN_PASS)).rejects.toMatchObject({ code: 'wrong-passphrase' });
		expect((await signIn(db, adminId, 'a brand new passphrase')).id).toBe(adminId);
	});

	it("lets an administrator reset another user's passphrase, and nobody else", async () => {
		const { db, adminId } = await setUpDevice();
		const worker = await addUser(db, { name: 'Carl', role: 'case-worker', secretKind: 'passphrase', secret: 'carl passphrase' });
		await changeSecret(db, { userId: worker.id, secretKind: 'passphrase', secret: 'carl new passphrase' });
		signOut(db);
		await signIn(db, worker.id, 'carl new passphrase');
		await expect(changeSecret(db, { userId: adminId, secretKind: 'passphrase', secret: 'taken over now' })).rejects.toMatchObject({ code: 'forbidden' });
	});
});
