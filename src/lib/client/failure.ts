/**
 * What the page does with a failed worker call: a CasetrailError as it is, anything else as a
 * storage failure with a sentence, and a 'not-signed-in' sends the person to sign in, then back.
 */
import { goto } from '$app/navigation';
import { CasetrailError, isCasetrailError } from '$lib/core/errors';

/** The route where a person signs in (the users pages own it); `next` brings them back. */
export const SIGN_IN_ROUTE = '/signin';

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
	if (error.code === 'not-signed-in' && typeof location !== 'undefined' && !location.pathname.startsWith(SIGN_IN_ROUTE)) {
		const next = location.pathname + location.search;
		void goto(`${SIGN_IN_ROUTE}?next=${encodeURIComponent(next)}`, { replaceState: true });
	}
	return error;
}
