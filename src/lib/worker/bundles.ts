/**
 * The worker API for bundles (issue 7, spec/bundle-format.md): export this device's log as a signed
 * bundle, verify a bundle without importing it, import one, the devices seen, and this device's
 * identity and export status.
 *
 * Exports stream the log in batches and report progress, so 100,000 events never freeze the page
 * (the work is in the worker, and the page hears about it as it goes). WebCrypto (signing and
 * verifying) always runs outside IndexedDB transactions.
 */
import { CasetrailError, type ErrorData, type Result } from '../core/errors';
import { assertCan, requireUser } from '../core/access';
import { MAX_CHECKPOINT_LENGTH, signCheckpoint } from '../core/bundle/checkpoint';
import { MAX_BUNDLE_TEXT } from '../core/bundle/json';
import { BUNDLE_FORMAT, BUNDLE_VERSION, type BundleVersion, type PublicJwk, type VerifiedBundle } from '../core/bundle/types';
import { BUNDLE_LIMITS, verifyReceivedBundle, verifyReceivedBundleResult } from '../core/bundle/limits';
import { bytesToBase64url, equalBytes } from '../core/encoding';
import { CompactRange, digest, leafHash } from '../core/merkle';
import type { EventRow } from '../store/db';
import { project } from '../core/projection';
import { readOtherwise } from '../core/read-otherwise';
import { getRootAt, getTreeHead } from '../store/read';
import { vaultOf } from '../store/vault';
import { eventChunks } from '../store/event-reader';
import { attachmentBytesUsed, getAttachments } from '../store/attachments';
import { referencesIn, type AttachmentRef } from '../core/attachments';
import { isPlainObject } from '../core/event';
import { bitLength } from '../core/merkle/bits';
import { assertAuthenticHead, consistencyForExport, signedCheckpoints } from './history';
import { getExportStatus, planExport, recordExport, type ExportStart, type ExportStatus } from '../store/exports';
import {
	bundleNodes,
	importVerifiedBundle,
	type TreeNode,
	listDevices,
	previewBundle,
	type Conflict,
	type DeviceView,
	type LeafRange,
	type MissingProof,
	type PeerPreview
} from '../store/peers';
import { longResult, result, type WorkerContext } from './context';
import type { ImportProgress } from '../store/import';
import { deviceIdentity, deviceSigner, shortDeviceId } from './device';
import { describeUsers } from './recorders';

/** Options of an export. */
export interface ExportOptions {
	/** The whole log ('start', default) or everything since the last export ('last-export'). */
	start?: ExportStart;
	/**
	 * Longest bundle text, in UTF-16 code units; default the most a verifier reads (64 MiB). A log
	 * that does not fit is exported up to where it does, and the next "since the last export"
	 * bundle carries on from there.
	 */
	maxLength?: number;
	/** Most events in the bundle, likewise; default the most a receiver accepts (BUNDLE_LIMITS.events). */
	maxEvents?: number;
	/** Events read per batch (default 5000): the granularity of progress. */
	batchSize?: number;
}

/** How far an export is: events read so far of the events it will carry at most. */
export interface ExportProgress {
	done: number;
	total: number;
}

/** A finished export. */
export interface ExportResult {
	/** `casetrail-<short device id>-<tree size>.json`. */
	fileName: string;
	/** The bundle text as a JSON file. */
	blob: Blob;
	deviceId: string;
	from: number;
	treeSize: number;
	events: number;
	/** Length of the text in UTF-16 code units. */
	length: number;
	rootHash: string;
	issuedAt: string;
	/** Events of the log not in this bundle because it reached `maxLength`; 0 when it is complete. */
	remaining: number;
}

/** What verifying a bundle (without importing it) found. */
export type BundleSummary =
	| { valid: false; error: ErrorData }
	| {
			valid: true;
			deviceId: string;
			shortId: string;
			/** 'own': signed by this device; 'new': never seen here; 'known': seen before. */
			relation: PeerPreview['relation'];
			from: number;
			treeSize: number;
			events: number;
			/** Entities the bundle's events create when projected on their own. */
			entities: number;
			/** Distinct entities the events touch (updates of entities created earlier included). */
			entitiesTouched: number;
			issuedAt: string;
			rootHash: string;
			/** Leaf ranges of that device's log that would still be missing here after importing it. */
			missing: LeafRange[];
			/** Where it contradicts what the device sent before: importing it would be refused. */
			conflict: Conflict | undefined;
			/** A checkpoint seen before that it proves nothing about: importing it would be refused. */
			missingProof: MissingProof | undefined;
			/** The bundle format version it was written in. */
			version: BundleVersion;
	  };

