/**
 * `casetrail ingest` and `casetrail export` as a supervisor runs them: the built command line,
 * spawned with node, into the embedded registry and into a PostgreSQL server; and several ingests
 * at once into one server, which must lose nothing and store nothing twice.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBundleFrom } from '../../../src/lib/core/bundle/build';
import { generateDeviceKeys } from '../../../src/lib/core/bundle/checkpoint';
import type { CasetrailEvent } from '../../../src/lib/core/event';
import { project } from '../../../src/lib/core/projection';
import { openDatabase } from '../../../registry/db';
import { VECTORS_DIR, sampleLog } from '../core/bundle/fixtures';
import { startTestServer, whyNoServer, type TestServer } from '../../postgres';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
// A build of its own (inside the repository, so the drivers resolve from node_modules): the verify
// tests build dist-cli at the same time.
const OUT = join(ROOT, 'node_modules/.cache/casetrail-registry-cli-test');
const FULL = join(VECTORS_DIR, 'valid-full.json');
const SINCE = join(VECTORS_DIR, 'valid-since-3.json');
const work = mkdtempSync(join(tmpdir(), 'casetrail-cli-registry-'));

interface Run {
	code: number;
	stdout: string;
	stderr: string;
}

function casetrail(args: string[], env: Record<string, string> = {}): Promise<Run> {
	const launcher = `const m = await import(${JSON.stringify(pathToFileURL(join(OUT, 'casetrail.mjs')).href)}); process.exitCode = await m.run(process.argv.slice(1));`;
	return new Promise((resolve) => {
		const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
		if (!('DATABASE_URL' in env)) delete childEnv.DATABASE_URL;
		execFile(process.execPath, ['--input-type=module', '-e', launcher, ...args], { cwd: work, encoding: 'utf8', env: childEnv, maxBuffer: 1 << 26 }, (error, stdout, stderr) => {
			resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
		});
	});
}

beforeAll(async () => {
	await build({ root: ROOT, configFile: join(ROOT, 'vite.cli.config.ts'), logLevel: 'silent', build: { outDir: OUT } });
}, 60_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('casetrail ingest into the embedded registry', () => {
	const db = join(work, 'embedded');

	it('stores a folder of bundles, shows progress per bundle, and exits 1 because the folder holds invalid ones', async () => {
		const run = await casetrail(['ingest', VECTORS_DIR, '--db', db]);
		expect(run.code).toBe(1);
		expect(run.stdout).toMatch(/\[11\/12\] .*valid-full\.json: stored 7 events, 7 new/);
		expect(run.stdout).toMatch(/\[9\/12\] .*invalid-size-mismatch\.json: REFUSED \(size-mismatch\)/);
		expect(run.stdout).toMatch(/2 stored, 0 already there, 10 refused; 7 new events\./);
	}, 120_000);

	it('holds the entities `casetrail show --json` prints for the shared vectors', async () => {
		const shown = JSON.parse((await casetrail(['show', FULL, '--json'])).stdout) as { entities: unknown[] };
		const registry = await openDatabase(db);
		try {
			const rows = await registry.query<{ entity: unknown }>('SELECT entity FROM casetrail.entities ORDER BY guid');
			expect(rows.map((r) => r.entity)).toEqual(shown.entities);
		} finally {
			await registry.close();
		}
	}, 60_000);

	it('exits 0 and reports the bundle unchanged when it is ingested again (--json)', async () => {
		const run = await casetrail(['ingest', FULL, SINCE, '--db', db, '--json']);
		expect(run.code).toBe(0);
		expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, ingested: 0, unchanged: 2, refused: 0, newEvents: 0 });
	}, 60_000);

	it('exits 2 for a path that does not exist, and says which', async () => {
		const run = await casetrail(['ingest', join(work, 'missing.json'), '--db', db]);
		expect(run.code).toBe(2);
		expect(run.stderr).toMatch(/missing\.json/);
	});

	it('exits 2 with the usage for an export without --format', async () => {
		const run = await casetrail(['export', '--db', db]);
		expect(run.code).toBe(2);
		expect(run.stderr).toMatch(/--format csv or --format xlsx/);
	});

	it('exports the same entities `casetrail show` prints as CSV, one UTF-8 file per table with stable columns', async () => {
		const out = join(work, 'csv');
		const run = await casetrail(['export', '--db', db, '--format', 'csv', '--out', out]);
		expect(run.code).toBe(0);
		const individuals = readFileSync(join(out, 'individuals.csv'), 'utf8').split('\r\n');
		expect(individuals[0]).toBe('guid,version,deleted,created_at,last_updated,case_worker,assignment_date,birthDate,name,phone,sex');
		expect(individuals).toHaveLength(4);
		expect(readFileSync(join(out, 'households.csv'), 'utf8')).toContain(',Diallo household,Kébémer\r\n');
		expect(readFileSync(join(out, 'members.csv'), 'utf8').split('\r\n')[0]).toBe('household_guid,position,member_guid,role');
		expect(readFileSync(join(out, 'audit_trail.csv'), 'utf8')).toContain('phone collected at visit');
	}, 60_000);

	it('prints no terminal control from a file name or a refusal message: ESC, C1 (U+009B) and bidi overrides are shown as \\u{…}', async () => {
		const folder = join(work, 'hostile');
		mkdirSync(folder, { recursive: true });
		const file = join(folder, 'a\u001b[2Jb.json');
		const bundle = JSON.parse(readFileSync(FULL, 'utf8')) as Record<string, unknown>;
		writeFileSync(file, JSON.stringify({ ...bundle, version: '\u009b2J\u202eevil' }));
		const run = await casetrail(['ingest', file, '--db', join(work, 'hostile-db')]);
		expect(run.code).toBe(1);
		expect(run.stdout).toContain('REFUSED (unsupported-format)');
		expect(run.stdout).not.toMatch(/[\u001b\u009b\u202e]/u);
		expect(run.stdout).toContain('a\\u{1B}[2Jb.json');
		const json = await casetrail(['ingest', file, '--db', join(work, 'hostile-db'), '--json']);
		expect(json.stdout).not.toMatch(/[\u001b\u009b\u202e]/u);
		expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, bundles: [{ file }] });
	}, 60_000);

	it('exports an XLSX workbook with one sheet per table', async () => {
		const out = join(work, 'registry.xlsx');
		const run = await casetrail(['export', '--db', db, '--format', 'xlsx', '--out', out]);
		expect(run.code).toBe(0);
		const bytes = readFileSync(out);
		expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
		// Zip entry names are stored as they are: four worksheets, named in the workbook.
		const text = bytes.toString('latin1');
		for (let i = 1; i <= 4; i++) expect(text).toContain(`xl/worksheets/sheet${i}.xml`);
		expect(text).not.toContain('xl/worksheets/sheet5.xml');
	}, 60_000);
});

const noServer = whyNoServer();
if (noServer !== undefined && !process.env.CI) console.warn(`Skipping casetrail ingest into a PostgreSQL server: ${noServer}.`);
describe.skipIf(noServer !== undefined && !process.env.CI)('casetrail ingest into a PostgreSQL server', () => {
	let server: TestServer;
	beforeAll(async () => {
		server = await startTestServer();
	}, 60_000);
	afterAll(() => server?.stop());

	it('reads the server from DATABASE_URL and stores the shared vector', async () => {
		const run = await casetrail(['ingest', FULL, '--json'], { DATABASE_URL: server.url });
		expect(run.code).toBe(0);
		expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, ingested: 1, newEvents: 7 });
	}, 60_000);

	it('four ingests at once, of overlapping bundles from three devices, lose nothing and store nothing twice', async () => {
		// Three devices share a household log: each holds the common events plus its own.
		const common = sampleLog(60, 1);
		const devices = await Promise.all([0, 1, 2].map(() => generateDeviceKeys()));
		const logs: CasetrailEvent[][] = devices.map((_, d) => [...common.slice(0, 40 + d * 10), ...sampleLog(30, 10 + d).slice(1)]);
		const folder = join(work, 'concurrent');
		mkdirSync(folder, { recursive: true });
		const files: string[] = [];
		for (const [d, log] of logs.entries()) {
			// Each device exported twice: everything up to 50, then the rest since 50.
			for (const [part, from] of [0, 50].entries()) {
				const bundle = await buildBundleFrom({ log: part === 0 ? log.slice(0, 50) : log, from, signer: devices[d]! });
				const file = join(folder, `device-${d}-${part}.json`);
				writeFileSync(file, JSON.stringify(bundle));
				files.push(file);
			}
		}
		// Every process gets every bundle, in a different order, all at the same time.
		const orders = [files, [...files].reverse(), [...files.slice(3), ...files.slice(0, 3)], [...files].sort((a, b) => (a.endsWith('1.json') ? -1 : 0) - (b.endsWith('1.json') ? -1 : 0))];
		const runs = await Promise.all(orders.map((order) => casetrail(['ingest', ...order, '--db', server.url, '--json'])));
		for (const run of runs) expect(run.code, run.stdout + run.stderr).toBe(0);
		const newEvents = runs.map((r) => (JSON.parse(r.stdout) as { newEvents: number }).newEvents).reduce((a, b) => a + b, 0);

		const all = new Map<string, CasetrailEvent>();
		for (const log of logs) for (const e of log) all.set(e.guid, e);
		const fromVector = (JSON.parse(readFileSync(FULL, 'utf8')) as { events: CasetrailEvent[] }).events;
		expect(newEvents).toBe(all.size);
		const db = await openDatabase(server.url);
		try {
			const [counts] = await db.query<{ events: number; leaves: number; checkpoints: number }>(
				`SELECT (SELECT count(*)::int FROM casetrail.audit_events) AS events, (SELECT count(*)::int FROM casetrail.device_log) AS leaves,
					(SELECT count(*)::int FROM casetrail.checkpoints) AS checkpoints`
			);
			expect(counts).toEqual({ events: all.size + fromVector.length, leaves: logs.reduce((n, l) => n + l.length, 0) + fromVector.length, checkpoints: 7 });
			const entities = await db.query<{ entity: unknown }>('SELECT entity FROM casetrail.entities ORDER BY guid');
			expect(entities.map((r) => r.entity)).toEqual(JSON.parse(JSON.stringify(project([...all.values(), ...fromVector]).entities)));
		} finally {
			await db.close();
		}
	}, 180_000);
});
