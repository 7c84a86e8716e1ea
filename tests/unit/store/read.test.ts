import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CasetrailEvent } from '../../../src/lib/core/event';
import { verifyInclusion } from '../../../src/lib/core/merkle';
import { appendEvents } from '../../../src/lib/store/append';
import type { CasetrailDb, EntityRow, EventRow } from '../../../src/lib/store/db';
import {
	eventsSince,
	getConsistencyProof,
	getEntityEvents,
	getEvent,
	getEventWithProof,
	getRootAt,
	iterateLog,
	listEntities,
	verifyConsistencyProof,
	verifyEventProof,
	type EntityCursor,
	type EntityQuery
} from '../../../src/lib/store/read';
import { wordsOf } from '../../../src/lib/store/search';
import { at, createIndividual, dropDb, freshDb, referenceConsistency, referencePath, referenceRoot, updateIndividual, utf8 } from './helpers';

const opened: CasetrailDb[] = [];
function track(db: CasetrailDb): CasetrailDb {
	opened.push(db);
	return db;
}
afterEach(async () => {
	await Promise.all(opened.splice(0).map(dropDb));
});

function event(entityGuid: string, ms: number, guid: string): CasetrailEvent {
	return { guid, entityGuid, type: 'update-individual', data: { n: guid }, timestamp: at(ms), userId: 'u-1', version: 3 };
}

async function leavesOf(db: CasetrailDb): Promise<Uint8Array[]> {
	return (await db.events.orderBy('seq').toArray()).map((row) => utf8.encode(row.canonical));
}

describe('getEntityEvents', () => {
	it('returns an entity’s events by instant then guid, whatever order they were stored in', async () => {
		const db = track(freshDb());
		const events = [event('a', 300, 'g-3'), event('b', 100, 'g-x'), event('a', 100, 'g-2'), event('a', 100, 'g-1'), event('a', 200, 'g-0')];
		for (const e of events) await appendEvents(db, [e]);
		const stored = await getEntityEvents(db, 'a');
		expect(stored.map((s) => s.event.guid)).toEqual(['g-1', 'g-2', 'g-0', 'g-3']);
		expect(stored.map((s) => s.seq)).toEqual([3, 2, 4, 0]);
		expect(stored[0]?.event).toEqual(events[3]);
	});

	it('returns nothing for an entity without events', async () => {
		const db = track(freshDb());
		await appendEvents(db, [event('a', 1, 'g-1')]);
		expect(await getEntityEvents(db, 'b')).toEqual([]);
	});
});

describe('getEvent', () => {
	it('finds a stored event by guid with its bookkeeping', async () => {
		const db = track(freshDb());
		await appendEvents(db, [event('a', 1, 'g-1'), event('a', 2, 'g-2')], { origins: [undefined, { deviceId: 'd', index: 7 }] });
		expect(await getEvent(db, 'g-2')).toMatchObject({ seq: 1, sync: 'imported', origin: { deviceId: 'd', index: 7 }, event: { guid: 'g-2' } });
		expect(await getEvent(db, 'nope')).toBeUndefined();
	});
});

/** The seed system's pager: "events after the last timestamp seen", by timestamp index. */
async function pageByTimestamp(db: CasetrailDb, afterInstant: number, limit: number): Promise<EventRow[]> {
	return db.events.where('instant').above(afterInstant).limit(limit).toArray();
}

