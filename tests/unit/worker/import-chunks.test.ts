/**
 * The import in chunks (store/import.ts, issue 20): all or nothing for the bundle although each
 * chunk is its own transaction, other connections reading between chunks, appends and exports
 * refused while it runs, an interrupted import undone, and a bundle already received skipped
 * without reading its events.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { bundleNodes } from '../../../src/lib/core/bundle/nodes';
import { verifyReceivedBundle } from '../../../src/lib/core/bundle/limits';
import type { CasetrailEvent } from '../../../src/lib/core/event';
import { openDb, type CasetrailDb, type HeadValue } from '../../../src/lib/store/db';
import { IMPORT_SIZING, recoverImport, type ChunkSizing, type ImportProgress } from '../../../src/lib/store/import';
import { importVerifiedBundle } from '../../../src/lib/store/peers';
import { deviceIdentity } from '../../../src/lib/worker/device';
import { IDBKeyRange, indexedDB } from '../store/helpers';
import { device, dropDevices, entitiesOf, exportText, failure, forgedBundle, logOf, ok, register, snapshot } from './exchange-helpers';
import type { Harness } from './helpers';

afterEach(async () => {
	vi.restoreAllMocks();
	await dropDevices();
});

/**
 * Imports `text` into `h` through the store, `chunkSize` events per transaction, or in chunks sized
 * by time as `chunkSize` says (by default as the app sizes them).
 */
async function importChunked(h: Harness, text: string, chunkSize: number | ChunkSizing | undefined, onProgress?: (p: ImportProgress) => void) {
	const verified = await verifyReceivedBundle(text);
	const nodes = bundleNodes(verified.from, verified.prefix, verified.leafHashes);
	const { deviceId } = await deviceIdentity(h.ctx.db);
	const size = typeof chunkSize === 'number' ? { chunkSize } : chunkSize ? { sizing: chunkSize } : {};
	return importVerifiedBundle(h.ctx.db, verified, { ownDeviceId: deviceId, nodes, now: '2026-06-02T10:00:00.000Z', ...size, ...(onProgress ? { onProgress } : {}) });
}

/** The sizes of the chunks an import appended, from the progress it told. */
function chunkSizes(seen: readonly ImportProgress[]): number[] {
	const done = seen.filter((p) => p.phase === 'events').map((p) => p.done);
	return done.map((d, i) => d - (done[i - 1] ?? 0));
}

async function head(db: CasetrailDb): Promise<HeadValue | undefined> {
	return (await db.meta.get('head'))?.value as HeadValue | undefined;
}

/**
 * Every table but the rebuild counter, which an undo that rebuilt the records moves (and, when told,
 * the count of refused appends, which a test's own refused append moves).
 */
async function state(db: CasetrailDb, without: string[] = []): Promise<Record<string, unknown[]>> {
	const all = await snapshot(db);
	return { ...all, meta: all['meta']!.filter((r) => ![...without, 'projections'].includes((r as { key: string }).key)) };
}

