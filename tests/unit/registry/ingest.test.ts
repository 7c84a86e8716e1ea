/**
 * `ingestBundle` on both databases: it stores exactly what verifyBundle accepts, in one
 * transaction; the same bundle twice changes nothing; overlapping bundles from several devices
 * converge; a device that rewrites its log is refused with the evidence kept; and the stored
 * events cannot be changed, by privileges (the application role) and by triggers (anyone).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildBundle, buildBundleFrom, prefixFromLeafHashes, eventLeafHash } from '../../../src/lib/core/bundle/build';
import { project } from '../../../src/lib/core/projection';
import type { CasetrailEvent } from '../../../src/lib/core/event';
import type { Database } from '../../../registry/db';
import { ingestBundle } from '../../../registry/ingest';
import { bundleVectors, deviceKeys, otherDeviceKeys, sampleLog, VECTORS_DIR } from '../core/bundle/fixtures';
import { backends } from './backends';

const text = (value: unknown): string => JSON.stringify(value);
const count = async (db: Database, table: string): Promise<number> => Number((await db.query<{ n: string }>(`SELECT count(*)::int AS n FROM casetrail.${table}`))[0]?.n);

async function tableCounts(db: Database): Promise<Record<string, number>> {
	const out: Record<string, number> = {};
	for (const t of ['devices', 'audit_events', 'device_log', 'checkpoints', 'forks', 'entities', 'entity_versions', 'audit_trail']) out[t] = await count(db, t);
	return out;
}

for (const backend of backends()) {
	describe.skipIf(backend.skip !== undefined)(`ingestBundle on ${backend.name}`, () => {
		let db: Database;
		beforeAll(async () => {
			({ db } = await backend.open());
		}, 60_000);
		afterAll(() => backend.cleanup());
		afterEach(async () => {
			// Each test starts from an empty registry: drop and migrate again as the owner.
			await db.exec('DROP SCHEMA casetrail CASCADE');
			const { migrate } = await import('../../../registry/migrate');
			await migrate(db);
		});

		describe('with the shared bundle vectors', () => {
			for (const vector of bundleVectors()) {
				it(`${vector.file}: ${vector.expected === 'ok' ? 'stores it' : `refuses it as ${vector.expected} and stores nothing`}`, async () => {
					const outcome = await ingestBundle(db, readFileSync(vector.path, 'utf8'));
					if (vector.expected === 'ok') {
						expect(outcome).toMatchObject({ ok: true, status: 'ingested' });
						expect(await count(db, 'audit_events')).toBeGreaterThan(0);
					} else {
						expect(outcome).toMatchObject({ ok: false, error: { code: vector.expected } });
						expect(Object.values(await tableCounts(db)).every((n) => n === 0)).toBe(true);
					}
				});
			}

			it('keeps each event with its device, leaf index and leaf hash, and the canonical bytes that hash to it', async () => {
				const full = readFileSync(join(VECTORS_DIR, 'valid-full.json'), 'utf8');
				await ingestBundle(db, full);
				const bundle = JSON.parse(full) as { events: CasetrailEvent[]; log: { deviceId: string } };
				const rows = await db.query<{ guid: string; leaf_index: number; hash: string; origin: string }>(
					`SELECT l.event_guid AS guid, l.leaf_index::int AS leaf_index, encode(l.leaf_hash, 'hex') AS hash, a.origin_device_id AS origin
					FROM casetrail.device_log l JOIN casetrail.audit_events a ON a.guid = l.event_guid ORDER BY l.leaf_index`
				);
				expect(rows.map((r) => r.guid)).toEqual(bundle.events.map((e) => e.guid));
				expect(rows.map((r) => r.leaf_index)).toEqual(bundle.events.map((_, i) => i));
				expect(rows.map((r) => r.hash)).toEqual(bundle.events.map((e) => Buffer.from(eventLeafHash(e)).toString('hex')));
				expect(new Set(rows.map((r) => r.origin))).toEqual(new Set([bundle.log.deviceId]));
			});

			it('gives the same entities as `casetrail show` after the full export and the export since 3', async () => {
				const full = readFileSync(join(VECTORS_DIR, 'valid-full.json'), 'utf8');
				await ingestBundle(db, full);
				expect(await ingestBundle(db, readFileSync(join(VECTORS_DIR, 'valid-since-3.json'), 'utf8'))).toMatchObject({ ok: true });
				const shown = project((JSON.parse(full) as { events: CasetrailEvent[] }).events).entities;
				const stored = await db.query<{ entity: unknown }>('SELECT entity FROM casetrail.entities ORDER BY guid');
				expect(stored.map((r) => r.entity)).toEqual(JSON.parse(JSON.stringify(shown)));
			});
		});

		describe('when a bundle names many entities', () => {
			it('stores a full export of 40,000 people in one transaction without running out of shared lock memory', async () => {
				const people: CasetrailEvent[] = Array.from({ length: 40_000 }, (_, i) => ({
					guid: `big-${String(i).padStart(5, '0')}`,
					entityGuid: `person-${i}`,
					type: 'create-individual',
					data: { name: `Person ${i}` },
					timestamp: new Date(Date.UTC(2026, 10, 2) + i * 1000).toISOString(),
					userId: 'worker-1'
				}));
				const bundle = await buildBundleFrom({ log: people, from: 0, signer: await deviceKeys() });
				expect(await ingestBundle(db, text(bundle))).toMatchObject({ ok: true, status: 'ingested', newEvents: 40_000 });
				expect(await count(db, 'entities')).toBe(40_000);
			}, 300_000);
		});

		describe('when the same bundle comes twice', () => {
			it('reports it unchanged and changes nothing', async () => {
				const full = readFileSync(join(VECTORS_DIR, 'valid-full.json'), 'utf8');
				await ingestBundle(db, full);
				const before = await tableCounts(db);
				expect(await ingestBundle(db, full)).toMatchObject({ ok: true, status: 'unchanged', newEvents: 0 });
				expect(await tableCounts(db)).toEqual(before);
			});
		});

		describe('when several devices carry the same events', () => {
			it('stores each event once, with every device that carried it, and the entities converge', async () => {
				const log = sampleLog(12);
				const a = await buildBundleFrom({ log, from: 0, signer: await deviceKeys() });
				// Device B imported A's first 8 events and added its own 2.
				const own = sampleLog(2, 7);
				const b = await buildBundleFrom({ log: [...log.slice(0, 8), ...own], from: 0, signer: await otherDeviceKeys() });
				expect(await ingestBundle(db, text(b))).toMatchObject({ ok: true, newEvents: 10 });
				expect(await ingestBundle(db, text(a))).toMatchObject({ ok: true, newEvents: 4 });
				expect(await count(db, 'audit_events')).toBe(14);
				const carriers = await db.query<{ n: number }>('SELECT carried_by::int AS n FROM casetrail.event_carriers ORDER BY event_guid');
				expect(carriers.filter((c) => c.n === 2)).toHaveLength(8);
				const expected = project([...log, ...own]).entities;
				const stored = await db.query<{ entity: unknown }>('SELECT entity FROM casetrail.entities ORDER BY guid');
				expect(stored.map((r) => r.entity)).toEqual(JSON.parse(JSON.stringify(expected)));
			});

			it('refuses an event whose guid is stored with other contents, as event-conflict, and stores nothing of that bundle', async () => {
				const log = sampleLog(4);
				await ingestBundle(db, text(await buildBundleFrom({ log, from: 0, signer: await deviceKeys() })));
				const altered = log.map((e, i) => (i === 1 ? { ...e, data: { ...e.data, name: 'Someone else' } } : e));
				const before = await tableCounts(db);
				const outcome = await ingestBundle(db, text(await buildBundleFrom({ log: altered, from: 0, signer: await otherDeviceKeys() })));
				expect(outcome).toMatchObject({ ok: false, error: { code: 'event-conflict' } });
				expect(await tableCounts(db)).toEqual(before);
			});
		});

		describe('when a device rewrites what it exported before', () => {
			it('refuses the rewrite as fork-detected, stores none of it, and keeps both checkpoints as evidence', async () => {
				const signer = await deviceKeys();
				const log = sampleLog(6);
				const first = await buildBundleFrom({ log, from: 0, signer });
				await ingestBundle(db, text(first));
				const before = await tableCounts(db);
				const rewritten = [...log.slice(0, 2), { ...(log[2] as CasetrailEvent), guid: 'rewritten-event' }, ...log.slice(3)];
				const second = await buildBundleFrom({ log: rewritten, from: 0, signer });
				const outcome = await ingestBundle(db, text(second));
				expect(outcome).toMatchObject({ ok: false, error: { code: 'fork-detected' } });
				expect({ ...(await tableCounts(db)), forks: 0 }).toEqual(before);
				const forks = await db.query<{ differs_at: number; kept: string; refused: string }>(
					'SELECT differs_at::int AS differs_at, kept_checkpoint AS kept, refused_checkpoint AS refused FROM casetrail.forks'
				);
				expect(forks).toEqual([{ differs_at: 2, kept: first.checkpoint, refused: second.checkpoint }]);
				// The same forged bundle again adds no second row of evidence.
				await ingestBundle(db, text(second));
				expect(await count(db, 'forks')).toBe(1);
			});

			it('refuses an export "since" whose prefix does not hash to the root kept for that size', async () => {
				const signer = await deviceKeys();
				const log = sampleLog(8);
				await ingestBundle(db, text(await buildBundleFrom({ log: log.slice(0, 5), from: 0, signer })));
				// Same events from 5 on, but claiming another history before them.
				const other = sampleLog(5, 3);
				const forged = await buildBundle({ events: log.slice(5), from: 5, prefix: prefixFromLeafHashes(other.map(eventLeafHash), 5), signer });
				expect(await ingestBundle(db, text(forged))).toMatchObject({ ok: false, error: { code: 'fork-detected' } });
				expect(await count(db, 'device_log')).toBe(5);
				// The honest continuation is accepted.
				expect(await ingestBundle(db, text(await buildBundleFrom({ log, from: 5, signer })))).toMatchObject({ ok: true, status: 'ingested', newEvents: 3 });
			});
			it('refuses a rewrite across a gap that a version 2 consistency proof shows, and accepts the honest bundle after the same gap', async () => {
				// Events 1 to 10 are kept; the device then rewrites events 9 and 10 and sends a bundle from
				// event 13 on. No range overlaps: only its proof from the kept size 10 can show the rewrite.
				const signer = await deviceKeys();
				const log = sampleLog(14);
				const first = await buildBundleFrom({ log: log.slice(0, 10), from: 0, signer });
				await ingestBundle(db, text(first));
				const rewritten = log.map((e, i) => (i === 8 || i === 9 ? { ...e, data: { ...e.data, name: `Forged ${i}` } } : e));
				const forged = await buildBundleFrom({ log: rewritten, from: 12, signer, signedSizes: [10] });
				const before = await tableCounts(db);
				expect(await ingestBundle(db, text(forged))).toMatchObject({ ok: false, error: { code: 'fork-detected', message: expect.stringContaining('first 10 events') } });
				expect({ ...(await tableCounts(db)), forks: 0 }).toEqual(before);
				const forks = await db.query<{ differs_at: number; kept: string; refused: string }>(
					'SELECT differs_at::int AS differs_at, kept_checkpoint AS kept, refused_checkpoint AS refused FROM casetrail.forks'
				);
				expect(forks).toEqual([{ differs_at: 10, kept: first.checkpoint, refused: forged.checkpoint }]);
				const honest = await buildBundleFrom({ log, from: 12, signer, signedSizes: [10] });
				expect(await ingestBundle(db, text(honest))).toMatchObject({ ok: true, status: 'ingested', newEvents: 2 });
			});
		});

		describe('when a bundle across a gap carries no proof for a kept checkpoint', () => {
			const forgedAcrossGap = async (options: { version?: 1 | 2; signedSizes?: number[] }) => {
				const signer = await deviceKeys();
				const log = sampleLog(14);
				expect(await ingestBundle(db, text(await buildBundleFrom({ log: log.slice(0, 10), from: 0, signer })))).toMatchObject({ ok: true });
				const rewritten = log.map((e, i) => (i === 8 || i === 9 ? { ...e, data: { ...e.data, name: `Forged ${i}` } } : e));
				return { log, signer, forged: await buildBundleFrom({ log: rewritten, from: 12, signer, ...options }) };
			};

			it('refuses a version 2 bundle with no entry for the kept size 10 as missing-consistency-proof, and stores nothing', async () => {
				const { forged } = await forgedAcrossGap({ signedSizes: [] });
				const before = await tableCounts(db);
				expect(await ingestBundle(db, text(forged))).toMatchObject({ ok: false, error: { code: 'missing-consistency-proof', message: expect.stringContaining('10 events') } });
				expect(await tableCounts(db)).toEqual(before);
			});

			it('refuses a version 1 bundle across the gap from a device that sent version 2, and stores nothing', async () => {
				const { forged } = await forgedAcrossGap({ version: 1 });
				const before = await tableCounts(db);
				expect(await ingestBundle(db, text(forged))).toMatchObject({ ok: false, error: { code: 'missing-consistency-proof', message: expect.stringContaining('version 1') } });
				expect(await tableCounts(db)).toEqual(before);
				expect(await db.query('SELECT format_version::int AS v FROM casetrail.devices')).toEqual([{ v: 2 }]);
			});

			it('compares a kept root its prefix determines: having events 1 to 8, a bundle from 13 on that rewrote event 4 is a fork', async () => {
				const signer = await deviceKeys();
				const log = sampleLog(14);
				const first = await buildBundleFrom({ log: log.slice(0, 8), from: 0, signer });
				await ingestBundle(db, text(first));
				const rewritten = log.map((e, i) => (i === 3 ? { ...e, data: { ...e.data, name: 'Forged' } } : e));
				const forged = await buildBundleFrom({ log: rewritten, from: 12, signer, version: 1 });
				expect(await ingestBundle(db, text(forged))).toMatchObject({ ok: false, error: { code: 'fork-detected', message: expect.stringContaining('first 8 events') } });
				expect(await count(db, 'forks')).toBe(1);
				expect(await ingestBundle(db, text(await buildBundleFrom({ log, from: 12, signer, version: 1 })))).toMatchObject({ ok: true, newEvents: 2 });
			});

			it('accepts a version 1 bundle across a gap from a device that only ever sent version 1 (nothing to compare it with, as in the app)', async () => {
				const signer = await deviceKeys();
				const log = sampleLog(14);
				await ingestBundle(db, text(await buildBundleFrom({ log: log.slice(0, 10), from: 0, signer, version: 1 })));
				expect(await ingestBundle(db, text(await buildBundleFrom({ log, from: 12, signer, version: 1 })))).toMatchObject({ ok: true, newEvents: 2 });
			});
		});

		describe('immutability of the stored events', () => {
			const asApp = async (statement: string): Promise<unknown> =>
				db.transaction(async (tx) => {
					await tx.query('SET LOCAL ROLE casetrail_app');
					return tx.query(statement);
				});
			const refusal = async (work: Promise<unknown>): Promise<string> => {
				try {
					await work;
				} catch (e) {
					return String((e as { code?: unknown }).code);
				}
				return 'accepted';
			};

			for (const statement of [
				"UPDATE casetrail.audit_events SET user_id = 'someone-else'",
				'DELETE FROM casetrail.audit_events',
				'TRUNCATE casetrail.audit_events',
				`INSERT INTO casetrail.audit_events (guid, entity_guid, type, data, user_id, occurred_at, canonical, leaf_hash, origin_device_id, origin_leaf_index)
					SELECT 'x', 'y', 't', '{}', 'u', now(), '{}', sha256('\\x007b7d'::bytea), device_id, 99 FROM casetrail.devices`,
				'DELETE FROM casetrail.device_log',
				'UPDATE casetrail.checkpoints SET jws = jws'
			]) {
				it(`the application role is refused by privileges: ${statement.split('\n')[0]}`, async () => {
					await ingestBundle(db, readFileSync(join(VECTORS_DIR, 'valid-full.json'), 'utf8'));
					expect(await refusal(asApp(statement))).toBe('42501');
				});
			}

			for (const statement of ["UPDATE casetrail.audit_events SET user_id = 'someone-else'", 'DELETE FROM casetrail.audit_events', 'TRUNCATE casetrail.audit_events CASCADE', 'DELETE FROM casetrail.forks']) {
				it(`the owner is refused by the triggers: ${statement}`, async () => {
					await ingestBundle(db, readFileSync(join(VECTORS_DIR, 'valid-full.json'), 'utf8'));
					expect(await refusal(db.query(statement))).toBe('CT001');
					expect(await count(db, 'audit_events')).toBe(7);
				});
			}

			it('the data team role may read but not ingest', async () => {
				await ingestBundle(db, readFileSync(join(VECTORS_DIR, 'valid-full.json'), 'utf8'));
				const asReader = (statement: string) =>
					db.transaction(async (tx) => {
						await tx.query('SET LOCAL ROLE casetrail_reader');
						return tx.query(statement);
					});
				expect(await asReader('SELECT count(*)::int AS n FROM casetrail.individuals')).toEqual([{ n: 2 }]);
				expect(await refusal(asReader(`SELECT casetrail.ingest_bundle('{}'::jsonb)`))).toBe('42501');
				expect(await refusal(asReader(`SELECT casetrail.store_read_model('{}'::jsonb)`))).toBe('42501');
			});

			it("the definer functions use none of the caller's temporary objects: a pg_temp.incoming with a trigger does not run with the owner's rights", async () => {
				// casetrail_app prepares, in its own session, a temp table named as the one ingest_bundle
				// used to create, with a trigger that records who runs it.
				await db.transaction(async (tx) => {
					await tx.query('SET LOCAL ROLE casetrail_app');
					await tx.exec(`CREATE TEMP TABLE seen (who text);
						CREATE TEMP TABLE incoming (
							leaf_index bigint, guid text COLLATE "C", entity_guid text COLLATE "C", type text, data jsonb, metadata jsonb,
							context jsonb, user_id text, occurred_at timestamptz, canonical text, leaf_hash bytea);
						CREATE FUNCTION pg_temp.spy() RETURNS trigger LANGUAGE plpgsql AS $f$
						BEGIN INSERT INTO pg_temp.seen VALUES (current_user); RETURN NULL; END $f$;
						CREATE TRIGGER spy AFTER INSERT OR TRUNCATE ON pg_temp.incoming FOR EACH STATEMENT EXECUTE FUNCTION pg_temp.spy();`);
				});
				try {
					expect(await ingestBundle(db, readFileSync(join(VECTORS_DIR, 'valid-full.json'), 'utf8'))).toMatchObject({ ok: true, status: 'ingested' });
					expect(await db.query('SELECT who FROM pg_temp.seen')).toEqual([]);
					expect(await db.query('SELECT count(*)::int AS n FROM pg_temp.incoming')).toEqual([{ n: 0 }]);
					expect(await count(db, 'audit_events')).toBe(7);
				} finally {
					await db.exec('DROP TABLE IF EXISTS pg_temp.incoming; DROP TABLE IF EXISTS pg_temp.seen; DROP FUNCTION IF EXISTS pg_temp.spy()');
				}
			});

			it('every SECURITY DEFINER function fixes a search_path with pg_catalog first and pg_temp last', async () => {
				const rows = await db.query<{ name: string; config: string[] | null }>(
					`SELECT p.proname AS name, p.proconfig AS config FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
					WHERE n.nspname = 'casetrail' AND p.prosecdef ORDER BY p.proname`
				);
				expect(rows.map((r) => r.name)).toEqual(['ingest_bundle', 'record_fork', 'store_read_model']);
				for (const r of rows) expect(r.config).toEqual(['search_path=pg_catalog, casetrail, pg_temp']);
			});

			it('a row whose leaf hash is not the hash of its canonical bytes is refused by a constraint', async () => {
				const statement = `INSERT INTO casetrail.audit_events (guid, entity_guid, type, data, user_id, occurred_at, canonical, leaf_hash, origin_device_id, origin_leaf_index)
					SELECT 'x', 'y', 't', '{}', 'u', now(), '{}', sha256('\\x00'::bytea), device_id, 99 FROM casetrail.devices`;
				await ingestBundle(db, readFileSync(join(VECTORS_DIR, 'valid-full.json'), 'utf8'));
				expect(await refusal(db.query(statement))).toBe('23514');
			});
		});
	});
}
