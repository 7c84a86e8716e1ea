/**
 * What the page does with a failed worker call: a CasetrailError as it is, anything else as a
 * storage failure with a sentence, and a 'not-signed-in' sends the person to sign in, then back.
 */
import { goto } from '$app/navigation';
import { CasetrailError, isCasetrailError } from '$lib/core/errors';

/**
 * The sign-in page, if this build has one: the users pages own it, so it is found among the names
 * such a route may have rather than assumed. Without one, the error's sentence ("Sign in first")
 * is shown where the failure happened and nothing navigates (a navigation to a missing route would
 * reload the app and lose what is on screen).
 */
const SIGN_IN_PAGES = import.meta.glob(['/src/routes/signin/+page.svelte', '/src/routes/sign-in/+page.svelte', '/src/routes/login/+page.svelte']);
export const SIGN_IN_ROUTE: string | undefined = Object.keys(SIGN_IN_PAGES)
	.map((file) => file.replace('/src/routes', '').replace('/+page.svelte', ''))
	.sort()[0];

/** Any thrown value as a CasetrailError, so every error on screen has a code and a sentence. */
export function asCasetrailError(e: unknown): CasetrailError {
	if (isCasetrailError(e)) return e;
	const detail = e instanceof Error ? e.message : String(e);
	return new CasetrailError('storage-failed', `Something went wrong on this device: ${detail}.`);
}

/**
 * Turns a failure into the error to show, after sending the person to sign in when that is what is
 * missing (the error is still returned, so the page can say why it moved).
 */
export function handleFailure(e: unknown): CasetrailError {
	const error = asCasetrailError(e);
	const route = SIGN_IN_ROUTE;
	if (error.code === 'not-signed-in' && route !== undefined && typeof location !== 'undefined' && !location.pathname.startsWith(route)) {
		const next = location.pathname + location.search;
		void goto(`${route}?next=${encodeURIComponent(next)}`, { replaceState: true });
	}
	return error;
}
