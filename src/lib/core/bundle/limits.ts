/**
 * What a receiving device accepts beyond the bundle format: bundle limits, a receiver's policy
 * (docs/decisions/0005-bundle-limits.md), checked after the spec's verification (which they leave as
 * it is: spec/bundle-format.md stays the version 1 contract). They keep what a stranger's bundle can
 * cost the device that verifies, shows or imports it proportional to its size, and they are
 * numbers a person can check against a bundle: events per bundle, bytes per event, members per group.
 *
 * Bundle fields are attacker-controlled: only events that passed verifyBundle reach these checks,
 * and every value quoted in a message is shortened.
 */
import { CasetrailError, isCasetrailError } from '../errors';
import { brief } from './json';
import type { BundleVerification } from './verify';
import { verifyBundle } from './verify';
import type { VerifiedBundle } from './types';
import { checkDescriptions } from '../user-profiles';

/** The most a receiving device accepts from one bundle. */
export interface BundleLimits {
	/** Events in one bundle. */
	events: number;
	/** UTF-8 bytes of one event's canonical JSON (its leaf bytes). */
	eventBytes: number;
	/** Distinct members the add-member events of one bundle give one group. */
	groupMembers: number;
}

/**
 * The limits the app and the command line apply. 250,000 events is two and a half times the largest
 * log measured (bench/README.md) and still replays in well under a second; 64 KiB is about 150 times a
 * typical event (420 bytes); 1,000 members is far more than any household.
 */
export const BUNDLE_LIMITS: Readonly<BundleLimits> = Object.freeze({ events: 250_000, eventBytes: 65_536, groupMembers: 1_000 });

const count = (n: number): string => n.toLocaleString('en-US');

/**
 * Throws CasetrailError('limit-exceeded') naming the first limit `bundle` goes past, checked in
 * this order: events per bundle, bytes per event (the first event over it), members per group (the
 * first group over it, in event order). Returns nothing when it is within every limit.
 */
export function checkBundleLimits(bundle: Pick<VerifiedBundle, 'events' | 'eventBytes' | 'from'>, limits: BundleLimits = BUNDLE_LIMITS): void {
	const { events, eventBytes, from } = bundle;
	if (events.length > limits.events) {
		throw new CasetrailError(
			'limit-exceeded',
			`The bundle holds ${count(events.length)} events; this device accepts at most ${count(limits.events)} in one bundle. Ask the sender to export in smaller parts ("since the last export").`
		);
	}
	for (let i = 0; i < events.length; i++) {
		const bytes = eventBytes[i] as number;
		if (bytes > limits.eventBytes) {
			throw new CasetrailError(
				'limit-exceeded',
				`The event at log position ${from + i} is ${count(bytes)} bytes; this device accepts events of at most ${count(limits.eventBytes)} bytes. The whole bundle is refused.`
			);
		}
	}
	const members = new Map<string, Set<string>>();
	for (const event of events) {
		if (event.type !== 'add-member') continue;
		const memberGuid = event.data.memberGuid;
		if (typeof memberGuid !== 'string') continue;
		let group = members.get(event.entityGuid);
		if (!group) members.set(event.entityGuid, (group = new Set()));
		group.add(memberGuid);
		if (group.size > limits.groupMembers) {
			throw new CasetrailError(
				'limit-exceeded',
				`The bundle gives group ${brief(event.entityGuid)} more than ${count(limits.groupMembers)} members; this device accepts at most ${count(limits.groupMembers)} members per group. The whole bundle is refused.`
			);
		}
	}
}

/**
 * A bundle as a receiving device takes it: verifyBundle (spec/bundle-format.md, every check and code
 * as there), then {@link checkBundleLimits}, then every user description in it (profile-invalid for
 * the first that is not exactly a user id, name and role: docs/user-profiles.md). Throws
 * CasetrailError with the code of the first failure.
 */
export async function verifyReceivedBundle(input: unknown, limits: BundleLimits = BUNDLE_LIMITS): Promise<VerifiedBundle> {
	const verified = await verifyBundle(input);
	checkBundleLimits(verified, limits);
	checkDescriptions(verified.events, verified.from);
	return verified;
}

/** {@link verifyReceivedBundle} as plain data, like verifyBundleResult. */
export async function verifyReceivedBundleResult(input: unknown, limits: BundleLimits = BUNDLE_LIMITS): Promise<BundleVerification> {
	try {
		return { ok: true, ...(await verifyReceivedBundle(input, limits)) };
	} catch (e) {
		if (isCasetrailError(e)) return { ok: false, error: { code: e.code, message: e.message } };
		throw e;
	}
}
