import { afterEach, describe, expect, it } from 'vitest';
import type { DBCore, DBCoreMutateRequest, DBCoreMutateResponse, Middleware } from 'dexie';
import { project } from '../../../src/lib/core/projection';
import type { CasetrailEvent } from '../../../src/lib/core/event';
import { appendEvents } from '../../../src/lib/store/append';
import { openDb, type CasetrailDb } from '../../../src/lib/store/db';
import { getMetrics } from '../../../src/lib/store/metrics';
import { getEntity, getTreeHead } from '../../../src/lib/store/read';
import { at, createIndividual, dropDb, freshDb, IDBKeyRange, indexedDB, referenceRoot, uniqueName, updateIndividual, utf8 } from './helpers';

const opened: CasetrailDb[] = [];
function track(db: CasetrailDb): CasetrailDb {
	opened.push(db);
	return db;
}
afterEach(async () => {
	await Promise.all(opened.splice(0).map(dropDb));
});

/** Everything the store holds, to compare before and after a rejected append. */
async function contents(db: CasetrailDb) {
	return {
		events: await db.events.toArray(),
		entities: await db.entities.toArray(),
		snapshots: await db.snapshots.toArray(),
		head: (await db.meta.get('head'))?.value
	};
}

/** A middleware whose writes to `table` first go through and then fail with `error()`. */
function failAfterWriting(table: string, error: () => Error): Middleware<DBCore> {
	return {
		stack: 'dbcore',
		name: `fail-${table}`,
		create: (down) => ({
			...down,
			table: (name) => {
				const inner = down.table(name);
				if (name !== table) return inner;
				return {
					...inner,
					mutate: async (req: DBCoreMutateRequest): Promise<DBCoreMutateResponse> => {
						await inner.mutate(req);
						throw error();
					}
				};
			}
		})
	};
}

/** Installs a middleware: Dexie builds its stacks when it opens, so reopen around it. */
async function use(db: CasetrailDb, middleware: Middleware<DBCore>): Promise<void> {
	db.close();
	db.use(middleware);
	await db.open();
}

async function unuse(db: CasetrailDb, name: string): Promise<void> {
	db.close();
	db.unuse({ stack: 'dbcore', name });
	await db.open();
}

function individuals(count: number, startMs = 0): CasetrailEvent[] {
	return Array.from({ length: count }, (_, i) => createIndividual(`i-${startMs}-${i}`, `Person ${i}`, startMs + i));
}

