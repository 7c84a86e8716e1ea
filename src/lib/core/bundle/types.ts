/**
 * The signed bundle and its checkpoint, as spec/bundle-format.md (version 1) and
 * docs/bundle-format-v2.md (version 2: consistency proofs from earlier checkpoints) define them: the
 * shapes a device writes when it exports events and a verifier accepts when it imports them.
 */
import type { CasetrailEvent } from '../event';

/** The `format` member of every bundle. */
export const BUNDLE_FORMAT = 'casetrail.bundle';
/** The bundle `version` this code writes: 2, which adds consistency proofs to version 1. */
export const BUNDLE_VERSION = 2;
/** Every bundle `version` this code reads. */
export const BUNDLE_VERSIONS = [1, 2] as const;
/** A bundle version this code reads. */
export type BundleVersion = (typeof BUNDLE_VERSIONS)[number];
/** Most consistency entries a version 2 bundle may carry: one per export the device signed. */
export const MAX_CONSISTENCY_ENTRIES = 100_000;
/** The `typ` of a checkpoint's protected header: a signature made for anything else never passes. */
export const CHECKPOINT_TYP = 'casetrail-checkpoint+jws';
/** The one signature algorithm of checkpoints (ECDSA P-256 with SHA-256). */
export const CHECKPOINT_ALG = 'ES256';

/** A P-256 public key as a JWK: exactly the members RFC 7638 hashes into the device id. */
export interface PublicJwk {
	kty: 'EC';
	crv: 'P-256';
	/** base64url, no padding, of the 32-byte x coordinate. */
	x: string;
	/** base64url, no padding, of the 32-byte y coordinate. */
	y: string;
}

/** What signs checkpoints: the device's non-extractable private key and its public half as a JWK. */
export interface BundleSigner {
	privateKey: CryptoKey;
	publicJwk: PublicJwk;
}

/** The signed tree head: the payload of a checkpoint JWS, before canonicalization. */
export interface CheckpointPayload {
	/** RFC 7638 SHA-256 thumbprint (base64url) of the signing key. */
	deviceId: string;
	/** Number of leaves the root covers. */
	treeSize: number;
	/** base64url, no padding, of the 32-byte RFC 6962 root. */
	rootHash: string;
	/** ISO 8601 UTC instant at which the device signed. */
	issuedAt: string;
}

/** Where the events of a bundle sit in the device's log. */
export interface BundleLog {
	deviceId: string;
	/** Log index of the first event in the bundle. */
	from: number;
	/** Compact range of leaves [0, from): perfect-subtree roots, largest first, base64url. */
	prefix: string[];
}

/**
 * One entry of a version 2 bundle's `consistency` list: the RFC 9162 consistency proof from the
 * tree of `treeSize` leaves, for which the device signed a checkpoint before, to the tree the
 * bundle's checkpoint signs. The proof binds `rootHash` to the signed root, so it is not signed itself.
 */
export interface ConsistencyEntry {
	/** A tree size the device signed a checkpoint for, smaller than the bundle's tree size. */
	treeSize: number;
	/** base64url, no padding, of the 32-byte root of the first `treeSize` leaves. */
	rootHash: string;
	/** The consistency proof, nodes in RFC 9162 order, each base64url of 32 bytes. */
	proof: string[];
}

/** A bundle as it travels (JSON). */
export type Bundle = BundleV1 | BundleV2;

/** Version 1 (spec/bundle-format.md). */
export interface BundleV1 {
	format: typeof BUNDLE_FORMAT;
	version: 1;
	log: BundleLog;
	/** The device's leaves `from .. from + events.length - 1`, in log order. */
	events: CasetrailEvent[];
	/** The checkpoint: a JWS in compact serialization. */
	checkpoint: string;
}

/**
 * One attachment carried by a version 2 bundle (docs/bundle-format-v2.md, "Attachments"): the bytes
 * of a photo or signature an event of the bundle references, named by their SHA-256.
 */
export interface BundleAttachment {
	/** 64 lowercase hex digits: SHA-256 of the bytes, as the events' references name it. */
	sha256: string;
	/** base64url, no padding, of the bytes. */
	data: string;
}

/** Version 2 (docs/bundle-format-v2.md): version 1 plus consistency proofs from earlier checkpoints. */
export interface BundleV2 extends Omit<BundleV1, 'version'> {
	version: 2;
	/** One entry per tree size the device signed a checkpoint for below this one, smallest first. */
	consistency: ConsistencyEntry[];
	/** The bytes of every attachment the events reference, each once; absent when they reference none. */
	attachments?: BundleAttachment[];
}

/** A consistency entry that passed verification: its proof leads from its root to the signed root. */
export interface VerifiedConsistency {
	treeSize: number;
	rootHash: Uint8Array;
	rootHashB64: string;
	proof: Uint8Array[];
}

/** Everything a verifier learned from a bundle that passed every check. */
export interface VerifiedBundle {
	/** The format version the bundle was written in. */
	version: BundleVersion;
	deviceId: string;
	publicJwk: PublicJwk;
	treeSize: number;
	rootHash: Uint8Array;
	rootHashB64: string;
	from: number;
	/** The compact range [0, from), decoded. */
	prefix: Uint8Array[];
	/** The events, copied out of the input: what was hashed is what the caller gets. */
	events: CasetrailEvent[];
	/** Leaf hash of each event, in the same order. */
	leafHashes: Uint8Array[];
	/** Length in bytes of each event's leaf bytes (its canonical JSON), in the same order. */
	eventBytes: number[];
	issuedAt: string;
	/** The checkpoint JWS as it was in the bundle, for storing beside the imported events. */
	checkpoint: string;
	/**
	 * Version 2: the roots the signed tree had at each earlier signed size, each proven by its
	 * consistency proof; smallest size first. Empty for version 1.
	 */
	consistency: VerifiedConsistency[];
	/**
	 * Version 2: the bytes of the attachments the events reference, each checked against its hash and
	 * every reference's size; in the order of the bundle. Empty when the events reference none.
	 */
	attachments: Uint8Array[];
}
