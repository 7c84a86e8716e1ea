/**
 * Devices for the bundle tests: a worker API over its own fake-indexeddb database whose device id is
 * the real one (device.ts), people registered through commands, exports read back as text, and a
 * snapshot of every table to show that a refused bundle changed nothing.
 */
import type { Role } from '../../../src/lib/core/access';
import { buildBundleFrom } from '../../../src/lib/core/bundle/build';
import type { CasetrailEvent } from '../../../src/lib/core/event';
import { compactRangeAt } from '../../../src/lib/core/merkle';
import type { CasetrailDb, HeadValue } from '../../../src/lib/store/db';
import { nodeReader } from '../../../src/lib/store/nodes';
import { iterateLog } from '../../../src/lib/store/read';
import type { ExportOptions, ExportResult } from '../../../src/lib/worker/bundles';
import { deviceIdentity, deviceSigner } from '../../../src/lib/worker/device';
import { dropDb } from '../store/helpers';
import { harness, ok, user, type Harness } from './helpers';

export { failure, ok, user } from './helpers';

const open: Harness[] = [];

/** A device with its own database and signing key; signed in as a supervisor unless told otherwise. */
export function device(role: Role = 'supervisor', id = `${role}-1`): Harness {
	const h = harness(user(id, role));
	h.ctx.deviceId = async () => (await deviceIdentity(h.ctx.db)).deviceId;
	open.push(h);
	return h;
}

/** Closes and deletes every device's database made since the last call (for afterEach). */
export async function dropDevices(): Promise<void> {
	const all = open.splice(0);
	await Promise.all(all.map((h) => dropDb(h.ctx.db)));
}

let people = 0;

/** Registers `n` people with distinct names on the device; returns their entity guids. */
export async function register(h: Harness, n: number): Promise<string[]> {
	const guids: string[] = [];
	for (let i = 0; i < n; i++) {
		people += 1;
		const done = await ok(
			h.api.execute({ type: 'register-individual', givenName: `Given${people}`, familyName: `Family${people}`, sex: 'female', dateOfBirth: '1990-02-03' })
		);
		guids.push(done.entity!.guid);
	}
	return guids;
}

/** Exports and returns the result with the bundle text. */
export async function exportText(h: Harness, options: ExportOptions = {}): Promise<ExportResult & { text: string }> {
	const done = await ok(h.api.exportBundle(options));
	return { ...done, text: await done.blob.text() };
}

/** The device's whole log, wire form, in log order. */
export async function logOf(db: CasetrailDb): Promise<CasetrailEvent[]> {
	const events: CasetrailEvent[] = [];
	for await (const batch of iterateLog(db)) for (const stored of batch) events.push(stored.event);
	return events;
}

/**
 * A bundle of any log the test makes up, signed with the device's real key: what a device that
 * rewrote its own history would send. Version 2 unless told otherwise, with a consistency proof
 * over the made-up log from each of `signedSizes` (none by default).
 */
export async function forgedBundle(
	h: Harness,
	log: readonly CasetrailEvent[],
	from: number,
	options: { signedSizes?: readonly number[]; version?: 1 | 2 } = {}
): Promise<string> {
	const signer = await deviceSigner(h.ctx.db);
	return JSON.stringify(await buildBundleFrom({ log, from, signer, issuedAt: '2026-06-02T10:00:00.000Z', ...options }));
}

/** Every row of every table, so a test can show that nothing changed. */
export async function snapshot(db: CasetrailDb, except: string[] = []): Promise<Record<string, unknown[]>> {
	const tables = db.tables.filter((t) => !except.includes(t.name));
	const rows = await Promise.all(tables.map((t) => t.toArray()));
	return Object.fromEntries(tables.map((t, i) => [t.name, rows[i] as unknown[]]));
}

/** The entities of a device, by guid, as projected. */
export async function entitiesOf(db: CasetrailDb): Promise<Record<string, unknown>> {
	const rows = await db.entities.toArray();
	return Object.fromEntries(rows.filter((r) => r.entity).map((r) => [r.guid, r.entity]));
}

/**
 * What someone holding the disk can do without any key: delete the events from `size` on and
 * rewrite the head to the shorter log (its old MAC, if any, kept), so that everything the store
 * itself reads is consistent again.
 */
export async function truncateLog(db: CasetrailDb, size: number): Promise<void> {
	await db.transaction('rw', [db.events, db.meta], async () => {
		const frontier = (await compactRangeAt(size, nodeReader(db))).frontier;
		const head = (await db.meta.get('head'))?.value as HeadValue;
		await db.events.where('seq').aboveOrEqual(size).delete();
		await db.meta.put({ key: 'head', value: { ...head, size, frontier } });
	});
}
