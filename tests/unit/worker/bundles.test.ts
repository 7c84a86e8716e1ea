import { afterEach, describe, expect, it } from 'vitest';
import { deviceIdOf } from '../../../src/lib/core/bundle/checkpoint';
import { verifyBundle } from '../../../src/lib/core/bundle/verify';
import { base64urlToBytes } from '../../../src/lib/core/encoding';
import { foldCompactRange } from '../../../src/lib/core/merkle';
import type { CasetrailEvent } from '../../../src/lib/core/event';
import { openDb } from '../../../src/lib/store/db';
import { getRootAt } from '../../../src/lib/store/read';
import { IDBKeyRange, indexedDB } from '../store/helpers';
import type { ExportProgress, ImportPhase } from '../../../src/lib/worker/bundles';
import { deviceIdentity, deviceSigner } from '../../../src/lib/worker/device';
import { device, dropDevices, entitiesOf, exportText, failure, forgedBundle, logOf, ok, register, snapshot, user } from './exchange-helpers';

afterEach(dropDevices);

describe('device identity', () => {
	it('is made once, stored as key bytes (no CryptoKey), signs with a non-extractable key, and its id is the thumbprint of its public key', async () => {
		const a = device();
		const first = await deviceIdentity(a.ctx.db);
		const row = await a.ctx.db.keys.get('device');
		expect(row?.deviceId).toBe(first.deviceId);
		expect(row?.privateKey).toBeUndefined();
		expect(row?.pkcs8).toBeInstanceOf(Uint8Array);
		const signer = await deviceSigner(a.ctx.db);
		expect(signer.privateKey.extractable).toBe(false);
		expect(signer.privateKey.type).toBe('private');
		expect(first.deviceId).toBe(await deviceIdOf(first.publicJwk));
		expect((await deviceIdentity(a.ctx.db)).deviceId).toBe(first.deviceId);
		expect(await a.ctx.db.keys.count()).toBe(1);
	});

	it('is stamped into the metadata of every event recorded on the device', async () => {
		const a = device();
		await register(a, 2);
		const { deviceId } = await deviceIdentity(a.ctx.db);
		const log = await logOf(a.ctx.db);
		expect(log.map((e) => e.metadata?.['deviceId'])).toEqual([deviceId, deviceId]);
		expect((await ok(a.api.deviceInfo())).deviceId).toBe(deviceId);
	});

	it('is the same for two connections that create it at the same moment (two tabs)', async () => {
		const a = device();
		const name = a.ctx.db.name;
		const other = openDb(name, { indexedDB, IDBKeyRange });
		try {
			const [one, two] = await Promise.all([deviceIdentity(a.ctx.db), deviceIdentity(other)]);
			expect(two.deviceId).toBe(one.deviceId);
			expect(await a.ctx.db.keys.count()).toBe(1);
		} finally {
			other.close();
		}
	});

	it('differs between devices', async () => {
		const [a, b] = [device(), device()];
		expect((await deviceIdentity(a.ctx.db)).deviceId).not.toBe((await deviceIdentity(b.ctx.db)).deviceId);
	});

	it('is refused to nobody signed in', async () => {
		const a = device();
		a.signIn(undefined);
		expect((await failure(a.api.deviceInfo())).code).toBe('not-signed-in');
	});
});

