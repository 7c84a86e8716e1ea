/**
 * Reads stored Merkle nodes for core's proof builders (merkle/proof.ts NodeReader): level-0 nodes
 * are the leaf hashes on event rows, higher levels are rows of `nodes`. One call is one batched read
 * per table, so an inclusion proof at 100,000 events is two bulkGets.
 */
import { CasetrailError } from '../core/errors';
import type { NodeId, NodeReader } from '../core/merkle';
import type { CasetrailDb } from './db';

/**
 * A NodeReader over `db`. Run it inside a read transaction that also covers what the proof is
 * checked against (the head), so both see the same log. A node the store does not hold throws
 * 'not-found': every node a proof for a size the log has reached is perfect and was written.
 */
export function nodeReader(db: CasetrailDb): NodeReader {
	return async (ids: NodeId[]) => {
		const leafAt: number[] = [];
		const leafSeqs: number[] = [];
		const nodeAt: number[] = [];
		const nodeKeys: [number, number][] = [];
		ids.forEach((id, i) => {
			if (id.level === 0) {
				leafAt.push(i);
				leafSeqs.push(id.index);
			} else {
				nodeAt.push(i);
				nodeKeys.push([id.level, id.index]);
			}
		});
		const [leaves, nodes] = await Promise.all([
			leafSeqs.length > 0 ? db.events.bulkGet(leafSeqs) : [],
			nodeKeys.length > 0 ? db.nodes.bulkGet(nodeKeys) : []
		]);
		const hashes = new Array<Uint8Array>(ids.length);
		leaves.forEach((row, k) => {
			if (!row) throw missing(0, leafSeqs[k] as number);
			hashes[leafAt[k] as number] = row.leafHash;
		});
		nodes.forEach((row, k) => {
			const key = nodeKeys[k] as [number, number];
			if (!row) throw missing(key[0], key[1]);
			hashes[nodeAt[k] as number] = row.hash;
		});
		return hashes;
	};
}

function missing(level: number, index: number): CasetrailError {
	return new CasetrailError('not-found', `The Merkle node (${level}, ${index}) is missing from the store; run the integrity check.`);
}