describe('eventsSince', () => {
	it('pages through the log by position without skipping or repeating, with many equal timestamps and late events', async () => {
		const db = track(freshDb());
		// 25 events at one instant, then a spread, appended in several batches.
		const first = Array.from({ length: 25 }, (_, i) => event(`e-${i % 4}`, 1000, `same-${String(i).padStart(2, '0')}`));
		await appendEvents(db, first.slice(0, 12));
		await appendEvents(db, first.slice(12));
		const seen: string[] = [];
		let cursor = 0;
		let page = await eventsSince(db, cursor, 7);
		seen.push(...page.events.map((s) => s.event.guid));
		cursor = page.next;
		// While paging, late events arrive carrying old timestamps (an import from another device).
		await appendEvents(db, Array.from({ length: 9 }, (_, i) => event('late', 10 + i, `late-${i}`)));
		for (;;) {
			page = await eventsSince(db, cursor, 7);
			seen.push(...page.events.map((s) => s.event.guid));
			cursor = page.next;
			if (page.done) break;
		}
		const all = (await db.events.orderBy('seq').toArray()).map((r) => r.guid);
		expect(all).toHaveLength(34);
		expect(seen).toEqual(all);
		expect(cursor).toBe(34);
	});

	it('shows why timestamps are no cursor: paging by timestamp loses events at page edges and late events', async () => {
		const db = track(freshDb());
		const events = Array.from({ length: 10 }, (_, i) => event('e', 1000 + Math.floor(i / 4), `t-${i}`));
		await appendEvents(db, events);
		// Timestamp paging: 3 per page, cursor = last instant seen.
		const byTime: string[] = [];
		let after = -Infinity;
		for (;;) {
			const rows = await pageByTimestamp(db, after, 3);
			if (rows.length === 0) break;
			byTime.push(...rows.map((r) => r.guid));
			after = (rows[rows.length - 1] as EventRow).instant;
			if (byTime.length === 6) {
				// A late event with an old timestamp arrives between two pages.
				await appendEvents(db, [event('e', 5, 'late-old')]);
			}
		}
		// The events sharing the instant at a page edge are skipped, and the late one is never seen.
		expect(byTime).not.toContain('t-3');
		expect(byTime).not.toContain('late-old');
		expect(byTime.length).toBeLessThan(11);

		const byPosition: string[] = [];
		for await (const batch of iterateLog(db, { batchSize: 3 })) byPosition.push(...batch.map((s) => s.event.guid));
		expect(byPosition).toEqual([...events.map((e) => e.guid), 'late-old']);
	});

	it('returns an empty, done page at the end and refuses bad cursors', async () => {
		const db = track(freshDb());
		await appendEvents(db, [event('a', 1, 'g-1')]);
		expect(await eventsSince(db, 1, 10)).toEqual({ events: [], next: 1, done: true });
		await expect(eventsSince(db, -1, 10)).rejects.toMatchObject({ code: 'out-of-range' });
		await expect(eventsSince(db, 0, 0)).rejects.toMatchObject({ code: 'out-of-range' });
	});
});

describe('iterateLog', () => {
	it('streams the whole log in batches of the size asked, in log order', async () => {
		const db = track(freshDb());
		const events = Array.from({ length: 23 }, (_, i) => event(`e-${i % 3}`, 50 - i, `it-${i}`));
		await appendEvents(db, events);
		const batches: number[] = [];
		const guids: string[] = [];
		for await (const batch of iterateLog(db, { batchSize: 5 })) {
			batches.push(batch.length);
			guids.push(...batch.map((s) => s.event.guid));
		}
		expect(batches).toEqual([5, 5, 5, 5, 3]);
		expect(guids).toEqual(events.map((e) => e.guid));
	});

	it('yields nothing for an empty log', async () => {
		const db = track(freshDb());
		const batches: unknown[] = [];
		for await (const batch of iterateLog(db)) batches.push(batch);
		expect(batches).toEqual([]);
	});
});

