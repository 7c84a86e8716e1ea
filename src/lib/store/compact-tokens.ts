/**
 * The version 6 upgrade (issue 20, storage at most 3x the events' bytes): the blind search tokens of
 * sealed entity rows go from 16 hex digits to their 8 bytes, in the row and in the `words` index. A
 * token is the same 64 bits either way, and it is clear on disk already, so the upgrade needs no key:
 * it runs below Dexie and the vault (whose middleware would refuse to touch a sealed row before
 * sign-in), on the raw object store, when the database opens. Plain rows (no vault: tests and
 * benchmarks) keep their words in clear and are left as they are.
 */
import type { Transaction } from 'dexie';
import { hexToBytes } from '../core/encoding';

const HEX_TOKEN = /^[0-9a-f]{16}$/;

/** The stored tokens of a sealed row as bytes, or undefined when there is nothing to change. */
export function compactedWords(row: Record<string, unknown>): Uint8Array[] | undefined {
	if (!(row.sealed instanceof Uint8Array) || !Array.isArray(row.words)) return undefined;
	const words = row.words as unknown[];
	if (!words.some((w) => typeof w === 'string')) return undefined;
	// A hex token becomes its bytes; anything else (an edit on disk) is dropped: it could never match.
	return words.filter((w): w is string => typeof w === 'string' && HEX_TOKEN.test(w)).map((w) => hexToBytes(w, 'A search token'));
}

/** Rewrites every sealed entity row whose tokens are hex, in the upgrade's transaction. */
export function compactTokens(tx: Transaction): Promise<void> {
	const idb = tx.idbtrans;
	return new Promise((resolve, reject) => {
		const request = idb.objectStore('entities').openCursor();
		request.onerror = () => reject(request.error ?? new Error('The entities could not be read for the upgrade.'));
		request.onsuccess = () => {
			const cursor = request.result;
			if (!cursor) {
				resolve();
				return;
			}
			const row = cursor.value as Record<string, unknown>;
			const words = compactedWords(row);
			if (words !== undefined) cursor.update({ ...row, words });
			cursor.continue();
		};
	});
}
