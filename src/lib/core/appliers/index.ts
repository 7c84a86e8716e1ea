/**
 * Event types and what they do to an entity: the Entity type, the applier registry (built-ins and
 * custom types register alike), and evolve, the one step of every projection.
 */
export { SKIP_REASONS, isSkip, skip, type Entity, type Member, type Skip, type SkipReason } from './entity';
export { ApplierRegistry, type Applier, type EntityBody } from './registry';
export {
	addMember,
	createGroup,
	createIndividual,
	deleteEntity,
	registerBuiltins,
	removeMember,
	updateGroup,
	updateIndividual
} from './builtins';
export { assignCaseWorker, registerCaseWorker } from './case-worker';
export { createRegistry } from './defaults';
export { evolve, type EvolveResult } from './evolve';
