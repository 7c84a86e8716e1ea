/**
 * Invariant 3: appending hashes each event once, merges once per trailing 1-bit of the size (one on
 * average) and folds the frontier for the root it reports; it never rehashes the log. Counted by
 * wrapping the one SHA-256 every hash in the tree goes through.
 */
import { describe, expect, it, vi } from 'vitest';

const calls = vi.hoisted(() => ({ count: 0 }));
vi.mock('@noble/hashes/sha2.js', async (importOriginal) => {
	const original = await importOriginal<typeof import('@noble/hashes/sha2.js')>();
	const counted = Object.assign((message: Uint8Array) => {
		calls.count += 1;
		return original.sha256(message);
	}, original.sha256);
	return { ...original, sha256: counted };
});

const { appendEvents } = await import('../../../src/lib/store/append');
const { createIndividual, dropDb, freshDb } = await import('./helpers');

const popcount = (n: number) => n.toString(2).split('').filter((b) => b === '1').length;
const trailingOnes = (n: number) => n.toString(2).split('').reverse().join('').search(/0|$/);

describe('appendEvents hashing', () => {
	it('costs 1 leaf hash + the merges of the new leaf + the root fold, at every size', async () => {
		const db = freshDb();
		let total = 0;
		for (let n = 0; n < 300; n++) {
			const event = createIndividual(`h-${n}`, 'H', n);
			calls.count = 0;
			await appendEvents(db, [event]);
			// Leaf hash, one node hash per trailing 1-bit of n, popcount(n+1) - 1 to fold the root.
			expect(calls.count).toBe(1 + trailingOnes(n) + popcount(n + 1) - 1);
			total += trailingOnes(n);
		}
		// The merges over all appends: n - popcount(n) in all, under one per append.
		expect(total).toBe(300 - popcount(300));
		await dropDb(db);
	});

	it('hashes a batch of 1000 with 1000 leaf hashes and under 1000 merges', async () => {
		const db = freshDb();
		await appendEvents(db, Array.from({ length: 777 }, (_, i) => createIndividual(`b-${i}`, 'B', i)));
		calls.count = 0;
		await appendEvents(db, Array.from({ length: 1000 }, (_, i) => createIndividual(`c-${i}`, 'C', 1000 + i)));
		// Merges: the perfect nodes completed between sizes 777 and 1777.
		const merges = 1777 - popcount(1777) - (777 - popcount(777));
		expect(calls.count).toBe(1000 + merges + popcount(1777) - 1);
		await dropDb(db);
	});
});