describe('exportBundle', () => {
	it.each([0, 1, 2, 3, 4, 5, 7, 8, 9, 16, 17])('exports a whole log of %i events as a bundle that verifies', async (n) => {
		const a = device();
		await register(a, n);
		const done = await exportText(a);
		const verified = await verifyBundle(done.text);
		const { deviceId } = await deviceIdentity(a.ctx.db);
		expect(verified.deviceId).toBe(deviceId);
		expect(verified.from).toBe(0);
		expect(verified.treeSize).toBe(n);
		expect(verified.events).toEqual(await logOf(a.ctx.db));
		expect(verified.rootHash).toEqual(await getRootAt(a.ctx.db, n));
		expect(done.fileName).toBe(`casetrail-${deviceId.slice(0, 8)}-${n}.json`);
		expect(done.length).toBe(done.text.length);
		expect(done.remaining).toBe(0);
	});

	it.each([
		[1, 1],
		[1, 2],
		[2, 3],
		[3, 5],
		[4, 4],
		[5, 8],
		[7, 9],
		[8, 13],
		[6, 0]
	])('exports the %i events after an export of %i as a bundle whose prefix hashes to the earlier root', async (first, more) => {
		const a = device();
		await register(a, first);
		const earlier = await exportText(a);
		await register(a, more);
		const since = await exportText(a, { start: 'last-export' });
		const verified = await verifyBundle(since.text);
		expect(verified.from).toBe(first);
		expect(verified.treeSize).toBe(first + more);
		expect(verified.events).toEqual((await logOf(a.ctx.db)).slice(first));
		expect(foldCompactRange(verified.prefix)).toEqual(base64urlToBytes(earlier.rootHash));
		expect(foldCompactRange(verified.prefix)).toEqual((await verifyBundle(earlier.text)).rootHash);
	});

	it('exports the whole log the first time "since the last export" is asked for', async () => {
		const a = device();
		await register(a, 3);
		const since = await exportText(a, { start: 'last-export' });
		expect(since.from).toBe(0);
		expect(since.events).toBe(3);
	});

	it('reports progress batch by batch up to the total', async () => {
		const a = device();
		await register(a, 25);
		const seen: ExportProgress[] = [];
		const done = await ok(a.api.exportBundle({ batchSize: 10 }, (p) => seen.push(p)));
		expect(done.events).toBe(25);
		expect(seen).toEqual([
			{ done: 0, total: 25 },
			{ done: 10, total: 25 },
			{ done: 20, total: 25 },
			{ done: 25, total: 25 }
		]);
	});

	it('keeps exporting when the progress callback throws', async () => {
		const a = device();
		await register(a, 3);
		const done = await ok(
			a.api.exportBundle({}, () => {
				throw new Error('page gone');
			})
		);
		expect(done.events).toBe(3);
	});

	it('stops where a capped bundle is full, and the next "since the last export" carries on', async () => {
		const a = device();
		await register(a, 10);
		// Room for the opening members, the checkpoint and about six events.
		const rows = await a.ctx.db.events.toArray();
		const cap = 8192 + 64 + 400 + rows.slice(0, 6).reduce((sum, r) => sum + r.canonical.length + 1, 0);
		const part = await exportText(a, { maxLength: cap });
		expect(part.treeSize).toBeGreaterThan(0);
		expect(part.remaining).toBe(10 - part.treeSize);
		expect(part.remaining).toBeGreaterThan(0);
		expect(part.text.length).toBeLessThanOrEqual(cap);
		const rest = await exportText(a, { start: 'last-export' });
		expect(rest.from).toBe(part.treeSize);
		expect(rest.treeSize).toBe(10);
		await verifyBundle(part.text);
		await verifyBundle(rest.text);
	});

	it('stops at the most events a receiver accepts, and the next "since the last export" carries on (issue 13)', async () => {
		const a = device();
		await register(a, 10);
		const part = await exportText(a, { maxEvents: 4 });
		expect(part).toMatchObject({ from: 0, treeSize: 4, remaining: 6 });
		const rest = await exportText(a, { start: 'last-export', maxEvents: 4 });
		expect(rest).toMatchObject({ from: 4, treeSize: 8, remaining: 2 });
		expect((await verifyBundle(part.text)).events).toHaveLength(4);
		expect((await failure(a.api.exportBundle({ maxEvents: 0 }))).code).toBe('out-of-range');
	});

	it('exports nothing when not even one event fits the cap', async () => {
		const a = device();
		await register(a, 2);
		expect((await failure(a.api.exportBundle({ maxLength: 8500 }))).code).toBe('out-of-range');
		expect(await a.ctx.db.exports.count()).toBe(0);
	});

	it('signs nothing when a stored event no longer hashes to the stored root', async () => {
		const a = device();
		await register(a, 4);
		const row = (await a.ctx.db.events.get(2))!;
		await a.ctx.db.events.put({ ...row, canonical: row.canonical.replace('Given', 'Taken') });
		expect((await failure(a.api.exportBundle())).code).toBe('storage-failed');
		expect(await a.ctx.db.exports.count()).toBe(0);
	});

	it('signs nothing when stored events are missing from the end of the log', async () => {
		const a = device();
		await register(a, 4);
		await a.ctx.db.events.delete(3);
		expect((await failure(a.api.exportBundle())).code).toBe('storage-failed');
		expect(await a.ctx.db.exports.count()).toBe(0);
	});

	it('shows the exported events as exported, without rewriting their rows, and remembers the export', async () => {
		const a = device();
		await register(a, 3);
		const status = async () => Promise.all((await a.ctx.db.events.toArray()).map(async (r) => (await ok(a.api.inspectEvent(r.guid))).sync));
		expect(await status()).toEqual(['local', 'local', 'local']);
		const done = await exportText(a);
		expect(await status()).toEqual(['exported', 'exported', 'exported']);
		// An export writes no event row: the rows stay as appended, below the largest exported size.
		expect((await a.ctx.db.events.toArray()).map((r) => r.sync)).toEqual(['local', 'local', 'local']);
		await register(a, 2);
		expect(await status()).toEqual(['exported', 'exported', 'exported', 'local', 'local']);
		await exportText(a, { start: 'last-export' });
		expect(await status()).toEqual(Array(5).fill('exported'));
		const [row] = await a.ctx.db.exports.toArray();
		expect(row).toMatchObject({ from: 0, treeSize: 3, rootHash: done.rootHash, fileName: done.fileName, events: 3 });
		expect((await verifyBundle(done.text)).checkpoint).toBe(row?.checkpoint);
	});

	it('is refused to a case worker', async () => {
		const a = device('case-worker');
		await register(a, 1);
		expect((await failure(a.api.exportBundle())).code).toBe('forbidden');
		expect(await a.ctx.db.exports.count()).toBe(0);
	});
});

