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
import { bytesToBase64url, bytesToHex, equalBytes, hexToBytes } from '../src/lib/core/encoding';
import { bundleNodes, compareByConsistency, rootDeterminedAt } from '../src/lib/core/bundle/nodes';
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

/** A bundle that cannot be compared with a checkpoint kept of its device: refused, nothing stored, no evidence. */
class MissingProof extends Error {
	override readonly name = 'MissingProof';
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
			const { fork, missingProof } = await findFork(tx, verified);
			if (fork) throw new ForkDetected(fork);
			if (missingProof) throw new MissingProof(missingProof);
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
		if (e instanceof MissingProof) return { ok: false, error: { code: 'missing-consistency-proof', message: e.message } };
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
 * The first disagreement between `v` and the checkpoints kept for its device, or else why `v`
 * cannot be compared with one of them (undefined both when it extends them).
 *
 * Where two ranges [from, treeSize] overlap, both bundles give the root at the overlap's start and
 * the leaves after it: equal roots there and equal leaves mean one log. A kept checkpoint smaller
 * than `v` that no range overlaps (a gap: having events 1 to 10, a bundle from 13 on) is compared by
 * root: the root `v`'s consistency proof proves for that size (version 2), or the root its own prefix
 * nodes determine. When neither gives that root, `v` is refused as `missing-consistency-proof` if it
 * is version 2 or its device sent version 2 before (core/bundle/nodes.ts's compareByConsistency,
 * which the app's import runs too); a version 1 bundle of a device that never sent version 2 is
 * accepted across the gap, and the bundle that later fills it overlaps both and is checked against
 * both.
 */
async function findFork(tx: Sql, v: VerifiedBundle): Promise<{ fork?: Fork; missingProof?: string }> {
	const byRoot = await compareRoots(tx, v);
	if (byRoot.fork) return byRoot;
	const fork = await findOverlapFork(tx, v);
	return fork ? { fork } : byRoot;
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

/**
 * The kept checkpoints smaller than `v`, each compared by the root `v` proves (consistency entry)
 * or determines (its nodes) for its size: the first that differs is a fork; the first whose root
 * `v` neither proves nor determines, when proofs are expected, is a missing proof.
 */
async function compareRoots(tx: Sql, v: VerifiedBundle): Promise<{ fork?: Fork; missingProof?: string }> {
	const rows = await tx.query<{ tree_size: string | number; root_hash: string; jws: string; issued_at: string; format_version: string | number }>(
		`SELECT c.tree_size, encode(c.root_hash, 'hex') AS root_hash, c.jws, to_char(c.issued_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS issued_at, d.format_version
		FROM casetrail.devices d JOIN casetrail.checkpoints c ON c.device_id = d.device_id
		WHERE d.device_id = $1 AND c.tree_size > 0 AND c.tree_size < $2 ORDER BY c.tree_size`,
		[v.deviceId, v.treeSize]
	);
	if (rows.length === 0) return {};
	const kept = rows.map((r) => ({
		treeSize: Number(r.tree_size),
		rootHash: bytesToBase64url(hexToBytes(r.root_hash)),
		hex: r.root_hash,
		jws: r.jws,
		issuedAt: r.issued_at
	}));
	const formatVersion = Math.max(...rows.map((r) => Number(r.format_version)));
	const nodes = bundleNodes(v.from, v.prefix, v.leafHashes);
	const compared = compareByConsistency(v, { checkpoints: kept, formatVersion }, nodes);
	const { conflict } = compared;
	if (conflict) {
		const k = { treeSize: conflict.seen.treeSize, rootHash: conflict.seen.hex, jws: conflict.seen.jws };
		return { fork: forkOf(v, k, k.treeSize, `the root of its first ${k.treeSize} events, which its consistency proof proves,`) };
	}
	const proven = new Set(v.consistency.map((c) => c.treeSize));
	for (const k of kept) {
		if (proven.has(k.treeSize)) continue;
		const root = rootDeterminedAt(nodes, k.treeSize);
		if (root && bytesToHex(root) !== k.hex) {
			return { fork: forkOf(v, { treeSize: k.treeSize, rootHash: k.hex, jws: k.jws }, k.treeSize, `the root of its first ${k.treeSize} events, which its own prefix determines,`) };
		}
	}
	const missing = compared.missingProof?.seen;
	if (!missing) return {};
	const why = v.version === 1 ? 'it is a version 1 bundle, and that device has sent version 2 bundles before' : `it carries no consistency proof from size ${missing.treeSize}`;
	return {
		missingProof: `The bundle of device ${v.deviceId} (${v.treeSize} events) cannot be checked against the checkpoint of ${missing.treeSize} events the registry holds (signed ${missing.issuedAt}): ${why}, and it does not hold those events. Nothing was stored; ask for a new export from that device.`
	};
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
		version: v.version,
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
