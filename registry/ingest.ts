/**
 * Ingest: verifies a bundle with core's verifyBundle (the very check `casetrail verify` runs, so
 * every bundle version core reads is accepted here), checks it against what the registry already
 * holds for its device, and stores it in one transaction as the application role: events, the
 * device's leaves, the checkpoint and the read model of the entities it changed. A bundle that
 * fails any of this changes nothing, except that a fork leaves its evidence.
 */
import { CasetrailError, isCasetrailError, type ErrorData } from '../src/lib/core/errors';
import { verifyBundle } from '../src/lib/core/bundle/verify';
import type { VerifiedBundle } from '../src/lib/core/bundle/types';
import { canonicalJson } from '../src/lib/core/canonical';
import { instantOf } from '../src/lib/core/event';
import { bytesToHex, equalBytes, hexToBytes } from '../src/lib/core/encoding';
import { rootFromRange } from '../src/lib/core/merkle/compact';
import type { Database, Sql } from './db';
import { refreshReadModel } from './readmodel';

export type IngestOutcome =
	| { ok: true; status: 'ingested' | 'unchanged'; deviceId: string; treeSize: number; events: number; newEvents: number }
	| { ok: false; error: ErrorData };

/** Where a bundle disagrees with a checkpoint the registry kept for the same device. */
interface Fork {
	deviceId: string;
	differsAt: number;
	keptTreeSize: number;
	keptRootHash: string;
	keptCheckpoint: string;
	refusedTreeSize: number;
	refusedRootHash: string;
	refusedCheckpoint: string;
	reason: string;
}

class ForkDetected extends Error {
	override readonly name = 'ForkDetected';
	constructor(readonly fork: Fork) {
		super(fork.reason);
	}
}

/**
 * Verifies and stores one bundle (JSON text) in `db`, which must be migrated. Returns plain data:
 * `ingested` (with how many events were new), `unchanged` (this very bundle was ingested before),
 * or the error: a verification code, `fork-detected` or `event-conflict`. Throws only when the
 * database itself fails.
 */
export async function ingestBundle(db: Database, text: string): Promise<IngestOutcome> {
	let verified: VerifiedBundle;
	try {
		verified = await verifyBundle(text);
	} catch (e) {
		if (isCasetrailError(e)) return { ok: false, error: e.toData() };
		throw e;
	}
	const summary = { deviceId: verified.deviceId, treeSize: verified.treeSize, events: verified.events.length };
	try {
		const result = await db.transaction(async (tx) => {
			await tx.query('SET LOCAL ROLE casetrail_app');
			const entityGuids = [...new Set(verified.events.map((e) => e.entityGuid))];
			await tx.query('SELECT casetrail.lock_for_ingest($1, $2::text::jsonb)', [verified.deviceId, JSON.stringify(entityGuids)]);
			if (await alreadyIngested(tx, verified)) return { status: 'unchanged' as const, newEvents: 0 };
			const fork = await findFork(tx, verified);
			if (fork) throw new ForkDetected(fork);
			const [row] = await tx.query<{ r: { added: number | string; entityGuids: string[] } }>('SELECT casetrail.ingest_bundle($1::text::jsonb) AS r', [
				JSON.stringify(bundleRows(verified))
			]);
			const stored = toJsonValue(row?.r) as { added: number | string; entityGuids: string[] };
			await refreshReadModel(tx, stored.entityGuids);
			return { status: 'ingested' as const, newEvents: Number(stored.added) };
		});
		return { ok: true, ...summary, ...result };
	} catch (e) {
		if (e instanceof ForkDetected) {
			await db.transaction(async (tx) => {
				await tx.query('SET LOCAL ROLE casetrail_app');
				await tx.query('SELECT casetrail.record_fork($1::text::jsonb)', [JSON.stringify(e.fork)]);
			});
			return { ok: false, error: { code: 'fork-detected', message: e.fork.reason } };
		}
		const refused = refusalOf(e);
		if (refused) return { ok: false, error: refused };
		throw e;
	}
}