export type { ImportProgress } from '../store/import';

/** The phases of an import, reported as they start. */
export type ImportPhase = 'reading' | 'verifying' | 'checking' | 'importing';

/** A finished import. */
export interface ImportResult {
	deviceId: string;
	shortId: string;
	relation: PeerPreview['relation'];
	from: number;
	treeSize: number;
	/** Events in the bundle. */
	events: number;
	/** Events newly appended to this device's log. */
	appended: number;
	/** Events already here with the same content: skipped. */
	skipped: number;
	/** Appended events that did not change their entity (they stay in the log). */
	notApplied: number;
	/** Size of this device's log after the import. */
	size: number;
	/** Leaf ranges of the sending device's log never received here: a gap, not a fork. */
	missing: LeafRange[];
}

/** This device's identity, for settings. */
export interface DeviceInfo {
	deviceId: string;
	shortId: string;
	publicJwk: PublicJwk;
	createdAt: string;
	/** The key was made before keys were sealed: its private part is readable on disk (device.ts). */
	legacyKey: boolean;
}

/** This device's export status, for the home page. */
export interface ExportStatusView extends ExportStatus {
	deviceId: string;
	/** The photos and signatures stored here: how many and their bytes (before sealing). */
	attachments: { count: number; bytes: number };
}

const utf8 = new TextEncoder();
/** Room kept for the closing members (the checkpoint) when a bundle's length is capped. */
const TRAILER_ROOM = MAX_CHECKPOINT_LENGTH + 64;

/**
 * Calls a progress callback without waiting for it: across Comlink it is a message to the page,
 * and a page that went away must not stop the work.
 */
function report<T>(callback: ((value: T) => unknown) | undefined, value: T): void {
	if (!callback) return;
	try {
		void Promise.resolve(callback(value)).catch(() => undefined);
	} catch {
		// A callback that throws is the page's problem, not the export's.
	}
}

/**
 * Room kept for the consistency list of a bundle whose tree has at most `size` leaves, with one
 * entry per signed checkpoint: a proof has at most 2·bitLength(size) nodes of 46 characters.
 */
function consistencyRoom(checkpoints: number, size: number): number {
	return checkpoints * (96 + 46 * 2 * (bitLength(size) + 1));
}

/** Characters an attachment of `size` bytes takes in a bundle: its base64url and its entry. */
function attachmentLength(size: number): number {
	return Math.ceil((size * 4) / 3) + 96;
}

/** The attachment references of an event's canonical JSON (parsed only when it may hold one). */
function referencesOf(canonical: string): AttachmentRef[] {
	if (!canonical.includes('"sha256"')) return [];
	const event: unknown = JSON.parse(canonical);
	return isPlainObject(event) ? referencesIn(event.data) : [];
}

/**
 * A bundle as read: its text and the SHA-256 (base64url) of the bytes that text was decoded from,
 * or undefined for a string that has no exact UTF-8 form (a lone surrogate: two such strings could
 * encode to the same bytes).
 */
interface ReadBundle {
	/** The text, decoded when first asked for (an import of bytes verified before needs none). */
	text(): string;
	digest: string | undefined;
}

/** False for a string holding a lone surrogate, whose UTF-8 encoding would replace it. */
function wellFormed(text: string): boolean {
	const check = (text as { isWellFormed?: () => boolean }).isWellFormed;
	return typeof check === 'function' ? check.call(text) : !/[\uD800-\uDFFF]/.test(text.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ''));
}

/**
 * The bundle text, from a string or a file, with the digest of its bytes (a string: of its UTF-8).
 * A file too large to be a bundle is not read at all. A file's text is its bytes decoded as
 * `Blob.text()` does (UTF-8, a leading byte order mark dropped, a bad sequence replaced), so the text
 * is a function of the bytes the digest names. WebCrypto digests outside any transaction.
 */
async function readBundle(input: string | Blob): Promise<ReadBundle> {
	let bytes: Uint8Array<ArrayBuffer>;
	let text: () => string;
	if (typeof input === 'string') {
		text = () => input;
		if (!wellFormed(input)) return { text, digest: undefined };
		bytes = utf8.encode(input);
	} else {
		// MAX_BUNDLE_TEXT counts UTF-16 code units, and each takes at most 3 bytes of UTF-8.
		if (input.size > 3 * MAX_BUNDLE_TEXT) {
			throw new CasetrailError('malformed', `The bundle is larger than ${MAX_BUNDLE_TEXT / 1024 / 1024} MiB; split the export into smaller bundles.`);
		}
		const read = new Uint8Array(await input.arrayBuffer());
		bytes = read;
		text = () => new TextDecoder('utf-8').decode(read);
	}
	const digest = bytesToBase64url(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)));
	return { text, digest };
}

