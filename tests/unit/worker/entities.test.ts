import { afterEach, describe, expect, it } from 'vitest';
import { dropDb } from '../store/helpers';
import { harness, ok, user, type Harness } from './helpers';
import { isHidden } from '../../../src/lib/core/access';

let h: Harness;
afterEach(async () => {
	await dropDb(h.ctx.db);
});

async function person(givenName: string): Promise<string> {
	const done = await ok(h.api.execute({ type: 'register-individual', givenName, familyName: 'Okello', sex: 'female', dateOfBirth: '1990-01-01' }));
	return done.entity!.guid;
}

async function household(name: string): Promise<string> {
	const done = await ok(h.api.execute({ type: 'create-group', name }));
	return done.entity!.guid;
}

describe('entity', () => {
	it('lists the households an individual belongs to now, with their role', async () => {
		h = harness();
		const amina = await person('Amina');
		const other = await person('Grace');
		const first = await household('First');
		const second = await household('Second');
		await ok(h.api.execute({ type: 'add-member', groupGuid: first, memberGuid: amina, role: 'head' }));
		await ok(h.api.execute({ type: 'add-member', groupGuid: second, memberGuid: amina, role: 'other' }));
		await ok(h.api.execute({ type: 'add-member', groupGuid: second, memberGuid: other, role: 'head' }));
		await ok(h.api.execute({ type: 'remove-member', groupGuid: second, memberGuid: amina, reason: 'Moved out' }));
		const view = await ok(h.api.entity(amina));
		expect(view.memberOf.map((m) => [m.group.guid, m.role])).toEqual([[first, 'head']]);
		const group = await ok(h.api.entity(second));
		expect(group.members.map((m) => [m.guid, m.role, (m.entity && !isHidden(m.entity) ? m.entity.data.givenName : undefined)])).toEqual([[other, 'head', 'Grace']]);
	});
});

describe("a case worker's list", () => {
	const worker = user('cw-1', 'case-worker');
	const admin = user('admin', 'administrator');

	/** Ten people in name order A..J; the case worker registered B, E and I, the administrator the rest. */
	async function mixed(): Promise<Record<string, string>> {
		const guids: Record<string, string> = {};
		for (const name of ['Abel', 'Bea', 'Cleo', 'Dan', 'Ema', 'Fay', 'Gus', 'Hana', 'Ivo', 'Jo']) {
			h.signIn(['Bea', 'Ema', 'Ivo'].includes(name) ? worker : admin);
			guids[name] = await person(name);
		}
		h.signIn(worker);
		return guids;
	}

	it('fills each page with their own records, reading past the others, and ends with no next', async () => {
		h = harness();
		await mixed();
		const first = await ok(h.api.listEntities({ limit: 2 }));
		expect(first.entities.map((e) => e.data.givenName)).toEqual(['Bea', 'Ema']);
		expect(first.next).not.toBeNull();
		const second = await ok(h.api.listEntities({ limit: 2, after: first.next! }));
		expect(second.entities.map((e) => e.data.givenName)).toEqual(['Ivo']);
		expect(second.next).toBeNull();
	});

	it('keeps who created a record on its row, and reads the events for a row written without it', async () => {
		h = harness();
		const guids = await mixed();
		const row = (await h.ctx.db.entities.get(guids.Ema!))!;
		expect(row.createdBy).toBe('cw-1');
		expect((await h.ctx.db.entities.get(guids.Dan!))!.createdBy).toBe('admin');
		const { createdBy: _dropped, ...older } = row;
		await h.ctx.db.entities.put(older);
		expect((await ok(h.api.listEntities({}))).entities.map((e) => e.data.givenName)).toEqual(['Bea', 'Ema', 'Ivo']);
		// Rebuilding the records from the log writes the creator back.
		h.signIn(admin);
		expect((await ok(h.api.rebuildRecords())).changed).toBe(1);
		expect((await h.ctx.db.entities.get(guids.Ema!))!.createdBy).toBe('cw-1');
	});
});

describe('status', () => {
	it('counts individuals and households by their creating events, deleted ones included', async () => {
		h = harness();
		const amina = await person('Amina');
		await person('Grace');
		await household('First');
		await ok(h.api.execute({ type: 'delete-entity', entityGuid: amina, reason: 'Duplicate' }));
		const status = await ok(h.api.status());
		expect([status.individuals, status.groups, status.size]).toEqual([2, 1, 4]);
		expect(status.root).toMatch(/^[0-9a-f]{64}$/);
	});
});
