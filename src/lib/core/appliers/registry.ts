/**
 * The registry of event types a projection knows: one applier per type, and the upcasters that bring
 * older versions of a custom type to the version its applier reads. Built-in and custom types
 * register their appliers the same way; only custom types have upcasters.
 */
import { CasetrailError } from '../errors';
import type { CasetrailEvent } from '../event';
import { UpcasterRegistry } from '../upcast';
import type { Entity, Skip } from './entity';

/** The part of an entity an applier decides; evolve adds guid, version, createdAt and lastUpdated. */
export type EntityBody = Omit<Entity, 'guid' | 'version' | 'createdAt' | 'lastUpdated'>;

/**
 * Applies one event (a custom type's already upcast to its current version; a built-in one as
 * recorded) to the entity it names:
 * `entity` is undefined when the entity does not exist yet. Returns the entity's new body, or a
 * {@link Skip} saying why the event does not fit. An applier gets its own copies of both arguments,
 * so it may reuse parts of them in its result; it must be deterministic (no clock, no randomness).
 */
export type Applier = (entity: Entity | undefined, event: CasetrailEvent) => EntityBody | Skip;

export class ApplierRegistry {
	readonly upcasters: UpcasterRegistry;
	readonly #appliers = new Map<string, Applier>();

	constructor(upcasters: UpcasterRegistry = new UpcasterRegistry()) {
		this.upcasters = upcasters;
	}

	/**
	 * Registers the applier of `type`. Throws CasetrailError('validation-failed') when the type
	 * already has one: replacing an applier silently would change what existing events project to.
	 */
	register(type: string, applier: Applier): this {
		if (this.#appliers.has(type)) {
			throw new CasetrailError('validation-failed', `An applier for ${type} is already registered.`);
		}
		this.#appliers.set(type, applier);
		return this;
	}

	get(type: string): Applier | undefined {
		return this.#appliers.get(type);
	}

	/** The registered event types, in registration order. */
	types(): string[] {
		return [...this.#appliers.keys()];
	}
}
