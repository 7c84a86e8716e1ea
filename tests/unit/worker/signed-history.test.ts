/**
 * This device's signed history (issue 14): exports are version 2 bundles carrying a consistency
 * proof from every tree size the device signed before, and the device refuses to sign a log that
 * does not extend its own earlier checkpoints (a truncated log, or one whose covered events changed).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { verifyBundle } from '../../../src/lib/core/bundle/verify';
import { verifyConsistency } from '../../../src/lib/core/merkle';
import { device, dropDevices, exportText, failure, forgedBundle, logOf, ok, register, truncateLog } from './exchange-helpers';

afterEach(dropDevices);

describe('exportBundle (version 2)', () => {
	it('writes version 2 with a consistency proof from every size this device exported before', async () => {
		const a = device();
		await register(a, 3);
		const first = await exportText(a);
		await register(a, 4);
		const second = await exportText(a, { start: 'last-export' });
		await register(a, 2);
		const third = await exportText(a, { start: 'last-export' });

		const v1 = JSON.parse(first.text) as { version: number; consistency: unknown[] };
		expect(v1.version).toBe(2);
		expect(v1.consistency).toEqual([]);
		const verified = await verifyBundle(third.text);
		expect(verified.version).toBe(2);
		expect(verified.consistency.map((c) => c.treeSize)).toEqual([3, 7]);
		expect(verified.consistency.map((c) => c.rootHashB64)).toEqual([first.rootHash, second.rootHash]);
		for (const c of verified.consistency) expect(verifyConsistency(c.treeSize, 9, c.proof, c.rootHash, verified.rootHash)).toBe(true);
	});

	it('lets a receiver that missed an export check the next one against the checkpoint it holds', async () => {
		const a = device();
		const b = device();
		await register(a, 5);
		const first = await exportText(a);
		await register(a, 3);
		await exportText(a, { start: 'last-export' });
		await register(a, 4);
		const third = await exportText(a, { start: 'last-export' });
		await ok(b.api.importBundle(first.text));
		const summary = await ok(b.api.inspectBundle(third.text));
		expect(summary.valid && { conflict: summary.conflict, missingProof: summary.missingProof, version: summary.version }).toEqual({ conflict: undefined, missingProof: undefined, version: 2 });
		const imported = await ok(b.api.importBundle(third.text));
		expect(imported.missing).toEqual([{ begin: 5, end: 8 }]);
	});
});

describe('importBundle of version 1 bundles', () => {
	it('imports them as before, across a gap too, from a device that never sent version 2', async () => {
		const a = device();
		const b = device();
		await register(a, 10);
		const log = await logOf(a.ctx.db);
		await ok(b.api.importBundle(await forgedBundle(a, log.slice(0, 6), 0, { version: 1 })));
		const summary = await ok(b.api.inspectBundle(await forgedBundle(a, log, 8, { version: 1 })));
		expect(summary.valid && { version: summary.version, missingProof: summary.missingProof, conflict: summary.conflict }).toEqual({ version: 1, missingProof: undefined, conflict: undefined });
		const imported = await ok(b.api.importBundle(await forgedBundle(a, log, 8, { version: 1 })));
		expect(imported).toMatchObject({ appended: 2, missing: [{ begin: 6, end: 8 }] });
	});

	it('refuses one across a gap with missing-consistency-proof once the device has sent version 2', async () => {
		const a = device();
		const b = device();
		await register(a, 10);
		const log = await logOf(a.ctx.db);
		await ok(b.api.importBundle(await forgedBundle(a, log.slice(0, 6), 0)));
		const v1 = await forgedBundle(a, log, 8, { version: 1 });
		const summary = await ok(b.api.inspectBundle(v1));
		expect(summary.valid && summary.missingProof?.seen.treeSize).toBe(6);
		expect((await failure(b.api.importBundle(v1))).code).toBe('missing-consistency-proof');
		// The same events with the proof from 6 are accepted.
		await ok(b.api.importBundle(await forgedBundle(a, log, 8, { signedSizes: [6] })));
	});
});

describe('exportBundle against its own signed checkpoints', () => {
	it('refuses with history-inconsistent when the log is shorter than a checkpoint it signed, naming that checkpoint', async () => {
		const a = device();
		await register(a, 6);
		await exportText(a);
		await truncateLog(a.ctx.db, 4);
		const result = await a.api.exportBundle();
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.error.code).toBe('history-inconsistent');
		expect(result.error.message).toContain('log of 6 events');
		expect(result.error.message).toContain('now has 4 events');
		expect(await a.ctx.db.exports.count()).toBe(1);
	});

	it('refuses when the events a checkpoint covered were replaced, though the log is as long again', async () => {
		const a = device();
		await register(a, 6);
		await exportText(a);
		await truncateLog(a.ctx.db, 4);
		await register(a, 3);
		expect((await failure(a.api.exportBundle())).code).toBe('history-inconsistent');
		expect((await failure(a.api.exportBundle({ start: 'last-export' }))).code).toBe('history-inconsistent');
		expect(await a.ctx.db.exports.count()).toBe(1);
	});

	it('refuses when an export row carries a checkpoint of another device', async () => {
		const a = device();
		const other = device('supervisor', 'other');
		await register(a, 2);
		await register(other, 2);
		await exportText(a);
		const foreign = await exportText(other);
		const row = (await other.ctx.db.exports.toArray())[0]!;
		await a.ctx.db.exports.add({ ...row, id: undefined as unknown as number, checkpoint: row.checkpoint, rootHash: foreign.rootHash });
		expect((await failure(a.api.exportBundle())).code).toBe('history-inconsistent');
	});
});
