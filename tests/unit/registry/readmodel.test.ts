/**
 * The registry's read model in SQL, on both databases: every example query of docs/registry.md
 * runs; current entities, households and members, the audit trail with reasons and the state as of
 * any instant are what core's projection (`casetrail show`, `show --at`) gives.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBundleFrom } from '../../../src/lib/core/bundle/build';
import type { CasetrailEvent } from '../../../src/lib/core/event';
import { instantOf } from '../../../src/lib/core/event';
import { project } from '../../../src/lib/core/projection';
import type { Database } from '../../../registry/db';
import { ingestBundle } from '../../../registry/ingest';
import { otherDeviceKeys, VECTORS_DIR } from '../core/bundle/fixtures';
import { backends } from './backends';

// The example queries people copy: docs/registry.md's and the README's.
const DOCS = ['docs/registry.md', 'README.md'].map((f) => readFileSync(fileURLToPath(new URL(`../../../${f}`, import.meta.url)), 'utf8')).join('\n');
const QUERIES = [...DOCS.matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => (m[1] as string).trim());
const FULL = JSON.parse(readFileSync(join(VECTORS_DIR, 'valid-full.json'), 'utf8')) as { events: CasetrailEvent[] };
const json = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

for (const backend of backends()) {
	describe.skipIf(backend.skip !== undefined)(`the read model on ${backend.name}`, () => {
		let db: Database;
		beforeAll(async () => {
			({ db } = await backend.open());
			expect(await ingestBundle(db, JSON.stringify(FULL))).toMatchObject({ ok: true });
		}, 60_000);
		afterAll(() => backend.cleanup());

		it('docs/registry.md and the README have example queries', () => {
			expect(QUERIES.length).toBeGreaterThanOrEqual(11);
		});
		for (const [i, query] of QUERIES.entries()) {
			it(`runs example query ${i + 1} of docs/registry.md and the README, and it returns rows: ${query.split('\n')[0]}`, async () => {
				const rows = await db.query(query);
				// The forks, the carriers and the hash check find nothing in an honest registry.
				if (!/casetrail\.forks|carried_by > 1|leaf_hash <>/.test(query)) expect(rows.length).toBeGreaterThan(0);
			});
		}

		it('lists the individuals and the household members `show` gives', async () => {
			const shown = project(FULL.events).entities;
			const individuals = await db.query<{ guid: string; data: unknown }>('SELECT guid, data FROM casetrail.individuals ORDER BY guid');
			expect(individuals).toEqual(json(shown.filter((e) => e.type === 'individual').map((e) => ({ guid: e.guid, data: e.data }))));
			const members = await db.query('SELECT household_guid, position, member_guid, role FROM casetrail.household_members ORDER BY household_guid, position');
			const groups = shown.filter((e) => e.type === 'group');
			expect(members).toEqual(groups.flatMap((g) => (g.members ?? []).map((m, i) => ({ household_guid: g.guid, position: i + 1, member_guid: m.guid, role: m.role ?? null }))));
		});

		it('keeps the audit trail with the reasons recorded, in replay order', async () => {
			const trail = await db.query<{ type: string; reason: string | null; applied: boolean }>(
				`SELECT type, reason, applied FROM casetrail.audit_trail WHERE entity_guid = '018f6b1e-0000-7000-8000-0000000000a1' ORDER BY seq`
			);
			expect(trail).toEqual([
				{ type: 'create-group', reason: null, applied: true },
				{ type: 'add-member', reason: null, applied: true },
				{ type: 'add-member', reason: null, applied: true },
				{ type: 'remove-member', reason: 'moved to relatives', applied: true }
			]);
		});

		it('gives, at every instant an event happened and between, the entities `show --at` gives', async () => {
			const instants = FULL.events.flatMap((e) => [instantOf(e), instantOf(e) + 30_000, instantOf(e) - 1]);
			for (const ms of instants) {
				const at = new Date(ms).toISOString();
				const expected = project(FULL.events.filter((e) => instantOf(e) <= ms)).entities;
				const rows = await db.query<{ entity: unknown }>('SELECT entity FROM casetrail.entities_as_of($1::timestamptz) ORDER BY guid', [at]);
				expect(rows.map((r) => r.entity), at).toEqual(json(expected));
			}
		});

		it('gives the latest event of each entity in replay order through the window-function view', async () => {
			const latest = new Map<string, CasetrailEvent>();
			for (const e of FULL.events) {
				const seen = latest.get(e.entityGuid);
				if (!seen || instantOf(e) > instantOf(seen) || (instantOf(e) === instantOf(seen) && e.guid > seen.guid)) latest.set(e.entityGuid, e);
			}
			const rows = await db.query<{ entity_guid: string; guid: string }>('SELECT entity_guid, guid FROM casetrail.latest_event_per_entity ORDER BY entity_guid');
			expect(rows).toEqual([...latest].sort(([a], [b]) => (a < b ? -1 : 1)).map(([entity_guid, e]) => ({ entity_guid, guid: e.guid })));
		});

		it('replays an event that arrives late, from another device, in its place by timestamp', async () => {
			// Another device recorded, before the household's last change, that the child's name was corrected.
			const late: CasetrailEvent = {
				guid: 'late-event',
				entityGuid: '018f6b1e-0000-7000-8000-000000000002',
				type: 'update-individual',
				data: { name: 'Moussa D. Diallo' },
				timestamp: '2026-11-02T08:01:30.000Z',
				userId: 'worker-9',
				context: { reason: 'spelling' }
			};
			const other = await buildBundleFrom({ log: [FULL.events[1] as CasetrailEvent, late], from: 0, signer: await otherDeviceKeys() });
			expect(await ingestBundle(db, JSON.stringify(other))).toMatchObject({ ok: true, newEvents: 1 });
			const all = [...FULL.events, late];
			const rows = await db.query<{ entity: unknown }>('SELECT entity FROM casetrail.entities ORDER BY guid');
			expect(rows.map((r) => r.entity)).toEqual(json(project(all).entities));
			const asOf = await db.query<{ data: unknown }>(`SELECT data FROM casetrail.entities_as_of('2026-11-02T08:01:10Z') WHERE guid = $1`, [late.entityGuid]);
			expect(asOf).toEqual([{ data: { name: 'Moussa Diallo', birthDate: '2015-09-30', sex: 'M' } }]);
		});
	});
}
