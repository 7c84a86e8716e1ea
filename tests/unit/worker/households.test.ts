/**
 * An individual's households on their page (`entity(guid).memberOf`), looked up in the
 * `*memberGuids` index of the entities table instead of every add-member event: on the plain and
 * the encrypted store, through member changes, a rebuild and the upgrade from schema version 3.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { User } from '../../../src/lib/core/access';
import type { CasetrailEvent } from '../../../src/lib/core/event';
import { generateDataKey } from '../../../src/lib/crypto/keys';
import { openDb, type CasetrailDb } from '../../../src/lib/store/db';
import { rebuildProjections } from '../../../src/lib/store/rebuild';
import { openVaultDb } from '../../../src/lib/store/vault';
import { at, dropDb, freshDb, IDBKeyRange, indexedDB, uniqueName } from '../store/helpers';
import { previousSchemaDb, previousUser } from '../store/schema-v3';
import { freshVaultDb, rawEdit } from '../store/vault-helpers';
import { ok, workerOver as workerApiOver } from './helpers';
import { isHidden } from '../../../src/lib/core/access';

const opened: CasetrailDb[] = [];
afterEach(async () => {
	await Promise.all(opened.splice(0).map(dropDb));
});

/** A worker API over `db` with `user` signed in (the vault's session when `db` has one); dropped after the test. */
function workerOver(db: CasetrailDb, user: User) {
	opened.push(db);
	return workerApiOver(db, user);
}

function plainWorker() {
	return workerOver(freshDb(), previousUser);
}

function vaultWorker() {
	const { db, vault } = freshVaultDb();
	vault.unlock(previousUser, generateDataKey());
	return workerOver(db, previousUser);
}

type Api = ReturnType<typeof workerOver>;

async function person(api: Api, givenName: string): Promise<string> {
	return (await ok(api.execute({ type: 'register-individual', givenName, familyName: 'Okello', sex: 'female', dateOfBirth: '1990-01-01' }))).entity!.guid;
}

async function household(api: Api, name: string): Promise<string> {
	return (await ok(api.execute({ type: 'create-group', name }))).entity!.guid;
}

/** [household name, role] of each household on the person's page. */
async function householdsOf(api: Api, guid: string): Promise<[unknown, string | undefined][]> {
	return (await ok(api.entity(guid))).memberOf.map((m) => [(isHidden(m.group) ? undefined : m.group.data.name), m.role]);
}

