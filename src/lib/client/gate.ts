/**
 * The session gate as pure rules: where a person opening a route is sent, given whether the device
 * is set up and whether someone is signed in, and which return addresses are safe to follow after
 * sign-in. The layout's load applies them on every navigation (routes/+layout.ts). Hiding a page is
 * not the protection: the worker refuses every record to a locked session.
 */

/** First start: creates the first administrator. */
export const SETUP_PATH = '/setup';
/** Choose a profile and unlock. */
export const SIGN_IN_PATH = '/signin';
/**
 * Open without a session. Settings shows only installation and storage then; they hold no record
 * and are what a person needs to install the app or free space before anyone signs in.
 */
const OPEN_PATHS = [SETUP_PATH, SIGN_IN_PATH, '/settings'];

/** What the gate needs to know of the session. */
export interface GateState {
	setUp: boolean;
	signedIn: boolean;
}

function under(pathname: string, path: string): boolean {
	return pathname === path || pathname.startsWith(`${path}/`);
}

/** True when `pathname` opens without a signed-in user. */
export function isOpenPath(pathname: string): boolean {
	return OPEN_PATHS.some((path) => under(pathname, path));
}

/**
 * A return address that stays inside the app: a path starting with one "/" (not "//" or "/\",
 * which browsers read as another host), not the sign-in or setup page itself. Anything else,
 * including null, gives "/". The address comes from the query string, which anyone can craft.
 */
export function safeNext(next: string | null | undefined): string {
	if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
	if (/[\u0000-\u001f]/.test(next)) return '/';
	const pathname = next.split(/[?#]/)[0] ?? '/';
	if (under(pathname, SIGN_IN_PATH) || under(pathname, SETUP_PATH)) return '/';
	return next;
}

/**
 * Where to send a person opening `pathname` (with query `search`, "" or "?..."), or undefined to let
 * them in. A device not set up sends every gated route and the sign-in page to setup; a set-up device
 * with nobody signed in sends gated routes to sign-in, remembering the address in `next`, and setup
 * to sign-in; a signed-in person is sent from setup home and from sign-in on to where they were going.
 */
export function gateRedirect(pathname: string, search: string, state: GateState): string | undefined {
	const query = new URLSearchParams(search);
	if (!state.setUp) {
		if (isOpenPath(pathname) && !under(pathname, SIGN_IN_PATH)) return undefined;
		return SETUP_PATH;
	}
	if (state.signedIn) {
		if (under(pathname, SETUP_PATH)) return '/';
		if (under(pathname, SIGN_IN_PATH)) return safeNext(query.get('next'));
		return undefined;
	}
	if (under(pathname, SETUP_PATH)) return SIGN_IN_PATH;
	if (isOpenPath(pathname)) return undefined;
	return `${SIGN_IN_PATH}?next=${encodeURIComponent(pathname + search)}`;
}
