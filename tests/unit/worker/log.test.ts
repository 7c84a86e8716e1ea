import { afterEach, describe, expect, it } from 'vitest';
import { hexToBytes } from '../../../src/lib/core/encoding';
import { leafHash, verifyInclusion } from '../../../src/lib/core/merkle';
import type { IntegrityProgress } from '../../../src/lib/worker/log';
import { dropDb, utf8 } from '../store/helpers';
import { failure, harness, ok, user, type Harness } from './helpers';

let h: Harness;
afterEach(async () => {
	await dropDb(h.ctx.db);
});

async function registerMany(n: number): Promise<string[]> {
	const guids: string[] = [];
	for (let i = 0; i < n; i++) {
		const done = await ok(h.api.execute({ type: 'register-individual', givenName: `Person${i}`, familyName: 'Test', sex: 'male', dateOfBirth: '1980-01-01' }));
		guids.push(done.events[0]!.guid);
	}
	return guids;
}

describe('inspectEvent', () => {
	it('returns canonical bytes and a proof that verifies against the current root', async () => {
		h = harness();
		const events = await registerMany(5);
		const inspection = await ok(h.api.inspectEvent(events[2]!));
		expect(inspection.leafIndex).toBe(2);
		expect(inspection.proof.treeSize).toBe(5);
		const leaf = leafHash(utf8.encode(inspection.canonical));
		expect(inspection.leafHash).toBe(Buffer.from(leaf).toString('hex'));
		const path = inspection.proof.path.map((p) => hexToBytes(p));
		expect(verifyInclusion(leaf, 2, 5, path, hexToBytes(inspection.proof.root))).toBe(true);
		expect(verifyInclusion(leaf, 3, 5, path, hexToBytes(inspection.proof.root))).toBe(false);
	});

	it('says not-found for an unknown event', async () => {
		h = harness();
		expect((await failure(h.api.inspectEvent('nope'))).code).toBe('not-found');
	});

	it("refuses a case worker an event on someone else's record", async () => {
		h = harness(user('cw-1', 'case-worker'));
		const [event] = await registerMany(1);
		h.signIn(user('cw-2', 'case-worker'));
		expect((await failure(h.api.inspectEvent(event!))).code).toBe('forbidden');
	});
});

describe('logEvents', () => {
	it('pages the log newest first', async () => {
		h = harness();
		await registerMany(5);
		const first = await ok(h.api.logEvents({ limit: 3 }));
		expect(first.entries.map((e) => e.seq)).toEqual([4, 3, 2]);
		const second = await ok(h.api.logEvents({ limit: 3, before: first.next! }));
		expect(second.entries.map((e) => e.seq)).toEqual([1, 0]);
		expect(second.next).toBeNull();
	});
});

describe('checkIntegrity', () => {
	it('passes an untouched log and reports progress up to its size', async () => {
		h = harness();
		await registerMany(3);
		const progress: IntegrityProgress[] = [];
		const view = await ok(h.api.checkIntegrity((p) => progress.push(p)));
		expect(view.ok).toBe(true);
		expect(view.size).toBe(3);
		expect(view.storedRoot).toBe(view.computedRoot);
		expect(progress.at(-1)).toEqual({ phase: 'events', done: 3, total: 3 });
	});

	it('names an event whose stored row was edited', async () => {
		h = harness();
		const events = await registerMany(4);
		const row = (await h.ctx.db.events.get(1))!;
		await h.ctx.db.events.put({ ...row, canonical: row.canonical.replace('Person1', 'Person9') });
		const view = await ok(h.api.checkIntegrity());
		expect(view.ok).toBe(false);
		expect(view.tamperedCount).toBe(1);
		expect(view.tampered).toEqual([expect.objectContaining({ seq: 1, guid: events[1] })]);
		expect(view.problems.map((p) => p.kind)).toContain('leaf-mismatch');
	});

	it('is refused to a case worker', async () => {
		h = harness(user('cw-1', 'case-worker'));
		expect((await failure(h.api.checkIntegrity())).code).toBe('forbidden');
	});
});

describe('rebuildRecords', () => {
	it('rewrites a record whose row was lost and a record edited on disk, tells other tabs, and leaves the log alone', async () => {
		h = harness();
		const events = await registerMany(3);
		const lost = (await h.ctx.db.events.where('guid').equals(events[0]!).first())!.entityGuid;
		const edited = (await h.ctx.db.events.where('guid').equals(events[1]!).first())!.entityGuid;
		const before = await h.ctx.db.entities.bulkGet([lost, edited]);
		const root = (await ok(h.api.checkIntegrity())).storedRoot;
		await h.ctx.db.entities.delete(lost);
		await h.ctx.db.entities.put({ ...before[1]!, sortName: 'zzz' });
		const progress: { done: number; total: number }[] = [];
		const view = await ok(h.api.rebuildRecords((p) => progress.push(p)));
		expect(view).toMatchObject({ events: 3, entities: 3, changed: 2 });
		expect(progress.at(-1)).toEqual({ done: 3, total: 3 });
		expect(await h.ctx.db.entities.bulkGet([lost, edited])).toEqual(before);
		expect(h.announced.at(-1)).toEqual({ size: 3 });
		const again = await ok(h.api.checkIntegrity());
		expect(again.ok).toBe(true);
		expect(again.storedRoot).toBe(root);
	});

	it('changes nothing and tells no one when every record matches', async () => {
		h = harness();
		await registerMany(2);
		const announcedBefore = h.announced.length;
		expect(await ok(h.api.rebuildRecords())).toMatchObject({ events: 2, entities: 2, changed: 0 });
		expect(h.announced).toHaveLength(announcedBefore);
	});

	it('is refused to a case worker, before anything is replayed', async () => {
		h = harness(user('cw-1', 'case-worker'));
		await registerMany(1);
		const guid = (await h.ctx.db.entities.toCollection().first())!.guid;
		await h.ctx.db.entities.delete(guid);
		expect((await failure(h.api.rebuildRecords())).code).toBe('forbidden');
		expect(await h.ctx.db.entities.count()).toBe(0);
	});
});

describe('metrics', () => {
	it('counts events by type and keeps an append rate', async () => {
		h = harness();
		await registerMany(2);
		const metrics = await ok(h.api.metrics());
		expect(metrics.totalEvents).toBe(2);
		expect(metrics.eventTypeDistribution).toEqual({ 'create-individual': 2 });
		expect(metrics.eventsPerSecond).toBeGreaterThan(0);
		expect(metrics.merkleTreeDepth).toBe(1);
	});

	it('is refused when nobody is signed in', async () => {
		h = harness(null);
		expect((await failure(h.api.metrics())).code).toBe('not-signed-in');
	});
});
