/**
 * Bundle verification (spec/bundle-format.md, "Verification"): the checks run in the spec's order
 * and the first that fails names the error, so every implementation rejects a bad bundle with the
 * same code. A bundle is accepted whole or not at all.
 *
 * Bundle fields are attacker-controlled: the input is first copied into plain JSON data (see
 * ./json), every member is read as an own property and checked for type before use, and anything
 * that does not fit is `malformed` rather than a TypeError further down.
 */
import { CasetrailError, isCasetrailError, type ErrorData } from '../errors';
import { validateEvent, type CasetrailEvent } from '../event';
import { canonicalBytes } from '../canonical';
import { HASH_SIZE, leafHash } from '../merkle/hash';
import { isIndex, popcount } from '../merkle/bits';
import { rootFromRange } from '../merkle/compact';
import { verifyConsistency } from '../merkle/verify';
import { decodeFixed, deviceIdOf, parseCheckpoint, verifyCheckpointSignature } from './checkpoint';
import { brief, isJsonObject, member, parseJson, toJson, type JsonObject } from './json';
import { BUNDLE_FORMAT, BUNDLE_VERSIONS, MAX_CONSISTENCY_ENTRIES, type BundleVersion, type VerifiedBundle, type VerifiedConsistency } from './types';
import { base64urlToBytes, equalBytes } from '../encoding';
import { attachmentHash, eventReferences, MAX_ATTACHMENT_BYTES } from '../attachments';

/** The outcome of {@link verifyBundleResult}: plain data, safe to post across the worker boundary. */
export type BundleVerification = ({ ok: true } & VerifiedBundle) | { ok: false; error: ErrorData };

/**
 * Verifies a bundle of version 1 or 2 given as JSON text or as an already-parsed value, and returns
 * what it proves. Throws CasetrailError with the code of the first failed check, in the spec's order:
 * `malformed`, `unsupported-format`, `malformed`, `bad-signature`, `device-mismatch`,
 * `size-mismatch`, `invalid-event`, `duplicate-event`, `root-mismatch`, then for version 2
 * `bad-consistency-proof`, `attachment-mismatch`, `attachment-missing` (docs/bundle-format-v2.md).
 * Throws nothing else, whatever the input.
 */
