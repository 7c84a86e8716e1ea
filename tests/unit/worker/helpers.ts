/**
 * A worker API over a fresh fake-indexeddb database, with a signed-in user the test can switch, a
 * clock that moves one second per call, and the announcements recorded.
 */
import { createGuidGenerator } from '../../../src/lib/core/event';
import type { Role, User } from '../../../src/lib/core/access';
import type { Result } from '../../../src/lib/core/errors';
import { createWorkerApi, type WorkerApi, type WorkerContext } from '../../../src/lib/worker/api';
import type { CasetrailDb } from '../../../src/lib/store/db';
import { vaultOf } from '../../../src/lib/store/vault';
import { deviceIdentity } from '../../../src/lib/worker/device';
import { freshDb } from '../store/helpers';
import { freshVaultDb } from '../store/vault-helpers';

export function user(id: string, role: Role): User {
	return { id, name: id, role, createdAt: '2026-01-01T00:00:00.000Z', createdBy: 'admin' };
}

export interface Harness {
	api: ReturnType<typeof createWorkerApi>;
	ctx: WorkerContext;
	announced: { size: number }[];
	signIn(user: User | undefined): void;
}

/** A fresh API; `null` starts with nobody signed in. */
export function harness(signedIn: User | null = user('admin', 'administrator')): Harness {
	let current: User | undefined = signedIn ?? undefined;
	let clock = Date.UTC(2026, 5, 1, 9, 0, 0);
	const announced: { size: number }[] = [];
	const ctx: WorkerContext = {
		db: freshDb(),
		now: () => new Date((clock += 1000)),
		newGuid: createGuidGenerator({ now: () => clock }),
		appVersion: 'test',
		user: () => current,
		deviceId: async () => undefined,
		announce: (change) => announced.push(change)
	};
	return {
		api: createWorkerApi(ctx),
		ctx,
		announced,
		signIn: (next) => {
			current = next;
		}
	};
}

/** The value of a Result, or a failed test naming the error. */
export async function ok<T>(pending: Promise<Result<T>>): Promise<T> {
	const result = await pending;
	if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
	return result.value;
}

/** The error code of a failed Result, or a failed test when it succeeded. */
export async function failure<T>(pending: Promise<Result<T>>): Promise<{ code: string; fields?: Record<string, string> | undefined }> {
	const result = await pending;
	if (result.ok) throw new Error('expected a failure, got ok');
	return { code: result.error.code, fields: result.error.fields };
}

/**
 * The worker API as db.worker.ts builds it over `db`: the signed-in user is the vault's session when
 * `db` has a vault, else `fallback`; a clock that ticks one second per call.
 */
export function workerOver(db: CasetrailDb, fallback?: User, deviceId: () => Promise<string | undefined> = async () => undefined): WorkerApi {
	let clock = Date.UTC(2026, 5, 1, 9, 0, 0);
	const ctx: WorkerContext = {
		db,
		now: () => new Date((clock += 1000)),
		newGuid: createGuidGenerator({ now: () => clock }),
		appVersion: 'test',
		user: () => vaultOf(db)?.user() ?? fallback,
		deviceId,
		announce: () => undefined
	};
	return createWorkerApi(ctx);
}

/** {@link workerOver} a fresh encrypted (vault) database. Nobody is signed in yet. */
export function vaultWorker(): { db: CasetrailDb; api: WorkerApi } {
	const { db } = freshVaultDb();
	return { db, api: workerOver(db) };
}

/** The first administrator every encrypted-store test sets up. */
export const ADMIN_SETUP = { name: 'Alice Admin', passphrase: 'correct horse battery staple' };

/**
 * {@link vaultWorker} set up by {@link ADMIN_SETUP}, who is signed in; its events carry this
 * device's id, as the app's do (db.worker.ts).
 */
export async function setUpVaultWorker(): Promise<{ db: CasetrailDb; api: WorkerApi; user: User }> {
	const { db } = freshVaultDb();
	const api = workerOver(db, undefined, async () => (await deviceIdentity(db)).deviceId);
	const { user } = await ok(api.setUp(ADMIN_SETUP));
	return { db, api, user };
}
