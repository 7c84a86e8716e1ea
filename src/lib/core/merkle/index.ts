/**
 * The RFC 6962 / RFC 9162 Merkle tree of the event log: hashing, the compact range that appends and
 * gives roots, proofs built from stored perfect nodes, and independent verifiers.
 */
export { HASH_SIZE, digest, emptyRoot, isHash, leafHash, nodeHash, useSha256, type Sha256 } from './hash';
export { isIndex, popcount } from './bits';
export {
	CompactRange,
	compactRangeNodes,
	foldCompactRange,
	rootFromRange,
	type CompactRangeState,
	type NodeId,
	type NodeVisitor
} from './compact';
export {
	compactRangeAt,
	consistencyProof,
	consistencyProofNodes,
	inclusionProof,
	inclusionProofNodes,
	rehash,
	rootAt,
	type NodeReader,
	type ProofNodes
} from './proof';
export { rootFromInclusionProof, verifyConsistency, verifyInclusion } from './verify';
