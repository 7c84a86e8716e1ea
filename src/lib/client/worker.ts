/**
 * The page's one door to the database: a module web worker that owns IndexedDB, reached through
 * Comlink. Every call returns a Result; `call` turns a failure back into a CasetrailError so pages
 * can show its sentence and test its code.
 */
import * as Comlink from 'comlink';
import { CasetrailError, type Result } from '../core/errors';
import type { WorkerApi } from '../worker/api';

let remote: Comlink.Remote<WorkerApi> | undefined;

/** The worker proxy, started on first use (one worker per tab). */
export function workerApi(): Comlink.Remote<WorkerApi> {
	if (!remote) {
		const worker = new Worker(new URL('../worker/db.worker.ts', import.meta.url), {
			type: 'module',
			name: 'casetrail-db'
		});
		remote = Comlink.wrap<WorkerApi>(worker);
	}
	return remote;
}

/** Unwraps a worker Result: the value, or a thrown CasetrailError with the worker's code. */
export async function call<T>(pending: Promise<Result<T>>): Promise<T> {
	const result = await pending;
	if (result.ok) return result.value;
	const { code, message, fields, problems, params } = result.error;
	throw new CasetrailError(code, message, fields, { problems, params });
}

/** Name of the BroadcastChannel on which a worker says the log changed (other tabs refresh). */
export const CHANGES_CHANNEL = 'casetrail-changes';
