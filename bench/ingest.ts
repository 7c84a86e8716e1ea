/**
 * The registry's ingest benchmark (`npm run bench:ingest`, bench/README.md): generates signed
 * bundles from many devices, ingests them with registry/ingest.ts into the embedded database
 * (PGlite) and into a local PostgreSQL server, and beside that COPYs the same event rows into a bare
 * table (same columns, no key, index, constraint or trigger) in the same run. Then times the read
 * model's "current state of one entity" at the full size. Writes {name, n, value, unit} records.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBundle, eventLeafHash } from '../src/lib/core/bundle/build';
import { generateDeviceKeys } from '../src/lib/core/bundle/checkpoint';
import { canonicalJson } from '../src/lib/core/canonical';
import { bytesToHex } from '../src/lib/core/encoding';
import type { CasetrailEvent } from '../src/lib/core/event';
import { CompactRange } from '../src/lib/core/merkle/compact';
import { openDatabase, type Database } from '../registry/db';
import { ingestBundle } from '../registry/ingest';
import { migrate } from '../registry/migrate';
import { startTestServer } from '../tests/postgres';

export interface BenchRecord {
	name: string;
	n: number;
	value: number;
	unit: string;
}

export interface BenchOptions {
	/** Events in all, split evenly over `bundles` bundles. */
	events: number;
	bundles: number;
	/** Bundles per device: each device exports this many times, each "since the last". */
	bundlesPerDevice: number;
	targets: readonly ('embedded' | 'server')[];
	log: (line: string) => void;
}

/** A case worker's cycle of ten events: a household, three people, their membership, two updates. */
function cycleEvents(device: number, cycle: number, start: number): CasetrailEvent[] {
	const id = (kind: string, n = 0) => `${kind}-${device.toString(36)}-${cycle.toString(36)}-${n}`;
	const household = id('h');
	const people = [1, 2, 3].map((n) => id('p', n));
	const ts = (k: number) => new Date(start + k * 37_000).toISOString();
	const base = (k: number) => ({ guid: `e-${device.toString(36)}-${(cycle * 10 + k).toString(36)}`, timestamp: ts(k), userId: `worker-${device}`, version: 1 });
	return [
		{ ...base(0), entityGuid: household, type: 'create-group', data: { name: `Household ${cycle}`, village: 'Kébémer', district: 'Louga' } },
		...people.map((p, n) => ({
			...base(1 + n),
			entityGuid: p,
			type: 'create-individual',
			data: { name: `Person ${cycle}-${n}`, birthDate: `19${50 + n * 20}-04-12`, sex: n % 2 ? 'M' : 'F', idNumber: `${device}${cycle}${n}` }
		})),
		...people.map((p, n) => ({ ...base(4 + n), entityGuid: household, type: 'add-member', data: { memberGuid: p, role: n === 0 ? 'head' : 'child' } })),
		{ ...base(7), entityGuid: people[0] as string, type: 'update-individual', data: { phone: '+221 77 000 00 00' }, context: { reason: 'phone collected at visit' } },
		{ ...base(8), entityGuid: household, type: 'update-group', data: { water: 'well' }, context: { reason: 'survey' } },
		{ ...base(9), entityGuid: people[1] as string, type: 'update-individual', data: { school: 'Kébémer primary' } }
	];
}

/** The bundles as JSON text, and the events of each, in ingest order (device by device, in export order interleaved). */
async function generate(opts: BenchOptions): Promise<{ texts: string[]; events: number }> {
	const perBundle = Math.floor(opts.events / opts.bundles);
	const devices = opts.bundles / opts.bundlesPerDevice;
	const texts: string[][] = [];
	let total = 0;
	for (let d = 0; d < devices; d++) {
		const signer = await generateDeviceKeys();
		const range = new CompactRange();
		const log: CasetrailEvent[] = [];
		const start = Date.UTC(2026, 0, 1) + d * 1000;
		let cycle = 0;
		const mine: string[] = [];
		for (let b = 0; b < opts.bundlesPerDevice; b++) {
			const from = range.size;
			const prefix = range.frontier;
			while (log.length < from + perBundle) log.push(...cycleEvents(d, cycle, start + cycle++ * 400_000));
			const events = log.slice(from, from + perBundle);
			log.length = from + perBundle;
			for (const e of events) range.append(eventLeafHash(e));
			mine.push(JSON.stringify(await buildBundle({ events, from, prefix, signer, issuedAt: new Date(start + b * 86_400_000).toISOString() })));
			total += events.length;
		}
		texts.push(mine);
	}
	// Interleave devices: the k-th export of every device, then the (k+1)-th, as a supervisor collects them.
	const ordered: string[] = [];
	for (let b = 0; b < opts.bundlesPerDevice; b++) for (const mine of texts) ordered.push(mine[b] as string);
	return { texts: ordered, events: total };
}

