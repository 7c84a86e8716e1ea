/**
 * The database worker's API: the only code that writes. Each part lives in its own module; this one
 * puts them together into the one object the worker exposes with Comlink.
 */
import type { WorkerContext } from './context';
import { attachmentsApi } from './attachments';
import { bundlesApi } from './bundles';
import { entitiesApi } from './entities';
import { formsApi } from './forms';
import { logApi } from './log';
import { recordersApi } from './recorders';
import { usersApi } from './users';
import { gated } from './visibility';

export type { WorkerContext } from './context';

/**
 * Creates the API the worker exposes with Comlink. Every method's value passes the one access
 * decision for the records in it (visibility.ts) before it leaves the worker.
 */
export function createWorkerApi(ctx: WorkerContext) {
	return gated(ctx.db, () => ctx.user(), {
		...entitiesApi(ctx),
		...logApi(ctx),
		...usersApi(ctx),
		...bundlesApi(ctx),
		...formsApi(ctx),
		...recordersApi(ctx),
		...attachmentsApi(ctx)
	});
}

export type WorkerApi = ReturnType<typeof createWorkerApi>;