describe('appendEvents', () => {
	it('stores events as leaves 0, 1, 2 with the canonical JSON and the RFC 6962 root of their bytes', async () => {
		const db = track(freshDb());
		const events = individuals(5);
		const result = await appendEvents(db, events);
		expect(result.seqs).toEqual([0, 1, 2, 3, 4]);
		expect(result.appended).toBe(5);
		const rows = await db.events.orderBy('seq').toArray();
		expect(rows.map((r) => r.guid)).toEqual(events.map((e) => e.guid));
		// Canonical: sorted keys, no whitespace.
		expect(rows[0]?.canonical.startsWith('{"data":{"givenName":"Person 0"},"entityGuid":')).toBe(true);
		const expected = referenceRoot(rows.map((r) => utf8.encode(r.canonical)));
		expect(result.root).toEqual(expected);
		expect((await getTreeHead(db)).root).toEqual(expected);
	});

	it('keeps appending from the stored head across calls and connections', async () => {
		const name = uniqueName();
		const first = track(openDb(name, { indexedDB, IDBKeyRange }));
		const events = individuals(13);
		await appendEvents(first, events.slice(0, 6));
		first.close();
		const second = track(openDb(name, { indexedDB, IDBKeyRange }));
		const result = await appendEvents(second, events.slice(6));
		expect(result.seqs).toEqual([6, 7, 8, 9, 10, 11, 12]);
		expect(result.root).toEqual(referenceRoot(events.map((e) => utf8.encode(JSON.stringify(sortKeys(e))))));
	});

	it('projects entities incrementally, the same as core project over all events', async () => {
		const db = track(freshDb());
		const events = [createIndividual('p-1', 'Ann', 0), updateIndividual('p-1', { familyName: 'Lee' }, 10), createIndividual('p-2', 'Bo', 20)];
		await appendEvents(db, events.slice(0, 1));
		await appendEvents(db, events.slice(1));
		const expected = project(events).entities;
		expect(await getEntity(db, 'p-1')).toEqual(expected.find((e) => e.guid === 'p-1'));
		expect(await getEntity(db, 'p-2')).toEqual(expected.find((e) => e.guid === 'p-2'));
	});

	it('reports events that are stored but do not apply, with core skip reasons', async () => {
		const db = track(freshDb());
		const orphan = updateIndividual('nobody', { givenName: 'X' }, 0);
		const result = await appendEvents(db, [orphan]);
		expect(result.appended).toBe(1);
		expect(result.skipped).toEqual([expect.objectContaining({ guid: orphan.guid, reason: 'entity-missing' })]);
		expect(await getEntity(db, 'nobody')).toBeUndefined();
	});

	it('records import bookkeeping beside the event, outside the hashed bytes', async () => {
		const db = track(freshDb());
		const [local, imported] = individuals(2);
		await appendEvents(db, [local, imported], { origins: [undefined, { deviceId: 'dev-9', index: 41 }] });
		const rows = await db.events.orderBy('seq').toArray();
		expect(rows[0]?.sync).toBe('local');
		expect(rows[0]?.origin).toBeUndefined();
		expect(rows[1]?.sync).toBe('imported');
		expect(rows[1]?.origin).toEqual({ deviceId: 'dev-9', index: 41 });
		expect(rows[1]?.canonical).not.toContain('dev-9');
	});

	it('rejects origins that do not line up with the events', async () => {
		const db = track(freshDb());
		await expect(appendEvents(db, individuals(2), { origins: [undefined] })).rejects.toMatchObject({ code: 'invalid-event' });
		await expect(appendEvents(db, individuals(1), { origins: [{ deviceId: '', index: -1 }] })).rejects.toMatchObject({ code: 'invalid-event' });
		expect(await db.events.count()).toBe(0);
	});
});

