/**
 * The worker's exportTables: the flat tables the Exchange page offers as CSV and XLSX hold exactly
 * the records the signed-in user may see, with their audit trails, in core/tables.ts's columns.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CasetrailDb } from '../../../src/lib/store/db';
import { toCsv } from '../../../src/lib/core/tables';
import { dropDb } from '../store/helpers';
import { failure, ok, vaultWorker } from './helpers';

let db: CasetrailDb;
afterEach(async () => {
	await dropDb(db);
});

const ADMIN = { name: 'Alice Admin', passphrase: 'correct horse battery staple' };
const registration = (givenName: string) => ({ type: 'register-individual' as const, givenName, familyName: 'Yusuf', sex: 'female', dateOfBirth: '1990-01-01' });

describe('exportTables', () => {
	it("gives a case worker's tables only their own records, and an administrator's all of them", async () => {
		const fresh = vaultWorker();
		db = fresh.db;
		const api = fresh.api;
		const { user: admin } = await ok(api.setUp(ADMIN));
		await ok(api.execute(registration('Amina')));
		const carl = await ok(api.addUser({ name: 'Carl', role: 'case-worker', secretKind: 'passphrase', secret: 'carl passphrase' }));
		await ok(api.signOut());
		await ok(api.signIn(carl.id, 'carl passphrase'));
		const baraka = (await ok(api.execute(registration('Baraka')))).entity!;
		await ok(api.execute({ type: 'update-entity', entityGuid: baraka.guid, changes: { phone: '+254711222333' }, reason: 'met at the clinic' }));

		const mine = await ok(api.exportTables());
		expect(mine.map((t) => t.name)).toEqual(['individuals', 'households', 'members', 'audit_trail']);
		const individuals = mine[0]!;
		expect(individuals.rows.map((r) => r[individuals.columns.indexOf('givenName')])).toEqual(['Baraka']);
		const trail = mine[3]!;
		expect(trail.rows.map((r) => r[trail.columns.indexOf('reason')])).toContain('met at the clinic');
		expect(trail.rows.every((r) => r[0] === baraka.guid)).toBe(true);
		expect(toCsv(individuals)).not.toContain('Amina');

		await ok(api.signOut());
		await ok(api.signIn(admin.id, ADMIN.passphrase));
		const all = await ok(api.exportTables());
		expect(all[0]!.rows.map((r) => r[all[0]!.columns.indexOf('givenName')]).sort()).toEqual(['Amina', 'Baraka']);
	});

	it('is refused to nobody signed in', async () => {
		const fresh = vaultWorker();
		db = fresh.db;
		expect((await failure(fresh.api.exportTables())).code).toBe('not-signed-in');
	});
});
