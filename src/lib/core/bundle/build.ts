/**
 * Building bundles (spec/bundle-format.md, "Bundle"; docs/bundle-format-v2.md): a device exports the
 * events of its log from index `from` on, with the compact range of everything before them as the
 * prefix, signs a checkpoint over the whole tree and, in version 2, adds a consistency proof from
 * each tree size it signed before. A bundle built here always passes verifyBundle (./verify).
 */
import { CasetrailError } from '../errors';
import { validateEvent, type CasetrailEvent } from '../event';
import { canonicalBytes } from '../canonical';
import { bytesToBase64url } from '../encoding';
import { leafHash } from '../merkle/hash';
import { isIndex } from '../merkle/bits';
import { CompactRange, type NodeId } from '../merkle/compact';
import { consistencyProof, rootAt, type NodeReader } from '../merkle/proof';
import { deviceIdOf, signCheckpoint } from './checkpoint';
import { BUNDLE_FORMAT, BUNDLE_VERSION, type Bundle, type BundleAttachment, type BundleSigner, type BundleVersion, type ConsistencyEntry } from './types';
import { attachmentHash, eventReferences } from '../attachments';

/**
 * The `attachments` member of a version 2 bundle of `events`: the bytes of every attachment they
 * reference, each once, in the order the references are met. Throws 'attachment-missing' when the
 * bytes of a reference are not among `given`.
 */
export function bundleAttachments(events: readonly CasetrailEvent[], given: readonly Uint8Array[]): BundleAttachment[] {
	const refs = eventReferences(events);
	if (refs.length === 0) return [];
	const byHash = new Map(given.map((bytes) => [attachmentHash(bytes), bytes]));
	return refs.map((ref) => {
		const bytes = byHash.get(ref.sha256);
		if (!bytes) throw new CasetrailError('attachment-missing', `An event references attachment ${ref.sha256.slice(0, 12)}…, whose bytes were not given; nothing was exported.`);
		return { sha256: ref.sha256, data: bytesToBase64url(bytes) };
	});
}

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

/** A reader over the perfect nodes of the tree of `leafHashes`, held in memory. */
function memoryNodes(leafHashes: readonly Uint8Array[]): NodeReader {
	const nodes = new Map<string, Uint8Array>();
	const range = new CompactRange();
	for (const leaf of leafHashes) range.append(leaf, (level, index, hash) => nodes.set(`${level}:${index}`, hash));
	return async (ids: NodeId[]) =>
		ids.map(({ level, index }) => {
			const hash = nodes.get(`${level}:${index}`);
			if (!hash) throw new CasetrailError('out-of-range', `The node (${level}, ${index}) is not in a log of ${leafHashes.length} events.`);
			return hash;
		});
}

/**
 * The consistency entry from the tree of `size` leaves to the tree of `newSize` leaves, read through
 * `read` (any store of perfect nodes). Requires 0 < size < newSize (else 'out-of-range').
 */
export async function consistencyEntry(size: number, newSize: number, read: NodeReader): Promise<ConsistencyEntry> {
	if (!isIndex(size) || size === 0 || size >= newSize) {
		throw new CasetrailError('out-of-range', `A consistency entry goes from a smaller signed size to the new one; ${String(size)} to ${String(newSize)} is not such a pair.`);
	}
	const [root, proof] = await Promise.all([rootAt(size, read), consistencyProof(size, newSize, read)]);
	return { treeSize: size, rootHash: bytesToBase64url(root), proof: proof.map(bytesToBase64url) };
}

/**
 * The consistency entries of a version 2 bundle over the log of `leafHashes`: one from each of
 * `signedSizes` below the log's size (duplicates and sizes 0 or >= the size dropped), smallest first.
 */
export async function consistencyFromLeafHashes(leafHashes: readonly Uint8Array[], signedSizes: readonly number[]): Promise<ConsistencyEntry[]> {
	const read = memoryNodes(leafHashes);
	const sizes = [...new Set(signedSizes)].filter((s) => isIndex(s) && s > 0 && s < leafHashes.length).sort((a, b) => a - b);
	const entries: ConsistencyEntry[] = [];
	for (const size of sizes) entries.push(await consistencyEntry(size, leafHashes.length, read));
	return entries;
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
	/** The format version to write; 2 (the default) needs `consistency`, 1 writes none. */
	version?: BundleVersion;
	/** Version 2: the consistency entries from the sizes the device signed before (see {@link consistencyEntry}). */
	consistency?: readonly ConsistencyEntry[];
	/** Version 2: the bytes of the attachments the events reference (see {@link bundleAttachments}). */
	attachments?: readonly Uint8Array[];
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
	const log = { deviceId: await deviceIdOf(signer.publicJwk), from, prefix: prefix.map(bytesToBase64url) };
	// Members in the order a streamed export writes them: the checkpoint, signed last, comes last.
	if ((input.version ?? BUNDLE_VERSION) === 1) return { format: BUNDLE_FORMAT, version: 1, log, events: [...events], checkpoint };
	const consistency = (input.consistency ?? []).map((c) => ({ treeSize: c.treeSize, rootHash: c.rootHash, proof: [...c.proof] }));
	const attachments = bundleAttachments(events, input.attachments ?? []);
	if (attachments.length === 0) return { format: BUNDLE_FORMAT, version: 2, log, events: [...events], consistency, checkpoint };
	return { format: BUNDLE_FORMAT, version: 2, log, events: [...events], consistency, attachments, checkpoint };
}

/**
 * Builds the bundle of a whole log `log` (wire-form events in log order) from index `from` on: the
 * "export since last" of a device whose previous export ended at size `from`. Use `from` 0 for a
 * full export. Version 2 (the default) carries a consistency proof from each of `signedSizes`
 * below the log's size, computed over `log` itself.
 */
export async function buildBundleFrom(input: {
	log: readonly CasetrailEvent[];
	from: number;
	signer: BundleSigner;
	issuedAt?: string;
	version?: BundleVersion;
	signedSizes?: readonly number[];
	attachments?: readonly Uint8Array[];
}): Promise<Bundle> {
	const { log, from, signer } = input;
	const leafHashes = log.map(eventLeafHash);
	const prefix = prefixFromLeafHashes(leafHashes.slice(0, isIndex(from) ? from : 0), from);
	const version = input.version ?? BUNDLE_VERSION;
	return buildBundle({
		events: log.slice(from),
		from,
		prefix,
		signer,
		version,
		...(version === 2 ? { consistency: await consistencyFromLeafHashes(leafHashes, input.signedSizes ?? []), attachments: input.attachments ?? [] } : {}),
		...(input.issuedAt === undefined ? {} : { issuedAt: input.issuedAt })
	});
}
