/**
 * The append rate one worker keeps for the events-per-second metric: every append this worker makes
 * records into it, and the metrics read it. One per worker context, so tests stay apart.
 */
import { AppendRate } from '../store/rate';
import type { WorkerContext } from './context';

const rates = new WeakMap<WorkerContext, AppendRate>();

/** The append rate of `ctx`'s worker, made on first use. */
export function appendRateOf(ctx: WorkerContext): AppendRate {
	let rate = rates.get(ctx);
	if (!rate) {
		rate = new AppendRate();
		rates.set(ctx, rate);
	}
	return rate;
}
