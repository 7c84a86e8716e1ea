/**
 * `casetrail ingest` and `casetrail export`: the command line's side of the registry
 * (registry/). Loaded by main.ts only for these commands, so `verify` and `show` never load a
 * database driver.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_EMBEDDED_FOLDER, openDatabase, type Database } from '../registry/db';
import { migrate } from '../registry/migrate';
import { ingestBundle, type IngestOutcome } from '../registry/ingest';
import { registryTables, writeTables, type ExportFormat } from '../registry/export';
import type { CliIo } from './main';
import { printLines } from './terminal';

/**
 * JSON for stdout: JSON.stringify escapes only C0 controls, so C1 controls (U+009B is a CSI), the
 * line separators and the bidi formatting characters a file name or a message may quote are written
 * as \u escapes too. The JSON means the same.
 */
function safeJson(value: unknown): string {
	return JSON.stringify(value).replace(/[\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** --db, else DATABASE_URL, else the embedded database in ./casetrail-db. */
export function databaseTarget(db: string | undefined): string {
	return db ?? (process.env.DATABASE_URL || DEFAULT_EMBEDDED_FOLDER);
}

/** The bundle files named: files as given, folders searched (with subfolders) for *.json, sorted. */
export async function bundleFiles(paths: readonly string[]): Promise<string[]> {
	const files: string[] = [];
	for (const path of paths) {
		const info = await stat(path);
		if (!info.isDirectory()) {
			files.push(path);
			continue;
		}
		const found = (await readdir(path, { recursive: true, withFileTypes: true }))
			.filter((d) => d.isFile() && d.name.toLowerCase().endsWith('.json'))
			.map((d) => join(d.parentPath, d.name))
			.sort();
		files.push(...found);
	}
	return files;
}

async function open(io: CliIo, target: string, json: boolean): Promise<Database | undefined> {
	try {
		const db = await openDatabase(target);
		await migrate(db);
		return db;
	} catch (e) {
		const message = `Cannot open the registry at ${target.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@')}: ${e instanceof Error ? e.message : String(e)}`;
		if (json) io.stdout(safeJson({ ok: false, error: { code: 'storage-failed', message } }) + '\n');
		io.stderr(printLines([`casetrail: ${message}`]));
		return undefined;
	}
}

/** Exit codes as verify's: 0 every bundle stored (or already there), 1 a bundle refused, 2 a file or the database failed. */
export async function runIngest(io: CliIo, paths: readonly string[], dbOption: string | undefined, json: boolean): Promise<number> {
	let files: string[];
	try {
		files = await bundleFiles(paths);
	} catch (e) {
		const message = `Cannot read ${e instanceof Error && 'path' in e ? String((e as { path: unknown }).path) : 'a path'}: no such file or folder.`;
		if (json) io.stdout(safeJson({ ok: false, error: { code: 'unreadable-file', message } }) + '\n');
		io.stderr(printLines([`casetrail: ${message}`]));
		return 2;
	}
	const db = await open(io, databaseTarget(dbOption), json);
	if (!db) return 2;
	const results: ({ file: string } & (IngestOutcome | { ok: false; error: { code: 'unreadable-file' | 'storage-failed'; message: string } }))[] = [];
	let exit = 0;
	try {
		if (!json) io.stdout(printLines([`Ingesting ${files.length} bundle${files.length === 1 ? '' : 's'} into ${db.kind === 'embedded' ? 'the embedded registry' : 'the registry'} at ${db.location}`]));
		for (const [n, file] of files.entries()) {
			let text: string;
			try {
				text = new TextDecoder('utf-8', { fatal: true }).decode(await io.readFile(file));
			} catch (e) {
				// Readable but not UTF-8 is not a bundle: verification calls it malformed, as verify does.
				if (e instanceof TypeError) text = '\uFFFD';
				else {
					results.push({ file, ok: false, error: { code: 'unreadable-file', message: `Cannot read ${file}.` } });
					exit = 2;
					if (!json) io.stdout(printLines([`[${n + 1}/${files.length}] ${file}: cannot read it`]));
					continue;
				}
			}
			let outcome: IngestOutcome;
			try {
				outcome = await ingestBundle(db, text);
			} catch (e) {
				const message = `The database failed while storing ${file}: ${e instanceof Error ? e.message : String(e)}. Nothing of this bundle was stored.`;
				results.push({ file, ok: false, error: { code: 'storage-failed', message } });
				if (!json) io.stdout(printLines([`[${n + 1}/${files.length}] ${file}: ${message}`]));
				exit = 2;
				break;
			}
			results.push({ file, ...outcome });
			if (!outcome.ok) exit = Math.max(exit, 1);
			if (!json) io.stdout(printLines([`[${n + 1}/${files.length}] ${file}: ${describe(outcome)}`]));
		}
	} finally {
		await db.close();
	}
	const stored = results.filter((r) => r.ok && r.status === 'ingested').length;
	const unchanged = results.filter((r) => r.ok && r.status === 'unchanged').length;
	const newEvents = results.reduce((sum, r) => sum + (r.ok ? r.newEvents : 0), 0);
	if (json) io.stdout(safeJson({ ok: exit === 0, ingested: stored, unchanged, refused: results.length - stored - unchanged, newEvents, bundles: results }) + '\n');
	else io.stdout(printLines([`${stored} stored, ${unchanged} already there, ${results.length - stored - unchanged} refused; ${newEvents} new events.`]));
	return exit;
}

function describe(outcome: IngestOutcome): string {
	if (!outcome.ok) return `REFUSED (${outcome.error.code}) ${outcome.error.message}`;
	if (outcome.status === 'unchanged') return `already ingested (device ${outcome.deviceId}, tree size ${outcome.treeSize})`;
	return `stored ${outcome.events} events, ${outcome.newEvents} new (device ${outcome.deviceId}, tree size ${outcome.treeSize})`;
}

/** Exit codes: 0 written, 2 the database or the output failed. */
export async function runExport(io: CliIo, dbOption: string | undefined, format: ExportFormat, out: string | undefined): Promise<number> {
	const db = await open(io, databaseTarget(dbOption), false);
	if (!db) return 2;
	try {
		const tables = await registryTables(db);
		const paths = await writeTables(tables, format, out ?? (format === 'csv' ? 'casetrail-export' : 'casetrail-export.xlsx'));
		const counts = tables.map((t) => `${t.name} ${t.rows.length}`).join(', ');
		io.stdout(printLines([`Wrote ${paths.join(', ')} (${counts} rows).`]));
		return 0;
	} catch (e) {
		io.stderr(printLines([`casetrail: export failed: ${e instanceof Error ? e.message : String(e)}`]));
		return 2;
	} finally {
		await db.close();
	}
}
