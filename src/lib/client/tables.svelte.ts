/**
 * The exchange page's "tables for a data team": the worker gathers the flat tables of what the
 * signed-in user may see (core/tables.ts, the same tables as the registry's `casetrail export`);
 * this class turns them into files to download: one CSV per table, and on request one XLSX
 * workbook. The XLSX writer (write-excel-file) is loaded only when that button is pressed, so it
 * adds nothing to the pages everyone loads.
 */
import type { CasetrailError } from '$lib/core/errors';
import { toCsv, type Table } from '$lib/core/tables';
import { handleFailure } from './failure';
import { call, workerApi } from './worker';

export interface TableFile {
	name: string;
	rows: number;
	/** A blob: URL for the download link; revoked by release(). */
	url: string;
}

export class TablesExport {
	preparing = $state(false);
	files: TableFile[] | undefined = $state.raw();
	workbook: TableFile | undefined = $state.raw();
	writingWorkbook = $state(false);
	error: CasetrailError | undefined = $state.raw();
	#tables: Table[] = [];

	/** Gathers the tables and makes one CSV file per table. */
	async prepare(): Promise<void> {
		this.release();
		this.preparing = true;
		this.error = undefined;
		try {
			this.#tables = await call(workerApi().exportTables());
			this.files = this.#tables.map((t) => ({
				name: `${t.name}.csv`,
				rows: t.rows.length,
				// A byte order mark, so spreadsheet programs read the file as UTF-8 and not a local code page.
				url: URL.createObjectURL(new Blob(['\uFEFF', toCsv(t)], { type: 'text/csv;charset=utf-8' }))
			}));
		} catch (e) {
			this.error = handleFailure(e);
		} finally {
			this.preparing = false;
		}
	}

	/** Writes the prepared tables as one XLSX workbook, a sheet per table. */
	async makeWorkbook(): Promise<void> {
		if (this.#tables.length === 0 || this.workbook) return;
		this.writingWorkbook = true;
		try {
			const { default: writeXlsxFile } = await import('write-excel-file/browser');
			const blob = await writeXlsxFile(this.#tables.map((t) => ({ sheet: t.name, data: [t.columns, ...t.rows], stickyRowsCount: 1 }))).toBlob();
			this.workbook = { name: 'casetrail-tables.xlsx', rows: this.#tables.reduce((n, t) => n + t.rows.length, 0), url: URL.createObjectURL(blob) };
		} catch (e) {
			this.error = handleFailure(e);
		} finally {
			this.writingWorkbook = false;
		}
	}

	/** Frees the download URLs. */
	release(): void {
		for (const f of this.files ?? []) URL.revokeObjectURL(f.url);
		if (this.workbook) URL.revokeObjectURL(this.workbook.url);
		this.files = undefined;
		this.workbook = undefined;
		this.#tables = [];
	}
}
