import { afterEach, describe, expect, it } from 'vitest';
import { dropDb } from '../store/helpers';
import { harness, ok, type Harness } from './helpers';

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
		expect(group.members.map((m) => [m.guid, m.role, m.entity?.data.givenName])).toEqual([[other, 'head', 'Grace']]);
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
