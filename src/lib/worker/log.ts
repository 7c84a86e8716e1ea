/**
 * The worker API for the log itself, behind the supervisor's pages: browsing the log, one event
 * with its inclusion proof (the page verifies it on its own), the whole-log integrity check with
 * progress, and the metrics. Hashes leave the worker as hex so the page shows and compares text.
 */
import { assertCan, assertCanSee, can, canSee, type EntityAccess, type User } from '../core/access';
import { bytesToHex } from '../core/encoding';
import { CasetrailError, type Result } from '../core/errors';
import type { CasetrailEvent } from '../core/event';
import { checkIntegrity, type IntegrityProblem, type IntegrityProgress, type IntegrityReport } from '../store/integrity';
import { attachmentProblems, ReferenceCollector } from '../store/attachments';
import { deviceIdentity } from './device';
import { checkSignedHistory, signedCheckpoints } from './history';
import { rebuildProjections } from '../store/rebuild';
import { getMetrics, type StoreMetrics } from '../store/metrics';
import { getEventWithProof, getTreeHead, toStoredEvent } from '../store/read';
import { exportedSize, syncStatusOf } from '../store/exports';
import type { EventRow, SyncStatus } from '../store/db';
import { longResult, result, type WorkerContext } from './context';
import { appendRateOf } from './rate';
import { accessOf as accessOfGuids } from './visibility';

export type { IntegrityProgress, IntegrityProblem } from '../store/integrity';
export type { StoreMetrics } from '../store/metrics';

/** One event of the log as the inspector shows it. */
export interface EventInspection {
	event: CasetrailEvent;
	/** The RFC 8785 canonical JSON: exactly the bytes the leaf hash covers. */
	canonical: string;
	leafIndex: number;
	/** The leaf hash stored with the event, hex. */
	leafHash: string;
	sync: SyncStatus;
	/** The inclusion proof against the current root. */
	proof: { treeSize: number; path: string[]; root: string };
}

/** How far a rebuild of the records got: events replayed of the log's total. */
export interface RebuildProgress {
	done: number;
	total: number;
}

/** What a rebuild of the records did. */
export interface RebuildView {
	/** Events replayed. */
	events: number;
	/** Records (entity guids with events) the replay produced. */
	entities: number;
	/** Stored rows (records and their snapshots) that differed from the replay and were rewritten or removed. */
	changed: number;
	rebuiltAt: string;
	ms: number;
}

/** One line of the log list. */
export interface LogEntry {
	seq: number;
	guid: string;
	entityGuid: string;
	type: string;
	timestamp: string;
	userId: string;
}

export interface LogPage {
	entries: LogEntry[];
	/** Pass as `before` for the next (older) page; null when the first event was reached. */
	next: number | null;
	/** Size of the log when the page was read. */
	size: number;
}

/** An event the integrity check found changed or missing, named as far as its row still tells. */
export interface TamperedEvent {
	seq: number;
	/** From the row's indexed copies, which are not hashed; absent when the row is gone. */
	guid?: string;
	entityGuid?: string;
	type?: string;
	timestamp?: string;
}

export interface IntegrityView {
	ok: boolean;
	size: number;
	storedRoot: string;
	computedRoot: string;
	problems: IntegrityProblem[];
	/** The events named by the problems (at most {@link TAMPERED_SHOWN}), in log order. */
	tampered: TamperedEvent[];
	/** How many events the check found changed or missing in all. */
	tamperedCount: number;
	/** When the check finished (ISO instant). */
	checkedAt: string;
	/** How long it took, in milliseconds. */
	ms: number;
}

/** Events named one by one on the integrity page: more is no help to a person. */
const TAMPERED_SHOWN = 200;
/** Records named one by one by the integrity check, for the same reason. */
const RECORDS_NAMED = 200;
const LOG_PAGE = 50;

