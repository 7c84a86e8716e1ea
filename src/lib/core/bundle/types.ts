/**
 * The signed bundle and its checkpoint, as spec/bundle-format.md (version 1) defines them: the
 * shapes a device writes when it exports events and a verifier accepts when it imports them.
 */
import type { CasetrailEvent } from '../event';

/** The `format` member of every bundle. */
export const BUNDLE_FORMAT = 'casetrail.bundle';
/** The only bundle `version` this code reads and writes. */
export const BUNDLE_VERSION = 1;
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

/** A bundle as it travels (JSON). */
export interface Bundle {
	format: typeof BUNDLE_FORMAT;
	version: typeof BUNDLE_VERSION;
	log: BundleLog;
	/** The device's leaves `from .. from + events.length - 1`, in log order. */
	events: CasetrailEvent[];
	/** The checkpoint: a JWS in compact serialization. */
	checkpoint: string;
}

/** Everything a verifier learned from a bundle that passed every check. */
export interface VerifiedBundle {
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
}
