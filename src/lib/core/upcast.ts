/**
 * Event schema versions. A stored event is never rewritten (invariant 1), so an event recorded under
 * an older schema is upcast when it is read: one small pure step per (type, fromVersion), chained
 * v1 -> v2 -> v3 until the type's current version. Appliers then only know the current schema.
 */
import { CasetrailError } from './errors';
import type { CasetrailEvent } from './event';

/**
 * The schema version each built-in type is written at; commands emit these. A type not listed is
 * at version 1. Raise one only together with an upcaster from the previous version.
 */
export const CURRENT_VERSIONS: Readonly<Record<string, number>> = Object.freeze({
	'create-individual': 3,
	'update-individual': 3
});

/** The version commands write for `type`: {@link CURRENT_VERSIONS}, else 1. */
export function currentVersion(type: string): number {
	return CURRENT_VERSIONS[type] ?? 1;
}

/**
 * One step from version `fromVersion` to `fromVersion + 1`. Pure: returns a new event and leaves its
 * argument alone. It may change `data`, `context`, `metadata`; the chain sets `version` and refuses a
 * step that changes the event's identity (guid, entityGuid, type, timestamp, userId).
 */
export type Upcaster = (event: CasetrailEvent) => CasetrailEvent;

const IDENTITY = ['guid', 'entityGuid', 'type', 'timestamp', 'userId'] as const;

/** The upcasters known to one projection, by type and the version they read. */
export class UpcasterRegistry {
	readonly #steps = new Map<string, Map<number, Upcaster>>();

	/**
	 * Registers the step that reads `type` at `fromVersion` (integer >= 1) and returns version
	 * `fromVersion + 1`. Throws CasetrailError('validation-failed') when that step is already registered.
	 */
	register(type: string, fromVersion: number, upcaster: Upcaster): this {
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

	/** The version `type` is read at: one past its highest registered step, or 1 with none. */
	currentVersion(type: string): number {
		const steps = this.#steps.get(type);
		return steps && steps.size > 0 ? Math.max(...steps.keys()) + 1 : 1;
	}

	/**
	 * The event at its type's current version: `event` itself when it is already there (an absent
	 * `version` means 1), else a new event made by chaining the steps. Throws
	 * CasetrailError('invalid-event') when the event is newer than this build knows, a step is
	 * missing, or a step fails or changes the event's identity: a reader reports such an event as
	 * skipped rather than guessing at it.
	 */
	upcast(event: CasetrailEvent): CasetrailEvent {
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
				next = step(current);
			} catch (e) {
				throw new CasetrailError('invalid-event', `Upcasting event ${event.guid} from version ${version} failed (${e instanceof Error ? e.message : String(e)}).`);
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

/** A copy of `event` with `data` replaced: the usual shape of a step. */
function withData(event: CasetrailEvent, data: Record<string, unknown>): CasetrailEvent {
	return { ...event, data };
}

/**
 * v1 -> v2 of `create-individual` and `update-individual`: one `name` ("Given Family") becomes
 * `givenName` and `familyName`. The last word is the family name and the rest the given name, the
 * convention the v1 forms asked people to follow; a one-word name is a given name only. A `null`
 * name (an update that removed it) removes both. A name field already split is left as it is.
 */
export function splitName(event: CasetrailEvent): CasetrailEvent {
	if (!('name' in event.data)) return event;
	const { name, ...rest } = event.data;
	const data: Record<string, unknown> = { ...rest };
	if (name === null) {
		data.givenName ??= null;
		data.familyName ??= null;
	} else if (typeof name === 'string') {
		const words = name.trim().split(/\s+/).filter((w) => w.length > 0);
		const family = words.length > 1 ? words.pop() : undefined;
		if (words.length > 0) data.givenName ??= words.join(' ');
		if (family !== undefined) data.familyName ??= family;
	} else {
		// Not a name v1 could have written; keep it where it was rather than lose it.
		return event;
	}
	return withData(event, data);
}

const SEX_CODES: Readonly<Record<string, string>> = { f: 'female', m: 'male', o: 'other', u: 'unknown' };

/**
 * v2 -> v3 of `create-individual` and `update-individual`: `birthDate` is renamed `dateOfBirth`, and
 * the one-letter sex codes of v2 (F, M, O, U, any case) become the words commands write (female,
 * male, other, unknown). Other sex values are kept as they are.
 */
export function renameBirthDateAndSpellSex(event: CasetrailEvent): CasetrailEvent {
	const data: Record<string, unknown> = { ...event.data };
	if ('birthDate' in data) {
		if (!('dateOfBirth' in data)) data.dateOfBirth = data.birthDate;
		delete data.birthDate;
	}
	if (typeof data.sex === 'string') data.sex = SEX_CODES[data.sex.toLowerCase()] ?? data.sex;
	return withData(event, data);
}

/** A registry holding the built-in steps; add custom ones with `register`. */
export function createUpcasters(): UpcasterRegistry {
	const registry = new UpcasterRegistry();
	for (const type of ['create-individual', 'update-individual']) {
		registry.register(type, 1, splitName).register(type, 2, renameBirthDateAndSpellSex);
	}
	return registry;
}