describe('appendEvents immutability', () => {
	it('treats an event whose guid and bytes are stored as a no-op, returning its leaf index', async () => {
		const db = track(freshDb());
		const events = individuals(3);
		await appendEvents(db, events);
		const before = await contents(db);
		// Same content, members in another order: the same canonical bytes.
		const reordered = Object.fromEntries(Object.entries(events[1] as CasetrailEvent).reverse());
		const result = await appendEvents(db, [reordered]);
		expect(result).toMatchObject({ seqs: [1], appended: 0, duplicates: 1, size: 3 });
		expect(await contents(db)).toEqual(before);
	});

	it('treats stored guids the same inside a caller’s transaction (an import), which goes on and commits', async () => {
		const db = track(freshDb());
		const events = individuals(3);
		await appendEvents(db, events);
		const [extra] = individuals(1, 50);
		const result = await db.transaction('rw', [db.events, db.entities, db.snapshots, db.meta], async () => {
			const appended = await appendEvents(db, [events[0], extra]);
			await db.meta.put({ key: 'stats', value: { failedEvents: 42 } });
			return appended;
		});
		expect(result).toMatchObject({ seqs: [0, 3], appended: 1, duplicates: 1 });
		expect(await db.events.count()).toBe(4);
		expect((await db.meta.get('stats'))?.value).toEqual({ failedEvents: 42 });
		const changed = { ...(events[1] as CasetrailEvent), userId: 'someone-else' };
		await expect(db.transaction('rw', [db.events, db.entities, db.snapshots, db.meta], () => appendEvents(db, [changed]))).rejects.toMatchObject({ code: 'event-conflict' });
		expect(await db.events.count()).toBe(4);
	});

	it('stores a repeated guid within one batch once when the copies are identical', async () => {
		const db = track(freshDb());
		const [a, b] = individuals(2);
		const result = await appendEvents(db, [a, b, { ...a }]);
		expect(result).toMatchObject({ seqs: [0, 1, 0], appended: 2, duplicates: 1 });
		expect(await db.events.count()).toBe(2);
	});

	it('rejects the whole batch with event-conflict when a stored guid comes with different bytes', async () => {
		const db = track(freshDb());
		const events = individuals(3);
		await appendEvents(db, events);
		const before = await contents(db);
		const changed = { ...(events[2] as CasetrailEvent), data: { givenName: 'Someone else' } };
		const error = await appendEvents(db, [...individuals(4, 100), changed]).catch((e: unknown) => e);
		expect(error).toMatchObject({ name: 'CasetrailError', code: 'event-conflict' });
		expect((error as Error).message).toContain((events[2] as CasetrailEvent).guid);
		expect(await contents(db)).toEqual(before);
	});

	it('rejects a batch that holds one guid with two contents', async () => {
		const db = track(freshDb());
		const [a] = individuals(1);
		const twin = { ...(a as CasetrailEvent), userId: 'u-2' };
		await expect(appendEvents(db, [a, twin])).rejects.toMatchObject({ code: 'event-conflict' });
		expect(await db.events.count()).toBe(0);
	});

	it('rejects a batch with an invalid event as invalid-event, naming it, and stores nothing', async () => {
		const db = track(freshDb());
		await appendEvents(db, individuals(2));
		const before = await contents(db);
		const bad = { ...createIndividual('i-x', 'X', 5), timestamp: 'yesterday' };
		const error = await appendEvents(db, [...individuals(3, 50), bad]).catch((e: unknown) => e);
		expect(error).toMatchObject({ code: 'invalid-event' });
		expect((error as Error).message).toMatch(/event 4 of 4/);
		expect(await contents(db)).toEqual(before);
	});

	it('counts the events of rejected appends as failedEvents', async () => {
		const db = track(freshDb());
		await appendEvents(db, individuals(2));
		await appendEvents(db, [{ nonsense: true }, ...individuals(2, 10)]).catch(() => undefined);
		await appendEvents(db, [{ ...(individuals(1)[0] as CasetrailEvent), guid: '' }]).catch(() => undefined);
		const metrics = await getMetrics(db);
		expect(metrics.failedEvents).toBe(4);
		expect(metrics.totalEvents).toBe(2);
	});
});

describe('appendEvents atomicity', () => {
	it('leaves no event, node, projection, snapshot or head when the transaction fails after its writes', async () => {
		const db = track(freshDb());
		await appendEvents(db, individuals(3), { firstSnapshot: 1 });
		const before = await contents(db);
		await use(db, failAfterWriting('meta', () => new Error('the disk failed')));
		const batch = [...individuals(5, 100), updateIndividual('i-0-0', { familyName: 'Late' }, 1)];
		const error = await appendEvents(db, batch, { firstSnapshot: 1 }).catch((e: unknown) => e);
		expect(error).toMatchObject({ code: 'storage-failed' });
		await unuse(db, 'fail-meta');
		expect(await contents(db)).toEqual(before);
		expect(before.events).toHaveLength(3);
	});

	it('maps QuotaExceededError to quota-exceeded with a sentence, and stores nothing', async () => {
		const db = track(freshDb());
		await appendEvents(db, individuals(1));
		const before = await contents(db);
		await use(db, failAfterWriting('entities', () => new DOMException('The quota has been exceeded.', 'QuotaExceededError')));
		const error = await appendEvents(db, individuals(8, 100)).catch((e: unknown) => e);
		expect(error).toMatchObject({ name: 'CasetrailError', code: 'quota-exceeded' });
		expect((error as Error).message).toMatch(/no storage space left.*nothing was saved/i);
		await unuse(db, 'fail-entities');
		expect(await contents(db)).toEqual(before);
	});
});

