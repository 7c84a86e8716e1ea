/**
 * Who recorded an event, by name, on the device that imports it (issue 15, point 8): the exporting
 * device describes its users (id, name, role; never a secret) in describe-user events that travel in
 * its bundles, and the importing device names the recorders of imported events with them, as claims
 * of the device that signed the bundle that brought them; one forged in another device's name or dated
 * in the future does not replace that device's own. A crafted description is refused with
 * profile-invalid, storing nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { User } from '../../../src/lib/core/access';
import { createGuidGenerator, type CasetrailEvent } from '../../../src/lib/core/event';
import { DESCRIBE_USER, USERS_ENTITY } from '../../../src/lib/core/user-profiles';
import type { CasetrailDb, HeadValue } from '../../../src/lib/store/db';
import { vaultOf } from '../../../src/lib/store/vault';
import { createWorkerApi, type WorkerApi, type WorkerContext } from '../../../src/lib/worker/api';
import { deviceIdentity } from '../../../src/lib/worker/device';
import { dropDb } from '../store/helpers';
import { freshVaultDb } from '../store/vault-helpers';
import { device, dropDevices, exportText, failure, forgedBundle, logOf, ok, snapshot, user } from './exchange-helpers';

const ADMIN_PASSPHRASE = 'correct horse battery staple';
const WORKER_PASSPHRASE = 'purple monkey dishwasher lamp';

/** A real device: an encrypted store, its users, its own device key stamped into every event. */
function realDevice(): { db: CasetrailDb; api: WorkerApi; ctx: WorkerContext } {
	const { db } = freshVaultDb();
	let clock = Date.UTC(2026, 5, 1, 9, 0, 0);
	const ctx: WorkerContext = {
		db,
		now: () => new Date((clock += 1000)),
		newGuid: createGuidGenerator({ now: () => clock }),
		appVersion: 'test',
		user: () => vaultOf(db)?.user(),
		deviceId: async () => (await deviceIdentity(db)).deviceId,
		announce: () => undefined
	};
	return { db, api: createWorkerApi(ctx), ctx };
}

const real: CasetrailDb[] = [];
afterEach(async () => {
	await Promise.all(real.splice(0).map((db) => dropDb(db)));
	await dropDevices();
});

/** Device A: Alice Admin, who adds Carol Case (a case worker) and registers a person. */
async function deviceA() {
	const a = realDevice();
	real.push(a.db);
	const alice = (await ok(a.api.setUp({ name: 'Alice Admin', passphrase: ADMIN_PASSPHRASE }))).user;
	const carol = await ok(a.api.addUser({ name: 'Carol Case', role: 'case-worker', secretKind: 'passphrase', secret: WORKER_PASSPHRASE }));
	const done = await ok(a.api.execute({ type: 'register-individual', givenName: 'Amina', familyName: 'Okello', sex: 'female', dateOfBirth: '1990-03-14' }));
	return { ...a, alice, carol, person: done.entity!.guid, deviceId: (await deviceIdentity(a.db)).deviceId };
}

/**
 * A receiving device whose clock reads a month after the other devices' (theirs tick from
 * 2026-06-01), so what they recorded is not dated in its future.
 */
function laterDevice(): ReturnType<typeof device> {
	const c = device('administrator', 'c-admin');
	let clock = Date.UTC(2026, 6, 1);
	c.ctx.now = () => new Date((clock += 1000));
	return c;
}

function descriptionsIn(text: string): CasetrailEvent[] {
	return (JSON.parse(text) as { events: CasetrailEvent[] }).events.filter((e) => e.type === DESCRIBE_USER);
}

