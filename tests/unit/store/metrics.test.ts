import { afterEach, describe, expect, it } from 'vitest';
import { appendEvents } from '../../../src/lib/store/append';
import type { CasetrailDb } from '../../../src/lib/store/db';
import { getMetrics, treeDepth } from '../../../src/lib/store/metrics';
import { AppendRate } from '../../../src/lib/store/rate';
import { createIndividual, dropDb, freshDb, updateIndividual, utf8 } from './helpers';

const opened: CasetrailDb[] = [];
afterEach(async () => {
	await Promise.all(opened.splice(0).map(dropDb));
});

describe('getMetrics', () => {
	it('reports zeros for an empty log', async () => {
		const db = freshDb();
		opened.push(db);
		expect(await getMetrics(db)).toEqual({ totalEvents: 0, eventsPerSecond: 0, averageEventSize: 0, eventTypeDistribution: {}, failedEvents: 0, merkleTreeDepth: 0 });
	});

	it('counts events, their mean canonical size, types, failures and the tree depth', async () => {
		const db = freshDb();
		opened.push(db);
		const events = [createIndividual('m-1', 'A', 0), createIndividual('m-2', 'Bee', 1), updateIndividual('m-1', { phone: '12345' }, 2)];
		await appendEvents(db, events);
		await appendEvents(db, [events[0]]);
		await appendEvents(db, [{ ...createIndividual('m-3', 'C', 3), type: '' }]).catch(() => undefined);
		const canonical = (await db.events.toArray()).map((r) => utf8.encode(r.canonical).length);
		const metrics = await getMetrics(db);
		expect(metrics).toMatchObject({
			totalEvents: 3,
			eventTypeDistribution: { 'create-individual': 2, 'update-individual': 1 },
			failedEvents: 1,
			merkleTreeDepth: 2
		});
		expect(metrics.averageEventSize).toBeCloseTo(canonical.reduce((a, b) => a + b, 0) / 3, 10);
	});

	it('reports the append rate kept by the appends', async () => {
		const db = freshDb();
		opened.push(db);
		const rate = new AppendRate();
		await appendEvents(db, [createIndividual('r-1', 'A', 0), createIndividual('r-2', 'B', 1)], { rate });
		expect((await getMetrics(db, rate)).eventsPerSecond).toBeGreaterThan(0);
	});
});

describe('treeDepth', () => {
	it('is ceil(log2 n), and 0 up to one leaf', () => {
		expect([0, 1, 2, 3, 4, 5, 8, 9, 1024, 1025, 100_000].map(treeDepth)).toEqual([0, 0, 1, 2, 2, 3, 3, 4, 10, 11, 17]);
		expect(treeDepth(2 ** 40 + 1)).toBe(41);
	});
});

describe('AppendRate', () => {
	it('divides events by append time over the window and forgets older appends', () => {
		let now = 0;
		const rate = new AppendRate(10_000, () => now);
		expect(rate.eventsPerSecond()).toBe(0);
		rate.record(100, 100);
		now = 4000;
		rate.record(300, 150);
		expect(rate.eventsPerSecond()).toBe(1600);
		now = 12_000;
		// The first append (at 0) left the window: 300 events in 150 ms.
		expect(rate.eventsPerSecond()).toBe(2000);
		now = 15_000;
		expect(rate.eventsPerSecond()).toBe(0);
	});
});