/** Reads of the log, proofs, integrity and metrics. */
export function logApi(ctx: WorkerContext) {
	const { db } = ctx;

	/** Who the entity `entityGuid` belongs to, as far as access goes. */
	async function accessOf(entityGuid: string): Promise<EntityAccess> {
		return (await accessOfGuids(db, [entityGuid])).get(entityGuid) ?? { guid: entityGuid };
	}

	/** Whether `user` may see the entity `entityGuid` (and so its events). */
	async function maySee(user: User, entityGuid: string): Promise<boolean> {
		return can(user, 'view-all') || canSee(user, await accessOf(entityGuid));
	}

	/**
	 * The whole check: the log against itself (store/integrity.ts), then every checkpoint this device
	 * signed against the log (worker/history.ts): a consistency proof from each to the root
	 * recomputed from the events, and none larger than the log.
	 */
	async function checkLog(onProgress?: (progress: IntegrityProgress) => void, options: { records: boolean } = { records: true }): Promise<IntegrityReport> {
		const references = new ReferenceCollector();
		const report = await checkIntegrity(db, {
			onRows: references.onRows,
			onProgress: (progress) => {
				// A page that went away must not stop the check: its callback's failure is ignored.
				Promise.resolve(onProgress?.(progress)).catch(() => undefined);
			}
		});
		const history: IntegrityProblem[] = [];
		try {
			// A device that never exported signed nothing; its key need not exist yet.
			const signed = (await db.exports.count()) === 0 ? [] : await signedCheckpoints(db, (await deviceIdentity(db, ctx.now)).deviceId);
			for (const problem of await checkSignedHistory(db, signed, report.size, report.computedRoot)) {
				history.push({
					kind: problem.reason === 'truncated' ? 'checkpoint-beyond-log' : 'checkpoint-inconsistent',
					begin: Math.min(problem.treeSize, report.size),
					end: problem.treeSize,
					message: problem.message
				});
			}
		} catch (e) {
			if (!(e instanceof CasetrailError) || e.code !== 'history-inconsistent') throw e;
			history.push({ kind: 'checkpoint-invalid', begin: 0, end: report.size, message: e.message.replace(' Nothing was signed.', '') });
		}
		// Records are compared with a replay of the events, which needs every event readable.
		if (options.records && report.tampered.length === 0) history.push(...(await recordProblems()));
		// Photos and signatures: each opens and matches its hash, and each one referenced is stored.
		// Not for a rebuild (records: false): it repairs records, which do not hold the images.
		if (options.records) history.push(...(await attachmentProblems(db, references.refs)));
		if (history.length === 0) return report;
		return { ...report, ok: false, problems: [...report.problems, ...history] };
	}

	/**
	 * Every record compared with what its events project to (a replay that writes nothing): a record
	 * edited, replaced by an older sealed copy, deleted, or added on disk is named, up to
	 * {@link RECORDS_NAMED}. "Rebuild records from the log" rewrites exactly these.
	 */
	async function recordProblems(): Promise<IntegrityProblem[]> {
		const { differing } = await rebuildProjections(db, { mode: 'check' });
		const problems: IntegrityProblem[] = differing.slice(0, RECORDS_NAMED).map((guid) => ({
			kind: 'record-mismatch',
			entityGuid: guid,
			begin: 0,
			end: 0,
			message: `The stored record ${guid} differs from what its events say: it was changed, replaced by an older copy, removed or added in the device storage. "Rebuild records from the log" repairs it.`
		}));
		if (differing.length > RECORDS_NAMED) {
			problems.push({
				kind: 'record-mismatch',
				begin: 0,
				end: 0,
				message: `${differing.length - RECORDS_NAMED} more records differ from what their events say. "Rebuild records from the log" repairs them.`
			});
		}
		return problems;
	}

	return {
		/** The event with this guid, its canonical bytes, leaf and inclusion proof against the current root. */
		inspectEvent(guid: string): Promise<Result<EventInspection>> {
			return result(async () => {
				const user = assertCan(ctx.user(), 'read');
				const found = await getEventWithProof(db, guid);
				if (!found) throw new CasetrailError('not-found', `No event ${guid} is in this device's log. Check the id, or open the event from a record's history.`);
				if (!can(user, 'view-all')) assertCanSee(user, await accessOf(found.event.event.entityGuid));
				return {
					event: found.event.event,
					canonical: found.event.canonical,
					leafIndex: found.proof.leafIndex,
					leafHash: bytesToHex(found.event.leafHash),
					sync: syncStatusOf(found.event.sync, found.proof.leafIndex, await exportedSize(db)),
					proof: { treeSize: found.proof.treeSize, path: found.proof.path.map(bytesToHex), root: bytesToHex(found.proof.root) }
				};
			});
		},

		/**
		 * A page of the log, newest first: the events before leaf index `before` (default: the end).
		 * A case worker sees only the events on entities they may see.
		 */
		logEvents(options: { before?: number; limit?: number } = {}): Promise<Result<LogPage>> {
			return result(async () => {
				const user = assertCan(ctx.user(), 'read');
				const limit = options.limit ?? LOG_PAGE;
				if (!Number.isSafeInteger(limit) || limit < 1) throw new CasetrailError('out-of-range', `A page holds a whole number >= 1 of events, not ${String(limit)}.`);
				const { size } = await getTreeHead(db);
				const before = Math.min(options.before ?? size, size);
				const rows = await db.events.where('seq').below(before).reverse().limit(limit).toArray();
				const seen = new Map<string, boolean>();
				const entries: LogEntry[] = [];
				for (const row of rows) {
					let visible = seen.get(row.entityGuid);
					if (visible === undefined) {
						visible = await maySee(user, row.entityGuid);
						seen.set(row.entityGuid, visible);
					}
					if (!visible) continue;
					const { event } = toStoredEvent(row);
					entries.push({ seq: row.seq, guid: event.guid, entityGuid: event.entityGuid, type: event.type, timestamp: event.timestamp, userId: event.userId });
				}
				const last = rows[rows.length - 1];
				return { entries, next: last && last.seq > 0 && rows.length === limit ? last.seq : null, size };
			});
		},

		/**
		 * Checks the whole log (see store/integrity.ts). `onProgress` (a Comlink.proxy callback from the
		 * page) hears how far it got after every chunk. Supervisors and administrators only.
		 */
		checkIntegrity(onProgress?: (progress: IntegrityProgress) => void): Promise<Result<IntegrityView>> {
			return longResult(ctx, async () => {
				assertCan(ctx.user(), 'integrity');
				const started = performance.now();
				const report = await checkLog(onProgress);
				const named = report.tampered.slice(0, TAMPERED_SHOWN);
				const rows = await db.events.bulkGet(named);
				const tampered = named.map((seq, i) => describeRow(seq, rows[i]));
				return {
					ok: report.ok,
					size: report.size,
					storedRoot: bytesToHex(report.storedRoot),
					computedRoot: bytesToHex(report.computedRoot),
					problems: report.problems,
					tampered,
					tamperedCount: report.tampered.length,
					checkedAt: ctx.now().toISOString(),
					ms: performance.now() - started
				};
			});
		},

		/**
		 * Replays every event of the log and rewrites the records (entity projections and snapshots)
		 * that differ from what the events say, e.g. a row lost or edited in the device storage; the
		 * events themselves are never touched (store/rebuild.ts, mode 'repair'). `onProgress` hears
		 * how many events were replayed. Supervisors and administrators only, like the integrity check.
		 */
		rebuildRecords(onProgress?: (progress: RebuildProgress) => void): Promise<Result<RebuildView>> {
			return longResult(ctx, async () => {
				assertCan(ctx.user(), 'integrity');
				const started = performance.now();
				// A rebuild of a log that fails the check would rewrite the records to match a damaged or
				// truncated log, erasing the traces of what was removed: it runs only on a sound log.
				// Records that differ are what a rebuild repairs, so only the log and its signed history count here.
				const check = await checkLog(undefined, { records: false });
				const first = check.problems[0];
				if (!check.ok) {
					const more = check.problems.length > 1 ? ` (and ${check.problems.length - 1} more problems)` : '';
					throw new CasetrailError(
						'integrity-failed',
						`The records were not rebuilt: the log fails the integrity check${more}. ${first ? first.message : 'Its root does not match its events.'} Rebuilding now would erase the traces; export what you can and ask for help.`
					);
				}
				const rebuilt = await rebuildProjections(db, {
					onProgress: (done, total) => {
						Promise.resolve(onProgress?.({ done, total })).catch(() => undefined);
					}
				});
				// Every event was replayed: the log's size is their number.
				if (rebuilt.changed > 0) ctx.announce({ size: rebuilt.events });
				return { ...rebuilt, rebuiltAt: ctx.now().toISOString(), ms: performance.now() - started };
			});
		},

		/** The log's metrics; supervisors and administrators only. */
		metrics(): Promise<Result<StoreMetrics>> {
			return result(async () => {
				assertCan(ctx.user(), 'metrics');
				return getMetrics(db, appendRateOf(ctx));
			});
		}
	};
}

/** What a row still tells about the event it held; its copies may themselves be what was changed. */
function describeRow(seq: number, row: EventRow | undefined): TamperedEvent {
	if (!row) return { seq };
	const out: TamperedEvent = { seq };
	if (typeof row.guid === 'string') out.guid = row.guid;
	if (typeof row.entityGuid === 'string') out.entityGuid = row.entityGuid;
	if (typeof row.type === 'string') out.type = row.type;
	if (typeof row.timestamp === 'string') out.timestamp = row.timestamp;
	return out;
}
