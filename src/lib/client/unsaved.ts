/**
 * A registry of "is there input that is not stored yet?" checks, so the update prompt can ask
 * before a reload throws a half-filled form away. A page with a form registers a check while it
 * is mounted; the check must answer true from the first keystroke until the worker has stored the
 * input, including while a save is still in flight (a reload then would abort it).
 */
export type UnsavedCheck = () => boolean;

export class UnsavedChanges {
	readonly #checks = new Set<UnsavedCheck>();

	/** Adds `check`; returns the function that removes it (suits an $effect's cleanup). */
	register(check: UnsavedCheck): () => void {
		this.#checks.add(check);
		return () => this.unregister(check);
	}

	/** Removes `check`; removing one that is not registered does nothing. */
	unregister(check: UnsavedCheck): void {
		this.#checks.delete(check);
	}

	/**
	 * True when any registered check reports unsaved input. A check that throws counts as unsaved:
	 * when in doubt, ask rather than lose someone's work.
	 */
	any(): boolean {
		for (const check of this.#checks) {
			try {
				if (check()) return true;
			} catch {
				return true;
			}
		}
		return false;
	}
}

/** The page's one registry; see UnsavedChanges. */
export const unsavedChanges = new UnsavedChanges();
