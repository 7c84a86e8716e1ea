/**
 * Focus management after navigation and saves: a heading or a result notice takes focus so a
 * keyboard or screen-reader user continues from what just changed, not from the top of the page.
 */

/** Svelte attachment/action: focuses the element once it is in the page (it needs tabindex="-1"). */
export function focusOnMount(node: HTMLElement): void {
	queueMicrotask(() => node.focus({ preventScroll: false }));
}

/** Focuses the element after the DOM has caught up with a state change. */
export function focusSoon(target: () => HTMLElement | null | undefined): void {
	requestAnimationFrame(() => target()?.focus());
}