/** A verified bundle, with the Merkle nodes of its leaves when they were computed already (bundleNodes). */
interface Verified {
	verified: VerifiedBundle;
	nodes: TreeNode[] | undefined;
}

/** How long a bundle verified by "verify before import" is kept for its import. */
export const VERIFIED_BUNDLE_KEPT_MS = 10 * 60_000;

/**
 * The last bundle "verify before import" found valid, kept for the import that usually follows, so
 * a bundle is not verified twice (7 s of a 21 s re-import of 100,000 events: bench/README.md). It is
 * used only for the very bytes it was verified from (the import reads the file again and compares
 * the SHA-256 of its bytes), by the same user, once, and not after the session ends (sign-out or
 * lock); verification depends on those bytes alone.
 */
class VerifiedMemory {
	private kept: { digest: string; userId: string; verified: Verified; timer: ReturnType<typeof setTimeout> } | undefined;

	keep(digest: string, userId: string, verified: Verified): void {
		this.forget();
		const timer = setTimeout(() => this.forget(), VERIFIED_BUNDLE_KEPT_MS);
		// Where timers keep a process alive (Node), this one does not.
		(timer as { unref?: () => void }).unref?.();
		this.kept = { digest, userId, verified, timer };
	}

	/** The bundle verified from bytes of this digest by this user, handed out once; undefined otherwise. */
	take(digest: string | undefined, userId: string): Verified | undefined {
		const kept = this.kept;
		this.forget();
		return kept && digest !== undefined && kept.digest === digest && kept.userId === userId ? kept.verified : undefined;
	}

	forget(): void {
		if (this.kept) clearTimeout(this.kept.timer);
		this.kept = undefined;
	}
}

/**
 * Reads and verifies a bundle, or takes the result "verify before import" kept for the same bytes.
 * A function of its own, so the bundle text is garbage once verified and does not stay alive through
 * the import (43 MB at 100,000 events).
 */
async function readAndVerify(input: string | Blob, userId: string, memory: VerifiedMemory, onPhase: ((phase: ImportPhase) => unknown) | undefined): Promise<Verified> {
	report(onPhase, 'reading');
	const read = await readBundle(input);
	report(onPhase, 'verifying');
	const kept = memory.take(read.digest, userId);
	return kept ?? { verified: await verifyReceivedBundle(read.text()), nodes: undefined };
}

