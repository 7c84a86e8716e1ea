/**
 * An in-memory node store for tests: filled through CompactRange.append's visitor exactly as the
 * IndexedDB store is, and read through a batched NodeReader that records every batch.
 */
import { leafHash } from '../../../../src/lib/core/merkle/hash';
import { CompactRange, type NodeId } from '../../../../src/lib/core/merkle/compact';
import type { NodeReader } from '../../../../src/lib/core/merkle/proof';

/** Distinct leaf hashes for tests: leaf i is the UTF-8 of "event i". */
export function testLeafHashes(count: number): Uint8Array[] {
	const encoder = new TextEncoder();
	return Array.from({ length: count }, (_, i) => leafHash(encoder.encode(`event ${i}`)));
}

export class MemoryNodeStore {
	readonly nodes = new Map<string, Uint8Array>();
	readonly range = new CompactRange();
	/** Each batch the reader was asked for, in order. */
	readonly batches: NodeId[][] = [];
	/** How many times the visitor reported a node that was already stored (must stay 0). */
	rewrites = 0;

	/** Appends each leaf hash, persisting every node the visitor reports. */
	appendAll(leafHashes: readonly Uint8Array[]): this {
		for (const hash of leafHashes) {
			this.range.append(hash, (level, index, node) => {
				const key = `${level}:${index}`;
				if (this.nodes.has(key)) this.rewrites++;
				this.nodes.set(key, node);
			});
		}
		return this;
	}

	/** A batched reader; a missing node throws, as a store would. */
	readonly read: NodeReader = async (ids) => {
		this.batches.push(ids);
		return ids.map(({ level, index }) => {
			const hash = this.nodes.get(`${level}:${index}`);
			if (!hash) throw new Error(`node (${level}, ${index}) is not stored`);
			return hash;
		});
	};
}
