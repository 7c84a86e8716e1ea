/**
 * Who recorded events, by name, on every device (issue 15, point 8; docs/user-profiles.md). This
 * device describes its users in `describe-user` events (id, name and role, never a secret) before
 * every export and when it removes a user, so the names travel in its bundles, under its signed
 * checkpoint; `recorders()` reads them back beside this device's own users.
 */
import { assertCan } from '../core/access';
import type { Result } from '../core/errors';
import { DESCRIBE_USER, USERS_ENTITY, describeUserEvent, describedUsers, type DescribedUser, type UserDescription } from '../core/user-profiles';
import { appendEvents } from '../store/append';
import { getEntityEvents } from '../store/read';
import { listProfiles } from '../store/users';
import { commandEnv, result, type WorkerContext } from './context';
import { shortDeviceId } from './device';
import { appendRateOf } from './rate';

/** Someone who recorded events, as the page names them. Names and roles only: nothing secret. */
export interface Recorder {
	id: string;
	name: string;
	role: UserDescription['role'];
	/** True for a user of this device (its own user table says so); false for a name read from the log. */
	local: boolean;
	/**
	 * For a name read from the log: the device that signed the bundle that brought the description
	 * (this device, for one it recorded), whose claim it is; never the device id the event names.
	 */
	deviceId?: string;
	shortDeviceId?: string;
}

/** Characters a description may not carry, each made a space (a local name is checked for length only). */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/** The description of a local user, or undefined when their name is nothing printable. */
function descriptionOf(profile: UserDescription): UserDescription | undefined {
	const name = profile.name.replace(UNPRINTABLE, ' ').replace(/\s+/g, ' ').trim().slice(0, 100).trim();
	return name.length > 0 ? { id: profile.id, name, role: profile.role } : undefined;
}

/**
 * The descriptions in this device's log, one per user id (core describedUsers), each attributed to
 * the device that signed the bundle that brought it (its stored origin) or, for one recorded here,
 * to this device: never to the `metadata.deviceId` the event carries. `firstHandFirst: false` reads
 * the latest description not dated after this device's clock, first-hand or not.
 */
export async function descriptionsInLog(ctx: WorkerContext, options: { firstHandFirst?: boolean } = {}): Promise<Map<string, DescribedUser>> {
	const [stored, own] = await Promise.all([getEntityEvents(ctx.db, USERS_ENTITY), ctx.deviceId()]);
	const held = stored.filter((row) => row.event.type === DESCRIBE_USER).map((row) => ({ event: row.event, signer: row.origin ? row.origin.deviceId : own }));
	return describedUsers(held, ctx.now().getTime(), options);
}

/**
 * Appends a `describe-user` event, recorded by the signed-in user, for each of `profiles` (this
 * device's users; every one when not given) whose latest description in the log (in event order,
 * leaving out any dated after this device's clock, relayed or not) is not this device's own with
 * the same name and role. Returns how many it appended. Nothing when nobody is signed in.
 */
export async function describeUsers(ctx: WorkerContext, profiles?: readonly UserDescription[]): Promise<number> {
	const user = ctx.user();
	if (!user) return 0;
	const local = profiles ?? (await listProfiles(ctx.db));
	if (local.length === 0) return 0;
	const [described, deviceId] = await Promise.all([descriptionsInLog(ctx, { firstHandFirst: false }), ctx.deviceId()]);
	const stale: UserDescription[] = [];
	for (const profile of local) {
		const wanted = descriptionOf(profile);
		if (!wanted) continue;
		const known = described.get(wanted.id);
		if (known && known.name === wanted.name && known.role === wanted.role && known.firstHand && known.deviceId === deviceId) continue;
		stale.push(wanted);
	}
	if (stale.length === 0) return 0;
	const env = await commandEnv(ctx, user.id);
	const events = stale.map((profile) => describeUserEvent(profile, env));
	const appended = await appendEvents(ctx.db, events, { rate: appendRateOf(ctx) });
	ctx.announce({ size: appended.size });
	return events.length;
}

/** The read side: who recorded events, by name. */
export function recordersApi(ctx: WorkerContext) {
	return {
		/**
		 * Everyone whose name this device knows, for showing who recorded an event: this device's users
		 * (local) and the users described in the bundles imported here, each with the device that
		 * signed the bundle that brought the description that counts (core describedUsers). A user of
		 * this device is named as this device holds them, whatever the log says. Names and roles only,
		 * for everyone signed in (a case worker sees who recorded what they may see).
		 */
		recorders(): Promise<Result<Recorder[]>> {
			return result(async () => {
				assertCan(ctx.user(), 'read');
				const [local, described] = await Promise.all([listProfiles(ctx.db), descriptionsInLog(ctx)]);
				const out: Recorder[] = local.map((p) => ({ id: p.id, name: p.name, role: p.role, local: true }));
				const localIds = new Set(local.map((p) => p.id));
				for (const d of described.values()) {
					if (localIds.has(d.id)) continue;
					out.push({ id: d.id, name: d.name, role: d.role, local: false, ...(d.deviceId ? { deviceId: d.deviceId, shortDeviceId: shortDeviceId(d.deviceId) } : {}) });
				}
				return out.sort((a, b) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
			});
		}
	};
}
