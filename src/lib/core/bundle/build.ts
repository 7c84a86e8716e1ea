/**
 * Building bundles (spec/bundle-format.md, "Bundle"): a device exports the events of its log from
 * index `from` on, with the compact range of everything before them as the prefix, and signs a
 * checkpoint over the whole tree. A bundle built here always passes verifyBundle (./verify).
 */
import { CasetrailError } from '../errors';
import { validateEvent, type CasetrailEvent } from '../event';
import { canonicalBytes } from '../canonical';
import { bytesToBase64url } from '../encoding';
import { leafHash } from '../merkle/hash';
import { isIndex } from '../merkle/bits';
import { CompactRange } from '../merkle/compact';
import { deviceIdOf, signCheckpoint } from './checkpoint';
import { BUNDLE_FORMAT, BUNDLE_VERSION, type Bundle, type BundleSigner } from './types';

/** The leaf hash of an event: SHA-256(0x00 || RFC 8785 canonical JSON of its wire form). */
export function eventLeafHash(event: CasetrailEvent): Uint8Array {
	return leafHash(canonicalBytes(event));
}

/**
 * The prefix of a bundle starting at `from`: the compact range [0, from) of a log whose leaf hashes
 * are `leafHashes` (at least `from` of them), largest subtree first. Folding it gives the root the
 * log had at size `from`, i.e. the root of the checkpoint of an export that ended there.
 */
export function prefixFromLeafHashes(leafHashes: readonly Uint8Array[], from: number): Uint8Array[] {
	if (!isIndex(from) || from > leafHashes.length) {
		throw new CasetrailError('out-of-range', `A prefix up to ${String(from)} needs that many leaf hashes, but the log has ${leafHashes.length}.`);
	}
	const range = new CompactRange();
	for (let i = 0; i < from; i++) range.append(leafHashes[i] as Uint8Array);
	return range.frontier;
}

/** What {@link buildBundle} needs. */
export interface BuildBundleInput {
	/** Wire-form events: the device's leaves `from`, `from + 1`, ... in log order. */
	events: readonly CasetrailEvent[];
	/** Log index of the first event. */
	from: number;
	/** Compact range [0, from) of the device's log (see {@link prefixFromLeafHashes}); [] when `from` is 0. */
	prefix: readonly Uint8Array[];
	signer: BundleSigner;
	/** ISO 8601 UTC instant for the checkpoint; the current time when absent. */
	issuedAt?: string;
}

/**
 * Builds a signed bundle of `events` at log positions `from ..`, whose checkpoint signs the tree
 * [0, from + events.length). Throws CasetrailError: `invalid-event` or `duplicate-event` for events
 * a verifier would refuse, `size-mismatch` or `malformed` for a prefix that is not the compact
 * range of `from` leaves. The events are put in the bundle as given (not copied).
 */
export async function buildBundle(input: BuildBundleInput): Promise<Bundle> {
	const { events, from, prefix, signer } = input;
	const range = new CompactRange(from, prefix);
	const guids = new Set<string>();
	for (const event of events) {
		validateEvent(event);
		if (guids.has(event.guid)) {
			throw new CasetrailError('duplicate-event', `Event ${event.guid} is listed twice; a bundle may hold each event once.`);
		}
		guids.add(event.guid);
		range.append(eventLeafHash(event));
	}
	const checkpoint = await signCheckpoint(
		{ treeSize: range.size, rootHash: range.rootHash(), issuedAt: input.issuedAt ?? new Date().toISOString() },
		signer
	);
	return {
		format: BUNDLE_FORMAT,
		version: BUNDLE_VERSION,
		log: { deviceId: await deviceIdOf(signer.publicJwk), from, prefix: prefix.map(bytesToBase64url) },
		events: [...events],
		checkpoint
	};
}

/**
 * Builds the bundle of a whole log `log` (wire-form events in log order) from index `from` on: the
 * "export since last" of a device whose previous export ended at size `from`. Use `from` 0 for a
 * full export.
 */
export async function buildBundleFrom(input: {
	log: readonly CasetrailEvent[];
	from: number;
	signer: BundleSigner;
	issuedAt?: string;
}): Promise<Bundle> {
	const { log, from, signer } = input;
	const prefix = prefixFromLeafHashes(log.slice(0, isIndex(from) ? from : 0).map(eventLeafHash), from);
	return buildBundle({ events: log.slice(from), from, prefix, signer, ...(input.issuedAt === undefined ? {} : { issuedAt: input.issuedAt }) });
}
