// A single-page app: nothing is rendered on a server or prerendered.
import { redirect } from '@sveltejs/kit';
import { gateRedirect } from '$lib/client/gate';
import { applyLocale, preferredLocale } from '$lib/i18n/load';
import { session, SESSION_DEPENDENCY } from '$lib/client/session.svelte';
import type { LayoutLoad } from './$types';

export const ssr = false;
export const prerender = false;

/**
 * The session gate (issue 8): before any page renders, asks the worker whether the device is set up
 * and who is signed in, and sends the person to setup or sign-in when the route needs a session
 * (client/gate.ts). Runs again on every change of path and whenever the session is invalidated.
 * When the session cannot be read at all, the page opens and shows its own error.
 */
export const load: LayoutLoad = async ({ url, depends, untrack }) => {
	depends(SESSION_DEPENDENCY);
	const view = await session.refresh();
	// The language before anything renders: the user's own choice, else the device's, else the browser's.
	await applyLocale(preferredLocale(view?.user?.id));
	if (view === undefined) return {};
	// The query string is read untracked: a search typed on the list page must not ask the worker again.
	const target = gateRedirect(url.pathname, untrack(() => url.search), { setUp: view.setUp, signedIn: view.user !== undefined });
	if (target !== undefined) redirect(307, target);
	return {};
};
