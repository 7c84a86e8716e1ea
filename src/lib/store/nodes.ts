/**
 * Reads stored Merkle nodes for core's proof builders (merkle/proof.ts NodeReader). Every perfect
 * node lives on the event row of the leaf whose append completed it (db.ts): node (0, i) is that
 * row's leaf hash, node (L, i) is entry L-1 of the `nodes` of row (i+1)·2^L - 1. One call is one
 * bulkGet of the rows involved, so an inclusion proof at 100,000 events is one batched read.
 */
import { CasetrailError } from '../core/errors';
import type { NodeId, NodeReader } from '../core/merkle';
import { HASH_SIZE } from '../core/merkle';
import type { CasetrailDb, EventRow } from './db';

/** The leaf index whose event row holds node (level, index). */
export function nodeSeq(level: number, index: number): number {
	return (index + 1) * 2 ** level - 1;
}

/** Node `level` (0 = the leaf hash) stored on `row`, or undefined when the row does not hold it. */
export function nodeOfRow(row: EventRow, level: number): Uint8Array | undefined {
	if (level === 0) return row.leafHash;
	const at = (level - 1) * HASH_SIZE;
	const nodes = row.nodes;
	if (!(nodes instanceof Uint8Array) || nodes.length < at + HASH_SIZE) return undefined;
	return nodes.subarray(at, at + HASH_SIZE);
}

/**
 * A NodeReader over `db`. Run it inside a read transaction that also covers what the proof is
 * checked against (the head), so both see the same log. A node the store does not hold throws
 * 'not-found': every node a proof for a size the log has reached is perfect, so it was written.
 */
export function nodeReader(db: CasetrailDb): NodeReader {
	return async (ids: NodeId[]) => {
		const seqs = [...new Set(ids.map((id) => nodeSeq(id.level, id.index)))];
		const rows = await db.events.bulkGet(seqs);
		const bySeq = new Map<number, EventRow>();
		rows.forEach((row, k) => {
			if (row) bySeq.set(seqs[k] as number, row);
		});
		return ids.map((id) => {
			const row = bySeq.get(nodeSeq(id.level, id.index));
			const hash = row && nodeOfRow(row, id.level);
			if (!hash) throw new CasetrailError('not-found', `The Merkle node (${id.level}, ${id.index}) is missing from the store; run the integrity check.`);
			return hash;
		});
	};
}