export async function verifyBundle(input: unknown): Promise<VerifiedBundle> {
	// 1. Parses as a JSON object.
	const bundle = typeof input === 'string' ? parseJson(input, 'The bundle') : toJson(input, 'The bundle');
	if (!isJsonObject(bundle)) {
		throw new CasetrailError('malformed', 'The bundle is not a JSON object; the file is not a Casetrail bundle.');
	}

	// 2. Format and version.
	const format = member(bundle, 'format');
	const version = member(bundle, 'version');
	if (format !== BUNDLE_FORMAT || !BUNDLE_VERSIONS.some((v) => v === version)) {
		throw new CasetrailError(
			'unsupported-format',
			`The file says format ${brief(format)} version ${brief(version)}, but only "${BUNDLE_FORMAT}" versions ${BUNDLE_VERSIONS.join(' and ')} can be read; export it again with a matching Casetrail version.`
		);
	}
	const bundleVersion = version as BundleVersion;

	// 3. Shapes of log, events and checkpoint (and, in version 2, of the consistency proofs).
	const { logDeviceId, from, prefix } = readLog(member(bundle, 'log'));
	const events = readEvents(member(bundle, 'events'));
	const checkpoint = parseCheckpoint(member(bundle, 'checkpoint'));
	const { payload } = checkpoint;
	const consistency = bundleVersion === 2 ? readConsistency(member(bundle, 'consistency')) : [];
	const carried = bundleVersion === 2 ? readAttachments(member(bundle, 'attachments')) : [];

	// 4. Signature.
	const publicJwk = await verifyCheckpointSignature(checkpoint);

	// 5. Device: the key, the signed payload and the log all name the same device.
	const thumbprint = await deviceIdOf(publicJwk);
	if (thumbprint !== payload.deviceId || payload.deviceId !== logDeviceId) {
		throw new CasetrailError(
			'device-mismatch',
			`The bundle names device ${brief(logDeviceId)}, its checkpoint names ${brief(payload.deviceId)}, and it is signed by the key of device ${thumbprint}; these must all be the same device, so do not import it.`
		);
	}

	// 6. Sizes.
	if (payload.treeSize !== from + events.length) {
		throw new CasetrailError(
			'size-mismatch',
			`The checkpoint signs a log of ${payload.treeSize} events, but the bundle holds ${events.length} events starting at log position ${from}, which makes ${from + events.length}; events were added or removed after signing.`
		);
	}
	if (prefix.length !== popcount(from)) {
		throw new CasetrailError(
			'size-mismatch',
			`A bundle starting at event ${from} needs ${popcount(from)} prefix hashes, but it has ${prefix.length}; the bundle is damaged.`
		);
	}
	const beyond = consistency.find((c) => c.treeSize >= payload.treeSize);
	if (beyond) {
		throw new CasetrailError(
			'size-mismatch',
			`The bundle carries a consistency proof from a log of ${beyond.treeSize} events, but its checkpoint signs ${payload.treeSize}; a proof must start from a smaller, earlier log. The bundle is damaged.`
		);
	}

	// 7. Every event is a valid event; its leaf bytes are its canonical JSON as it appears here.
	const leafHashes: Uint8Array[] = [];
	const eventBytes: number[] = [];
	const valid: CasetrailEvent[] = [];
	for (let i = 0; i < events.length; i++) {
		const event = events[i] as JsonObject;
		const position = from + i;
		try {
			validateEvent(event);
		} catch (e) {
			// The validator quotes the guid, which is attacker-controlled: keep the sentence short.
			const why = isCasetrailError(e) && e.message.length <= 300 ? e.message : `${describeEvent(event, position)} lacks a required member or has one of the wrong type.`;
			throw new CasetrailError('invalid-event', `At log position ${position}: ${why} The whole bundle is rejected; ask the sender to correct that event and export again.`);
		}
		try {
			const bytes = canonicalBytes(event);
			leafHashes.push(leafHash(bytes));
			eventBytes.push(bytes.length);
		} catch {
			throw new CasetrailError(
				'invalid-event',
				`${describeEvent(event, position)} has no canonical JSON form (RFC 8785), for example a text with a broken character, so it cannot be hashed. The whole bundle is rejected; ask the sender to correct that event and export again.`
			);
		}
		// The copy made in step 1 is what was hashed; handing it out keeps the two identical.
		valid.push(event as CasetrailEvent);
	}

	// 8. No guid twice.
	const seen = new Map<string, number>();
	for (let i = 0; i < valid.length; i++) {
		const guid = (valid[i] as CasetrailEvent).guid;
		const first = seen.get(guid);
		if (first !== undefined) {
			throw new CasetrailError(
				'duplicate-event',
				`Event ${brief(guid)} appears twice in the bundle (log positions ${from + first} and ${from + i}); a log never stores one event twice, so the bundle cannot be trusted.`
			);
		}
		seen.set(guid, i);
	}

	// 9. The root recomputed from the prefix and the events is the signed root.
	const root = rootFromRange(from, prefix, leafHashes);
	if (!equalBytes(root, checkpoint.rootHash)) {
		throw new CasetrailError(
			'root-mismatch',
			'The events do not hash to the signed root: an event was changed, reordered, or the prefix does not match; the bundle was tampered with or damaged. Do not import it.'
		);
	}

	// 10. Version 2: each consistency proof leads from its root to the signed root. The proofs are
	// not signed; a proof that verifies binds its root to the signed root all the same, so a
	// receiver can compare that root with a checkpoint of the same size it holds.
	for (const entry of consistency) {
		if (!verifyConsistency(entry.treeSize, payload.treeSize, entry.proof, entry.rootHash, checkpoint.rootHash)) {
			throw new CasetrailError(
				'bad-consistency-proof',
				`The consistency proof from the log of ${entry.treeSize} events does not lead to the signed root of ${payload.treeSize} events; the bundle was damaged or its history altered. Do not import it; ask for a fresh export.`
			);
		}
	}

	// 11. Version 2: every attachment the events reference is carried, and its bytes are what the
	// references say (their hash, their size). The events are signed, so the bytes are too.
	const attachments = bundleVersion === 2 ? checkAttachments(valid, carried) : [];

	return {
		version: bundleVersion,
		deviceId: payload.deviceId,
		publicJwk,
		treeSize: payload.treeSize,
		rootHash: checkpoint.rootHash,
		rootHashB64: payload.rootHash,
		from,
		prefix,
		events: valid,
		leafHashes,
		eventBytes,
		issuedAt: payload.issuedAt,
		checkpoint: checkpoint.jws,
		consistency,
		attachments
	};
}

