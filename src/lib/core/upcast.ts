/**
 * Schema versions of custom event types. A stored event is never rewritten (invariant 1), so an event
 * recorded under an older schema of a custom type is upcast when it is read: one small pure step per
 * (type, fromVersion), chained v1 -> v2 -> v3 until the type's current version, so that its applier
 * only knows the current schema. The shipped example is `assign-case-worker`
 * (appliers/case-worker.ts).
 *
 * Built-in types are never upcast: spec/projection.md fixes what each one projects to, whatever its
 * `version`, and other software builds against that
 * (docs/decisions/0003-upcasting-custom-types-only.md).
 */
import { isBuiltinType } from './appliers/builtins';
import { CasetrailError } from './errors';
import { isPlainObject, type CasetrailEvent } from './event';

/**
 * One step from version `fromVersion` to `fromVersion + 1`. Pure: returns a new event and leaves its
 * argument alone (it is given a copy all the same, so a careless step cannot rewrite a stored event). It may change `data`, `context`, `metadata`; the chain sets `version` and refuses a
 * step that changes the event's identity (guid, entityGuid, type, timestamp, userId).
 */
export type Upcaster = (event: CasetrailEvent) => CasetrailEvent;

const IDENTITY = ['guid', 'entityGuid', 'type', 'timestamp', 'userId'] as const;

/** The upcasters known to one projection, by type and the version they read. */
export class UpcasterRegistry {
	readonly #steps = new Map<string, Map<number, Upcaster>>();

	/**
	 * Registers the step that reads `type` at `fromVersion` (integer >= 1) and returns version
	 * `fromVersion + 1`. Throws CasetrailError('validation-failed') when that step is already
	 * registered, or when `type` is a built-in type (those are projected as recorded).
	 */
	register(type: string, fromVersion: number, upcaster: Upcaster): this {
		if (isBuiltinType(type)) {
			throw new CasetrailError('validation-failed', `${type} is a built-in type: spec/projection.md says how it projects at every version, so it is never upcast.`);
		}
		if (!Number.isSafeInteger(fromVersion) || fromVersion < 1) {
			throw new CasetrailError('validation-failed', `An upcaster reads a version of at least 1, not ${fromVersion}.`);
		}
		const steps = this.#steps.get(type) ?? new Map<number, Upcaster>();
		if (steps.has(fromVersion)) {
			throw new CasetrailError('validation-failed', `An upcaster for ${type} version ${fromVersion} is already registered.`);
		}
		steps.set(fromVersion, upcaster);
		this.#steps.set(type, steps);
		return this;
	}

	/**
	 * The version `type` is read at, and the one commands write: one past its highest registered
	 * step, or 1 with none (always 1 for a built-in type).
	 */
	currentVersion(type: string): number {
		const steps = this.#steps.get(type);
		return steps && steps.size > 0 ? Math.max(...steps.keys()) + 1 : 1;
	}

	/**
	 * The event at its type's current version: `event` itself when it is already there (an absent
	 * `version` means 1) or is of a built-in type (at any version), else a new event made by chaining
	 * the steps; the argument is never changed. Throws CasetrailError('invalid-event') when a custom
	 * event is newer than this build knows, a step is missing, or a step fails or changes the event's
	 * identity: a reader reports such an event as skipped rather than guessing at it.
	 */
	upcast(event: CasetrailEvent): CasetrailEvent {
		if (isBuiltinType(event.type)) return event;
		const target = this.currentVersion(event.type);
		let version = event.version ?? 1;
		if (version > target) {
			throw new CasetrailError('invalid-event', `Event ${event.guid} is ${event.type} version ${version}; this build reads up to version ${target}.`);
		}
		let current = event;
		while (version < target) {
			const step = this.#steps.get(event.type)?.get(version);
			if (!step) throw new CasetrailError('invalid-event', `No upcaster reads ${event.type} version ${version}.`);
			let next: CasetrailEvent;
			try {
				// A copy: a step that changes its argument in place must not reach the stored event.
				next = step(structuredClone(current));
			} catch (e) {
				throw new CasetrailError('invalid-event', `Upcasting event ${event.guid} from version ${version} failed (${e instanceof Error ? e.message : String(e)}).`);
			}
			if (!isPlainObject(next) || !isPlainObject(next.data)) {
				throw new CasetrailError('invalid-event', `The ${event.type} upcaster from version ${version} returned something that is not an event.`);
			}
			for (const member of IDENTITY) {
				if (next[member] !== event[member]) {
					throw new CasetrailError('invalid-event', `The ${event.type} upcaster from version ${version} changed the event's ${member}.`);
				}
			}
			version += 1;
			current = { ...next, version };
		}
		return current;
	}
}