/** The event rows of the bundles as CSV for COPY: the same columns audit_events has. */
function copyRows(texts: readonly string[]): string {
	const parts: string[] = [];
	const q = (v: string) => `"${v.replace(/"/g, '""')}"`;
	for (const text of texts) {
		const bundle = JSON.parse(text) as { log: { deviceId: string; from: number }; events: CasetrailEvent[] };
		bundle.events.forEach((e, i) => {
			const canonical = canonicalJson(e);
			parts.push(
				[
					q(e.guid),
					q(e.entityGuid),
					q(e.type),
					q(JSON.stringify(e.data)),
					e.metadata ? q(JSON.stringify(e.metadata)) : '',
					e.context ? q(JSON.stringify(e.context)) : '',
					q(e.userId),
					e.timestamp,
					q(canonical),
					`\\x${bytesToHex(eventLeafHash(e))}`,
					q(bundle.log.deviceId),
					String(bundle.log.from + i)
				].join(',') + '\n'
			);
		});
	}
	return parts.join('');
}

const BARE_TABLE = `CREATE TABLE bare_events (guid text, entity_guid text, type text, data jsonb, metadata jsonb, context jsonb, user_id text,
	occurred_at timestamptz, canonical text, leaf_hash bytea, origin_device_id text, origin_leaf_index bigint)`;

async function bareCopyServer(url: string, csv: string): Promise<number> {
	const { default: postgres } = await import('postgres');
	const sql = postgres(url, { max: 1, onnotice: () => {} });
	try {
		await sql.unsafe(BARE_TABLE);
		const t0 = performance.now();
		const stream = await sql`COPY bare_events FROM STDIN WITH (FORMAT csv)`.writable();
		await new Promise<void>((resolve, reject) => {
			stream.on('error', reject);
			stream.on('finish', () => resolve());
			stream.end(csv);
		});
		return performance.now() - t0;
	} finally {
		await sql.end();
	}
}

async function bareCopyEmbedded(folder: string, csv: string): Promise<number> {
	const { PGlite } = await import('@electric-sql/pglite');
	const db = await PGlite.create(folder);
	try {
		await db.exec(BARE_TABLE);
		const t0 = performance.now();
		await db.query(`COPY bare_events FROM '/dev/blob' WITH (FORMAT csv)`, [], { blob: new Blob([csv]) });
		return performance.now() - t0;
	} finally {
		await db.close();
	}
}

