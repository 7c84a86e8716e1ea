/**
 * The page side of "offline and installable": registers the service worker with workbox-window
 * (production builds only), holds a waiting update until the person accepts it, keeps the
 * browser's install prompt for the install button, and reports what the browser does with
 * Casetrail's storage. The layout calls startPwa() once; components read the three states.
 */
import { Workbox } from 'workbox-window';
import { dev } from '$app/environment';
import { isAppleMobile } from './platform';
import { unsavedChanges } from './unsaved';

export { unsavedChanges, UnsavedChanges, type UnsavedCheck } from './unsaved';

/** How often an open tab asks the server for a new version while it stays open. */
const UPDATE_CHECK_MS = 60 * 60 * 1000;

/**
 * - `current`: nothing to offer.
 * - `waiting`: a new version is installed and waits; offer "reload".
 * - `confirm`: the person accepted, but a form holds unsaved input; ask before discarding it.
 * - `reloading`: the new version is activating; the page reloads as soon as it takes control.
 * - `activated`: another tab activated a new version; this tab still runs the old code.
 */
export type UpdateStatus = 'current' | 'waiting' | 'confirm' | 'reloading' | 'activated';

class AppUpdate {
	status: UpdateStatus = $state('current');
	/** True once a service worker controls this page, so it starts and works with no network. */
	offlineReady = $state(false);
	/** Why registering the service worker failed (the app still works while online), else null. */
	error: string | null = $state(null);

	#workbox: Workbox | undefined;
	#registration: ServiceWorkerRegistration | undefined;
	#offered: 'waiting' | 'activated' = 'waiting';
	#accepted = false;

	/** Registers the service worker and follows its lifecycle; called once, by startPwa. */
	async register(): Promise<void> {
		const workbox = new Workbox('/service-worker.js', { type: 'module' });
		this.#workbox = workbox;
		this.offlineReady = navigator.serviceWorker.controller !== null;

		workbox.addEventListener('waiting', () => this.#offer('waiting'));
		workbox.addEventListener('controlling', (event) => {
			this.offlineReady = true;
			if (this.#accepted) {
				window.location.reload();
			} else if (event.isUpdate) {
				// Only a SKIP_WAITING can replace a controller while this tab is open, and this tab
				// did not send it: another tab did. The old code here keeps running until reloaded.
				this.#offer('activated');
			}
		});

		try {
			this.#registration = await workbox.register();
		} catch (cause) {
			this.error = cause instanceof Error ? cause.message : String(cause);
			return;
		}
		window.addEventListener('online', () => void this.check());
		document.addEventListener('visibilitychange', () => {
			if (document.visibilityState === 'visible') void this.check();
		});
		setInterval(() => void this.check(), UPDATE_CHECK_MS);
	}

	/**
	 * Asks the server whether there is a new version: `found` when one is installing or waiting
	 * (the prompt follows), `latest` when not, `offline` when the server cannot be reached, and
	 * `unavailable` when no service worker is registered.
	 */
	async check(): Promise<'found' | 'latest' | 'offline' | 'unavailable'> {
		const registration = this.#registration;
		if (!this.#workbox || !registration) return 'unavailable';
		if (!navigator.onLine) return 'offline';
		try {
			await this.#workbox.update();
		} catch {
			return 'offline';
		}
		return registration.installing || registration.waiting ? 'found' : 'latest';
	}

	/**
	 * The person chose "reload": activates the waiting version and reloads, after asking first
	 * (status `confirm`) when any registered form reports unsaved input.
	 */
	accept(): void {
		if (this.status !== 'waiting' && this.status !== 'activated') return;
		if (unsavedChanges.any()) {
			this.status = 'confirm';
			return;
		}
		this.#apply();
	}

	/** The person confirmed that unsaved input may be discarded: reload now. */
	discardAndReload(): void {
		if (this.status === 'confirm') this.#apply();
	}

	/** The person chose to keep editing: back to offering the update. */
	keepEditing(): void {
		if (this.status === 'confirm') this.status = this.#offered;
	}

	/** Hides the offer. A waiting version stays waiting; the next page load offers it again. */
	dismiss(): void {
		if (this.status === 'waiting' || this.status === 'activated' || this.status === 'confirm') {
			this.status = 'current';
		}
	}

	#offer(kind: 'waiting' | 'activated'): void {
		if (this.status === 'reloading') return;
		this.#offered = kind;
		if (this.status !== 'confirm') this.status = kind;
	}

	#apply(): void {
		this.status = 'reloading';
		if (this.#offered === 'activated' || !this.#registration?.waiting) {
			// The new version already controls this page; only the page itself is old.
			window.location.reload();
			return;
		}
		this.#accepted = true;
		this.#workbox?.messageSkipWaiting();
	}
}

