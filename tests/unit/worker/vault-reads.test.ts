// The case worker reads of issue 5 on the encrypted store, as the app runs them: the duplicate check
// looks candidates up through blind search tokens, households come from the clear memberGuids
// index, and the integrity check names an event whose sealed bytes were changed on disk.
import { afterEach, describe, expect, it } from 'vitest';
import type { CasetrailDb } from '../../../src/lib/store/db';
import { dropDb } from '../store/helpers';
import { ok, setUpVaultWorker } from './helpers';
import { isHidden } from '../../../src/lib/core/access';

let db: CasetrailDb;
afterEach(async () => {
	await dropDb(db);
});

async function signedInWorker() {
	const fresh = await setUpVaultWorker();
	db = fresh.db;
	return fresh.api;
}

describe('on the encrypted store', () => {
	it('findDuplicates finds the same id, phone and a similar name through blind tokens', async () => {
		const api = await signedInWorker();
		const done = await ok(api.execute({ type: 'register-individual', givenName: 'Amina', familyName: 'Okello', sex: 'female', dateOfBirth: '1990-03-14', phone: '+256 700 123 456', nationalId: 'CM-900314' }));
		await ok(api.execute({ type: 'register-individual', givenName: 'Aminata', familyName: 'Okot', sex: 'female', dateOfBirth: '1990-03-14' }));
		const report = await ok(api.findDuplicates({ givenName: 'amina', familyName: 'OKELO', dateOfBirth: '1990-03-14', phone: '256700123456', nationalId: 'cm 900314' }));
		expect(report.matches.map((m) => [m.entity.guid, m.reasons])).toEqual([[done.entity!.guid, ['national-id', 'similar-name-and-birth', 'phone']]]);
	});

	it('entity lists the households of an individual', async () => {
		const api = await signedInWorker();
		const person = (await ok(api.execute({ type: 'register-individual', givenName: 'Amina', familyName: 'Okello', sex: 'female', dateOfBirth: '1990-03-14' }))).entity!.guid;
		const group = (await ok(api.execute({ type: 'create-group', name: 'Okello household' }))).entity!.guid;
		await ok(api.execute({ type: 'add-member', groupGuid: group, memberGuid: person, role: 'head' }));
		const view = await ok(api.entity(person));
		expect(view.memberOf.map((m) => [(isHidden(m.group) ? undefined : m.group.data.name), m.role])).toEqual([['Okello household', 'head']]);
	});

	it('checkIntegrity names an event whose sealed row was changed on disk', async () => {
		const api = await signedInWorker();
		for (const givenName of ['Amina', 'Grace', 'Ruth']) {
			await ok(api.execute({ type: 'register-individual', givenName, familyName: 'Okello', sex: 'female', dateOfBirth: '1990-03-14' }));
		}
		const guid = (await db.events.get(1))!.guid;
		// Bypass the vault: edit the stored bytes as someone holding the disk would.
		const idb = db.backendDB();
		await new Promise<void>((resolve, reject) => {
			const tx = idb.transaction('events', 'readwrite');
			const store = tx.objectStore('events');
			const get = store.get(1);
			get.onsuccess = () => {
				const row = get.result as { sealed: Uint8Array };
				const sealed = new Uint8Array(row.sealed);
				sealed[sealed.length - 1]! ^= 0xff;
				store.put({ ...row, sealed });
			};
			tx.oncomplete = () => resolve();
			tx.onerror = () => reject(tx.error);
		});
		const view = await ok(api.checkIntegrity());
		expect(view.ok).toBe(false);
		expect(view.tampered).toEqual([expect.objectContaining({ seq: 1, guid })]);
	});
});

describe('listEntities on the encrypted store', () => {
	it('pages by name with the cursor of the previous page, each record once', async () => {
		const api = await signedInWorker();
		for (let i = 0; i < 7; i++) {
			await ok(api.execute({ type: 'register-individual', givenName: `Person${i}`, familyName: 'Large', sex: 'female', dateOfBirth: `2000-01-0${i + 1}` }));
		}
		await ok(api.execute({ type: 'create-group', name: 'Large household' }));
		const seen: string[] = [];
		let page = await ok(api.listEntities({ limit: 3 }));
		seen.push(...page.entities.map((e) => e.guid));
		while (page.next) {
			page = await ok(api.listEntities({ limit: 3, after: page.next }));
			seen.push(...page.entities.map((e) => e.guid));
		}
		expect(seen).toHaveLength(8);
		expect(new Set(seen).size).toBe(8);
	});
});
