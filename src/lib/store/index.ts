/**
 * The event store of Casetrail (runs in the worker): the Dexie schema, appends in one transaction
 * with the Merkle log and projections, reads and proofs, the integrity check, the projection
 * rebuild, metrics and storage helpers. Plain async functions taking the database.
 */
export { DB_NAME, SCHEMA_VERSION, isOutdated, openDb } from './db';
export type { CasetrailDb, EntityRow, EventOrigin, EventRow, OpenOptions, SnapshotRow, SyncStatus } from './db';
export { appendEvents, type AppendOptions, type AppendResult } from './append';
export type { SkippedEvent } from './fold';
export {
	eventsSince,
	getConsistencyProof,
	getEntity,
	getEntityEvents,
	getEvent,
	getEventWithProof,
	getRootAt,
	getTreeHead,
	iterateLog,
	listEntities,
	verifyConsistencyProof,
	verifyEventProof,
	type ConsistencyProof,
	type EntityCursor,
	type EntityPage,
	type EntityQuery,
	type EventPage,
	type EventWithProof,
	type InclusionProof,
	type StoredEvent,
	type TreeHead
} from './read';
export {
	checkIntegrity,
	syncLeafHasher,
	webCryptoLeafHasher,
	type IntegrityOptions,
	type IntegrityProblem,
	type IntegrityProblemKind,
	type IntegrityProgress,
	type IntegrityReport,
	type LeafHasher
} from './integrity';
export { rebuildProjections, type RebuildOptions, type RebuildResult } from './rebuild';
export { getMetrics, treeDepth, type StoreMetrics } from './metrics';
export { AppendRate } from './rate';
export { estimateStorage, requestPersistence, type Persistence, type StorageEstimateInfo, type StorageLike } from './storage';
export { storeError } from './errors';
