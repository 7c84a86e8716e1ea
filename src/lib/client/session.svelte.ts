/**
 * The page's view of the session: whether the device is set up, who is signed in in this tab's
 * worker, and the profiles to choose from at sign-in. The worker holds the session (the data key
 * lives only in its memory); this mirrors what it last said, for the header, the navigation and the
 * gate in routes/+layout.ts.
 */
import { invalidate } from '$app/navigation';
import type { User } from '$lib/core/access';
import type { CasetrailError } from '$lib/core/errors';
import type { SecretKind } from '$lib/crypto/keys';
import type { SessionView, SetUpResult } from '$lib/worker/users';
import { asCasetrailError } from './failure';
import { call, workerApi } from './worker';

/** The dependency the layout's load declares: invalidating it asks the worker again. */
export const SESSION_DEPENDENCY = 'casetrail:session';

/**
 * How often the page asks whether the worker locked itself. The worker checks its own idle timer
 * every minute; asking as often takes a locked device's records off the screen within about two.
 */
const WATCH_MS = 60_000;

/**
 * Each tab has its own worker holding its own copy of the data key, so signing out in one tab is
 * told to the others on this channel, and they sign out too: on a shared device, "Sign out" locks
 * the app, not one tab of it.
 */
const SESSION_CHANNEL = 'casetrail-session';

/**
 * A person's input: only these keep the worker's idle lock from firing (worker/idle.ts). The page's
 * own calls (refreshes after any tab's change, this watch) never do.
 */
const PERSON_EVENTS = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;

/** At most one report of a person's action this often: the lock counts minutes, not keystrokes. */
const ACTIVITY_REPORT_MS = 30_000;

class SessionState {
	/** The worker's last answer; undefined before the first one or when it could not be read. */
	view: SessionView | undefined = $state.raw();
	/** Why the session could not be read (storage failure, a newer build's schema), if it could not. */
	failure: CasetrailError | undefined = $state.raw();
	/**
	 * True when the worker ended the session on its own: someone was signed in, nobody signed out, and
	 * now nobody is (the idle lock, or a record call answered 'not-signed-in'). Reset by a sign-in.
	 */
	locked = $state(false);

	get user(): User | undefined {
		return this.view?.user;
	}

	/** Asks the worker who is signed in. Never throws: a failure is kept in {@link failure}. */
	async refresh(): Promise<SessionView | undefined> {
		try {
			const next = await call(workerApi().session());
			if (this.view?.user !== undefined && next.user === undefined) this.locked = true;
			this.view = next;
			this.failure = undefined;
			return next;
		} catch (e) {
			this.failure = asCasetrailError(e);
			return undefined;
		}
	}

	/** Creates the first administrator, who is then signed in. Throws the worker's error. */
	async setUp(input: { name: string; passphrase: string }): Promise<SetUpResult> {
		const done = await call(workerApi().setUp(input));
		this.locked = false;
		await this.refresh();
		return done;
	}

	/** Signs `userId` in. Throws the worker's error ('wrong-passphrase', 'rate-limited', ...). */
	async signIn(userId: string, secret: string): Promise<User> {
		const user = await call(workerApi().signIn(userId, secret));
		this.locked = false;
		await this.refresh();
		return user;
	}

	/** Signs out here and in every other open tab: each tab's worker forgets the key. */
	async signOut(): Promise<void> {
		await this.signOutHere();
		announceSignOut();
	}

	/** Signs out in this tab's worker only. Forgets the user here first, so this is no lock. */
	async signOutHere(): Promise<void> {
		if (this.view) this.view = { ...this.view, user: undefined };
		this.locked = false;
		await call(workerApi().signOut());
		await this.refresh();
	}

	/** A new passphrase or PIN, own (with `current`) or another user's (administrators). */
	async changeSecret(input: { userId: string; secretKind: SecretKind; secret: string; current?: string }): Promise<void> {
		await call(workerApi().changeSecret(input));
		await this.refresh();
	}
}

/** The one session view of this tab. */
export const session = new SessionState();

/**
 * Asks the worker every minute, while someone is signed in, whether it is still unlocked, so the
 * gate sends a device left alone to the sign-in page, and tells the worker when a person acts here.
 * Returns the function that stops it.
 */
export function watchSession(): () => void {
	const timer = setInterval(() => {
		if (session.user !== undefined) void invalidate(SESSION_DEPENDENCY);
	}, WATCH_MS);
	let reported = -Infinity;
	const personActed = (event: Event): void => {
		// A synthetic event is the page's own doing, not a person's.
		if (!event.isTrusted || session.user === undefined) return;
		const now = Date.now();
		if (now - reported < ACTIVITY_REPORT_MS) return;
		reported = now;
		void workerApi().activity().catch(() => undefined);
	};
	for (const type of PERSON_EVENTS) window.addEventListener(type, personActed, { capture: true, passive: true });
	const channel = typeof BroadcastChannel === 'undefined' ? undefined : new BroadcastChannel(SESSION_CHANNEL);
	channel?.addEventListener('message', (event: MessageEvent<unknown>) => {
		if ((event.data as { type?: unknown } | null)?.type !== 'signed-out' || session.user === undefined) return;
		void session.signOutHere().then(() => invalidate(SESSION_DEPENDENCY));
	});
	return () => {
		clearInterval(timer);
		for (const type of PERSON_EVENTS) window.removeEventListener(type, personActed, { capture: true });
		channel?.close();
	};
}

/** Tells the other tabs that someone signed out here. */
function announceSignOut(): void {
	if (typeof BroadcastChannel === 'undefined') return;
	const channel = new BroadcastChannel(SESSION_CHANNEL);
	channel.postMessage({ type: 'signed-out' });
	channel.close();
}