describe('appendEvents cost', () => {
	it('writes one event row per event, holding exactly the nodes its leaf completes: never a rebuild', async () => {
		const db = track(freshDb());
		const writes: Record<string, number> = {};
		await use(db, {
			stack: 'dbcore',
			name: 'count-writes',
			create: (down) => ({
				...down,
				table: (name) => {
					const inner = down.table(name);
					return {
						...inner,
						mutate: (req: DBCoreMutateRequest) => {
							if (req.type === 'add' || req.type === 'put') writes[name] = (writes[name] ?? 0) + req.values.length;
							return inner.mutate(req);
						}
					};
				}
			})
		});
		const trailingOnes = (n: number) => n.toString(2).split('').reverse().join('').search(/0|$/);
		for (let n = 0; n < 70; n++) {
			for (const key of Object.keys(writes)) delete writes[key];
			await appendEvents(db, [createIndividual(`c-${n}`, 'C', n)]);
			// One event row, one entity row, the head: whatever the size of the log.
			expect(writes).toEqual({ events: 1, entities: 1, meta: 1 });
			const row = await db.events.get(n);
			// Appending leaf n merges once per trailing 1-bit of n; exactly those nodes are stored.
			expect(row?.nodes?.length ?? 0).toBe(32 * trailingOnes(n));
		}
	});
});

describe('appendEvents across connections', () => {
	it('lands two concurrent appends from two connections, and the root is that of the final sequence', async () => {
		const name = uniqueName();
		const a = track(openDb(name, { indexedDB, IDBKeyRange }));
		const b = track(openDb(name, { indexedDB, IDBKeyRange }));
		const calls: Promise<unknown>[] = [];
		for (let round = 0; round < 6; round++) {
			calls.push(appendEvents(a, individuals(3, 1000 * round)), appendEvents(b, individuals(2, 1000 * round + 500)));
		}
		await Promise.all(calls);
		const rows = await a.events.orderBy('seq').toArray();
		expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i));
		expect(new Set(rows.map((r) => r.guid)).size).toBe(30);
		const root = referenceRoot(rows.map((r) => utf8.encode(r.canonical)));
		expect((await getTreeHead(a)).root).toEqual(root);
		expect((await getTreeHead(b)).root).toEqual(root);
		// The nodes are those of the final sequence too: one per perfect interior subtree.
		expect(rows.reduce((sum, row) => sum + (row.nodes?.length ?? 0) / 32, 0)).toBe(30 - 4);
	});
});

