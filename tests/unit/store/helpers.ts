/**
 * Shared fixtures for the store tests: a fresh fake-indexeddb database per test, event factories
 * and a literal recursive RFC 6962 tree to check roots and proofs against.
 */
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { sha256 } from '@noble/hashes/sha2.js';
import type { CasetrailEvent } from '../../../src/lib/core/event';
import { openDb, type CasetrailDb } from '../../../src/lib/store/db';

let counter = 0;

/** A database name no other test uses. */
export function uniqueName(): string {
	counter += 1;
	return `test-${counter}-${Math.random().toString(36).slice(2)}`;
}

/** A new database with a name no other test uses. */
export function freshDb(): CasetrailDb {
	return openDb(uniqueName(), { indexedDB, IDBKeyRange });
}

/** Closes and deletes a test database. */
export async function dropDb(db: CasetrailDb): Promise<void> {
	db.close();
	await indexedDB.deleteDatabase(db.name);
}

/** Millisecond `ms` after 2026-01-01 as a wire timestamp. */
export function at(ms: number): string {
	return new Date(Date.UTC(2026, 0, 1) + ms).toISOString();
}

let seqGuid = 0;

/** A guid that sorts after every guid made before it (zero-padded counter). */
export function guid(prefix = 'e'): string {
	seqGuid += 1;
	return `${prefix}-${String(seqGuid).padStart(8, '0')}`;
}

export function createIndividual(entityGuid: string, name: string, ms: number, extra: Partial<CasetrailEvent> = {}): CasetrailEvent {
	return { guid: guid(), entityGuid, type: 'create-individual', data: { givenName: name }, timestamp: at(ms), userId: 'u-1', version: 3, ...extra };
}

export function updateIndividual(entityGuid: string, data: Record<string, unknown>, ms: number, extra: Partial<CasetrailEvent> = {}): CasetrailEvent {
	return { guid: guid(), entityGuid, type: 'update-individual', data, timestamp: at(ms), userId: 'u-1', version: 3, ...extra };
}

function leaf(bytes: Uint8Array): Uint8Array {
	return sha256(new Uint8Array([0, ...bytes]));
}

function node(l: Uint8Array, r: Uint8Array): Uint8Array {
	return sha256(new Uint8Array([1, ...l, ...r]));
}

/** RFC 6962 §2.1 MTH, literally recursive: kept here only as the reference to test against. */
export function referenceRoot(leaves: readonly Uint8Array[]): Uint8Array {
	if (leaves.length === 0) return sha256(new Uint8Array(0));
	if (leaves.length === 1) return leaf(leaves[0] as Uint8Array);
	let k = 1;
	while (k * 2 < leaves.length) k *= 2;
	return node(referenceRoot(leaves.slice(0, k)), referenceRoot(leaves.slice(k)));
}

/** RFC 6962 §2.1.1 PATH(m, D[n]), literally recursive. */
export function referencePath(m: number, leaves: readonly Uint8Array[]): Uint8Array[] {
	if (leaves.length <= 1) return [];
	let k = 1;
	while (k * 2 < leaves.length) k *= 2;
	if (m < k) return [...referencePath(m, leaves.slice(0, k)), referenceRoot(leaves.slice(k))];
	return [...referencePath(m - k, leaves.slice(k)), referenceRoot(leaves.slice(0, k))];
}

/** RFC 6962 §2.1.2 PROOF(m, D[n]) via SUBPROOF, literally recursive. */
export function referenceConsistency(m: number, leaves: readonly Uint8Array[]): Uint8Array[] {
	const sub = (m: number, d: readonly Uint8Array[], b: boolean): Uint8Array[] => {
		if (m === d.length) return b ? [] : [referenceRoot(d)];
		let k = 1;
		while (k * 2 < d.length) k *= 2;
		if (m <= k) return [...sub(m, d.slice(0, k), b), referenceRoot(d.slice(k))];
		return [...sub(m - k, d.slice(k), false), referenceRoot(d.slice(0, k))];
	};
	return m === leaves.length ? [] : sub(m, leaves, true);
}

export const utf8 = new TextEncoder();

export { indexedDB, IDBKeyRange };
