/**
 * The index behind "the households this person belongs to": every entity row with members carries
 * `memberGuids`, the guids of its current members, under the multi-entry index `*memberGuids`
 * (schema version 4). An individual's page then looks its households up in that index instead of
 * reading every add-member event of the log, which took seconds at 100,000 events.
 *
 * Rows written before version 4 get the field from the upgrade, except rows sealed by the vault:
 * the upgrade runs when the database opens, before anyone has signed in, so it cannot open them.
 * It leaves a marker in `meta` instead, and {@link completeMemberIndex} fills those rows the first
 * time a signed-in user needs the index.
 */
import type { Transaction } from 'dexie';
import type { Entity } from '../core/appliers';
import type { CasetrailDb, EntityRow, MemberIndexValue } from './db';

/** The `meta` key of the marker left by the upgrade: sealed rows still lack `memberGuids`. */
export const MEMBER_INDEX_PENDING = 'memberIndex';

/** The guids of `entity`'s current members, or undefined for an entity that has no member list. */
export function memberGuidsOf(entity: Entity | undefined): string[] | undefined {
	return entity?.members?.map((m) => m.guid);
}

/**
 * The version 4 upgrade: gives every stored entity row with members its `memberGuids`. It works
 * below Dexie, on the raw object store, because with a vault installed the middleware would refuse
 * to read a sealed row before sign-in and so abort the upgrade (and the database would not open).
 * Plain rows are filled here; when any sealed row exists the marker is written instead of them.
 */
export function fillMemberGuids(tx: Transaction): Promise<void> {
	const idb = tx.idbtrans;
	return new Promise((resolve, reject) => {
		let sealedRows = false;
		const request = idb.objectStore('entities').openCursor();
		request.onerror = () => reject(request.error ?? new Error('The entities could not be read for the upgrade.'));
		request.onsuccess = () => {
			const cursor = request.result;
			if (!cursor) {
				if (sealedRows) {
					const marker: { key: string; value: MemberIndexValue } = { key: MEMBER_INDEX_PENDING, value: { pending: true } };
					idb.objectStore('meta').put(marker);
				}
				resolve();
				return;
			}
			const row = cursor.value as Record<string, unknown>;
			if (row.sealed instanceof Uint8Array) sealedRows = true;
			else {
				const guids = memberGuidsOf(row.entity as Entity | undefined);
				if (guids) cursor.update({ ...row, memberGuids: guids });
			}
			cursor.continue();
		};
	});
}

/**
 * Fills `memberGuids` on the rows the upgrade could not open, once, if the upgrade left its marker;
 * otherwise costs one `meta` read. Needs a signed-in vault when the rows are sealed. Reads every
 * entity row in one transaction, writes only the rows that lack the field, then drops the marker,
 * so a second tab doing the same finds nothing left to do. Callers wrap it in `guarded` (errors.ts
 * imports db.ts, which imports this module for its upgrade).
 */
export async function completeMemberIndex(db: CasetrailDb): Promise<void> {
	if (!(await db.meta.get(MEMBER_INDEX_PENDING))) return;
	await db.transaction('rw', [db.entities, db.meta], async () => {
		if (!(await db.meta.get(MEMBER_INDEX_PENDING))) return;
		const filled: EntityRow[] = [];
		await db.entities.each((row) => {
			if (row.memberGuids !== undefined) return;
			const guids = memberGuidsOf(row.entity);
			if (guids) filled.push({ ...row, memberGuids: guids });
		});
		if (filled.length > 0) await db.entities.bulkPut(filled);
		await db.meta.delete(MEMBER_INDEX_PENDING);
	});
}
