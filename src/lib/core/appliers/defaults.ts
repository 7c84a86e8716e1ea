/** The registry every projection uses unless it is given another: built-ins plus the shipped custom types. */
import { createUpcasters } from '../upcast';
import { registerBuiltins } from './builtins';
import { registerCaseWorker } from './case-worker';
import { ApplierRegistry } from './registry';

/**
 * A new registry with the built-in types, the shipped custom type `assign-case-worker`, and the
 * built-in upcasters. Each call returns a fresh one, so registering a custom type on it affects no
 * other projection.
 */
export function createRegistry(): ApplierRegistry {
	const registry = new ApplierRegistry(createUpcasters());
	registerBuiltins(registry);
	registerCaseWorker(registry);
	return registry;
}

/** Used when no registry is passed. Kept out of the public index so that nothing registers on it. */
export const defaultRegistry: ApplierRegistry = createRegistry();