describe('proofs from the store', () => {
	it('gives inclusion proofs equal to RFC 6962 PATH at every (index, size) up to 40, that verify', async () => {
		const db = track(freshDb());
		const events = Array.from({ length: 40 }, (_, i) => event(`p-${i % 5}`, i, `proof-${String(i).padStart(2, '0')}`));
		// Appended in uneven batches, so the nodes come from many different merges.
		for (const [from, to] of [[0, 1], [1, 4], [4, 11], [11, 12], [12, 29], [29, 40]] as const) await appendEvents(db, events.slice(from, to));
		const leaves = await leavesOf(db);
		let checked = 0;
		for (let size = 1; size <= leaves.length; size++) {
			for (let index = 0; index < size; index++) {
				const result = await getEventWithProof(db, (events[index] as CasetrailEvent).guid, size);
				expect(result?.proof.path).toEqual(referencePath(index, leaves.slice(0, size)));
				expect(result?.proof.root).toEqual(referenceRoot(leaves.slice(0, size)));
				expect(verifyEventProof(result!)).toBe(true);
				checked++;
			}
		}
		expect(checked).toBe((40 * 41) / 2);
	});

	it('gives consistency proofs equal to RFC 6962 PROOF for every pair of sizes up to 40, that verify', async () => {
		const db = track(freshDb());
		const events = Array.from({ length: 40 }, (_, i) => event('c', i, `cons-${String(i).padStart(2, '0')}`));
		await appendEvents(db, events.slice(0, 17));
		await appendEvents(db, events.slice(17));
		const leaves = await leavesOf(db);
		for (let to = 1; to <= 40; to++) {
			expect(await getRootAt(db, to)).toEqual(referenceRoot(leaves.slice(0, to)));
			for (let from = 1; from <= to; from++) {
				const proof = await getConsistencyProof(db, from, to);
				expect(proof.path).toEqual(referenceConsistency(from, leaves.slice(0, to)));
				expect(proof.fromRoot).toEqual(referenceRoot(leaves.slice(0, from)));
				expect(verifyConsistencyProof(proof)).toBe(true);
			}
		}
	});

	it('proves against the current root by default, and the proof fails for other bytes or another root', async () => {
		const db = track(freshDb());
		await appendEvents(db, Array.from({ length: 11 }, (_, i) => event('v', i, `v-${i}`)));
		const result = (await getEventWithProof(db, 'v-6'))!;
		expect(result.proof).toMatchObject({ leafIndex: 6, treeSize: 11 });
		expect(verifyEventProof(result)).toBe(true);
		const forged = { ...result, event: { ...result.event, canonical: result.event.canonical.replace('v-6', 'v-7') } };
		expect(verifyEventProof(forged)).toBe(false);
		expect(verifyEventProof(result, new Uint8Array(32))).toBe(false);
		const path = result.proof.path.map((h, i) => (i === 1 ? h.map((b) => b ^ 1) : h));
		expect(verifyInclusion(result.event.leafHash, 6, 11, path, result.proof.root)).toBe(false);
	});

	it('refuses sizes the log has not had, and is undefined for an unknown guid', async () => {
		const db = track(freshDb());
		await appendEvents(db, Array.from({ length: 4 }, (_, i) => event('r', i, `r-${i}`)));
		expect(await getEventWithProof(db, 'unknown')).toBeUndefined();
		await expect(getEventWithProof(db, 'r-3', 3)).rejects.toMatchObject({ code: 'out-of-range' });
		await expect(getEventWithProof(db, 'r-1', 5)).rejects.toMatchObject({ code: 'out-of-range' });
		await expect(getConsistencyProof(db, 2, 5)).rejects.toMatchObject({ code: 'out-of-range' });
		await expect(getConsistencyProof(db, 0, 4)).rejects.toMatchObject({ code: 'out-of-range' });
		await expect(getRootAt(db, 5)).rejects.toMatchObject({ code: 'out-of-range' });
		expect(await getRootAt(db, 0)).toEqual(referenceRoot([]));
	});
});