/** Chromium's install prompt event; not in TypeScript's DOM library. */
interface BeforeInstallPromptEvent extends Event {
	prompt(): Promise<void>;
	readonly userChoice: Promise<{ outcome: 'accepted' | 'dismissed'; platform: string }>;
}

class Install {
	/** True when running as an installed app, or once the browser reports the install. */
	installed = $state(false);
	/** iPhone and iPad: no install prompt exists, only Share → Add to Home Screen. */
	appleMobile = $state(false);
	#prompt: BeforeInstallPromptEvent | null = $state.raw(null);

	/** True when the browser handed over an install prompt that has not been used yet. */
	get canPrompt(): boolean {
		return this.#prompt !== null && !this.installed;
	}

	/** Starts listening for the browser's install events; called once, by startPwa. */
	listen(): void {
		const standalone =
			window.matchMedia('(display-mode: standalone)').matches ||
			(navigator as Navigator & { standalone?: boolean }).standalone === true;
		this.installed = standalone;
		this.appleMobile = isAppleMobile(navigator);
		window.addEventListener('beforeinstallprompt', (event) => {
			// Keep the prompt for the install button instead of the browser's own mini-infobar.
			event.preventDefault();
			this.#prompt = event as BeforeInstallPromptEvent;
		});
		window.addEventListener('appinstalled', () => {
			this.installed = true;
			this.#prompt = null;
		});
	}

	/**
	 * Shows the browser's install dialog (call from a click: browsers require a user gesture) and
	 * returns what the person chose; `unavailable` when there is no prompt to show. A prompt can be
	 * used once, so it is dropped either way; the browser may offer a new one later.
	 */
	async prompt(): Promise<'accepted' | 'dismissed' | 'unavailable'> {
		const pending = this.#prompt;
		if (!pending) return 'unavailable';
		this.#prompt = null;
		await pending.prompt();
		const { outcome } = await pending.userChoice;
		return outcome;
	}
}

class StorageState {
	/** False where navigator.storage is missing (old browsers, insecure origins). */
	supported = $state(false);
	/** Whether the browser promised not to evict this origin's data; null until known. */
	persisted: boolean | null = $state(null);
	/** Bytes used by this origin, null until known. */
	usage: number | null = $state(null);
	/** Bytes this origin may use, null until known. */
	quota: number | null = $state(null);

	#askedOnSave = false;

	/** Reads persisted() and estimate() again. */
	async refresh(): Promise<void> {
		this.supported = typeof navigator !== 'undefined' && navigator.storage !== undefined;
		if (!this.supported) return;
		try {
			const [persisted, estimate] = await Promise.all([navigator.storage.persisted(), navigator.storage.estimate()]);
			this.persisted = persisted;
			this.usage = estimate.usage ?? null;
			this.quota = estimate.quota ?? null;
		} catch {
			// Some browsers throw in private windows; the numbers stay unknown rather than wrong.
		}
	}

	/**
	 * Asks the browser to keep this origin's data under storage pressure and returns whether it
	 * agreed. Chrome decides silently (installed apps and engaged sites are granted); Firefox shows
	 * a permission prompt, so this must run from a user gesture.
	 */
	async requestPersistence(): Promise<boolean> {
		if (!this.supported) await this.refresh();
		if (!this.supported) return false;
		try {
			this.persisted = await navigator.storage.persist();
		} catch {
			this.persisted = false;
		}
		await this.refresh();
		return this.persisted === true;
	}

	/** See requestPersistentStorage. */
	async requestOnSave(): Promise<boolean> {
		if (this.persisted === null) await this.refresh();
		if (this.persisted === true) return true;
		if (this.#askedOnSave) return false;
		this.#askedOnSave = true;
		return this.requestPersistence();
	}
}

/** The service worker's update state; UpdatePrompt.svelte shows it. */
export const appUpdate = new AppUpdate();
/** The browser's install prompt and whether Casetrail is installed; InstallButton.svelte shows it. */
export const install = new Install();
/** Persistence, usage and quota of this origin's storage; StorageStatus.svelte shows it. */
export const storage = new StorageState();

/**
 * Asks once per page load for persistent storage, unless it is already granted, and resolves to
 * whether it is granted. Call it from the click handler of a save (the first save is the moment
 * the data starts to matter, and Firefox only shows its prompt during a user gesture); calling it
 * on every save is fine, it asks at most once.
 */
export function requestPersistentStorage(): Promise<boolean> {
	return storage.requestOnSave();
}

let started = false;

/**
 * Starts everything above, once per page: install listeners, the storage numbers and, in a
 * production build, the service worker (a development server's modules change on every edit and
 * must not be cached).
 */
export function startPwa(): void {
	if (started || typeof window === 'undefined') return;
	started = true;
	install.listen();
	void storage.refresh();
	if (!dev && 'serviceWorker' in navigator) void appUpdate.register();
}