/**
 * {@link verifyBundle} as plain data: `{ ok: true, ...verified }` or `{ ok: false, error: { code,
 * message } }`. Only a defect in this code can make it throw.
 */
export async function verifyBundleResult(input: unknown): Promise<BundleVerification> {
	try {
		return { ok: true, ...(await verifyBundle(input)) };
	} catch (e) {
		if (isCasetrailError(e)) return { ok: false, error: { code: e.code, message: e.message } };
		throw e;
	}
}

function readLog(log: unknown): { logDeviceId: string; from: number; prefix: Uint8Array[] } {
	const bad = (why: string): never => {
		throw new CasetrailError('malformed', `The bundle's log ${why}; the bundle was damaged or not written by Casetrail.`);
	};
	if (!isJsonObject(log)) return bad('member is missing or not an object');
	const deviceId = member(log, 'deviceId');
	const from = member(log, 'from');
	const prefix = member(log, 'prefix');
	if (typeof deviceId !== 'string' || deviceId.length === 0) return bad('has no deviceId string');
	if (!isIndex(from)) return bad('"from" is not a non-negative integer');
	if (!Array.isArray(prefix)) return bad('prefix is not an array');
	const hashes: Uint8Array[] = [];
	for (let i = 0; i < prefix.length; i++) {
		const hash = decodeFixed(prefix[i], HASH_SIZE);
		if (!hash) return bad(`prefix entry ${i} is not base64url of a ${HASH_SIZE}-byte hash`);
		hashes.push(hash);
	}
	return { logDeviceId: deviceId, from, prefix: hashes };
}

/** Longest consistency proof accepted: a proof has at most about 2·log2(2^53) nodes. */
const MAX_PROOF_LENGTH = 128;

function readConsistency(list: unknown): VerifiedConsistency[] {
	const bad = (why: string): never => {
		throw new CasetrailError('malformed', `The bundle's consistency list ${why}; the bundle was damaged or not written by Casetrail.`);
	};
	if (!Array.isArray(list)) return bad('is missing or not an array');
	if (list.length > MAX_CONSISTENCY_ENTRIES) return bad(`has more than ${MAX_CONSISTENCY_ENTRIES} entries`);
	const entries: VerifiedConsistency[] = [];
	for (let i = 0; i < list.length; i++) {
		const entry: unknown = list[i];
		if (!isJsonObject(entry)) return bad(`entry ${i} is not an object`);
		const treeSize = member(entry, 'treeSize');
		const rootB64 = member(entry, 'rootHash');
		const proof = member(entry, 'proof');
		if (!isIndex(treeSize) || treeSize === 0) return bad(`entry ${i} has no treeSize that is a positive integer`);
		const previous = entries[entries.length - 1];
		// One entry per size, in order: a receiver looks a size up once and cannot be shown two roots for it.
		if (previous && treeSize <= previous.treeSize) return bad(`entry ${i} is not in increasing order of treeSize`);
		const rootHash = decodeFixed(rootB64, HASH_SIZE);
		if (!rootHash || typeof rootB64 !== 'string') return bad(`entry ${i} rootHash is not base64url of a ${HASH_SIZE}-byte hash`);
		if (!Array.isArray(proof) || proof.length > MAX_PROOF_LENGTH) return bad(`entry ${i} proof is not an array of at most ${MAX_PROOF_LENGTH} hashes`);
		const nodes: Uint8Array[] = [];
		for (let j = 0; j < proof.length; j++) {
			const node = decodeFixed(proof[j], HASH_SIZE);
			if (!node) return bad(`entry ${i} proof node ${j} is not base64url of a ${HASH_SIZE}-byte hash`);
			nodes.push(node);
		}
		entries.push({ treeSize, rootHash, rootHashB64: rootB64, proof: nodes });
	}
	return entries;
}

/** Most attachments one bundle may carry. */
const MAX_ATTACHMENTS = 100_000;

