/**
 * Event types and what they do to an entity: the Entity type, the applier registry (built-ins and
 * custom types register alike), and evolve, the one step of every projection.
 */
export { SKIP_REASONS, isSkip, skip, type Entity, type Member, type Skip, type SkipReason } from './entity';
export { ApplierRegistry, type Applier, type EntityBody } from './registry';
export {
	BUILTIN_TYPES,
	addMember,
	createGroup,
	createIndividual,
	deleteEntity,
	isBuiltinType,
	registerBuiltins,
	removeMember,
	updateGroup,
	updateIndividual,
	type BuiltinType
} from './builtins';
export { addAssignedAt, assignCaseWorker, registerCaseWorker, renameCaseWorker } from './case-worker';
export { createRegistry } from './defaults';
export { evolve, Replay, type EvolveResult } from './evolve';
