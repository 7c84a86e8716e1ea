/**
 * The tables of bundle exchange (issue 7, schema version 3): this device's signing key, the devices
 * whose bundles were imported and what those bundles proved about their logs, fork evidence, and this
 * device's own exports. db.ts adds them to the schema; store/peers.ts and store/exports.ts use them.
 *
 * DO NOT RENAME a table or an index here without a migration: devices in the field hold them.
 */
import type { EntityTable, Table } from 'dexie';
import type { PublicJwk } from '../core/bundle/types';

/** The schema version that adds these tables. */
export const EXCHANGE_SCHEMA_VERSION = 3;

/** The Dexie store definitions of version 3; every table is new, so nothing migrates. */
export const EXCHANGE_STORES = {
	// One row, id 'device': the key pair that signs this device's checkpoints.
	keys: 'id',
	// A device whose bundle was imported, by its id.
	devices: 'deviceId',
	// Every perfect Merkle node of another device's log that a verified bundle determined, by its
	// position in that log: equal positions must keep equal hashes (fork detection).
	peerNodes: '[deviceId+level+index]',
	// Fork evidence: both conflicting checkpoints, listed per device.
	forks: '++id, deviceId',
	// This device's exports; the largest tree size is where "since the last export" starts.
	exports: '++id, treeSize'
} as const;

/** The associated data a device signing key is sealed with: bound to its device id, so a sealed key moved to another device's row does not open. */
export function deviceKeyAad(deviceId: string): string {
	return `device-key:${deviceId}`;
}

/**
 * This device's identity: its ECDSA P-256 key pair. The private key is stored sealed under the data
 * key (worker/device.ts); exactly one of the three private-key members is present.
 */
export interface DeviceKeyRow {
	id: 'device';
	/** RFC 7638 thumbprint of `publicJwk`: the id stamped into every event this device records. */
	deviceId: string;
	publicJwk: PublicJwk;
	/** The PKCS#8 private key sealed under the data key, bound to `device-key:<deviceId>`. */
	sealedPrivateKey?: Uint8Array;
	/** The PKCS#8 private key in clear: only in a database without a vault (tests, benchmarks). */
	pkcs8?: Uint8Array;
	/**
	 * A key made before keys were sealed: a non-extractable CryptoKey, whose private scalar
	 * IndexedDB keeps on disk. It cannot be exported, so it cannot be sealed; kept to keep the id.
	 */
	privateKey?: CryptoKey;
	createdAt: string;
}

/** A checkpoint another device signed, as it arrived in a bundle that passed verification. */
export interface SeenCheckpoint {
	treeSize: number;
	/** base64url of the 32-byte root. */
	rootHash: string;
	issuedAt: string;
	/** The compact JWS, kept whole: it is the device's own signed word, usable as evidence. */
	jws: string;
	/** Log position of the bundle's first event: the bundle carried the leaves [from, treeSize). */
	from: number;
	/** When this device received it. */
	receivedAt: string;
}

/** A device whose bundles were imported here. */
export interface DeviceRow {
	deviceId: string;
	publicJwk: PublicJwk;
	firstSeen: string;
	lastSeen: string;
	/** Every distinct checkpoint imported from it, by tree size (one per size: two would be a fork). */
	checkpoints: SeenCheckpoint[];
	/** 2 once a version 2 bundle of it was imported (not indexed; absent on rows written before). */
	formatVersion?: 2;
}

/** A perfect node (level, index) of another device's log, as a verified bundle determined it. */
export interface PeerNodeRow {
	deviceId: string;
	level: number;
	index: number;
	hash: Uint8Array;
	/** Tree size of the checkpoint whose bundle first determined it: the evidence if it is contradicted. */
	treeSize: number;
}

/** Evidence of a fork: two checkpoints of one device that cannot both describe the same log. */
export interface ForkRow {
	id?: number;
	deviceId: string;
	detectedAt: string;
	/** The plain-words reason given when the bundle was refused. */
	reason: string;
	/** The leaf positions [begin, end) where the two logs disagree. */
	begin: number;
	end: number;
	/** The checkpoint imported earlier. */
	seen: SeenCheckpoint;
	/** The checkpoint of the refused bundle. */
	offered: SeenCheckpoint;
	/**
	 * Version 2: the refused bundle's consistency proof from `seen`'s size to `offered`'s, with the
	 * root it proves there (not `seen`'s root). Absent when the nodes themselves differed.
	 */
	proof?: { treeSize: number; rootHash: string; proof: string[] };
}

/** One export of this device's log. */
export interface ExportRow {
	id?: number;
	/** The bundle carried the leaves [from, treeSize). */
	from: number;
	treeSize: number;
	/** base64url of the signed root. */
	rootHash: string;
	checkpoint: string;
	issuedAt: string;
	events: number;
	/** Length of the bundle text in UTF-16 code units (its size in bytes for ASCII). */
	length: number;
	fileName: string;
}

/** The tables of {@link EXCHANGE_STORES}, typed. */
export interface ExchangeTables {
	keys: Table<DeviceKeyRow, 'device'>;
	devices: Table<DeviceRow, string>;
	peerNodes: Table<PeerNodeRow, [string, number, number]>;
	forks: EntityTable<ForkRow, 'id'>;
	exports: EntityTable<ExportRow, 'id'>;
}
