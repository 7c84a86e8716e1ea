/** The registry every projection uses unless it is given another: built-ins plus the shipped custom types. */
import { registerBuiltins } from './builtins';
import { registerCaseWorker } from './case-worker';
import { registerDomainEvents } from './domain-events';
import { ApplierRegistry } from './registry';

/**
 * A new registry with the built-in types, the shipped custom type `assign-case-worker` with its
 * upcasters, and the domain events follow-up forms record (domain-events.ts). Each call returns a
 * fresh one, so registering a custom type on it affects no other projection.
 */
export function createRegistry(): ApplierRegistry {
	const registry = new ApplierRegistry();
	registerBuiltins(registry);
	registerCaseWorker(registry);
	registerDomainEvents(registry);
	return registry;
}

/** Used when no registry is passed. Kept out of the public index so that nothing registers on it. */
export const defaultRegistry: ApplierRegistry = createRegistry();