describe('appendEvents with events out of time order', () => {
	it('re-projects an entity when an event older than its last one arrives', async () => {
		const db = track(freshDb());
		const create = createIndividual('late-1', 'Ann', 0);
		const newer = updateIndividual('late-1', { village: 'North' }, 2000);
		const older = updateIndividual('late-1', { village: 'South', phone: '1' }, 1000);
		await appendEvents(db, [create, newer]);
		await appendEvents(db, [older]);
		const entity = await getEntity(db, 'late-1');
		expect(entity?.data).toEqual({ givenName: 'Ann', village: 'North', phone: '1' });
		expect(entity).toEqual(project([create, newer, older]).entities[0]);
	});

	it('applies a create that arrives after its updates, with the updates replayed on top', async () => {
		const db = track(freshDb());
		const update = updateIndividual('late-2', { familyName: 'Lee' }, 500);
		const create = createIndividual('late-2', 'Bo', 100);
		expect((await appendEvents(db, [update])).skipped).toHaveLength(1);
		expect((await appendEvents(db, [create])).skipped).toHaveLength(0);
		expect((await getEntity(db, 'late-2'))?.data).toEqual({ givenName: 'Bo', familyName: 'Lee' });
	});

	it('keeps snapshot storage bounded per entity: 4,096 add-member events on one group leave 7 snapshots holding fewer member entries than twice the group (issue 13)', async () => {
		const db = track(freshDb());
		const events: CasetrailEvent[] = [{ guid: 'm-0000', entityGuid: 'big', type: 'create-group', data: { name: 'Big' }, timestamp: at(0), userId: 'u-1' }];
		for (let i = 1; i < 4096; i++) events.push({ guid: `m-${String(i).padStart(4, '0')}`, entityGuid: 'big', type: 'add-member', data: { memberGuid: `p-${i}`, role: 'child' }, timestamp: at(i), userId: 'u-1' });
		await appendEvents(db, events);
		const snapshots = await db.snapshots.toArray();
		// The default schedule: after 64, 128, ..., 4096 events (every 64 stored 64 copies, 133,056 entries).
		expect(snapshots.map((s) => s.position)).toEqual([64, 128, 256, 512, 1024, 2048, 4096]);
		const entries = snapshots.reduce((sum, s) => sum + (s.entity?.members?.length ?? 0), 0);
		expect(entries).toBeLessThan(2 * 4095);
		expect((await getEntity(db, 'big'))?.members).toHaveLength(4095);
	});

	it('re-projects from the latest snapshot before the late event and rewrites the later snapshots', async () => {
		const db = track(freshDb());
		const events: CasetrailEvent[] = [createIndividual('snap-1', 'S', 0)];
		for (let i = 1; i < 10; i++) events.push(updateIndividual('snap-1', { counter: i }, i * 100));
		await appendEvents(db, events, { firstSnapshot: 3 });
		expect((await db.snapshots.toArray()).map((s) => s.position)).toEqual([3, 6]);
		// Between the 5th and 6th event: snapshot 3 stays, 6 is rebuilt with it included.
		const late = updateIndividual('snap-1', { note: 'late' }, 450);
		const reads: string[] = [];
		await use(db, {
			stack: 'dbcore',
			name: 'watch-reads',
			create: (down) => ({
				...down,
				table: (name) => {
					const inner = down.table(name);
					return name === 'events' ? { ...inner, query: (req) => (reads.push(JSON.stringify(req.query.range.lower)), inner.query(req)) } : inner;
				}
			})
		});
		await appendEvents(db, [late], { firstSnapshot: 3 });
		await unuse(db, 'watch-reads');
		// The history was read from just after the third event, not from the start.
		expect(reads.some((r) => r.includes((events[2] as CasetrailEvent).guid))).toBe(true);
		const all = [...events, late];
		const snapshots = await db.snapshots.toArray();
		expect(snapshots.map((s) => s.position)).toEqual([3, 6]);
		const ordered = [...all].sort((a, b) => a.timestamp.localeCompare(b.timestamp));
		for (const s of snapshots) expect(s.entity).toEqual(project(ordered.slice(0, s.position)).entities[0]);
		expect(await getEntity(db, 'snap-1')).toEqual(project(all).entities[0]);
	});

	it('orders events of one instant by guid, whatever order they arrive in', async () => {
		const db = track(freshDb());
		const create = createIndividual('tie', 'T', 0);
		const same = at(100);
		const x = { ...updateIndividual('tie', { v: 'x' }, 100), guid: 'zz-last', timestamp: same };
		const y = { ...updateIndividual('tie', { v: 'y' }, 100), guid: 'aa-first', timestamp: same };
		await appendEvents(db, [create, x]);
		await appendEvents(db, [y]);
		expect((await getEntity(db, 'tie'))?.data.v).toBe('x');
	});
});

/** A plain copy of `value` with object keys sorted, so JSON.stringify gives RFC 8785 text for ASCII data. */
function sortKeys(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(sortKeys);
	if (value && typeof value === 'object') {
		return Object.fromEntries(
			Object.keys(value)
				.sort()
				.map((k) => [k, sortKeys((value as Record<string, unknown>)[k])])
		);
	}
	return value;
}
