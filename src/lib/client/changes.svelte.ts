/**
 * Changes to the log made in any tab: the database worker of every tab posts `{ size }` on the
 * 'casetrail-changes' BroadcastChannel after each append. Pages read `changes.version` in an effect
 * and refresh what they show, so several open tabs stay consistent (invariant 8).
 */
import { untrack } from 'svelte';
import { CHANGES_CHANNEL } from './worker';

class LogChanges {
	/** Counts the appends heard since the page loaded; read it to re-run an effect on each. */
	version = $state(0);
	/** Size of the log after the last append heard, or null before the first. */
	size: number | null = $state(null);

	constructor() {
		if (typeof BroadcastChannel === 'undefined') return;
		const channel = new BroadcastChannel(CHANGES_CHANNEL);
		channel.onmessage = (message: MessageEvent<unknown>) => {
			const data = message.data as { size?: unknown } | null;
			if (data && typeof data.size === 'number') this.size = data.size;
			this.version += 1;
		};
	}
}

export const changes = new LogChanges();

/**
 * Calls `refresh` each time the log changes after this call (in any tab), not for the changes heard
 * before it. Call it while a component initializes: it sets up an effect owned by that component.
 */
export function onLogChange(refresh: () => void): void {
	let seen = untrack(() => changes.version);
	$effect(() => {
		const version = changes.version;
		if (version === seen) return;
		seen = version;
		untrack(refresh);
	});
}

/**
 * Calls `load` now and again each time the log changes (in any tab): for a page that shows what the
 * log holds. Call it while a component initializes: it sets up an effect owned by that component.
 */
export function loadOnLogChange(load: () => unknown): void {
	$effect(() => {
		void changes.version;
		untrack(() => void load());
	});
}