for (const [kind, worker] of [
	['plain', plainWorker],
	['encrypted', vaultWorker]
] as const) {
	describe(`entity(guid).memberOf on the ${kind} store`, () => {
		it('comes from the memberGuids index: a group row without it is not listed, although its add-member event is in the log', async () => {
			const api = worker();
			const amina = await person(api, 'Amina');
			const north = await household(api, 'North');
			await ok(api.execute({ type: 'add-member', groupGuid: north, memberGuid: amina, role: 'head' }));
			expect(await householdsOf(api, amina)).toEqual([['North', 'head']]);
			const db = opened[opened.length - 1] as CasetrailDb;
			// Below Dexie and the vault (memberGuids is a clear field on a sealed row too).
			await rawEdit(db.name, 'entities', north, (row) => {
				delete row.memberGuids;
			});
			expect(await householdsOf(api, amina)).toEqual([]);
		});

		it('stays right through add, remove, a role change and a return, and lists only current households', async () => {
			const api = worker();
			const amina = await person(api, 'Amina');
			const grace = await person(api, 'Grace');
			const north = await household(api, 'North');
			const south = await household(api, 'South');
			expect(await householdsOf(api, amina)).toEqual([]);
			await ok(api.execute({ type: 'add-member', groupGuid: north, memberGuid: amina, role: 'head' }));
			await ok(api.execute({ type: 'add-member', groupGuid: south, memberGuid: amina, role: 'child' }));
			await ok(api.execute({ type: 'add-member', groupGuid: south, memberGuid: grace, role: 'head' }));
			expect(await householdsOf(api, amina)).toEqual([
				['North', 'head'],
				['South', 'child']
			]);
			await ok(api.execute({ type: 'remove-member', groupGuid: north, memberGuid: amina, reason: 'Moved out' }));
			expect(await householdsOf(api, amina)).toEqual([['South', 'child']]);
			expect(await householdsOf(api, grace)).toEqual([['South', 'head']]);
			await ok(api.execute({ type: 'add-member', groupGuid: south, memberGuid: amina, role: 'spouse' }));
			await ok(api.execute({ type: 'add-member', groupGuid: north, memberGuid: amina, role: 'other' }));
			expect(await householdsOf(api, amina)).toEqual([
				['North', 'other'],
				['South', 'spouse']
			]);
			// A group's own page lists no households.
			expect((await ok(api.entity(north))).memberOf).toEqual([]);
		});

		it('is the same after the projections are rebuilt', async () => {
			const api = worker();
			const amina = await person(api, 'Amina');
			const north = await household(api, 'North');
			const south = await household(api, 'South');
			await ok(api.execute({ type: 'add-member', groupGuid: north, memberGuid: amina, role: 'head' }));
			await ok(api.execute({ type: 'add-member', groupGuid: south, memberGuid: amina, role: 'child' }));
			await ok(api.execute({ type: 'remove-member', groupGuid: south, memberGuid: amina, reason: 'Moved out' }));
			const db = opened[opened.length - 1] as CasetrailDb;
			for (const mode of ['replace', 'repair'] as const) {
				await rebuildProjections(db, { mode });
				expect(await householdsOf(api, amina)).toEqual([['North', 'head']]);
			}
		});
	});
}

describe('entity(guid).memberOf after the upgrade from schema version 3', () => {
	let n = 0;
	function ev(entityGuid: string, type: string, data: Record<string, unknown>): CasetrailEvent {
		n += 1;
		return { guid: `up-${String(n).padStart(6, '0')}`, entityGuid, type, data, timestamp: at(n * 1000), userId: previousUser.id, version: 3 };
	}
	const events = (): CasetrailEvent[] => [
		ev('i-amina', 'create-individual', { givenName: 'Amina' }),
		ev('g-north', 'create-group', { name: 'North' }),
		ev('g-south', 'create-group', { name: 'South' }),
		ev('g-north', 'add-member', { memberGuid: 'i-amina', role: 'head' }),
		ev('g-south', 'add-member', { memberGuid: 'i-amina', role: 'child' }),
		ev('g-south', 'remove-member', { memberGuid: 'i-amina' })
	];

	it('lists the households of a plain database the previous build wrote', async () => {
		const name = uniqueName();
		await previousSchemaDb(name, events());
		const api = workerOver(openDb(name, { indexedDB, IDBKeyRange }), previousUser);
		expect(await householdsOf(api, 'i-amina')).toEqual([['North', 'head']]);
	});

	it('lists the households of an encrypted database the previous build wrote, once a user signs in', async () => {
		const name = uniqueName();
		const key = generateDataKey();
		await previousSchemaDb(name, events(), key);
		const { db, vault } = openVaultDb(name, { indexedDB, IDBKeyRange });
		const api = workerOver(db, previousUser);
		// The database opens (and upgrades) before anyone signs in, as in the app.
		await db.open();
		vault.unlock(previousUser, key);
		expect(await householdsOf(api, 'i-amina')).toEqual([['North', 'head']]);
		// Later appends keep it right on the upgraded rows.
		await ok(api.execute({ type: 'remove-member', groupGuid: 'g-north', memberGuid: 'i-amina', reason: 'Moved out' }));
		await ok(api.execute({ type: 'add-member', groupGuid: 'g-south', memberGuid: 'i-amina', role: 'spouse' }));
		expect(await householdsOf(api, 'i-amina')).toEqual([['South', 'spouse']]);
	});
});
