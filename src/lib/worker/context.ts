/**
 * What every part of the database worker's API shares: its context and the Result wrapping. Every
 * method returns a Result, because an Error cloned across the worker boundary loses its code.
 * Access rules are enforced in the worker, not only hidden in the page: every method checks the
 * signed-in user's role before it reads or writes.
 */
import { isCasetrailError, type ErrorData, type Result } from '../core/errors';
import type { User } from '../core/access';
import type { CasetrailDb } from '../store/db';
import type { QuickUnlock } from './quick-unlock';
import type { CommandEnv } from '../core/commands';

/** What the worker needs from its surroundings; tests pass their own. */
export interface WorkerContext {
	db: CasetrailDb;
	now(): Date;
	newGuid(): string;
	appVersion: string;
	/** The signed-in user, or undefined when nobody is. Asking is not activity: see personActed. */
	user(): User | undefined;
	/** A person acted in the page (idle.ts); absent where there is no idle lock. */
	personActed?(): void;
	/** A person's long task starts: the idle lock waits for the returned release (idle.ts hold). */
	holdIdle?(): () => void;
	/** This tab's PIN quick unlock (quick-unlock.ts); absent where there is none. */
	quickUnlock?: QuickUnlock;
	/** This device's id (JWK thumbprint), stamped into every event's metadata. */
	deviceId(): Promise<string | undefined>;
	/** Tells other tabs the log changed (BroadcastChannel in the browser). */
	announce(change: { size: number }): void;
	/**
	 * Tells other tabs' workers that a user was added, changed or removed, so each checks its session
	 * (store/users.ts revalidateSession); absent where there are no other tabs.
	 */
	announceUsers?(): void;
}

/** Converts anything thrown into the plain error data that crosses the worker boundary. */
export function toErrorData(e: unknown): ErrorData {
	if (isCasetrailError(e)) return e.toData();
	const message = e instanceof Error ? e.message : String(e);
	return { code: 'storage-failed', message: `Something went wrong on this device: ${message}. Try again; if it keeps happening, export your records.` };
}

/** Runs `work` and returns its value or its error as data. */
export async function result<T>(work: () => Promise<T>): Promise<Result<T>> {
	try {
		return { ok: true, value: await work() };
	} catch (e) {
		return { ok: false, error: toErrorData(e) };
	}
}

/**
 * {@link result} for a task a person started that may run for minutes (an import, an export, the
 * integrity check, a rebuild): the idle lock waits until it ends instead of cutting it midway.
 */
export function longResult<T>(ctx: WorkerContext, work: () => Promise<T>): Promise<Result<T>> {
	return result(async () => {
		const release = ctx.holdIdle?.();
		try {
			return await work();
		} finally {
			release?.();
		}
	});
}

/** What every event this worker records for `userId` carries: the clock, guids, this device and build. */
export async function commandEnv(ctx: WorkerContext, userId: string): Promise<CommandEnv> {
	const deviceId = await ctx.deviceId();
	return {
		now: ctx.now,
		newGuid: ctx.newGuid,
		userId,
		metadata: deviceId ? { deviceId, appVersion: ctx.appVersion } : { appVersion: ctx.appVersion },
		context: { source: 'casetrail-app' }
	};
}
