/**
 * Issue 20 (7): a single append on the encrypted store does the same work whatever the size of the
 * log: the same requests, the same rows written (one event row, one entity row, the head), nothing
 * read by a scan or a count, and no snapshot of the name order written; the name order held in
 * memory takes the new record in place. Counted at the DBCore level, not timed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { DBCoreMutateRequest, DBCoreTable, Middleware, DBCore } from 'dexie';
import type { CasetrailEvent } from '../../../src/lib/core/event';
import { appendEvents } from '../../../src/lib/store/append';
import type { CasetrailDb } from '../../../src/lib/store/db';
import { nameIndexSaved } from '../../../src/lib/store/name-index';
import { listEntities } from '../../../src/lib/store/read';
import type { Vault } from '../../../src/lib/store/vault';
import { at, dropDb } from './helpers';
import { ALICE, unlockedVaultDb } from './vault-helpers';

const open: CasetrailDb[] = [];
afterEach(async () => {
	for (const db of open.splice(0)) await dropDb(db);
});

/** Every request the store's code makes, as `table.kind` (a write with the number of its rows, and what it writes to meta). */
function countRequests(db: CasetrailDb): string[] {
	const seen: string[] = [];
	const middleware: Middleware<DBCore> = {
		stack: 'dbcore',
		name: 'CountRequests',
		level: 100,
		create(down) {
			return {
				...down,
				table(name: string): DBCoreTable {
					const table = down.table(name);
					return {
						...table,
						get: (req) => (seen.push(`${name}.get`), table.get(req)),
						getMany: (req) => (seen.push(`${name}.getMany(${req.keys.length})`), table.getMany(req)),
						query: (req) => (seen.push(`${name}.query`), table.query(req)),
						openCursor: (req) => (seen.push(`${name}.openCursor`), table.openCursor(req)),
						count: (req) => (seen.push(`${name}.count`), table.count(req)),
						mutate(req: DBCoreMutateRequest) {
							const rows = 'values' in req ? req.values : 'keys' in req ? req.keys : [];
							const keys = name === 'meta' && 'values' in req ? `:${(req.values as { key: string }[]).map((v) => v.key).join(',')}` : '';
							seen.push(`${name}.${req.type}(${rows.length})${keys}`);
							return table.mutate(req);
						}
					};
				}
			};
		}
	};
	db.use(middleware);
	return seen;
}

let n = 0;
function person(i: number): CasetrailEvent {
	n += 1;
	return {
		guid: `ev-${String(n).padStart(7, '0')}`,
		entityGuid: `p-${String(i).padStart(7, '0')}`,
		type: 'create-individual',
		data: { givenName: `Given${String(i % 97)}`, familyName: `Family${String(i % 89)}`, nationalId: `ID-${String(i)}` },
		timestamp: at(n * 1000),
		userId: ALICE.id
	};
}

/** The requests of one single append of a new person at log size `size`, the name order held in memory. */
async function singleAppendAt(size: number): Promise<{ requests: string[]; vault: Vault; db: CasetrailDb; guid: string }> {
	const { db, vault } = unlockedVaultDb(open);
	const requests = countRequests(db);
	for (let i = 0; i < size; i += 500) await appendEvents(db, Array.from({ length: Math.min(500, size - i) }, (_, k) => person(i + k)));
	// The order built and its snapshot saved, as after the first list of a session.
	await listEntities(db, { limit: 10 });
	await nameIndexSaved(db);
	requests.length = 0;
	const event = person(size);
	const { appended } = await appendEvents(db, [event]);
	expect(appended).toBe(1);
	return { requests: [...requests], vault, db, guid: event.entityGuid };
}

describe('single append work against the size of the log', () => {
	it('makes the same requests and writes the same rows at 20 and at 2,000 events', async () => {
		const small = await singleAppendAt(20);
		const large = await singleAppendAt(2000);
		expect(large.requests).toEqual(small.requests);
		// Head and entity read, then one event row, one entity row and the head: no scan, no count, no name snapshot.
		expect([...large.requests].sort()).toEqual(['entities.getMany(1)', 'entities.put(1)', 'events.add(1)', 'meta.get', 'meta.put(1):head'].sort());
		// The name order in memory holds the new record, in its place, for the new log size.
		for (const { vault, db, guid } of [small, large]) {
			const names = vault.cachedNames(((await db.meta.get('head'))?.value as { size: number }).size, 0);
			expect(names).toBeDefined();
			expect(names?.some(([, g]) => g === guid)).toBe(true);
			const sorted = [...(names ?? [])].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
			expect(names).toEqual(sorted);
		}
	}, 60_000);
});