describe('exportStatus', () => {
	it('counts events not yet exported and the whole days since the last export', async () => {
		const a = device();
		await register(a, 2);
		expect(await ok(a.api.exportStatus())).toMatchObject({ size: 2, last: null, unexportedEvents: 2, daysSinceExport: null });
		await exportText(a);
		await register(a, 3);
		expect(await ok(a.api.exportStatus())).toMatchObject({ size: 5, unexportedEvents: 3, daysSinceExport: 0 });
		const later = a.ctx.now().getTime() + 3 * 86_400_000 + 5000;
		a.ctx.now = () => new Date(later);
		expect((await ok(a.api.exportStatus())).daysSinceExport).toBe(3);
	});

	it('counts imported events too until this device exports them', async () => {
		const [a, b] = [device(), device()];
		await register(a, 2);
		await ok(b.api.importBundle((await exportText(a)).text));
		expect(await ok(b.api.exportStatus())).toMatchObject({ size: 2, unexportedEvents: 2 });
		await exportText(b);
		expect(await ok(b.api.exportStatus())).toMatchObject({ size: 2, unexportedEvents: 0 });
		expect((await b.ctx.db.events.toArray()).map((r) => r.sync)).toEqual(['imported', 'imported']);
	});
});

describe('inspectBundle', () => {
	it('summarizes a valid bundle before anything is imported', async () => {
		const [a, b] = [device(), device('case-worker')];
		await register(a, 3);
		const { text } = await exportText(a);
		const before = await snapshot(b.ctx.db, ['keys']);
		const summary = await ok(b.api.inspectBundle(new Blob([text])));
		expect(summary).toMatchObject({ valid: true, relation: 'new', from: 0, treeSize: 3, events: 3, entities: 3, entitiesTouched: 3, missing: [] });
		if (!summary.valid) throw new Error('unreachable');
		expect(summary.deviceId).toBe((await deviceIdentity(a.ctx.db)).deviceId);
		expect(summary.conflict).toBeUndefined();
		expect(await snapshot(b.ctx.db, ['keys'])).toEqual(before);
	});

	it('refuses, with limit-exceeded and nothing stored, a signed bundle that gives a group more than 1,000 members (issue 13)', async () => {
		const [a, b] = [device(), device()];
		const t = (i: number): string => new Date(Date.UTC(2026, 5, 1) + i * 1000).toISOString();
		const log: CasetrailEvent[] = [{ guid: 'g-create', entityGuid: 'g-1', type: 'create-group', data: { name: 'Crafted' }, timestamp: t(0), userId: 'u-1' }];
		for (let i = 0; i < 1001; i++) log.push({ guid: `g-add-${i}`, entityGuid: 'g-1', type: 'add-member', data: { memberGuid: `p-${i}`, role: 'child' }, timestamp: t(i + 1), userId: 'u-1' });
		const text = await forgedBundle(a, log, 0);
		const before = await snapshot(b.ctx.db, ['keys']);
		const summary = await ok(b.api.inspectBundle(text));
		expect(summary.valid ? 'valid' : summary.error.code).toBe('limit-exceeded');
		expect((await failure(b.api.importBundle(text))).code).toBe('limit-exceeded');
		expect(await snapshot(b.ctx.db, ['keys'])).toEqual(before);
	});

	it('gives the code and the reason of a bundle that does not verify', async () => {
		const [a, b] = [device(), device()];
		await register(a, 2);
		const bundle = JSON.parse((await exportText(a)).text) as { events: CasetrailEvent[] };
		(bundle.events[1] as CasetrailEvent).data = { givenName: 'Mallory' };
		const summary = await ok(b.api.inspectBundle(JSON.stringify(bundle)));
		expect(summary.valid).toBe(false);
		if (summary.valid) throw new Error('unreachable');
		expect(summary.error.code).toBe('root-mismatch');
		expect(summary.error.message).toMatch(/tampered/);
	});

	it('says whether the device was seen before and shows the range still missing', async () => {
		const [a, b] = [device(), device()];
		await register(a, 2);
		await ok(b.api.importBundle((await exportText(a)).text));
		await register(a, 2);
		await exportText(a, { start: 'last-export' });
		await register(a, 2);
		const third = await exportText(a, { start: 'last-export' });
		const summary = await ok(b.api.inspectBundle(third.text));
		expect(summary).toMatchObject({ valid: true, relation: 'known', from: 4, treeSize: 6, missing: [{ begin: 2, end: 4 }] });
	});

	it('says "own" for a bundle this device signed', async () => {
		const a = device();
		await register(a, 2);
		expect(await ok(a.api.inspectBundle((await exportText(a)).text))).toMatchObject({ valid: true, relation: 'own' });
	});
});