describe('listEntities', () => {
	async function registry(db: CasetrailDb): Promise<void> {
		const people: [string, Record<string, unknown>, number][] = [
			['p-ana', { givenName: 'Ana', familyName: 'Souza', nationalId: 'AB-1234' }, 5],
			['p-bob', { givenName: 'Bob', familyName: 'Marley' }, 1],
			['p-jose', { givenName: 'José', familyName: 'Álvarez' }, 9],
			['p-anna', { givenName: 'Anna', familyName: 'Lee' }, 3],
			['p-zed', { givenName: 'Zed', familyName: 'Ana' }, 7]
		];
		await appendEvents(db, [
			...people.map(([guid, data, ms]) => ({ ...createIndividual(guid, '', ms * 100), data })),
			{ guid: 'g-1', entityGuid: 'h-1', type: 'create-group', data: { name: 'Anand household' }, timestamp: at(400), userId: 'u-1' },
			{ guid: 'd-1', entityGuid: 'p-bob', type: 'delete-entity', data: {}, timestamp: at(1000), userId: 'u-1' },
			updateIndividual('p-anna', { phone: '555 0101' }, 1100)
		]);
	}

	it('sorts by name A to Z and leaves deleted entities out', async () => {
		const db = track(freshDb());
		await registry(db);
		const page = await listEntities(db);
		expect(page.entities.map((e) => e.guid)).toEqual(['p-ana', 'h-1', 'p-anna', 'p-jose', 'p-zed']);
		expect(page.next).toBeNull();
	});

	it('sorts by last update, newest first, and filters by type and deleted state', async () => {
		const db = track(freshDb());
		await registry(db);
		expect((await listEntities(db, { sort: 'lastUpdated', deleted: 'include' })).entities.map((e) => e.guid)).toEqual(['p-anna', 'p-bob', 'p-jose', 'p-zed', 'p-ana', 'h-1']);
		expect((await listEntities(db, { type: 'group' })).entities.map((e) => e.guid)).toEqual(['h-1']);
		expect((await listEntities(db, { deleted: 'only' })).entities.map((e) => e.guid)).toEqual(['p-bob']);
	});

	it('finds entities by the start of name and id words, without accents or case, all words required', async () => {
		const db = track(freshDb());
		await registry(db);
		const find = async (text: string) => (await listEntities(db, { text })).entities.map((e) => e.guid);
		expect(await find('ana')).toEqual(['p-ana', 'h-1', 'p-zed']);
		expect(await find('ANA sou')).toEqual(['p-ana']);
		expect(await find('jose alv')).toEqual(['p-jose']);
		expect(await find('ab1234')).toEqual(['p-ana']);
		expect(await find('1234')).toEqual(['p-ana']);
		expect(await find('5550101')).toEqual(['p-anna']);
		expect(await find('ab-12')).toEqual(['p-ana']);
		expect(await find('555 01')).toEqual(['p-anna']);
		expect(await find('marley')).toEqual([]);
		expect((await listEntities(db, { text: 'marley', deleted: 'include' })).entities.map((e) => e.guid)).toEqual(['p-bob']);
	});

	it('pages with a cursor through equal names without skipping or repeating, in both sorts and with a search', async () => {
		const db = track(freshDb());
		const events = Array.from({ length: 23 }, (_, i) => ({ ...createIndividual(`same-${String(i).padStart(2, '0')}`, '', (i % 4) * 10), data: { givenName: i % 2 ? 'Kim' : 'Kai' } }));
		await appendEvents(db, events);
		for (const query of [{ sort: 'name' as const }, { sort: 'lastUpdated' as const }, { sort: 'name' as const, text: 'k' }, { sort: 'lastUpdated' as const, text: 'kim' }]) {
			const seen: string[] = [];
			let after: EntityCursor | undefined;
			for (let pages = 0; pages < 20; pages++) {
				const page = await listEntities(db, { ...query, limit: 4, ...(after && { after }) });
				seen.push(...page.entities.map((e) => e.guid));
				if (!page.next) break;
				after = page.next;
			}
			const expected = query.text === 'kim' ? 11 : 23;
			expect(seen).toHaveLength(expected);
			expect(new Set(seen).size).toBe(expected);
			const all = (await listEntities(db, { ...query, limit: 100 })).entities.map((e) => e.guid);
			expect(seen).toEqual(all);
		}
	});

	it('walks the sort index instead of loading every match when a search word is very common', async () => {
		const db = track(freshDb());
		const events = Array.from({ length: 2101 }, (_, i) => ({ ...createIndividual(`many-${String(i).padStart(4, '0')}`, '', i), data: { givenName: `Maria ${String(i).padStart(4, '0')}` } }));
		await appendEvents(db, events);
		const page = await listEntities(db, { text: 'maria 00', limit: 3 });
		expect(page.entities.map((e) => e.data.givenName)).toEqual(['Maria 0000', 'Maria 0001', 'Maria 0002']);
		const next = await listEntities(db, { text: 'maria', limit: 2, after: page.next! });
		expect(next.entities.map((e) => e.data.givenName)).toEqual(['Maria 0003', 'Maria 0004']);
	});

	it('finds the same pages, in the same order with the same cursors, on the many-hits path as a filter and sort of every row', async () => {
		const db = track(freshDb());
		const given = ['Ana', 'Anabel', 'Bruno', 'Maria', 'Mariana', 'Pedro', 'Zoe'];
		const family = ['Souza', 'Silva', 'Marques', 'Andrade', 'Pereira'];
		// Few timestamps and names, so many entities share a sort key and the guid breaks the tie.
		const events: CasetrailEvent[] = Array.from({ length: 160 }, (_, i) => ({
			...createIndividual(`p-${String((i * 37) % 160).padStart(3, '0')}`, '', (i % 9) * 10),
			data: { givenName: given[(i * 5) % given.length] as string, familyName: family[(i * 3) % family.length] as string }
		}));
		events.push(
			...Array.from({ length: 12 }, (_, i) => ({ guid: `g-${i}`, entityGuid: `h-${String(i).padStart(2, '0')}`, type: 'create-group', data: { name: `${given[i % given.length] as string} household` }, timestamp: at((i % 3) * 10), userId: 'u-1' })),
			...Array.from({ length: 20 }, (_, i) => ({ guid: `d-${i}`, entityGuid: `p-${String(i * 7).padStart(3, '0')}`, type: 'delete-entity', data: {}, timestamp: at(200 + (i % 2)), userId: 'u-1' }))
		);
		await appendEvents(db, events);
		const everyRow = (await db.entities.toArray()).filter((row) => row.entity);

		// The contract, literally: every row filtered, sorted by (key, guid), cut after the cursor.
		const bruteForce = (query: EntityQuery, after: EntityCursor | undefined, limit: number) => {
			const desc = query.direction === 'desc';
			const key = (row: EntityRow) => (query.sort === 'lastUpdated' ? (row.updatedAt as number) : (row.sortName as string));
			const order = (a: [string | number, string], b: [string | number, string]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) * (desc ? -1 : 1);
			const words = wordsOf(query.text ?? '');
			const rows = everyRow
				.filter((row) => (query.type === undefined || row.type === query.type) && (query.deleted === 'include' || (query.deleted === 'only' ? row.deleted === 1 : row.deleted !== 1)))
				.filter((row) => words.every((w) => row.words?.some((own) => own.startsWith(w))))
				.filter((row) => !after || order([key(row), row.guid], [after.key, after.guid]) > 0)
				.sort((a, b) => order([key(a), a.guid], [key(b), b.guid]));
			const last = rows[limit - 1];
			return { guids: rows.slice(0, limit).map((row) => row.guid), next: rows.length > limit && last ? { key: key(last), guid: last.guid } : null };
		};

		const bulkGet = vi.spyOn(db.entities, 'bulkGet');
		let compared = 0;
		for (const text of ['a', 'ana', 'mar', 'ma s', 'andrade ana', 'zoe', 'household', 'xyz'])
			for (const sort of ['name', 'lastUpdated'] as const)
				for (const direction of ['asc', 'desc'] as const)
					for (const filter of [{}, { type: 'individual' }, { type: 'group' }, { deleted: 'include' as const }, { deleted: 'only' as const }]) {
						const query: EntityQuery = { text, sort, direction, ...filter };
						let after: EntityCursor | undefined;
						for (let pages = 0; pages < 40; pages++) {
							const expected = bruteForce(query, after, 7);
							const got = await listEntities(db, { ...query, limit: 7, ...(after && { after }) }, { searchLoadLimit: 0 });
							expect({ guids: got.entities.map((e) => e.guid), next: got.next }).toEqual(expected);
							compared += got.entities.length;
							if (!got.next) break;
							after = got.next;
						}
					}
		expect(compared).toBeGreaterThan(1000);
		expect(bulkGet).toHaveBeenCalled();
	});

	it('refuses a page size below 1', async () => {
		const db = track(freshDb());
		await expect(listEntities(db, { limit: 0 })).rejects.toMatchObject({ code: 'out-of-range' });
	});
});

describe('wordsOf', () => {
	it('finds the same words in ASCII text as the Unicode letter and digit classes do', () => {
		const texts = ['Amina ABEBE', 'ID-12 34/x', 'O\'Brien-Smith', 'a_b.c,d;e:f', '\t+255 712 345 678\n', 'x\u0000y\u007fz', '', '---', 'MiXeD9Case'];
		for (let code = 0; code < 128; code++) texts.push(`a${String.fromCharCode(code)}B`);
		for (const text of texts) {
			expect(wordsOf(text), JSON.stringify(text)).toEqual(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
		}
		expect(wordsOf('José Ñúñez')).toEqual(['jose', 'nunez']);
	});
});
