/**
 * Truncating the log on the device (issue 14): someone holding the disk deletes the last events and
 * rewrites the head to match. The integrity check verifies a consistency proof from every
 * checkpoint the device signed to the log and names the one the log no longer extends; the head is
 * authenticated under the data key, so an edit of it (or of the signed-checkpoint rows) without the
 * key is detected; and Rebuild refuses to run on such a log instead of erasing the traces.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CasetrailDb, HeadValue } from '../../../src/lib/store/db';
import type { WorkerApi } from '../../../src/lib/worker/api';
import { dropDb } from '../store/helpers';
import { asSetUpBeforeRosters } from '../store/vault-helpers';
import { device, dropDevices, exportText, failure, ok, register, truncateLog } from './exchange-helpers';
import { ADMIN_SETUP, setUpVaultWorker } from './helpers';

afterEach(dropDevices);

function kinds(report: { problems: { kind: string }[] }): string[] {
	return [...new Set(report.problems.map((p) => p.kind))].sort();
}

describe('checkIntegrity against the checkpoints this device signed', () => {
	it('fails a log truncated below a signed checkpoint, naming that checkpoint', async () => {
		const a = device();
		await register(a, 6);
		await exportText(a);
		expect((await ok(a.api.checkIntegrity())).ok).toBe(true);
		await truncateLog(a.ctx.db, 4);
		const report = await ok(a.api.checkIntegrity());
		expect(report.ok).toBe(false);
		const problem = report.problems.find((p) => p.kind === 'checkpoint-beyond-log');
		expect(problem?.message).toContain('signed a log of 6 events');
		expect(problem?.message).toContain('now has 4 events');
		expect(problem).toMatchObject({ begin: 4, end: 6 });
	});

	it('fails a log whose signed events were replaced by others, though it is as long again', async () => {
		const a = device();
		await register(a, 6);
		await exportText(a);
		await truncateLog(a.ctx.db, 4);
		await register(a, 3);
		const report = await ok(a.api.checkIntegrity());
		expect(report.ok).toBe(false);
		// The records of the replaced events no longer match them either.
		expect(kinds(report)).toEqual(['checkpoint-inconsistent', 'record-mismatch']);
		expect(report.problems.find((p) => p.kind === 'checkpoint-inconsistent')?.message).toContain('checkpoint of 6 events');
	});

	it('passes a log that extends every checkpoint it signed', async () => {
		const a = device();
		for (const n of [3, 1, 4]) {
			await register(a, n);
			await exportText(a, { start: 'last-export' });
		}
		await register(a, 2);
		expect(await ok(a.api.checkIntegrity())).toMatchObject({ ok: true, problems: [] });
	});
});

describe('rebuildRecords on a log that fails the check', () => {
	it('refuses with integrity-failed and leaves every record as it was', async () => {
		const a = device();
		await register(a, 6);
		await exportText(a);
		await truncateLog(a.ctx.db, 4);
		const before = await a.ctx.db.entities.toArray();
		const refused = await a.api.rebuildRecords();
		expect(refused.ok ? 'rebuilt' : refused.error.code).toBe('integrity-failed');
		if (!refused.ok) expect(refused.error.message).toContain('signed a log of 6 events');
		expect(await a.ctx.db.entities.toArray()).toEqual(before);
		expect(before).toHaveLength(6);
	});
});

describe('the authenticated head (encrypted store)', () => {
	let db: CasetrailDb;
	afterEach(async () => {
		await dropDb(db);
	});

	async function signedIn(): Promise<WorkerApi> {
		const fresh = await setUpVaultWorker();
		db = fresh.db;
		return fresh.api;
	}

	async function registerOn(api: WorkerApi, n: number): Promise<void> {
		for (let i = 0; i < n; i++) await ok(api.execute({ type: 'register-individual', givenName: `Given${i}`, familyName: 'Okello', sex: 'female', dateOfBirth: '1990-03-14' }));
	}

	it('passes the check after appends and exports: every head written carries its MAC', async () => {
		const api = await signedIn();
		await registerOn(api, 3);
		await ok(api.exportBundle());
		await registerOn(api, 2);
		await ok(api.exportBundle({ start: 'last-export' }));
		expect(await ok(api.checkIntegrity())).toMatchObject({ ok: true, problems: [] });
		const head = (await db.meta.get('head'))?.value as HeadValue;
		expect(head.mac).toBeInstanceOf(Uint8Array);
		// 5 people and the description of Alice Admin the first export recorded.
		expect(head.signed).toEqual({ count: 2, size: 6 });
	});

	it('detects a counter of the head edited without the data key, and export refuses to sign', async () => {
		const api = await signedIn();
		await registerOn(api, 3);
		const head = (await db.meta.get('head'))?.value as HeadValue;
		await db.meta.put({ key: 'head', value: { ...head, types: { 'create-individual': 1 } } });
		const report = await ok(api.checkIntegrity());
		expect(report.ok).toBe(false);
		expect(kinds(report)).toEqual(['head-unauthenticated']);
		expect((await failure(api.exportBundle())).code).toBe('history-inconsistent');
	});

	it('refuses to record on a head written without the data key, so an append cannot give the edit a valid MAC', async () => {
		const api = await signedIn();
		await registerOn(api, 6);
		await ok(api.exportBundle());
		await truncateLog(db, 4);
		await db.exports.clear();
		const refused = await api.execute({ type: 'register-individual', givenName: 'Late', familyName: 'Okello', sex: 'female', dateOfBirth: '1990-03-14' });
		expect(refused.ok ? 'recorded' : refused.error.code).toBe('history-inconsistent');
		expect(await db.events.count()).toBe(4);
		expect(kinds(await ok(api.checkIntegrity()))).toContain('head-unauthenticated');
	});

	it('upgrades a device set up before heads had MACs at its next sign-in, and from then on refuses a head without one', async () => {
		const fresh = await setUpVaultWorker();
		db = fresh.db;
		const { user } = fresh;
		await registerOn(fresh.api, 3);
		await asSetUpBeforeRosters(db);
		await ok(fresh.api.signOut());
		await ok(fresh.api.signIn(user.id, ADMIN_SETUP.passphrase));
		// The head it had is trusted on that first use: the device records and passes the check.
		expect(((await db.meta.get('head'))?.value as HeadValue).mac).toBeInstanceOf(Uint8Array);
		await registerOn(fresh.api, 1);
		expect(await ok(fresh.api.checkIntegrity())).toMatchObject({ ok: true, problems: [] });
		// Its vault now says it keeps head MACs: a head stripped of its MAC is an edit, not an older device.
		const head = (await db.meta.get('head'))?.value as HeadValue;
		const { mac: _mac, ...stripped } = head;
		await db.meta.put({ key: 'head', value: stripped });
		await ok(fresh.api.signOut());
		await ok(fresh.api.signIn(user.id, ADMIN_SETUP.passphrase));
		expect(((await db.meta.get('head'))?.value as HeadValue).mac).toBeUndefined();
		expect(kinds(await ok(fresh.api.checkIntegrity()))).toEqual(['head-unauthenticated']);
		const refused = await fresh.api.execute({ type: 'register-individual', givenName: 'Late', familyName: 'Okello', sex: 'female', dateOfBirth: '1990-03-14' });
		expect(refused.ok ? 'recorded' : refused.error.code).toBe('history-inconsistent');
	});

	it('does not take a deleted head over a log that has events for an empty log: the check names it, appends and exports refuse', async () => {
		const api = await signedIn();
		await registerOn(api, 3);
		await db.meta.delete('head');
		const report = await ok(api.checkIntegrity());
		expect(report.ok).toBe(false);
		expect(kinds(report)).toEqual(['beyond-head', 'head-unauthenticated']);
		expect(report.problems.find((p) => p.kind === 'beyond-head')).toMatchObject({ begin: 0, end: 3 });
		const refused = await api.execute({ type: 'register-individual', givenName: 'Late', familyName: 'Okello', sex: 'female', dateOfBirth: '1990-03-14' });
		expect(refused.ok ? 'recorded' : refused.error.code).toBe('history-inconsistent');
		expect((await failure(api.exportBundle())).code).toBe('history-inconsistent');
		expect(await db.events.count()).toBe(3);
	});

	it('detects signed checkpoints deleted from storage, and export refuses to sign', async () => {
		const api = await signedIn();
		await registerOn(api, 4);
		await ok(api.exportBundle());
		await db.exports.clear();
		const report = await ok(api.checkIntegrity());
		expect(kinds(report)).toEqual(['checkpoint-missing']);
		// 4 people and the description of Alice Admin the export recorded.
		expect(report.problems[0]?.message).toContain('signed 1 checkpoints (up to 5 events), but only 0 are stored');
		expect((await failure(api.exportBundle())).code).toBe('history-inconsistent');
	});

	it('detects a truncation that also deleted the signed checkpoints, and rebuild refuses', async () => {
		const api = await signedIn();
		await registerOn(api, 6);
		await ok(api.exportBundle());
		await truncateLog(db, 4);
		await db.exports.clear();
		const report = await ok(api.checkIntegrity());
		expect(report.ok).toBe(false);
		expect(kinds(report)).toEqual(['checkpoint-missing', 'head-unauthenticated', 'record-mismatch']);
		// The records of the two removed people are still there, and named; so is the users' row, whose
		// one event (Alice's description, made by the export: docs/user-profiles.md) went with them.
		const mismatched = report.problems.filter((p) => p.kind === 'record-mismatch').map((p) => p.entityGuid);
		expect(mismatched).toHaveLength(3);
		expect(mismatched).toContain('casetrail-users');
		expect((await failure(api.rebuildRecords())).code).toBe('integrity-failed');
		expect((await failure(api.exportBundle())).code).toBe('history-inconsistent');
		// The 6 people's rows, and the users' row (no record: its events only describe users).
		expect(await db.entities.count()).toBe(7);
	});
});
