/**
 * The size of an import's chunks, by time (store/import.ts, issue 20): the measured time per event
 * in, the next size out, within its bounds, smoothed so that one slow chunk does not collapse it;
 * and the staging of a new device's nodes, sized the same way.
 */
import { describe, expect, it } from 'vitest';
import { firstPace, IMPORT_SIZING, nextPace, NODE_SIZING, stagePeerNodes, type ChunkPace, type ChunkSizing } from '../../../src/lib/store/import';
import { dropDb, freshDb } from './helpers';

const sizing: ChunkSizing = { budgetMs: 300, first: 200, min: 50, max: 2000, step: 2, weight: 0.5 };

/** The sizes chosen over chunks each taking `msPerEvent(i)` per event, from the first pace. */
function sizes(count: number, msPerEvent: (i: number) => number, s: ChunkSizing = sizing): number[] {
	let pace: ChunkPace = firstPace(s);
	const out = [pace.size];
	for (let i = 0; i < count; i++) {
		pace = nextPace(pace, pace.size, pace.size * msPerEvent(i), s);
		out.push(pace.size);
	}
	return out;
}

describe('the size of an import chunk, by time', () => {
	it('starts at the first size and the default budget keeps a chunk a third of a second', () => {
		expect(firstPace(sizing)).toEqual({ size: 200 });
		expect(firstPace()).toEqual({ size: IMPORT_SIZING.first });
		expect(IMPORT_SIZING.budgetMs).toBeLessThanOrEqual(400);
		expect(IMPORT_SIZING.min).toBeLessThan(IMPORT_SIZING.first);
		expect(IMPORT_SIZING.first).toBeLessThan(IMPORT_SIZING.max);
	});

	it('settles where a chunk takes the budget, growing and shrinking by at most the step', () => {
		// 0.5 ms per event: 600 events make 300 ms.
		expect(sizes(6, () => 0.5)).toEqual([200, 400, 600, 600, 600, 600, 600]);
		// 3 ms per event: 100 events.
		expect(sizes(4, () => 3)).toEqual([200, 100, 100, 100, 100]);
	});

	it('stays within its bounds however fast or slow the chunks are', () => {
		const fast = sizes(12, () => 0.001);
		expect(fast.slice(0, 5)).toEqual([200, 400, 800, 1600, 2000]);
		expect(Math.max(...fast)).toBe(2000);
		const slow = sizes(12, () => 100);
		expect(slow.slice(0, 4)).toEqual([200, 100, 50, 50]);
		expect(Math.min(...slow)).toBe(50);
		// A chunk that took no measurable time, or no time at all, grows by the step only.
		expect(nextPace({ size: 300, msPerEvent: 0.5 }, 300, 0, sizing).size).toBe(600);
		expect(nextPace({ size: 2000 }, 2000, 0, sizing).size).toBe(2000);
	});

	it('smooths the time per event: one slow chunk halves the next size at most, and the size comes back', () => {
		// 0.5 ms per event, then one chunk ten times slower (the phone busy a moment), then 0.5 again.
		const chosen = sizes(8, (i) => (i === 4 ? 5 : 0.5));
		expect(chosen.slice(0, 5)).toEqual([200, 400, 600, 600, 600]);
		// Smoothed, 2.75 ms per event would be 109 events: the step keeps 300.
		expect(chosen[5]).toBe(300);
		// Then the slow measure fades: 1.625, 1.06, 0.78 ms per event.
		expect(chosen.slice(6)).toEqual([185, 282, 384]);
		expect(Math.min(...chosen)).toBeGreaterThan(600 / 4);
		// The smoothed time is the mean of the last measure and the one before.
		expect(nextPace({ size: 600, msPerEvent: 0.5 }, 600, 600 * 1.5, sizing)).toEqual({ size: 300, msPerEvent: 1 });
	});

	it('follows a lasting change of speed', () => {
		const chosen = sizes(14, (i) => (i < 5 ? 0.25 : 1.5));
		expect(chosen[5]).toBe(1200);
		expect(chosen.at(-1)).toBe(200);
	});

	it('keeps the size when a chunk brought nothing to measure', () => {
		expect(nextPace({ size: 400, msPerEvent: 1 }, 0, 12, sizing)).toEqual({ size: 400, msPerEvent: 1 });
		expect(nextPace({ size: 400 }, 10, Number.NaN, sizing)).toEqual({ size: 400 });
	});
});

describe('staging the nodes of a device never seen, in transactions sized by time', () => {
	it('writes every node, in chunks growing from the first size while they are fast', async () => {
		const db = freshDb();
		try {
			const rows = Array.from({ length: 11 }, (_, index) => ({ deviceId: 'd', level: 0, index, hash: new Uint8Array([index]), treeSize: 11 }));
			const done: number[] = [];
			await stagePeerNodes(db, rows, (n) => done.push(n), { ...NODE_SIZING, budgetMs: 1e9, first: 2, min: 1, max: 4 });
			expect(done).toEqual([2, 6, 10, 11]);
			expect(await db.peerNodes.toArray()).toEqual(rows);
			expect(NODE_SIZING.budgetMs).toBe(IMPORT_SIZING.budgetMs);
		} finally {
			await dropDb(db);
		}
	});
});