/** The postgres driver hands jsonb back parsed; PGlite too, but a text cast would not be: accept both. */
function toJsonValue(value: unknown): unknown {
	return typeof value === 'string' ? JSON.parse(value) : value;
}

/** The database's own refusals (casetrail.ingest_bundle and its constraints) as stable codes. */
function refusalOf(e: unknown): ErrorData | undefined {
	const code = typeof e === 'object' && e !== null && 'code' in e ? (e as { code: unknown }).code : undefined;
	const message = e instanceof Error ? e.message : '';
	if (code === 'CT002') return { code: 'fork-detected', message: `${message.replace(/^fork-detected: /, '')}; the device rewrote its log. Nothing was stored.` };
	// CT003, or the device_log foreign key when a concurrent ingest stored the guid with other bytes.
	if (code === 'CT003' || code === '23503') {
		return { code: 'event-conflict', message: 'An event in the bundle has the guid of a stored event but other contents; one of the two devices altered it. Nothing was stored.' };
	}
	return undefined;
}

async function alreadyIngested(tx: Sql, v: VerifiedBundle): Promise<boolean> {
	const rows = await tx.query(
		`SELECT 1 FROM casetrail.checkpoints WHERE device_id = $1 AND tree_size = $2 AND root_hash = decode($3, 'hex') AND from_index = $4`,
		[v.deviceId, v.treeSize, bytesToHex(v.rootHash), v.from]
	);
	return rows.length > 0;
}

interface StoredCheckpoint {
	from: number;
	treeSize: number;
	rootHash: string;
	prefix: Uint8Array[];
	jws: string;
}

/**
 * The first disagreement between `v` and the checkpoints kept for its device whose ranges
 * [from, treeSize] overlap v's, or undefined. Where two ranges overlap, both bundles give the root
 * at the overlap's start and the leaves after it: equal roots there and equal leaves mean one log.
 * A version 2 bundle also proves the root its signed tree had at each earlier size its device signed:
 * a kept checkpoint of that size with another root is a fork, even across a gap (having events 1 to
 * 10, a bundle from 13 on that rewrote 9 and 10). Ranges that do not overlap and that no proof links
 * cannot be compared (version 1 bundles); the bundle that later fills the gap overlaps both and is
 * checked against both.
 */
async function findFork(tx: Sql, v: VerifiedBundle): Promise<Fork | undefined> {
	return (await findProvenFork(tx, v)) ?? (await findOverlapFork(tx, v));
}

function forkOf(v: VerifiedBundle, kept: { treeSize: number; rootHash: string; jws: string }, differsAt: number, what: string): Fork {
	return {
		deviceId: v.deviceId,
		differsAt,
		keptTreeSize: kept.treeSize,
		keptRootHash: kept.rootHash,
		keptCheckpoint: kept.jws,
		refusedTreeSize: v.treeSize,
		refusedRootHash: bytesToHex(v.rootHash),
		refusedCheckpoint: v.checkpoint,
		reason: `Device ${v.deviceId} signed two different logs: ${what} differs from the checkpoint of ${kept.treeSize} events the registry holds. Both checkpoints are kept in casetrail.forks as evidence; nothing of this bundle was stored.`
	};
}

/** A kept checkpoint whose root differs from the one `v`'s consistency proof proves for its size. */
async function findProvenFork(tx: Sql, v: VerifiedBundle): Promise<Fork | undefined> {
	if (v.consistency.length === 0) return undefined;
	const rows = await tx.query<{ tree_size: string | number; root_hash: string; jws: string }>(
		`SELECT tree_size, encode(root_hash, 'hex') AS root_hash, jws FROM casetrail.checkpoints
		WHERE device_id = $1 AND tree_size = ANY($2::bigint[]) ORDER BY tree_size`,
		[v.deviceId, `{${v.consistency.map((c) => c.treeSize).join(',')}}`]
	);
	for (const row of rows) {
		const treeSize = Number(row.tree_size);
		const proven = v.consistency.find((c) => c.treeSize === treeSize);
		if (proven && bytesToHex(proven.rootHash) !== row.root_hash) {
			return forkOf(v, { treeSize, rootHash: row.root_hash, jws: row.jws }, treeSize, `the root of its first ${treeSize} events, which its consistency proof proves,`);
		}
	}
	return undefined;
}

