/**
 * `casetrail export`: the registry's read model as flat tables (core/tables.ts) in CSV files, one
 * per table, or one XLSX workbook with a sheet per table. UTF-8 throughout; the XLSX writer
 * (write-excel-file, one small dependency: fflate) is loaded only for --format xlsx.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Entity } from '../src/lib/core/appliers/entity';
import type { AuditEntry } from '../src/lib/core/audit';
import type { SkipReason } from '../src/lib/core/appliers/entity';
import { exportTables, toCsv, type EntityTrail, type Table } from '../src/lib/core/tables';
import type { Sql } from './db';

export type ExportFormat = 'csv' | 'xlsx';

/** The four tables from the registry's read model. */
export async function registryTables(db: Sql): Promise<Table[]> {
	const entities = (await db.query<{ entity: Entity | string }>('SELECT entity FROM casetrail.entities ORDER BY guid')).map((r) =>
		typeof r.entity === 'string' ? (JSON.parse(r.entity) as Entity) : r.entity
	);
	const rows = await db.query<{
		entity_guid: string;
		event_guid: string;
		timestamp: string;
		user_id: string;
		type: string;
		reason: string | null;
		applied: boolean;
		skip_reason: string | null;
		skip_message: string | null;
		changes: AuditEntry['changes'] | string;
	}>('SELECT entity_guid, event_guid, timestamp, user_id, type, reason, applied, skip_reason, skip_message, changes FROM casetrail.audit_trail ORDER BY entity_guid, seq');
	const trails = new Map<string, AuditEntry[]>();
	for (const r of rows) {
		const base = { guid: r.event_guid, timestamp: r.timestamp, userId: r.user_id, type: r.type, ...(r.reason === null ? {} : { reason: r.reason }) };
		// jsonb keeps keys in its own order; rebuild each change in core's, so the CSV matches the app's.
		const stored = (typeof r.changes === 'string' ? JSON.parse(r.changes) : r.changes) as AuditEntry['changes'];
		const changes = stored.map(({ field, before, after }) => ({ field, before, after }));
		const entry: AuditEntry = r.applied
			? { ...base, applied: true, changes }
			: { ...base, applied: false, skip: { reason: r.skip_reason as SkipReason, message: r.skip_message ?? '' }, changes: [] };
		const list = trails.get(r.entity_guid);
		if (list) list.push(entry);
		else trails.set(r.entity_guid, [entry]);
	}
	const entityTrails: EntityTrail[] = [...trails].map(([entityGuid, entries]) => ({ entityGuid, entries }));
	return exportTables(entities, entityTrails);
}

/**
 * Writes `tables` to `out`: for csv a folder (created) holding `<table>.csv` each; for xlsx one
 * workbook file. Returns the paths written.
 */
export async function writeTables(tables: readonly Table[], format: ExportFormat, out: string): Promise<string[]> {
	if (format === 'csv') {
		await mkdir(out, { recursive: true });
		const paths: string[] = [];
		for (const table of tables) {
			const path = join(out, `${table.name}.csv`);
			await writeFile(path, toCsv(table), 'utf8');
			paths.push(path);
		}
		return paths;
	}
	const { default: writeXlsxFile } = await import('write-excel-file/node');
	await writeXlsxFile(tables.map((t) => ({ sheet: t.name, data: [t.columns, ...t.rows], stickyRowsCount: 1 }))).toFile(out);
	return [out];
}
