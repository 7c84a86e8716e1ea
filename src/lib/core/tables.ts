/**
 * Flat tables of entities for a data team: individuals, households, household members and the
 * audit trail, each with stable column names, and their CSV (RFC 4180). One implementation for the
 * registry's `casetrail export` and the app's Exchange page, so both files have the same columns.
 *
 * Columns: the fixed ones first, then one per form field (a key of `data`) found in any row, sorted,
 * so a column keeps its name and place whatever order entities come in. A field whose name is a
 * fixed column is written as `data.<name>`.
 */
import type { Entity } from './appliers/entity';
import type { AuditEntry } from './audit';

/** A cell: text, number, boolean, or empty. Objects and arrays are written as their JSON. */
export type Cell = string | number | boolean | null;

export interface Table {
	/** The file name without extension and the sheet name: `individuals`, `households`, `members`, `audit_trail`. */
	name: string;
	columns: string[];
	rows: Cell[][];
}

/** One entity's audit trail, as core/audit.ts gives it. */
export interface EntityTrail {
	entityGuid: string;
	entries: readonly AuditEntry[];
}

const ENTITY_COLUMNS = ['guid', 'version', 'deleted', 'created_at', 'last_updated', 'case_worker', 'assignment_date'] as const;
const HOUSEHOLD_COLUMNS = ['guid', 'member_count', 'version', 'deleted', 'created_at', 'last_updated', 'case_worker', 'assignment_date'] as const;
const MEMBER_COLUMNS = ['household_guid', 'position', 'member_guid', 'role'];
const TRAIL_COLUMNS = ['entity_guid', 'seq', 'event_guid', 'timestamp', 'user_id', 'type', 'reason', 'applied', 'skip_reason', 'changes'];

function cell(value: unknown): Cell {
	if (value === undefined || value === null) return null;
	if (typeof value === 'string' || typeof value === 'boolean') return value;
	if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
	return JSON.stringify(value);
}

function entityTable(name: string, fixed: readonly string[], entities: readonly Entity[], fixedCells: (e: Entity) => Cell[]): Table {
	const fields = [...new Set(entities.flatMap((e) => Object.keys(e.data)))].sort();
	const columns = [...fixed, ...fields.map((f) => (fixed.includes(f) ? `data.${f}` : f))];
	const rows = entities.map((e) => [...fixedCells(e), ...fields.map((f) => cell(Object.hasOwn(e.data, f) ? e.data[f] : null))]);
	return { name, columns, rows };
}

const byGuid = (a: { guid: string }, b: { guid: string }): number => (a.guid < b.guid ? -1 : a.guid > b.guid ? 1 : 0);

/** The four tables of `entities` (any order) and their audit trails, rows sorted by guid. */
export function exportTables(entities: readonly Entity[], trails: readonly EntityTrail[]): Table[] {
	const individuals = entities.filter((e) => e.type === 'individual').sort(byGuid);
	const households = entities.filter((e) => e.type === 'group').sort(byGuid);
	const common = (e: Entity): Cell[] => [e.version, e.deleted, e.createdAt, e.lastUpdated, cell(e.caseWorker), cell(e.assignmentDate)];
	const trailRows: Cell[][] = [];
	for (const { entityGuid, entries } of [...trails].sort((a, b) => byGuid({ guid: a.entityGuid }, { guid: b.entityGuid }))) {
		entries.forEach((entry, seq) =>
			trailRows.push([
				entityGuid,
				seq,
				entry.guid,
				entry.timestamp,
				entry.userId,
				entry.type,
				cell(entry.reason),
				entry.applied,
				entry.applied ? null : entry.skip.reason,
				entry.changes.length === 0 ? null : JSON.stringify(entry.changes)
			])
		);
	}
	return [
		entityTable('individuals', ENTITY_COLUMNS, individuals, (e) => [e.guid, ...common(e)]),
		entityTable('households', HOUSEHOLD_COLUMNS, households, (e) => [e.guid, e.members?.length ?? 0, ...common(e)]),
		{
			name: 'members',
			columns: MEMBER_COLUMNS,
			rows: households.flatMap((h) => (h.members ?? []).map((m, i): Cell[] => [h.guid, i + 1, m.guid, m.role ?? null]))
		},
		{ name: 'audit_trail', columns: TRAIL_COLUMNS, rows: trailRows }
	];
}

/**
 * Text a spreadsheet would read as a formula (OWASP "CSV injection"): a field or a column name from
 * a bundle that starts with `=`, `+`, `-`, `@`, a tab or a carriage return. Such text gets a leading
 * single quote in CSV, so Excel and LibreOffice show it instead of running it. Numbers are numbers
 * and are left alone. (The XLSX export needs nothing: write-excel-file writes every string as a
 * shared string, never as a formula.)
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** `text`, with a leading `'` when a spreadsheet would take it for a formula. */
export function spreadsheetText(text: string): string {
	return FORMULA_START.test(text) ? `'${text}` : text;
}

function csvField(value: Cell): string {
	if (value === null) return '';
	const text = typeof value === 'string' ? spreadsheetText(value) : String(value);
	return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The table as CSV (RFC 4180): a header row, CRLF line ends, fields quoted only when they must be. */
export function toCsv(table: Table): string {
	return [table.columns, ...table.rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}
