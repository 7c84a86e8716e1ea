/**
 * Edits to stored records (issue 14): a sealed record binds its guid and the number of events it
 * reflects, and a sealed copy of its clear fields; a clear field edited on disk is refused instead
 * of believed; an older sealed copy replayed over the current one is named by the integrity check,
 * which compares every record with what its events project to; Rebuild repairs them all.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CasetrailDb } from '../../../src/lib/store/db';
import type { WorkerApi } from '../../../src/lib/worker/api';
import { dropDb } from '../store/helpers';
import { rawEdit, rawGet } from '../store/vault-helpers';
import { failure, ok, setUpVaultWorker } from './helpers';

let db: CasetrailDb;
afterEach(async () => {
	await dropDb(db);
});

async function signedIn(): Promise<WorkerApi> {
	const fresh = await setUpVaultWorker();
	db = fresh.db;
	return fresh.api;
}

async function person(api: WorkerApi, givenName: string): Promise<string> {
	return (await ok(api.execute({ type: 'register-individual', givenName, familyName: 'Okello', sex: 'female', dateOfBirth: '1990-03-14' }))).entity!.guid;
}

/** Puts a raw record back as it was, below Dexie and the vault, as someone holding the disk would. */
async function rawPut(store: string, record: Record<string, unknown>): Promise<void> {
	await rawEdit(db.name, store, record['guid'] as string, (current) => {
		for (const key of Object.keys(current)) delete current[key];
		Object.assign(current, record);
	});
}

function recordProblems(report: { problems: { kind: string; entityGuid?: string }[] }): (string | undefined)[] {
	return report.problems.filter((p) => p.kind === 'record-mismatch').map((p) => p.entityGuid);
}

describe('a record replaced by an older sealed copy of itself', () => {
	it('is named by the integrity check and repaired by Rebuild', async () => {
		const api = await signedIn();
		const guid = await person(api, 'Amina');
		await person(api, 'Grace');
		const older = (await rawGet(db.name, 'entities', guid))!;
		await ok(api.execute({ type: 'update-entity', entityGuid: guid, changes: { givenName: 'Aminata' }, reason: 'spelling' }));
		await rawPut('entities', older);

		// The copy is genuine, so it opens: what shows it is the comparison with the events.
		expect((await ok(api.entity(guid))).entity.data['givenName']).toBe('Amina');
		const report = await ok(api.checkIntegrity());
		expect(report.ok).toBe(false);
		expect(recordProblems(report)).toEqual([guid]);
		expect(report.problems.find((p) => p.kind === 'record-mismatch')?.message).toContain(guid);

		const rebuilt = await ok(api.rebuildRecords());
		expect(rebuilt.changed).toBeGreaterThan(0);
		expect((await ok(api.entity(guid))).entity.data['givenName']).toBe('Aminata');
		expect(await ok(api.checkIntegrity())).toMatchObject({ ok: true, problems: [] });
	});
});

describe('a record stripped of its sealed part on disk', () => {
	it('reads as its clear fields only, and is named by the check and repaired by Rebuild', async () => {
		const api = await signedIn();
		const guid = await person(api, 'Amina');
		await rawEdit(db.name, 'entities', guid, (row) => {
			delete row['sealed'];
			row['deleted'] = 1;
		});
		// Rows sealed by no build still read (their clear fields): the comparison with the events shows the edit.
		expect(recordProblems(await ok(api.checkIntegrity()))).toEqual([guid]);
		await ok(api.rebuildRecords());
		expect((await ok(api.entity(guid))).entity).toMatchObject({ deleted: false, data: { givenName: 'Amina' } });
		expect(await ok(api.checkIntegrity())).toMatchObject({ ok: true, problems: [] });
	});
});

describe('clear fields of a record edited on disk', () => {
	it('a deleted flag set in clear is refused on reading, named by the check and repaired by Rebuild', async () => {
		const api = await signedIn();
		const guid = await person(api, 'Amina');
		await rawEdit(db.name, 'entities', guid, (row) => {
			row['deleted'] = 1;
		});
		expect((await failure(api.entity(guid))).code).toBe('decryption-failed');
		expect(recordProblems(await ok(api.checkIntegrity()))).toEqual([guid]);
		await ok(api.rebuildRecords());
		expect((await ok(api.entity(guid))).entity.deleted).toBe(false);
		expect((await rawGet(db.name, 'entities', guid))?.['deleted']).toBe(0);
	});

	it('a changed type is refused on reading', async () => {
		const api = await signedIn();
		const guid = await person(api, 'Amina');
		await rawEdit(db.name, 'entities', guid, (row) => {
			row['type'] = 'group';
		});
		expect((await failure(api.entity(guid))).code).toBe('decryption-failed');
	});

	it('a changed event count does not open (the seal binds it), and is named by the check', async () => {
		const api = await signedIn();
		const guid = await person(api, 'Amina');
		await rawEdit(db.name, 'entities', guid, (row) => {
			row['count'] = 5;
		});
		expect((await failure(api.entity(guid))).code).toBe('decryption-failed');
		expect(recordProblems(await ok(api.checkIntegrity()))).toEqual([guid]);
	});

	it('a sealed record moved onto another record does not open', async () => {
		const api = await signedIn();
		const amina = await person(api, 'Amina');
		const grace = await person(api, 'Grace');
		const sealed = (await rawGet(db.name, 'entities', amina))!['sealed'];
		await rawEdit(db.name, 'entities', grace, (row) => {
			row['sealed'] = sealed;
		});
		expect((await failure(api.entity(grace))).code).toBe('decryption-failed');
	});
});

describe('records added or removed on disk', () => {
	it('are named by the integrity check', async () => {
		const api = await signedIn();
		const amina = await person(api, 'Amina');
		const grace = await person(api, 'Grace');
		const stray = { ...(await rawGet(db.name, 'entities', grace))!, guid: 'made-up-record' };
		await new Promise<void>((resolve, reject) => {
			const tx = db.backendDB().transaction('entities', 'readwrite');
			tx.objectStore('entities').delete(amina);
			tx.objectStore('entities').put(stray);
			tx.oncomplete = () => resolve();
			tx.onerror = () => reject(tx.error);
		});
		expect(recordProblems(await ok(api.checkIntegrity())).sort()).toEqual([amina, 'made-up-record'].sort());
	});
});
