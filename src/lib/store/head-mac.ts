/**
 * The authenticated head (issue 14): the head of the log (its size, compact range, counters and the
 * summary of this device's signed checkpoints) carries an HMAC-SHA-256 under a key derived from the
 * data key. Someone holding the disk can delete the last events and write a head that matches the
 * shorter log, but not its MAC, so the integrity check, the rebuild and the export see the edit
 * instead of trusting it (ARCHITECTURE invariant 10).
 *
 * Synchronous (@noble/hashes), because the head is written inside the append's transaction. Only a
 * database with a vault has a data key; without one (tests, benchmarks) heads carry no MAC.
 *
 * A whole earlier copy of the database, head and MAC included, is authentic: a MAC cannot tell an
 * old state from the current one. Peers that hold later checkpoints of this device can.
 */
import { hkdf } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { canonicalBytes } from '../core/canonical';
import { CasetrailError } from '../core/errors';
import { bytesToBase64url, equalBytes } from '../core/encoding';
import type { CasetrailDb, HeadValue } from './db';
import { vaultOf } from './vault';

const MAC_INFO = new TextEncoder().encode('casetrail head mac v1');

// The MAC key of a vault's current session (its lock bumps the epoch): derived once per session.
const keys = new WeakMap<object, { epoch: number; key: Uint8Array }>();

/** The MAC key of the signed-in session, undefined without a vault; 'not-signed-in' when locked. */
function macKey(db: CasetrailDb): Uint8Array | undefined {
	const vault = vaultOf(db);
	if (!vault) return undefined;
	const dataKey = vault.dataKey();
	const epoch = vault.currentEpoch();
	const cached = keys.get(vault);
	if (cached && cached.epoch === epoch) return cached.key;
	const key = macKeyOf(dataKey);
	keys.set(vault, { epoch, key });
	return key;
}

function macKeyOf(dataKey: Uint8Array): Uint8Array {
	return hkdf(sha256, dataKey, undefined, MAC_INFO, 32);
}

/** The refusal of a write that would extend a head written without the data key. */
export function forgedHead(): CasetrailError {
	return new CasetrailError(
		'history-inconsistent',
		'Nothing was stored: the head of the log was changed in the device storage without this device’s key (for example to hide removed events). A supervisor runs the integrity check.'
	);
}

/** The bytes the MAC covers: the canonical JSON of every member but the MAC, hashes as base64url. */
function macInput(head: HeadValue): Uint8Array {
	const { size, frontier, bytes, types, signed } = head;
	return canonicalBytes({ head: { size, frontier: frontier.map(bytesToBase64url), bytes, types, ...(signed ? { signed } : {}) } });
}

/** `head` with its MAC, for writing; as it is in a database without a vault. */
export function authenticateHead(db: CasetrailDb, head: HeadValue): HeadValue {
	const { mac: _old, ...rest } = head;
	const key = macKey(db);
	return key ? withMac(key, rest) : rest;
}

function withMac(key: Uint8Array, head: Omit<HeadValue, 'mac'>): HeadValue {
	return { ...head, mac: hmac(sha256, key, macInput(head)) };
}

/**
 * `head` with a MAC under `dataKey`, for the one sign-in that upgrades a device set up before heads
 * had MACs (store/users.ts): whatever head it holds then is trusted on that first use.
 */
export function adoptHead(dataKey: Uint8Array, head: HeadValue): HeadValue {
	const { mac: _old, ...rest } = head;
	return withMac(macKeyOf(dataKey), rest);
}

/** What is known of a stored head: 'authentic' (its MAC verifies), 'forged' (it does not, or is missing), 'unchecked' (no vault). */
export type HeadAuthenticity = 'authentic' | 'forged' | 'unchecked';

/**
 * Whether the stored `head` was written with this device's data key. An absent head is authentic
 * only over an empty log: deleting the head of a log that has events is an edit, not a new device.
 * Reads the events table when the head is absent, so run it inside a transaction that includes
 * events (or none). Throws 'not-signed-in' when the vault is locked.
 */
export async function headAuthenticity(db: CasetrailDb, head: HeadValue | undefined): Promise<HeadAuthenticity> {
	const key = macKey(db);
	if (!key) return 'unchecked';
	if (!head) return (await db.events.limit(1).count()) > 0 ? 'forged' : 'authentic';
	if (!(head.mac instanceof Uint8Array)) return 'forged';
	return equalBytes(hmac(sha256, key, macInput(head)), head.mac) ? 'authentic' : 'forged';
}