/** A carried attachment, decoded, not yet checked against its hash. */
interface CarriedAttachment {
	sha256: string;
	bytes: Uint8Array;
}

function readAttachments(list: unknown): CarriedAttachment[] {
	const bad = (why: string): never => {
		throw new CasetrailError('malformed', `The bundle's attachments ${why}; the bundle was damaged or not written by Casetrail.`);
	};
	// Absent: the events reference no attachment (checked in step 11).
	if (list === undefined) return [];
	if (!Array.isArray(list)) return bad('member is not an array');
	if (list.length > MAX_ATTACHMENTS) return bad(`has more than ${MAX_ATTACHMENTS} entries`);
	const seen = new Set<string>();
	const out: CarriedAttachment[] = [];
	for (let i = 0; i < list.length; i++) {
		const entry: unknown = list[i];
		if (!isJsonObject(entry)) return bad(`entry ${i} is not an object`);
		const hash = member(entry, 'sha256');
		const data = member(entry, 'data');
		if (typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash)) return bad(`entry ${i} has no sha256 of 64 lowercase hex digits`);
		if (seen.has(hash)) return bad(`entry ${i} carries attachment ${hash.slice(0, 12)}… a second time`);
		seen.add(hash);
		if (typeof data !== 'string' || data.length > Math.ceil((MAX_ATTACHMENT_BYTES * 4) / 3)) return bad(`entry ${i} data is not base64url of at most ${MAX_ATTACHMENT_BYTES} bytes`);
		let bytes: Uint8Array;
		try {
			bytes = base64urlToBytes(data);
		} catch {
			return bad(`entry ${i} data is not base64url`);
		}
		out.push({ sha256: hash, bytes });
	}
	return out;
}

/**
 * The carried bytes of the attachments `events` reference: 'attachment-mismatch' for carried bytes
 * whose hash is not the one they are carried under, or whose length is not the size a reference
 * says; 'attachment-missing' for a reference whose bytes are not carried. Carried attachments no
 * event references are left out.
 */
function checkAttachments(events: readonly CasetrailEvent[], carried: readonly CarriedAttachment[]): Uint8Array[] {
	const byHash = new Map<string, Uint8Array>();
	for (const { sha256, bytes } of carried) {
		const actual = attachmentHash(bytes);
		if (actual !== sha256) {
			throw new CasetrailError(
				'attachment-mismatch',
				`The bundle carries attachment ${sha256.slice(0, 12)}…, but its bytes hash to ${actual.slice(0, 12)}…: a photo or signature was changed after it was recorded. Do not import it; ask for a fresh export.`
			);
		}
		byHash.set(sha256, bytes);
	}
	const out: Uint8Array[] = [];
	for (const ref of eventReferences(events)) {
		const bytes = byHash.get(ref.sha256);
		if (!bytes) {
			throw new CasetrailError(
				'attachment-missing',
				`An event of the bundle references attachment ${ref.sha256.slice(0, 12)}… (${ref.mediaType}), which the bundle does not carry. The whole bundle is rejected; ask the sender to export again with a current Casetrail.`
			);
		}
		if (bytes.length !== ref.size) {
			throw new CasetrailError(
				'attachment-mismatch',
				`An event says attachment ${ref.sha256.slice(0, 12)}… has ${ref.size} bytes, but the bundle carries ${bytes.length}. Do not import it; ask for a fresh export.`
			);
		}
		out.push(bytes);
	}
	return out;
}

function readEvents(events: unknown): JsonObject[] {
	if (!Array.isArray(events)) {
		throw new CasetrailError('malformed', 'The bundle has no events array; the bundle was damaged or not written by Casetrail.');
	}
	for (let i = 0; i < events.length; i++) {
		if (!isJsonObject(events[i])) {
			throw new CasetrailError('malformed', `Entry ${i} of the bundle's events is not a JSON object; the bundle was damaged or not written by Casetrail.`);
		}
	}
	return events as JsonObject[];
}

/** "Event 12 (guid …)" for messages; the guid is shown only when it is a short printable string. */
function describeEvent(event: JsonObject, position: number): string {
	const guid = member(event, 'guid');
	return typeof guid === 'string' && guid.length > 0 && guid.length <= 80 && !/[\p{C}]/u.test(guid)
		? `Event ${guid} (log position ${position})`
		: `The event at log position ${position}`;
}

