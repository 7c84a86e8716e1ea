import { afterEach, describe, expect, it } from 'vitest';
import type { CasetrailEvent } from '../../../src/lib/core/event';
import { leafHash } from '../../../src/lib/core/merkle';
import { appendEvents } from '../../../src/lib/store/append';
import type { CasetrailDb, EventRow } from '../../../src/lib/store/db';
import { checkIntegrity, webCryptoLeafHasher, type IntegrityProgress } from '../../../src/lib/store/integrity';
import { createIndividual, dropDb, freshDb, referenceRoot, utf8 } from './helpers';

const opened: CasetrailDb[] = [];
async function logOf(size: number): Promise<CasetrailDb> {
	const db = freshDb();
	opened.push(db);
	const events: CasetrailEvent[] = Array.from({ length: size }, (_, i) => createIndividual(`t-${i}`, `Person ${i}`, i));
	for (let from = 0; from < size; from += 25) await appendEvents(db, events.slice(from, from + 25));
	return db;
}
afterEach(async () => {
	await Promise.all(opened.splice(0).map(dropDb));
});

/** Edits a stored row by hand, the way someone with devtools would: a raw put, bypassing the store. */
async function tamper(db: CasetrailDb, seq: number, edit: (row: EventRow) => EventRow): Promise<void> {
	const row = (await db.events.get(seq))!;
	await db.events.put(edit(row));
}

describe('checkIntegrity', () => {
	it('passes an untouched log, with the recomputed root equal to the stored and the reference root', async () => {
		const db = await logOf(101);
		const report = await checkIntegrity(db, { chunkSize: 16 });
		expect(report.ok).toBe(true);
		expect(report.problems).toEqual([]);
		expect(report.tampered).toEqual([]);
		expect(report.size).toBe(101);
		const leaves = (await db.events.orderBy('seq').toArray()).map((r) => utf8.encode(r.canonical));
		expect(report.computedRoot).toEqual(referenceRoot(leaves));
		expect(report.storedRoot).toEqual(report.computedRoot);
	});

	it('passes an empty log', async () => {
		const db = await logOf(0);
		expect(await checkIntegrity(db)).toMatchObject({ ok: true, size: 0, tampered: [] });
	});

	it('finds and pinpoints events whose stored JSON was edited by hand', async () => {
		const db = await logOf(60);
		await tamper(db, 17, (row) => ({ ...row, canonical: row.canonical.replace('Person 17', 'Person 71') }));
		await tamper(db, 42, (row) => ({ ...row, canonical: row.canonical.replace('"userId":"u-1"', '"userId":"admin"') }));
		const report = await checkIntegrity(db, { chunkSize: 10 });
		expect(report.ok).toBe(false);
		expect(report.tampered).toEqual([17, 42]);
		expect(report.problems.filter((p) => p.kind === 'leaf-mismatch').map((p) => [p.begin, p.end])).toEqual([
			[17, 18],
			[42, 43]
		]);
		expect(report.computedRoot).not.toEqual(report.storedRoot);
		// The interior nodes above the edited events differ too, but they are explained by the edits.
		expect(report.problems.filter((p) => p.kind === 'node-mismatch')).toEqual([]);
		expect(report.problems[0]?.message).toMatch(/^Event 17: .*changed after it was written/);
	});

	it('finds an edit that kept the row self-consistent (bytes and leaf hash) at the lowest node above it', async () => {
		const db = await logOf(40);
		await tamper(db, 9, (row) => {
			const canonical = row.canonical.replace('Person 9', 'Person X');
			return { ...row, canonical, leafHash: leafHash(utf8.encode(canonical)) };
		});
		const report = await checkIntegrity(db, { chunkSize: 7 });
		expect(report.ok).toBe(false);
		expect(report.problems).toEqual([expect.objectContaining({ kind: 'node-mismatch', begin: 8, end: 10 })]);
	});

	it('finds an indexed copy that no longer matches the canonical event', async () => {
		const db = await logOf(12);
		await tamper(db, 3, (row) => ({ ...row, entityGuid: 't-999' }));
		await tamper(db, 5, (row) => ({ ...row, instant: row.instant + 1 }));
		const report = await checkIntegrity(db);
		expect(report.tampered).toEqual([3, 5]);
		expect(report.problems.map((p) => p.kind)).toEqual(['field-mismatch', 'field-mismatch']);
		expect(report.problems[0]?.message).toContain('entityGuid');
		// The leaves are intact, so the root still matches; the report is still not ok.
		expect(report.computedRoot).toEqual(report.storedRoot);
		expect(report.ok).toBe(false);
	});

	it('reports a deleted row as missing and unreadable text as unreadable', async () => {
		const db = await logOf(20);
		await db.events.delete(4);
		await tamper(db, 11, (row) => ({ ...row, canonical: '{"truncated' }));
		const report = await checkIntegrity(db, { chunkSize: 6 });
		expect(report.tampered).toEqual([4, 11]);
		expect(report.problems.map((p) => p.kind)).toEqual(['missing', 'unreadable']);
	});

	it('reports a changed stored head', async () => {
		const db = await logOf(9);
		const head = (await db.meta.get('head'))!;
		if (head.key !== 'head') throw new Error('unreachable');
		await db.meta.put({ key: 'head', value: { ...head.value, frontier: [head.value.frontier[0]!, new Uint8Array(32)] } });
		const report = await checkIntegrity(db);
		expect(report.ok).toBe(false);
		expect(report.tampered).toEqual([]);
		expect(report.problems).toEqual([expect.objectContaining({ kind: 'head-mismatch', begin: 8, end: 9 })]);
	});

	it('points at the last event when it was edited with its hash where only the head covers it', async () => {
		const db = await logOf(11);
		await tamper(db, 10, (row) => {
			const canonical = row.canonical.replace('Person 10', 'Person 01');
			return { ...row, canonical, leafHash: leafHash(utf8.encode(canonical)) };
		});
		const report = await checkIntegrity(db);
		expect(report.problems).toEqual([expect.objectContaining({ kind: 'head-mismatch', begin: 10, end: 11 })]);
	});

	it('reports progress chunk by chunk up to the size', async () => {
		const db = await logOf(50);
		const progress: IntegrityProgress[] = [];
		await checkIntegrity(db, { chunkSize: 20, onProgress: (p) => progress.push(p) });
		expect(progress).toEqual([
			{ phase: 'events', done: 20, total: 50 },
			{ phase: 'events', done: 40, total: 50 },
			{ phase: 'events', done: 50, total: 50 }
		]);
	});

	it('gives the same verdicts with WebCrypto hashing', async () => {
		const db = await logOf(30);
		await tamper(db, 29, (row) => ({ ...row, canonical: row.canonical.replace('Person 29', 'Person 92') }));
		const hasher = webCryptoLeafHasher();
		expect(hasher).toBeDefined();
		const withWebCrypto = await checkIntegrity(db, { hashLeaves: hasher!, chunkSize: 7 });
		const withNoble = await checkIntegrity(db, { chunkSize: 7 });
		expect(withWebCrypto).toEqual(withNoble);
		expect(withWebCrypto.tampered).toEqual([29]);
	});
});

