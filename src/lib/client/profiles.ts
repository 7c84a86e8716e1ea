/**
 * The people who use this device, as the page shows them: names for the user ids recorded on
 * events, and the choice of case worker when assigning a record. Read from the worker's session
 * view, which holds names and roles only, never a secret.
 */
import type { UserProfile } from '$lib/worker/users';
import { call, workerApi } from './worker';

/** Every user profile on the device; an empty list when they cannot be read. */
export async function loadProfiles(): Promise<UserProfile[]> {
	try {
		return (await call(workerApi().session())).profiles;
	} catch {
		return [];
	}
}

/** The name for a user id, or the id itself for someone whose profile is not on this device (an imported event). */
export function userName(profiles: readonly UserProfile[], id: string): string {
	return profiles.find((p) => p.id === id)?.name ?? id;
}
