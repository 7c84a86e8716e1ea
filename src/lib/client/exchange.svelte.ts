/**
 * The exchange page's state: exporting (with progress from the worker, then a file to download or
 * share), verifying a chosen bundle before importing it, importing it, and the devices seen. The
 * worker does all the work; this class only holds what the page shows.
 */
import * as Comlink from 'comlink';
import type { CasetrailError } from '$lib/core/errors';
import type { DeviceView } from '$lib/store/peers';
import type { BundleSummary, ExportProgress, ExportResult, ExportStatusView, ImportPhase, ImportProgress, ImportResult } from '$lib/worker/bundles';
import type { ExportStart } from '$lib/store/exports';
import { asCasetrailError, handleFailure } from './failure';
import { call, workerApi } from './worker';

/** A finished export, ready to leave the device. */
export interface ExportedFile {
	result: Omit<ExportResult, 'blob'>;
	file: File;
	/** A blob: URL for the download link; revoked when replaced or when the page goes. */
	url: string;
	/** True when this browser can hand the file to the system share sheet (Web Share with files). */
	shareable: boolean;
}

function canShareFile(file: File): boolean {
	try {
		return typeof navigator !== 'undefined' && typeof navigator.canShare === 'function' && navigator.canShare({ files: [file] });
	} catch {
		return false;
	}
}

export class Exchange {
	status: ExportStatusView | undefined = $state.raw();
	statusError: CasetrailError | undefined = $state.raw();

	exporting = $state(false);
	progress: ExportProgress | undefined = $state.raw();
	exported: ExportedFile | undefined = $state.raw();
	exportError: CasetrailError | undefined = $state.raw();
	shareError = $state(false);

	/** The file chosen for verification, kept for the Import button. */
	file: File | undefined = $state.raw();
	checking = $state(false);
	summary: BundleSummary | undefined = $state.raw();
	verifyError: CasetrailError | undefined = $state.raw();
	importing = $state(false);
	phase: ImportPhase | undefined = $state();
	/** How far the import is in its phase (nodes, events, publishing), as the worker reports it. */
	importProgress: ImportProgress | undefined = $state.raw();
	imported: ImportResult | undefined = $state.raw();
	importError: CasetrailError | undefined = $state.raw();

	devices: DeviceView[] | undefined = $state.raw();
	devicesError: CasetrailError | undefined = $state.raw();

	/** Loads the export status and the devices seen. */
	async refresh(): Promise<void> {
		const api = workerApi();
		try {
			this.status = await call(api.exportStatus());
			this.statusError = undefined;
		} catch (e) {
			this.statusError = handleFailure(e);
		}
		try {
			this.devices = await call(api.devicesSeen());
			this.devicesError = undefined;
		} catch (e) {
			this.devicesError = asCasetrailError(e);
		}
	}

	/** Exports the whole log or everything since the last export, following the worker's progress. */
	async export(start: ExportStart): Promise<void> {
		this.exporting = true;
		this.progress = undefined;
		this.exportError = undefined;
		this.shareError = false;
		this.release();
		try {
			const done = await call(workerApi().exportBundle({ start }, Comlink.proxy((p: ExportProgress) => (this.progress = p))));
			const { blob, ...result } = done;
			const file = new File([blob], done.fileName, { type: 'application/json' });
			this.exported = { result, file, url: URL.createObjectURL(file), shareable: canShareFile(file) };
		} catch (e) {
			this.exportError = handleFailure(e);
		} finally {
			this.exporting = false;
		}
		await this.refresh();
	}

	/** Hands the exported file to the system share sheet; a cancelled share is not an error. */
	async share(): Promise<void> {
		const exported = this.exported;
		if (!exported) return;
		this.shareError = false;
		try {
			await navigator.share({ files: [exported.file], title: exported.file.name });
		} catch (e) {
			if (!(e instanceof DOMException && e.name === 'AbortError')) this.shareError = true;
		}
	}

	/** Verifies a chosen file without importing anything. */
	async verify(file: File | undefined): Promise<void> {
		this.file = file;
		this.summary = undefined;
		this.verifyError = undefined;
		this.imported = undefined;
		this.importError = undefined;
		if (!file) return;
		this.checking = true;
		try {
			this.summary = await call(workerApi().inspectBundle(file));
		} catch (e) {
			this.verifyError = handleFailure(e);
		} finally {
			this.checking = false;
		}
	}

	/** Imports the verified file (the worker verifies it again unless it reads the very bytes it just verified: worker/bundles.ts VerifiedMemory). */
	async import(): Promise<void> {
		const file = this.file;
		if (!file) return;
		this.importing = true;
		this.imported = undefined;
		this.importError = undefined;
		this.phase = undefined;
		this.importProgress = undefined;
		try {
			this.imported = await call(
				workerApi().importBundle(
					file,
					Comlink.proxy((p: ImportPhase) => (this.phase = p)),
					Comlink.proxy((p: ImportProgress) => (this.importProgress = p))
				)
			);
		} catch (e) {
			this.importError = handleFailure(e);
		} finally {
			this.importing = false;
			this.importProgress = undefined;
		}
		await this.refresh();
	}

	/** Frees the download URL of the last export. */
	release(): void {
		if (this.exported) URL.revokeObjectURL(this.exported.url);
		this.exported = undefined;
	}
}
