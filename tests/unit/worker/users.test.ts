import { afterEach, describe, expect, it } from 'vitest';
import type { CasetrailDb } from '../../../src/lib/store/db';
import { dropDb } from '../store/helpers';
import { rawDump } from '../store/vault-helpers';
import { failure, ok, vaultWorker } from './helpers';

let db: CasetrailDb;
afterEach(async () => {
	await dropDb(db);
});

/** The worker API as db.worker.ts builds it, over a fresh vault database; nobody signed in. */
function worker() {
	const fresh = vaultWorker();
	db = fresh.db;
	return fresh.api;
}

const ADMIN = { name: 'Alice Admin', passphrase: 'correct horse battery staple' };

function registration(givenName: string, familyName: string) {
	return { type: 'register-individual' as const, givenName, familyName, sex: 'female', dateOfBirth: '1990-01-01', phone: '+254711222333' };
}

describe('the users API of the worker', () => {
	it('starts not set up, with nobody signed in and writes refused', async () => {
		const api = worker();
		expect(await ok(api.session())).toEqual({ setUp: false, user: undefined, profiles: [] });
		expect((await failure(api.execute(registration('Amina', 'Yusuf')))).code).toBe('not-signed-in');
		expect(await db.events.count()).toBe(0);
	});

	it('sets up, adds a case worker who sees only their own records, and leaves no name in IndexedDB once locked', async () => {
		const api = worker();
		const setUp = await ok(api.setUp(ADMIN));
		expect(setUp.notice).toMatch(/export/);
		const amina = await ok(api.execute(registration('Amina', 'Yusuf')));
		const carl = await ok(api.addUser({ name: 'Carl Worker', role: 'case-worker', secretKind: 'passphrase', secret: 'carl passphrase' }));
		await ok(api.signOut());
		expect((await ok(api.session())).profiles.map((p) => p.name)).toEqual(['Alice Admin', 'Carl Worker']);

		expect((await ok(api.signIn(carl.id, 'carl passphrase'))).role).toBe('case-worker');
		const baraka = await ok(api.execute(registration('Baraka', 'Okafor')));
		expect(baraka.events.every((e) => e.userId === carl.id)).toBe(true);
		const list = await ok(api.listEntities({}));
		expect(list.entities.map((e) => e.data.givenName)).toEqual(['Baraka']);
		expect((await failure(api.entity(amina.entity!.guid))).code).toBe('forbidden');
		expect((await failure(api.execute({ type: 'update-entity', entityGuid: amina.entity!.guid, changes: { familyName: 'X' }, reason: 'typo' }))).code).toBe('forbidden');
		expect((await failure(api.addUser({ name: 'Eve', role: 'administrator', secretKind: 'passphrase', secret: 'eve passphrase' }))).code).toBe('forbidden');
		expect((await failure(api.metrics())).code).toBe('forbidden');

		await ok(api.signOut());
		expect((await failure(api.listEntities({}))).code).toBe('not-signed-in');
		const dump = [...(await rawDump(db.name)).values()].flat().join('\n').toLowerCase();
		for (const name of ['amina', 'yusuf', 'baraka', 'okafor', '254711222333']) expect(dump).not.toContain(name);

		await ok(api.signIn(setUp.user.id, ADMIN.passphrase));
		expect((await ok(api.listEntities({}))).entities.map((e) => e.data.givenName)).toEqual(['Amina', 'Baraka']);
	});

	it('shows a case worker a record once it is assigned to them, and not before', async () => {
		const api = worker();
		const { user: admin } = await ok(api.setUp(ADMIN));
		const amina = (await ok(api.execute(registration('Amina', 'Yusuf')))).entity!;
		const carl = await ok(api.addUser({ name: 'Carl', role: 'case-worker', secretKind: 'passphrase', secret: 'carl passphrase' }));
		await ok(api.signOut());
		await ok(api.signIn(carl.id, 'carl passphrase'));
		expect((await ok(api.listEntities({}))).entities).toEqual([]);
		expect((await failure(api.history(amina.guid))).code).toBe('forbidden');
		expect((await failure(api.execute({ type: 'assign-case-worker', entityGuid: amina.guid, caseWorkerId: carl.id }))).code).toBe('forbidden');
		await ok(api.signOut());
		await ok(api.signIn(admin.id, ADMIN.passphrase));
		await ok(api.execute({ type: 'assign-case-worker', entityGuid: amina.guid, caseWorkerId: carl.id }));
		await ok(api.signOut());
		await ok(api.signIn(carl.id, 'carl passphrase'));
		expect((await ok(api.listEntities({}))).entities.map((e) => e.guid)).toEqual([amina.guid]);
		expect((await ok(api.history(amina.guid))).length).toBeGreaterThan(0);
	});

	it('refuses a user with a PIN key slot as error data: validation-failed on the secretKind field', async () => {
		const api = worker();
		await ok(api.setUp(ADMIN));
		const refused = await failure(api.addUser({ name: 'Carl', role: 'case-worker', secretKind: 'pin', secret: '482915' }));
		expect(refused.code).toBe('validation-failed');
		expect(Object.keys(refused.fields ?? {})).toEqual(['secretKind']);
	});
});