describe('importBundle', () => {
	it('appends the events with their origin and shows the same people', async () => {
		const [a, b] = [device(), device()];
		await register(a, 4);
		const { text } = await exportText(a);
		const phases: ImportPhase[] = [];
		const done = await ok(b.api.importBundle(text, (p) => phases.push(p)));
		expect(phases).toEqual(['reading', 'verifying', 'checking', 'importing']);
		const aId = (await deviceIdentity(a.ctx.db)).deviceId;
		expect(done).toMatchObject({ deviceId: aId, relation: 'new', appended: 4, skipped: 0, size: 4, missing: [] });
		expect(await entitiesOf(b.ctx.db)).toEqual(await entitiesOf(a.ctx.db));
		const rows = await b.ctx.db.events.toArray();
		expect(rows.map((r) => r.origin)).toEqual([0, 1, 2, 3].map((index) => ({ deviceId: aId, index })));
		expect(rows.every((r) => r.sync === 'imported')).toBe(true);
		expect(b.announced.at(-1)).toEqual({ size: 4 });
		const [seen] = await ok(b.api.devicesSeen());
		expect(seen).toMatchObject({ deviceId: aId, received: [{ begin: 0, end: 4 }], missing: [], forks: [] });
		expect(seen?.latest?.treeSize).toBe(4);
	});

	it('is idempotent: importing the same bundle again appends nothing', async () => {
		const [a, b] = [device(), device()];
		await register(a, 3);
		const { text } = await exportText(a);
		await ok(b.api.importBundle(text));
		const before = await snapshot(b.ctx.db, ['devices']);
		const again = await ok(b.api.importBundle(text));
		expect(again).toMatchObject({ appended: 0, skipped: 3, size: 3 });
		expect(await snapshot(b.ctx.db, ['devices'])).toEqual(before);
		expect((await b.ctx.db.devices.toArray())[0]?.checkpoints).toHaveLength(1);
	});

	it('skips the events a since-bundle shares with what is here and appends the rest', async () => {
		const [a, b] = [device(), device()];
		await register(a, 3);
		await ok(b.api.importBundle((await exportText(a)).text));
		await register(a, 2);
		const whole = await exportText(a);
		expect(await ok(b.api.importBundle(whole.text))).toMatchObject({ appended: 2, skipped: 3, size: 5 });
	});

	it("skips this device's own events coming back in another device's bundle", async () => {
		const [a, b] = [device(), device()];
		await register(a, 2);
		await ok(b.api.importBundle((await exportText(a)).text));
		await register(b, 1);
		const back = await ok(a.api.importBundle((await exportText(b)).text));
		expect(back).toMatchObject({ appended: 1, skipped: 2, size: 3 });
		expect(await entitiesOf(a.ctx.db)).toEqual(await entitiesOf(b.ctx.db));
	});

	it('rejects the whole bundle when an event is here with different content, and stores nothing', async () => {
		const [a, b] = [device(), device()];
		await register(a, 3);
		const log = await logOf(a.ctx.db);
		// Device B already holds event 1 of A's log with other content (what a rewritten copy would be).
		const changed = { ...(log[1] as CasetrailEvent), data: { givenName: 'Changed', familyName: 'Elsewhere' } };
		await ok(b.api.importBundle(await forgedBundle(device(), [changed], 0)));
		const before = await snapshot(b.ctx.db);
		const refused = await b.api.importBundle((await exportText(a)).text);
		expect(refused.ok).toBe(false);
		if (refused.ok) throw new Error('unreachable');
		expect(refused.error.code).toBe('event-conflict');
		expect(refused.error.message).toContain((log[1] as CasetrailEvent).guid);
		expect(await snapshot(b.ctx.db)).toEqual(before);
	});

	it('gives the same entities whatever the order two devices’ bundles are imported in', async () => {
		const [a, c] = [device(), device()];
		const [person] = await register(a, 2);
		const fromA = (await exportText(a)).text;
		await ok(c.api.importBundle(fromA));
		await ok(c.api.execute({ type: 'update-entity', entityGuid: person!, changes: { phone: '+221 77 123 45 67' }, reason: 'home visit' }));
		await register(c, 1);
		await register(a, 1);
		await ok(a.api.execute({ type: 'update-entity', entityGuid: person!, changes: { address: 'Kébémer' }, reason: 'moved' }));
		const laterA = (await exportText(a)).text;
		const fromC = (await exportText(c)).text;

		const [b1, b2] = [device(), device()];
		await ok(b1.api.importBundle(laterA));
		await ok(b1.api.importBundle(fromC));
		await ok(b2.api.importBundle(fromC));
		await ok(b2.api.importBundle(laterA));
		const one = await entitiesOf(b1.ctx.db);
		expect(Object.keys(one)).toHaveLength(4);
		expect(await entitiesOf(b2.ctx.db)).toEqual(one);
		expect((one[person!] as { data: Record<string, unknown> }).data).toMatchObject({ phone: '+221 77 123 45 67', address: 'Kébémer' });
	});

	it("imports its own device's bundle as already present", async () => {
		const a = device();
		await register(a, 3);
		const { text } = await exportText(a);
		expect(await ok(a.api.importBundle(text))).toMatchObject({ relation: 'own', appended: 0, skipped: 3, size: 3, missing: [] });
		expect(await a.ctx.db.devices.count()).toBe(0);
	});

	it('is refused to a case worker and to nobody signed in, changing nothing', async () => {
		const [a, b] = [device(), device('case-worker')];
		await register(a, 1);
		const { text } = await exportText(a);
		const before = await snapshot(b.ctx.db);
		expect((await failure(b.api.importBundle(text))).code).toBe('forbidden');
		b.signIn(undefined);
		expect((await failure(b.api.importBundle(text))).code).toBe('not-signed-in');
		expect(await snapshot(b.ctx.db)).toEqual(before);
		b.signIn(user('sup', 'supervisor'));
		expect((await ok(b.api.importBundle(text))).appended).toBe(1);
	});
});