/** Bundle export, verification and import, and the device's identity. */
export function bundlesApi(ctx: WorkerContext) {
	const { db } = ctx;
	const verifiedMemory = new VerifiedMemory();
	// A colleague's records, verified: forgotten with the session, as unsaved photos are.
	vaultOf(db)?.onLock(() => verifiedMemory.forget());

	return {
		/** This device's id and public key, made on first use. */
		deviceInfo(): Promise<Result<DeviceInfo>> {
			return result(async () => {
				requireUser(ctx.user());
				const identity = await deviceIdentity(db, ctx.now);
				return { deviceId: identity.deviceId, shortId: shortDeviceId(identity.deviceId), publicJwk: identity.publicJwk, createdAt: identity.createdAt, legacyKey: identity.legacyKey };
			});
		},

		/** Events not yet exported and days since the last export. */
		exportStatus(): Promise<Result<ExportStatusView>> {
			return result(async () => {
				assertCan(ctx.user(), 'read');
				const [identity, status, attachments] = await Promise.all([deviceIdentity(db, ctx.now), getExportStatus(db, ctx.now()), attachmentBytesUsed(db)]);
				return { deviceId: identity.deviceId, ...status, attachments };
			});
		},

		/**
		 * Exports the whole log or everything since the last export as a signed bundle, reading the
		 * log in batches and calling `onProgress` after each. Marks the exported events and
		 * remembers the export. The checkpoint is signed only over a root recomputed from the
		 * exported bytes that equals the root the store holds. First the log describes this device's
		 * users where it does not yet say their current name and role (recorders.ts), so the bundle
		 * names who recorded its events.
		 */
		exportBundle(options: ExportOptions = {}, onProgress?: (progress: ExportProgress) => unknown): Promise<Result<ExportResult>> {
			return longResult(ctx, async () => {
				assertCan(ctx.user(), 'export');
				const maxLength = options.maxLength ?? MAX_BUNDLE_TEXT;
				const maxEvents = options.maxEvents ?? BUNDLE_LIMITS.events;
				if (!Number.isSafeInteger(maxEvents) || maxEvents < 1) throw new CasetrailError('out-of-range', `A bundle holds a whole number >= 1 of events, not ${String(maxEvents)}.`);
				const batchSize = options.batchSize ?? 5000;
				// The signer first: a locked device (or one whose key does not open) exports nothing.
				const identity = await deviceSigner(db, ctx.now);
				await assertAuthenticHead(db);
				// The names and roles of this device's users travel in the bundle (recorders.ts).
				await describeUsers(ctx);
				const { from, size, prefix } = await planExport(db, options.start ?? 'start');
				const signed = await signedCheckpoints(db, identity.deviceId);

				const head = `{"format":${JSON.stringify(BUNDLE_FORMAT)},"version":${BUNDLE_VERSION},"log":${JSON.stringify({
					deviceId: identity.deviceId,
					from,
					prefix: prefix.map(bytesToBase64url)
				})},"events":[`;
				// Built as a list of parts and handed out as a Blob: no single 50 MB string is needed.
				const parts: string[] = [head];
				let length = head.length + TRAILER_ROOM + consistencyRoom(signed.length, size);
				const range = new CompactRange(from, prefix);
				const carried = new Set<string>();
				const sizeOf = new Map<string, number>();
				let end = from;
				let full = false;
				report(onProgress, { done: 0, total: size - from });
				if (size > from) {
					// Sealed rows are opened with WebCrypto outside the read transactions (event-reader.ts).
					for await (const { rows, leaves } of eventChunks(db, from, size, batchSize)) {
						const texts: string[] = [];
						for (let k = 0; k < rows.length; k++) {
							const stored = rows[k] as EventRow;
							if (stored.seq !== end) throw new CasetrailError('storage-failed', `Event ${end} is missing from the log; nothing was exported. Run the integrity check.`);
							// The photos and signatures it references travel with it, each once per bundle.
							const refs = referencesOf(stored.canonical).filter((r) => !carried.has(r.sha256));
							const added = stored.canonical.length + (end > from ? 1 : 0) + refs.reduce((sum, r) => sum + attachmentLength(r.size), 0);
							if (length + added > maxLength || end - from >= maxEvents) {
								full = true;
								break;
							}
							texts.push(stored.canonical);
							for (const r of refs) {
								carried.add(r.sha256);
								sizeOf.set(r.sha256, r.size);
							}
							// The leaf hashed from the bytes that were opened (the text's UTF-8), else from the text.
							const leaf = leaves?.[k];
							range.append(leaf ? digest(leaf) : leafHash(utf8.encode(stored.canonical)));
							length += added;
							end++;
						}
						if (texts.length > 0) parts.push((end - texts.length > from ? ',' : '') + texts.join(','));
						report(onProgress, { done: end - from, total: size - from });
						if (full || end >= size) break;
					}
				}
				if (end === from && size > from && full) {
					throw new CasetrailError('out-of-range', `Event ${from + 1} alone is longer than a bundle may be (${maxLength} characters); nothing was exported.`);
				}
				if (!full && end < size) {
					throw new CasetrailError('storage-failed', `Events ${end + 1} to ${size} are missing from the log; nothing was exported. Run the integrity check.`);
				}
				const root = range.rootHash();
				if (!equalBytes(root, await getRootAt(db, end))) {
					throw new CasetrailError('storage-failed', "The stored events do not hash to the log's root, so nothing was exported. Run the integrity check before exporting.");
				}

				// The export is signed only over a log that extends every checkpoint this device signed
				// before (else 'history-inconsistent'), and carries the proofs of it.
				const current = await getTreeHead(db);
				const consistency = await consistencyForExport(db, signed, end, root, current.size, current.root);

				const issuedAt = ctx.now().toISOString();
				const checkpoint = await signCheckpoint({ treeSize: end, rootHash: root, issuedAt }, identity);
				// Version 2's attachments (docs/spec/bundle-format-v2.md): read (and opened) only now, after
				// the events, so a bundle never holds more than one copy of a photo in memory at a time.
				const hashes = [...carried];
				const attachmentParts: string[] = [];
				for (let i = 0; i < hashes.length; i += 16) {
					const slice = hashes.slice(i, i + 16);
					const bytes = await getAttachments(db, slice);
					slice.forEach((sha256, k) => attachmentParts.push(`{"sha256":"${sha256}","data":"${bytesToBase64url(bytes[k] as Uint8Array)}"}`));
				}
				const attachments = hashes.length > 0 ? `,"attachments":[${attachmentParts.join(',')}]` : '';
				const trailer = `],"consistency":${JSON.stringify(consistency)}${attachments},"checkpoint":${JSON.stringify(checkpoint)}}`;
				parts.push(trailer);
				length += trailer.length - TRAILER_ROOM - consistencyRoom(signed.length, size) - hashes.reduce((sum, h) => sum + attachmentLength(sizeOf.get(h) ?? 0), 0);
				const fileName = `casetrail-${shortDeviceId(identity.deviceId)}-${end}.json`;
				const rootHash = bytesToBase64url(root);
				await recordExport(db, { from, treeSize: end, rootHash, checkpoint, issuedAt, events: end - from, length, fileName });
				return {
					fileName,
					blob: new Blob(parts, { type: 'application/json' }),
					deviceId: identity.deviceId,
					from,
					treeSize: end,
					events: end - from,
					length,
					rootHash,
					issuedAt,
					remaining: size - end
				};
			});
		},

		/**
		 * Verifies a bundle without importing anything: valid or not (with the code and the reason),
		 * the signing device and whether it was seen before, events, entities, the range it covers,
		 * and whether importing it would leave a gap or be refused as a fork.
		 */
		inspectBundle(input: string | Blob): Promise<Result<BundleSummary>> {
			return longResult(ctx, async (): Promise<BundleSummary> => {
				assertCan(ctx.user(), 'verify-bundle');
				const userId = requireUser(ctx.user()).id;
				verifiedMemory.forget();
				let read: ReadBundle;
				try {
					read = await readBundle(input);
				} catch (e) {
					if (e instanceof CasetrailError) return { valid: false, error: e.toData() };
					throw e;
				}
				const verification = await verifyReceivedBundleResult(read.text());
				if (!verification.ok) return { valid: false, error: verification.error };
				const { ok: _ok, ...verified } = verification;
				const nodes = bundleNodes(verification.from, verification.prefix, verification.leafHashes);
				if (read.digest !== undefined) verifiedMemory.keep(read.digest, userId, { verified, nodes });
				const identity = await deviceIdentity(db, ctx.now);
				const preview = await previewBundle(db, verification, identity.deviceId, nodes);
				return {
					valid: true,
					deviceId: verification.deviceId,
					shortId: shortDeviceId(verification.deviceId),
					relation: preview.relation,
					from: verification.from,
					treeSize: verification.treeSize,
					events: verification.events.length,
					entities: project(verification.events).entities.length,
					entitiesTouched: new Set(verification.events.map((e) => e.entityGuid)).size,
					issuedAt: verification.issuedAt,
					rootHash: verification.rootHashB64,
					missing: preview.missing,
					conflict: preview.conflict,
					missingProof: preview.missingProof,
					version: verification.version
				};
			});
		},

		/**
		 * Verifies a bundle, then imports it in one transaction: new events appended (their origin
		 * kept beside them), events already here skipped, a changed event or a fork refusing the
		 * whole bundle. A refused bundle changes nothing (fork evidence apart).
		 */
		importBundle(input: string | Blob, onPhase?: (phase: ImportPhase) => unknown, onProgress?: (progress: ImportProgress) => unknown): Promise<Result<ImportResult>> {
			return longResult(ctx, async () => {
				assertCan(ctx.user(), 'import');
				const { verified, nodes: kept } = await readAndVerify(input, requireUser(ctx.user()).id, verifiedMemory, onPhase);
				const identity = await deviceIdentity(db, ctx.now);
				report(onPhase, 'checking');
				const nodes = kept ?? bundleNodes(verified.from, verified.prefix, verified.leafHashes);
				report(onPhase, 'importing');
				const outcome = await importVerifiedBundle(db, verified, {
					ownDeviceId: identity.deviceId,
					nodes,
					now: ctx.now().toISOString(),
					onProgress: (progress) => report(onProgress, progress)
				});
				if (outcome.append.appended > 0) ctx.announce({ size: outcome.append.size });
				return {
					deviceId: verified.deviceId,
					shortId: shortDeviceId(verified.deviceId),
					relation: outcome.relation,
					from: verified.from,
					treeSize: verified.treeSize,
					events: verified.events.length,
					appended: outcome.append.appended,
					skipped: outcome.append.duplicates,
					// A publish-form event publishes a form (worker/forms.ts): no record is meant to change.
					notApplied: outcome.append.skipped.filter((s) => !readOtherwise(s)).length,
					size: outcome.append.size,
					missing: outcome.missing
				};
			});
		},

		/** The devices whose bundles were imported here, with received and missing ranges and fork evidence. */
		devicesSeen(): Promise<Result<DeviceView[]>> {
			return result(async () => {
				assertCan(ctx.user(), 'verify-bundle');
				return listDevices(db);
			});
		}
	};
}