describe('names of the users who recorded imported events', () => {
	it('a bundle exported by device A names A’s users on device B, as A’s claim, for a case worker on B too', async () => {
		const a = await deviceA();
		const { text } = await exportText(a as never);
		const b = device('administrator', 'b-admin');
		// The descriptions are read as users, not counted among the events that changed no record.
		expect(await ok(b.api.importBundle(text))).toMatchObject({ notApplied: 0 });

		// The imported person's history says who recorded it by id; B now knows that id's name.
		const history = await ok(b.api.history(a.person));
		expect(history[0]?.userId).toBe(a.alice.id);
		const recorders = await ok(b.api.recorders());
		expect(recorders).toEqual([
			{ id: a.alice.id, name: 'Alice Admin', role: 'administrator', local: false, deviceId: a.deviceId, shortDeviceId: a.deviceId.slice(0, 8) },
			{ id: a.carol.id, name: 'Carol Case', role: 'case-worker', local: false, deviceId: a.deviceId, shortDeviceId: a.deviceId.slice(0, 8) }
		]);

		// A case worker on B reads the names too (names and roles, nothing of a record).
		b.signIn(user('b-worker', 'case-worker'));
		expect((await ok(b.api.recorders())).map((r) => r.name)).toEqual(['Alice Admin', 'Carol Case']);
		// Nobody signed in reads nothing.
		b.signIn(undefined);
		expect((await failure(b.api.recorders())).code).toBe('not-signed-in');
	});

	it('describes each user with their id, name and role only: no secret of any kind is in the events', async () => {
		const a = await deviceA();
		const { text } = await exportText(a as never);
		const described = descriptionsIn(text);
		expect(described.map((e) => e.data)).toEqual([
			{ userId: a.alice.id, name: 'Alice Admin', role: 'administrator' },
			{ userId: a.carol.id, name: 'Carol Case', role: 'case-worker' }
		]);
		for (const event of described) {
			expect(event.entityGuid).toBe(USERS_ENTITY);
			expect(event.userId).toBe(a.alice.id);
			expect(event.metadata?.deviceId).toBe(a.deviceId);
			expect(Object.keys(event.data).sort()).toEqual(['name', 'role', 'userId']);
		}
		// Nothing a user row holds beyond the name and role: no passphrase, salt, wrapped key, PIN or profile seal.
		const rows = await a.db.users.toArray();
		const eventsText = JSON.stringify(described);
		expect(eventsText).not.toContain(ADMIN_PASSPHRASE);
		expect(eventsText).not.toContain(WORKER_PASSPHRASE);
		for (const row of rows) {
			for (const [key, value] of Object.entries(row)) {
				if (['id', 'name', 'role', 'createdBy'].includes(key)) continue;
				const json = JSON.stringify(value);
				if (json && json.length > 12) expect(eventsText, key).not.toContain(json.slice(1, -1).slice(0, 40));
			}
		}
		expect(eventsText).not.toMatch(/salt|wrapped|secret|pin|sealed|key"/i);
	});

	it('describes a user again only when their name or role changed, and the latest description wins on B', async () => {
		const a = await deviceA();
		const first = await exportText(a as never);
		expect(descriptionsIn(first.text)).toHaveLength(2);
		// Nothing changed: the next export describes nobody again.
		await ok(a.api.execute({ type: 'register-individual', givenName: 'Brian', familyName: 'Okello', sex: 'male', dateOfBirth: '1991-04-15' }));
		const second = await exportText(a as never, { start: 'last-export' });
		expect(descriptionsIn(second.text)).toHaveLength(0);
		await ok(a.api.updateUser(a.carol.id, { name: 'Carol Casey', role: 'supervisor' }));
		const third = await exportText(a as never, { start: 'last-export' });
		expect(descriptionsIn(third.text).map((e) => e.data)).toEqual([{ userId: a.carol.id, name: 'Carol Casey', role: 'supervisor' }]);

		const b = device('administrator', 'b-admin');
		for (const bundle of [first, second, third]) await ok(b.api.importBundle(bundle.text));
		const carol = (await ok(b.api.recorders())).find((r) => r.id === a.carol.id);
		expect(carol).toMatchObject({ name: 'Carol Casey', role: 'supervisor', local: false });
	});

	it('describes a removed user, so the events they recorded keep their name', async () => {
		const a = await deviceA();
		await ok(a.api.removeUser(a.carol.id));
		const log = await logOf(a.db);
		expect(log.filter((e) => e.type === DESCRIBE_USER).map((e) => e.data)).toEqual([{ userId: a.carol.id, name: 'Carol Case', role: 'case-worker' }]);
		expect((await ok(a.api.recorders())).find((r) => r.id === a.carol.id)).toMatchObject({ name: 'Carol Case', local: false, deviceId: a.deviceId });
		// The export after it does not describe her again, and describes Alice, still a user.
		const { text } = await exportText(a as never);
		expect(descriptionsIn(text).map((e) => e.data.name)).toEqual(['Carol Case', 'Alice Admin']);
	});

	it('removes a user even when the log refuses appends (its head was edited), without describing them', async () => {
		const a = await deviceA();
		const head = (await a.db.meta.get('head'))?.value as HeadValue;
		await a.db.meta.put({ key: 'head', value: { ...head, types: { 'create-individual': 7 } } });
		// The removal stands; the key rotation it makes due waits for a log that passes the check.
		expect(await a.api.removeUser(a.carol.id)).toMatchObject({ ok: false, error: { code: 'history-inconsistent', message: expect.stringContaining('removal or role change already made stands') } });
		expect((await a.db.users.toArray()).map((row) => row.id)).toEqual([a.alice.id]);
		expect((await logOf(a.db)).filter((e) => e.type === DESCRIBE_USER)).toEqual([]);
	});

	it('names this device’s own users as it holds them, over what another device claims', async () => {
		const a = await deviceA();
		const b = device('administrator', 'b-admin');
		const { text } = await exportText(a as never);
		// B claims a different name for A's Alice, just after A's own description.
		const after = new Date(Date.parse(descriptionsIn(text)[0]!.timestamp) + 1).toISOString();
		const bId = (await deviceIdentity(b.ctx.db)).deviceId;
		const claim: CasetrailEvent = { guid: 'claim-1', entityGuid: USERS_ENTITY, type: DESCRIBE_USER, data: { userId: a.alice.id, name: 'Mallory', role: 'case-worker' }, timestamp: after, userId: 'b-admin', metadata: { deviceId: bId } };
		await ok(a.api.importBundle(await forgedBundle(b, [claim], 0)));
		const alice = (await ok(a.api.recorders())).find((r) => r.id === a.alice.id);
		expect(alice).toEqual({ id: a.alice.id, name: 'Alice Admin', role: 'administrator', local: true });
		// A's next export describes Alice again, as A holds her, so a third device sees A's word last.
		const again = await exportText(a as never, { start: 'last-export' });
		// (The bundle since the last export carries the imported claim too.)
		expect(descriptionsIn(again.text).filter((e) => e.guid !== claim.guid).map((e) => e.data)).toEqual([{ userId: a.alice.id, name: 'Alice Admin', role: 'administrator' }]);
		const c = laterDevice();
		await ok(c.api.importBundle(text));
		await ok(c.api.importBundle(await forgedBundle(b, [claim], 0)));
		// B's own claim (its signed bundle, in its own name), later than A's: shown as B's.
		expect((await ok(c.api.recorders())).find((r) => r.id === a.alice.id)).toMatchObject({ name: 'Mallory', deviceId: bId });
		await ok(c.api.importBundle(again.text));
		expect((await ok(c.api.recorders())).find((r) => r.id === a.alice.id)).toMatchObject({ name: 'Alice Admin', deviceId: a.deviceId });
	});
});

describe('a description forged by a relaying device, or dated in the future', () => {
	/** A's Alice described as Mallory in A's own name, dated 2099, in a bundle X signs. */
	function forgedFor(a: { alice: { id: string }; deviceId: string }): CasetrailEvent {
		return {
			guid: '018f6b1e-0000-7000-8000-0000000f0a9e',
			entityGuid: USERS_ENTITY,
			type: DESCRIBE_USER,
			data: { userId: a.alice.id, name: 'Mallory', role: 'administrator' },
			timestamp: '2099-01-01T00:00:00.000Z',
			userId: 'x-admin',
			metadata: { deviceId: a.deviceId }
		};
	}

	it('does not replace the user’s own device’s description on a third device, in either import order', async () => {
		const a = await deviceA();
		const { text } = await exportText(a as never);
		const x = device('administrator', 'x-admin');
		const relayed = await forgedBundle(x, [forgedFor(a)], 0);
		for (const order of [
			[text, relayed],
			[relayed, text]
		]) {
			const c = laterDevice();
			for (const bundle of order) await ok(c.api.importBundle(bundle));
			expect((await ok(c.api.recorders())).find((r) => r.id === a.alice.id)).toEqual({
				id: a.alice.id,
				name: 'Alice Admin',
				role: 'administrator',
				local: false,
				deviceId: a.deviceId,
				shortDeviceId: a.deviceId.slice(0, 8)
			});
		}
	});

	it('shows the device that signed the bundle, not the device the event names; a relayed future-dated one does not win', async () => {
		const a = await deviceA();
		const x = device('administrator', 'x-admin');
		const xId = (await deviceIdentity(x.ctx.db)).deviceId;
		await ok(x.api.importBundle((await exportText(a as never)).text));
		// X relays A's genuine descriptions and adds the forged one, all under X's signature.
		const relayed = await forgedBundle(x, [...(await logOf(x.ctx.db)), forgedFor(a)], 0);
		const c = laterDevice();
		await ok(c.api.importBundle(relayed));
		const recorders = await ok(c.api.recorders());
		expect(recorders.find((r) => r.id === a.alice.id)).toMatchObject({ name: 'Alice Admin', deviceId: xId, shortDeviceId: xId.slice(0, 8) });
		expect(recorders.find((r) => r.id === a.carol.id)).toMatchObject({ name: 'Carol Case', deviceId: xId });
		// On A, Alice is still named as A holds her, and A does not re-describe her for a future-dated claim.
		await ok(a.api.importBundle(relayed));
		expect((await ok(a.api.recorders())).find((r) => r.id === a.alice.id)).toEqual({ id: a.alice.id, name: 'Alice Admin', role: 'administrator', local: true });
	});
});

describe('a crafted user description', () => {
	const t = (i: number): string => new Date(Date.UTC(2026, 5, 1) + i * 1000).toISOString();
	const described = (data: Record<string, unknown>, extra: Partial<CasetrailEvent> = {}): CasetrailEvent => ({
		guid: 'd-1',
		entityGuid: USERS_ENTITY,
		type: DESCRIBE_USER,
		data,
		timestamp: t(1),
		userId: 'u-1',
		...extra
	});
	const person: CasetrailEvent = { guid: 'p-1', entityGuid: 'e-1', type: 'create-individual', data: { givenName: 'Amina' }, timestamp: t(0), userId: 'u-1' };

	const cases: [string, CasetrailEvent][] = [
		['a name of 10,000 characters', described({ userId: 'u-1', name: 'A'.repeat(10_000), role: 'administrator' })],
		['a name that is not text', described({ userId: 'u-1', name: 42, role: 'administrator' })],
		['an unknown role', described({ userId: 'u-1', name: 'Alice', role: 'root' })],
		['a role that is not text', described({ userId: 'u-1', name: 'Alice', role: ['administrator'] })],
		['no user id', described({ name: 'Alice', role: 'administrator' })],
		['a secret beside the name', described({ userId: 'u-1', name: 'Alice', role: 'administrator', passphrase: 'hunter2' })],
		['a name over two lines', described({ userId: 'u-1', name: 'Alice\nBob', role: 'administrator' })],
		['another event on the users entity', { ...person, guid: 'p-2', entityGuid: USERS_ENTITY }]
	];

	it.each(cases)('with %s is refused with profile-invalid, and the import stores nothing', async (_what, bad) => {
		const [a, b] = [device(), device()];
		const text = await forgedBundle(a, [person, bad], 0);
		const before = await snapshot(b.ctx.db, ['keys']);
		const summary = await ok(b.api.inspectBundle(text));
		expect(summary.valid ? 'valid' : summary.error.code).toBe('profile-invalid');
		const refused = await b.api.importBundle(text);
		expect(refused.ok ? 'ok' : refused.error.code).toBe('profile-invalid');
		if (!refused.ok) expect(refused.error.message).toContain('log position 1');
		expect(await snapshot(b.ctx.db, ['keys'])).toEqual(before);
		expect(await ok(b.api.recorders())).toEqual([]);
	});
});

// Keeps the User import used (the type of what setUp returns).
export type { User };
