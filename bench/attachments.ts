/**
 * What a photo costs a record (issue 17), on the encrypted store the app uses: appending one
 * registration alone, and one with a 300 KB photo (its hash, its sealing and its row written in the
 * same transaction), one at a time as a person saves them; then opening the stored photo again.
 * Returns rows in the bench/results.json shape; run where IndexedDB is real (headless Chromium).
 */
import Dexie from 'dexie';
import type { User } from '../src/lib/core/access';
import { attachmentRef } from '../src/lib/core/attachments';
import type { CasetrailEvent } from '../src/lib/core/event';
import { generateDataKey } from '../src/lib/crypto/keys';
import { appendEvents } from '../src/lib/store/append';
import { getAttachment } from '../src/lib/store/attachments';
import { openVaultDb } from '../src/lib/store/vault';

interface Row {
	name: string;
	n: number;
	value: number;
	unit: string;
}

/** Bytes of the photo: a 1600 px JPEG of a face or a document is about this size. */
export const PHOTO_BYTES = 300 * 1024;

/** A JPEG-sized block of incompressible bytes behind a JPEG header, distinct per `seed`. */
function photo(seed: number): Uint8Array {
	const bytes = new Uint8Array(PHOTO_BYTES);
	// getRandomValues fills at most 64 KiB per call.
	for (let i = 0; i < bytes.length; i += 65_536) crypto.getRandomValues(bytes.subarray(i, i + 65_536));
	bytes.set([0xff, 0xd8, 0xff, 0xe0, seed & 0xff, (seed >> 8) & 0xff], 0);
	return bytes;
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)] as number;
}

function p95(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)] as number;
}

/** `runs` registrations without and `runs` with a photo, alternating, each its own append. */
export async function measurePhotoCost(runs: number): Promise<Row[]> {
	const user: User = { id: 'u-bench', name: 'Bench', role: 'administrator', createdAt: '2026-01-01T00:00:00.000Z', createdBy: 'u-bench' };
	const name = 'casetrail-photo-cost';
	await new Dexie(name).delete();
	const { db, vault } = openVaultDb(name);
	vault.unlock(user, generateDataKey());
	const t0 = Date.UTC(2026, 0, 1);
	const event = (i: number, data: Record<string, unknown>): CasetrailEvent => ({
		guid: `0190c0de-00aa-7000-8000-${String(i).padStart(12, '0')}`,
		entityGuid: `0190c0de-00ab-7000-8000-${String(i).padStart(12, '0')}`,
		type: 'create-individual',
		data: { givenName: 'Amina', familyName: 'Yusuf', sex: 'female', dateOfBirth: '1990-01-01', ...data },
		timestamp: new Date(t0 + i * 1000).toISOString(),
		userId: user.id,
		version: 1,
		metadata: { deviceId: 'bench-device', appVersion: 'bench' }
	});
	const without: number[] = [];
	const withPhoto: number[] = [];
	const reads: number[] = [];
	const refs: string[] = [];
	try {
		// Warm up both paths (code, first transaction).
		await appendEvents(db, [event(0, {})]);
		const warm = photo(0);
		await appendEvents(db, [event(1, { photo: attachmentRef(warm, 'image/jpeg') })], { attachments: [warm] });
		for (let i = 0; i < runs; i++) {
			let t = performance.now();
			await appendEvents(db, [event(2 + 2 * i, {})]);
			without.push(performance.now() - t);
			const bytes = photo(i + 1);
			t = performance.now();
			const ref = attachmentRef(bytes, 'image/jpeg');
			await appendEvents(db, [event(3 + 2 * i, { photo: ref })], { attachments: [bytes] });
			withPhoto.push(performance.now() - t);
			refs.push(ref.sha256);
		}
		for (const sha256 of refs) {
			const t = performance.now();
			await getAttachment(db, sha256);
			reads.push(performance.now() - t);
		}
		const ratio = median(withPhoto) / median(without);
		const round = (ms: number) => Number(ms.toFixed(2));
		return [
			{ name: 'photo.append.without.p50Ms', n: runs, value: round(median(without)), unit: 'ms' },
			{ name: 'photo.append.without.p95Ms', n: runs, value: round(p95(without)), unit: 'ms' },
			{ name: 'photo.append.with300KB.p50Ms', n: runs, value: round(median(withPhoto)), unit: 'ms' },
			{ name: 'photo.append.with300KB.p95Ms', n: runs, value: round(p95(withPhoto)), unit: 'ms' },
			{ name: 'ratio.photo.append.with.vs.without', n: runs, value: Number(ratio.toFixed(2)), unit: 'x time' },
			{ name: 'photo.read.p50Ms', n: runs, value: round(median(reads)), unit: 'ms' }
		];
	} finally {
		db.close();
		vault.lock();
		await new Dexie(name).delete();
	}
}