describe('import in chunks', () => {
	it('stores the same log and records as one transaction would, reporting each chunk with counts', async () => {
		const [a, b, c] = [device(), device(), device()];
		await register(a, 7);
		const text = (await exportText(a)).text;
		const seen: ImportProgress[] = [];
		const outcome = await importChunked(b, text, 3, (p) => seen.push(p));
		expect(outcome.append).toMatchObject({ appended: 7, duplicates: 0, size: 7 });
		expect(seen.filter((p) => p.phase === 'events').map((p) => [p.done, p.total])).toEqual([[3, 7], [6, 7], [7, 7]]);
		expect(seen.at(-1)).toEqual({ phase: 'publishing', done: 7, total: 7 });
		expect(seen.some((p) => p.phase === 'nodes')).toBe(true);
		await ok(c.api.importBundle(text));
		expect(await logOf(b.ctx.db)).toEqual(await logOf(c.ctx.db));
		expect(await entitiesOf(b.ctx.db)).toEqual(await entitiesOf(c.ctx.db));
		expect(await b.ctx.db.peerNodes.count()).toBe(await c.ctx.db.peerNodes.count());
		expect((await head(b.ctx.db))?.importing).toBeUndefined();
	});

	it('stores the same rows and head with chunks sized by time as with a fixed size', async () => {
		const [a, b, c] = [device(), device(), device()];
		await register(a, 23);
		await register(b, 2);
		// C is a copy of B: the same device, key and records.
		await deviceIdentity(b.ctx.db);
		const copy = await snapshot(b.ctx.db);
		await c.ctx.db.transaction('rw', c.ctx.db.tables, async () => {
			for (const table of c.ctx.db.tables) {
				await table.clear();
				await table.bulkAdd(copy[table.name] as never[]);
			}
		});
		expect(await snapshot(c.ctx.db)).toEqual(copy);
		const text = (await exportText(a)).text;

		await importChunked(b, text, 1000);
		// A budget no chunk meets: from 4 events the sizes halve down to 1; then a generous one: they grow.
		const seen: ImportProgress[] = [];
		const sizing = (budgetMs: number): ChunkSizing => ({ ...IMPORT_SIZING, budgetMs, first: 4, min: 1, max: 8 });
		await importChunked(c, text, sizing(1e-9), (p) => seen.push(p));
		expect(chunkSizes(seen)).toEqual([4, 2, ...Array<number>(17).fill(1)]);
		expect(await snapshot(c.ctx.db)).toEqual(await snapshot(b.ctx.db));

		// The same bundle, larger by ten, into each: only the new events are appended, in growing chunks.
		await register(a, 10);
		const larger = (await exportText(a)).text;
		await importChunked(b, larger, 1000);
		seen.length = 0;
		await importChunked(c, larger, sizing(1e9), (p) => seen.push(p));
		expect(chunkSizes(seen)).toEqual([4, 6]);
		expect(await snapshot(c.ctx.db)).toEqual(await snapshot(b.ctx.db));
		expect((await head(c.ctx.db))?.size).toBe(35);
	});

	it('sizes its chunks by time unless told a fixed size, and reports each', async () => {
		const [a, b] = [device(), device()];
		await register(a, 7);
		const text = (await exportText(a)).text;
		const seen: ImportProgress[] = [];
		// Whatever the time: the first chunk of the default sizing takes the whole bundle here.
		const outcome = await importChunked(b, text, undefined, (p) => seen.push(p));
		expect(outcome.append).toMatchObject({ appended: 7, size: 7 });
		expect(chunkSizes(seen)).toEqual([7]);
		await expect(importChunked(device(), text, 0)).rejects.toMatchObject({ code: 'out-of-range' });
	});

	it('undoes the chunks already stored when a later one is refused, and stores nothing (event-conflict)', async () => {
		const [a, b] = [device(), device()];
		await register(a, 6);
		const log = await logOf(a.ctx.db);
		await register(b, 2);
		// B already holds A's event 4 with other content: chunks 0 to 3 are stored before it is met.
		const changed = { ...(log[4] as CasetrailEvent), data: { givenName: 'Changed', familyName: 'Elsewhere' } };
		await ok(b.api.importBundle(await forgedBundle(device(), [changed], 0)));
		const before = await state(b.ctx.db);
		const text = (await exportText(a)).text;
		let chunks = 0;
		await expect(importChunked(b, text, 1, (p) => (chunks += p.phase === 'events' ? 1 : 0))).rejects.toMatchObject({ code: 'event-conflict' });
		expect(chunks).toBe(4);
		expect(await state(b.ctx.db)).toEqual(before);
		// And the device works on: it appends, and takes a bundle that does not conflict.
		await register(b, 1);
		expect((await head(b.ctx.db))?.size).toBe(4);
	});

	it('refuses appends and exports while it runs, and lets another connection read the records between chunks', async () => {
		const [a, b] = [device(), device()];
		await register(a, 8);
		await register(b, 1);
		const text = (await exportText(a)).text;
		const other = openDb(b.ctx.db.name, { indexedDB, IDBKeyRange });
		try {
			let finished = false;
			const counts: number[] = [];
			const refused: Promise<string>[] = [];
			const reading = (async () => {
				while (!finished) {
					// Another tab's reads: the people on the device and who may sign in.
					const [entities] = await Promise.all([other.entities.count(), other.users.toArray()]);
					counts.push(entities);
					await new Promise((resolve) => setTimeout(resolve, 1));
				}
			})();
			try {
				await importChunked(b, text, 1, (p) => {
					if (p.phase === 'events' && p.done === 2) {
						refused.push(failure(b.api.execute({ type: 'register-individual', givenName: 'Late', familyName: 'Comer', sex: 'male', dateOfBirth: '1980-01-01' })).then((e) => e.code));
						refused.push(failure(b.api.exportBundle()).then((e) => e.code));
					}
				});
			} finally {
				finished = true;
				await reading;
			}
			expect(await Promise.all(refused)).toEqual(['import-running', 'import-running']);
			// Reads got in between the chunks: the other connection saw the records arrive.
			expect(counts.some((n) => n > 1 && n < 9)).toBe(true);
			expect(await other.entities.count()).toBe(9);
			await register(b, 1);
		} finally {
			other.close();
		}
	});

	it('leaves an interrupted import marked, refusing appends, until it is undone; then the bundle imports again', async () => {
		const [a, b] = [device(), device()];
		await register(a, 5);
		await register(b, 2);
		const before = await state(b.ctx.db);
		const text = (await exportText(a)).text;
		const crash = new Error('the tab was closed');
		await expect(
			importChunked(b, text, 2, (p) => {
				if (p.phase === 'events' && p.done === 2) throw crash;
			})
		).rejects.toBe(crash);
		expect((await head(b.ctx.db))?.importing).toBeDefined();
		expect((await head(b.ctx.db))?.size).toBe(4);
		expect(await b.ctx.db.peerNodes.count()).toBeGreaterThan(0);
		expect((await failure(b.api.execute({ type: 'register-individual', givenName: 'X', familyName: 'Y', sex: 'male', dateOfBirth: '1980-01-01' }))).code).toBe('import-running');

		expect(await recoverImport(b.ctx.db)).toBe(true);
		// The append refused above is counted (meta 'stats'); nothing else is left.
		expect(await state(b.ctx.db, ['stats'])).toEqual(before);
		expect(((await b.ctx.db.meta.get('stats'))?.value as { failedEvents: number }).failedEvents).toBe(1);
		expect(await recoverImport(b.ctx.db)).toBe(false);
		const outcome = await importChunked(b, text, 2);
		expect(outcome.append.appended).toBe(5);
		expect(await b.ctx.db.devices.count()).toBe(1);
	});

	it('undoes an interrupted import when the next import starts', async () => {
		const [a, b] = [device(), device()];
		await register(a, 4);
		const text = (await exportText(a)).text;
		await expect(
			importChunked(b, text, 1, (p) => {
				if (p.phase === 'events' && p.done === 3) throw new Error('closed');
			})
		).rejects.toThrow('closed');
		const done = await ok(b.api.importBundle(text));
		expect(done).toMatchObject({ appended: 4, skipped: 0, size: 4 });
		expect(await logOf(b.ctx.db)).toEqual(await logOf(a.ctx.db));
	});

	it('skips a bundle received before without reading an event or a node, and appends only the new part of a larger one', async () => {
		const [a, b] = [device(), device()];
		await register(a, 6);
		const first = (await exportText(a)).text;
		await ok(b.api.importBundle(first));
		const before = await snapshot(b.ctx.db, ['devices']);
		const reads = [vi.spyOn(b.ctx.db.events, 'bulkGet'), vi.spyOn(b.ctx.db.events, 'where'), vi.spyOn(b.ctx.db.peerNodes, 'bulkGet'), vi.spyOn(b.ctx.db.events, 'bulkAdd')];
		const again = await ok(b.api.importBundle(first));
		expect(again).toMatchObject({ appended: 0, skipped: 6, size: 6, relation: 'known' });
		for (const spy of reads) expect(spy).not.toHaveBeenCalled();
		expect(await snapshot(b.ctx.db, ['devices'])).toEqual(before);
		vi.restoreAllMocks();

		// The whole log again, longer: the six received are skipped unread, the three new appended.
		await register(a, 3);
		const larger = await ok(b.api.importBundle((await exportText(a)).text));
		expect(larger).toMatchObject({ appended: 3, skipped: 6, size: 9 });
		expect(await logOf(b.ctx.db)).toEqual(await logOf(a.ctx.db));
	});

	it('reads no node of a device never seen before', async () => {
		const [a, b] = [device(), device()];
		await register(a, 5);
		const text = (await exportText(a)).text;
		const nodeReads = vi.spyOn(b.ctx.db.peerNodes, 'bulkGet');
		const summary = await ok(b.api.inspectBundle(text));
		expect(summary).toMatchObject({ valid: true, relation: 'new' });
		await ok(b.api.importBundle(text));
		expect(nodeReads).not.toHaveBeenCalled();
	});
});