async function ingestAll(db: Database, texts: readonly string[], log: (line: string) => void): Promise<number> {
	const t0 = performance.now();
	for (const [i, text] of texts.entries()) {
		const outcome = await ingestBundle(db, text);
		if (!outcome.ok || outcome.status !== 'ingested') throw new Error(`bundle ${i} was not ingested: ${JSON.stringify(outcome)}`);
		if ((i + 1) % Math.max(1, Math.floor(texts.length / 10)) === 0) log(`  ${i + 1}/${texts.length} bundles, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
	}
	return performance.now() - t0;
}

function percentile(sorted: readonly number[], p: number): number {
	return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
}

/** p50 and p95 of `query` with a random entity guid, `runs` times. */
async function queryTimes(db: Database, text: string, guids: readonly string[], runs: number): Promise<{ p50: number; p95: number }> {
	const times: number[] = [];
	for (let i = 0; i < runs; i++) {
		const guid = guids[(i * 7919) % guids.length] as string;
		const t0 = performance.now();
		const rows = await db.query(text, [guid]);
		times.push(performance.now() - t0);
		if (rows.length !== 1) throw new Error(`expected one row for ${guid}, got ${rows.length}`);
	}
	times.sort((a, b) => a - b);
	return { p50: percentile(times, 0.5), p95: percentile(times, 0.95) };
}

export const CURRENT_STATE_SQL = 'SELECT entity FROM casetrail.entities WHERE guid = $1';
export const AS_OF_SQL = `SELECT entity FROM casetrail.entity_versions WHERE entity_guid = $1 AND valid_from <= '2026-06-01T00:00:00Z' ORDER BY version DESC LIMIT 1`;
export const LATEST_EVENT_SQL = `SELECT guid FROM (SELECT guid, row_number() OVER (PARTITION BY entity_guid ORDER BY occurred_at DESC, guid DESC) AS rn
	FROM casetrail.audit_events WHERE entity_guid = $1) ranked WHERE rn = 1`;

export async function runIngestBench(opts: BenchOptions): Promise<BenchRecord[]> {
	const records: BenchRecord[] = [];
	const t0 = performance.now();
	const { texts, events } = await generate(opts);
	opts.log(`Generated ${texts.length} bundles, ${events} events, in ${((performance.now() - t0) / 1000).toFixed(1)} s.`);
	const csv = copyRows(texts);
	const sampleGuids = texts
		.slice(0, 50)
		.flatMap((t) => (JSON.parse(t) as { events: CasetrailEvent[] }).events.filter((e) => e.type.startsWith('create-')).map((e) => e.entityGuid));

	for (const target of opts.targets) {
		const work = mkdtempSync(join(tmpdir(), 'casetrail-bench-ingest-'));
		const server = target === 'server' ? await startTestServer() : undefined;
		try {
			const name = target === 'server' ? 'server' : 'embedded';
			const copyMs = server ? await bareCopyServer(server.url, csv) : await bareCopyEmbedded(join(work, 'bare'), csv);
			opts.log(`${name}: bare COPY of ${events} rows in ${(copyMs / 1000).toFixed(1)} s`);
			const db = await openDatabase(server ? server.url : join(work, 'registry'));
			try {
				await migrate(db);
				const ingestMs = await ingestAll(db, texts, opts.log);
				const copyRate = events / (copyMs / 1000);
				const ingestRate = events / (ingestMs / 1000);
				opts.log(`${name}: ingest ${(ingestMs / 1000).toFixed(1)} s = ${Math.round(ingestRate)} events/s; bare COPY ${Math.round(copyRate)} rows/s; ratio ${(ingestRate / copyRate).toFixed(3)}`);
				records.push(
					{ name: `${name}.ingest.eventsPerSec`, n: events, value: Math.round(ingestRate), unit: 'events/s' },
					{ name: `${name}.bareCopy.rowsPerSec`, n: events, value: Math.round(copyRate), unit: 'rows/s' },
					{ name: `${name}.ingest.vsBareCopy`, n: events, value: Number((ingestRate / copyRate).toFixed(3)), unit: 'ratio' }
				);
				for (const [label, sql] of [
					['currentState', CURRENT_STATE_SQL],
					['asOf', AS_OF_SQL],
					['latestEvent', LATEST_EVENT_SQL]
				] as const) {
					await queryTimes(db, sql, sampleGuids, 20);
					const { p50, p95 } = await queryTimes(db, sql, sampleGuids, 200);
					opts.log(`${name}: ${label} of one entity p50 ${p50.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms`);
					records.push({ name: `${name}.${label}.p50Ms`, n: events, value: Number(p50.toFixed(3)), unit: 'ms' }, { name: `${name}.${label}.p95Ms`, n: events, value: Number(p95.toFixed(3)), unit: 'ms' });
				}
			} finally {
				await db.close();
			}
		} finally {
			await server?.stop();
			rmSync(work, { recursive: true, force: true });
		}
	}
	return records;
}

/** Writes the records as JSON. */
export function writeRecords(path: string, records: readonly BenchRecord[]): void {
	writeFileSync(path, JSON.stringify(records, null, '\t') + '\n');
}