describe('importBundle across a device’s bundles', () => {
	async function scenario() {
		const [a, b] = [device(), device()];
		await register(a, 5);
		const first = await exportText(a);
		await ok(b.api.importBundle(first.text));
		return { a, b, first, log: await logOf(a.ctx.db) };
	}

	async function refusedAsFork(b: ReturnType<typeof device>, text: string) {
		const before = await snapshot(b.ctx.db, ['forks']);
		const refused = await b.api.importBundle(text);
		expect(refused.ok).toBe(false);
		if (refused.ok) throw new Error('unreachable');
		expect(refused.error.code).toBe('fork-detected');
		expect(await snapshot(b.ctx.db, ['forks'])).toEqual(before);
		return refused.error;
	}

	it('refuses rewritten history with fork-detected and keeps both checkpoints as evidence', async () => {
		const { a, b, first } = await scenario();
		await register(a, 1);
		const rewritten = (await logOf(a.ctx.db)).map((e, i) => (i === 2 ? { ...e, data: { givenName: 'Rewritten', familyName: 'History' } } : e));
		const forged = await forgedBundle(a, rewritten, 0);
		const error = await refusedAsFork(b, forged);
		expect(error.message).toMatch(/rewrote or removed/);
		const [fork] = await b.ctx.db.forks.toArray();
		expect(fork?.seen.jws).toBe(JSON.parse(first.text).checkpoint);
		expect(fork?.offered.jws).toBe(JSON.parse(forged).checkpoint);
		expect(fork?.begin).toBeLessThanOrEqual(2);
		expect(fork?.end).toBeGreaterThan(2);
		const [seen] = await ok(b.api.devicesSeen());
		expect(seen?.forks).toHaveLength(1);
		// The same refused bundle again adds no second copy of the evidence.
		await refusedAsFork(b, forged);
		expect(await b.ctx.db.forks.count()).toBe(1);
	});

	it('refuses a log with events removed', async () => {
		const { a, b, log } = await scenario();
		await register(a, 2);
		const removed = (await logOf(a.ctx.db)).filter((e) => e.guid !== log[3]?.guid);
		await refusedAsFork(b, await forgedBundle(a, removed, 0));
	});

	it('refuses a since-bundle whose prefix does not match the history received', async () => {
		const { a, b } = await scenario();
		await register(a, 2);
		const other = (await logOf(a.ctx.db)).map((e, i) => (i === 0 ? { ...e, userId: 'someone-else' } : e));
		await refusedAsFork(b, await forgedBundle(a, other, 5));
	});

	it('refuses a checkpoint of the same size with another root', async () => {
		const { a, b, log } = await scenario();
		const swapped = [log[0]!, log[1]!, log[2]!, log[4]!, log[3]!];
		await refusedAsFork(b, await forgedBundle(a, swapped, 3));
	});

	it('warns before importing: the summary shows the conflict', async () => {
		const { a, b, log } = await scenario();
		const rewritten = log.map((e, i) => (i === 4 ? { ...e, data: { givenName: 'Other', familyName: 'Person' } } : e));
		const summary = await ok(b.api.inspectBundle(await forgedBundle(a, rewritten, 0)));
		expect(summary).toMatchObject({ valid: true, relation: 'known', conflict: { span: { begin: 4, end: 5 } } });
	});

	it('accepts an older bundle of the same history', async () => {
		const { a, b, log } = await scenario();
		expect(await ok(b.api.importBundle(await forgedBundle(a, log.slice(0, 3), 0)))).toMatchObject({ appended: 0, skipped: 3 });
		expect(await b.ctx.db.forks.count()).toBe(0);
	});

	it('accepts a gap and reports the missing range, which a later import fills', async () => {
		const { a, b } = await scenario();
		await register(a, 3);
		const second = await exportText(a, { start: 'last-export' });
		await register(a, 2);
		const third = await exportText(a, { start: 'last-export' });
		expect(await ok(b.api.importBundle(third.text))).toMatchObject({ appended: 2, missing: [{ begin: 5, end: 8 }] });
		const [seen] = await ok(b.api.devicesSeen());
		expect(seen?.missing).toEqual([{ begin: 5, end: 8 }]);
		expect(await ok(b.api.importBundle(second.text))).toMatchObject({ appended: 3, missing: [] });
		expect((await b.ctx.db.events.toArray()).map((r) => r.origin?.index)).toEqual([0, 1, 2, 3, 4, 8, 9, 5, 6, 7]);
		expect(await entitiesOf(b.ctx.db)).toEqual(await entitiesOf(a.ctx.db));
	});

	it('accepts a first bundle that starts after the beginning and reports what is missing', async () => {
		const [a, b] = [device(), device()];
		await register(a, 3);
		await exportText(a);
		await register(a, 2);
		const since = await exportText(a, { start: 'last-export' });
		expect(await ok(b.api.importBundle(since.text))).toMatchObject({ relation: 'new', appended: 2, missing: [{ begin: 0, end: 3 }] });
	});

	it('counts a later whole-log bundle of the same size as receiving what a since-bundle left missing', async () => {
		const [a, b] = [device(), device()];
		await register(a, 3);
		await exportText(a);
		await register(a, 2);
		const since = await exportText(a, { start: 'last-export' });
		expect(await ok(b.api.importBundle(since.text))).toMatchObject({ missing: [{ begin: 0, end: 3 }] });
		const whole = await exportText(a);
		expect(whole.treeSize).toBe(since.treeSize);
		expect(await ok(b.api.importBundle(whole.text))).toMatchObject({ appended: 3, missing: [] });
		const [seen] = await ok(b.api.devicesSeen());
		expect(seen?.checkpoints.map((c) => [c.from, c.treeSize])).toEqual([[0, 5]]);
	});

	it('refuses a bundle of this device that does not match its own log', async () => {
		const a = device();
		await register(a, 3);
		const log = await logOf(a.ctx.db);
		const forged = await forgedBundle(a, [log[0]!, { ...log[1]!, userId: 'x' }, log[2]!], 0);
		const before = await snapshot(a.ctx.db);
		expect((await failure(a.api.importBundle(forged))).code).toBe('fork-detected');
		expect(await snapshot(a.ctx.db)).toEqual(before);
	});
});
