/**
 * The people who use this device, as the page shows them: names for the user ids recorded on
 * events, and the choice of case worker when assigning a record. Names and roles only, never a
 * secret: the choice comes from the worker's session view, the names of who recorded events from
 * `recorders()`, which adds the users other devices described in the bundles imported here
 * (docs/user-profiles.md).
 */
import type { Recorder } from '$lib/worker/recorders';
import type { UserProfile } from '$lib/worker/users';
import { t } from '$lib/ui/messages';
import { call, workerApi } from './worker';

/** Every user profile on the device; an empty list when they cannot be read. */
export async function loadProfiles(): Promise<UserProfile[]> {
	try {
		return (await call(workerApi().session())).profiles;
	} catch {
		return [];
	}
}

/** The name for a user id among this device's users, or the id itself for someone else. */
export function userName(profiles: readonly UserProfile[], id: string): string {
	return profiles.find((p) => p.id === id)?.name ?? id;
}

/** Everyone whose name this device knows (its users and those described in imported bundles); empty when unreadable. */
export async function loadRecorders(): Promise<Recorder[]> {
	try {
		return await call(workerApi().recorders());
	} catch {
		return [];
	}
}

/**
 * Who a user id is, for "Recorded by": a user of this device by their name; a user another device
 * described by the name, role and device of that claim ("Alice Admin (administrator, device
 * 1a2b3c4d)"); anyone else by the id.
 */
export function recorderName(recorders: readonly Recorder[], id: string): string {
	const known = recorders.find((r) => r.id === id);
	if (!known) return id;
	if (known.local) return known.name;
	return t.recorders.claimed(known.name, t.recorders.roles[known.role] ?? known.role, known.shortDeviceId);
}