/** The first disagreement between `v` and the kept checkpoints whose ranges overlap its own. */
async function findOverlapFork(tx: Sql, v: VerifiedBundle): Promise<Fork | undefined> {
	const rows = await tx.query<{ from_index: string | number; tree_size: string | number; root_hash: string; prefix: string; jws: string }>(
		`SELECT from_index, tree_size, encode(root_hash, 'hex') AS root_hash,
			array_to_json(ARRAY(SELECT encode(p, 'hex') FROM unnest(prefix) WITH ORDINALITY AS u(p, n) ORDER BY n))::text AS prefix, jws
		FROM casetrail.checkpoints WHERE device_id = $1 AND from_index <= $2 AND tree_size >= $3 ORDER BY tree_size, from_index`,
		[v.deviceId, v.treeSize, v.from]
	);
	if (rows.length === 0) return undefined;
	const kept: StoredCheckpoint[] = rows.map((r) => ({
		from: Number(r.from_index),
		treeSize: Number(r.tree_size),
		rootHash: r.root_hash,
		prefix: (JSON.parse(r.prefix) as string[]).map((h) => hexToBytes(h)),
		jws: r.jws
	}));
	const lowest = Math.min(...kept.map((k) => k.from));
	const leaves = new Map<number, Uint8Array>();
	for (const r of await tx.query<{ i: string | number; h: string }>(
		`SELECT leaf_index AS i, encode(leaf_hash, 'hex') AS h FROM casetrail.device_log WHERE device_id = $1 AND leaf_index >= $2 AND leaf_index < $3`,
		[v.deviceId, lowest, v.treeSize]
	)) {
		leaves.set(Number(r.i), hexToBytes(r.h));
	}
	const fork = (k: StoredCheckpoint, differsAt: number, what: string): Fork => forkOf(v, k, differsAt, what);
	for (let i = 0; i < v.leafHashes.length; i++) {
		const stored = leaves.get(v.from + i);
		if (stored && !equalBytes(stored, v.leafHashes[i] as Uint8Array)) {
			const k = kept.find((c) => c.from <= v.from + i && v.from + i < c.treeSize) ?? (kept[0] as StoredCheckpoint);
			return fork(k, v.from + i, `its event at log position ${v.from + i}`);
		}
	}
	for (const k of kept) {
		const at = Math.max(v.from, k.from);
		const storedLeaves: Uint8Array[] = [];
		for (let i = k.from; i < at; i++) {
			const leaf = leaves.get(i);
			if (!leaf) throw new CasetrailError('storage-failed', `The registry lacks leaf ${i} of device ${v.deviceId} that its checkpoint of ${k.treeSize} events covers.`);
			storedLeaves.push(leaf);
		}
		const theirs = rootFromRange(k.from, k.prefix, storedLeaves);
		const ours = rootFromRange(v.from, v.prefix, v.leafHashes.slice(0, at - v.from));
		if (!equalBytes(theirs, ours)) return fork(k, at, `the root of its first ${at} events`);
	}
	return undefined;
}

/** What casetrail.ingest_bundle takes; short member names keep the JSON small at 1M events. */
function bundleRows(v: VerifiedBundle) {
	return {
		deviceId: v.deviceId,
		publicJwk: v.publicJwk,
		from: v.from,
		prefix: v.prefix.map(bytesToHex),
		treeSize: v.treeSize,
		rootHash: bytesToHex(v.rootHash),
		issuedAt: v.issuedAt,
		checkpoint: v.checkpoint,
		events: v.events.map((e, i) => ({
			i: v.from + i,
			g: e.guid,
			e: e.entityGuid,
			t: e.type,
			d: e.data,
			m: e.metadata ?? null,
			c: e.context ?? null,
			u: e.userId,
			o: new Date(instantOf(e)).toISOString(),
			x: canonicalJson(e),
			h: bytesToHex(v.leafHashes[i] as Uint8Array)
		}))
	};
}
