/**
 * Commands: what a person asks for, checked against the current entities and turned into events
 * (`decide`). Everything from outside (the clock, ids, the user, device metadata) comes in through
 * `env`, so deciding stays pure and testable. Command fields arrive from forms through the worker:
 * every one is checked at run time, whatever its static type says.
 */
import { defaultRegistry } from './appliers/defaults';
import type { Entity } from './appliers/entity';
import { CasetrailError, type FieldProblem } from './errors';
import { BUNDLE_LIMITS } from './bundle/limits';
import { isAttachmentRef } from './attachments';
import { isPlainObject, parseTimestamp, validateEvent, type CasetrailEvent, type EventContext, type EventMetadata } from './event';

export const SEXES = ['female', 'male', 'other', 'unknown'] as const;
export type Sex = (typeof SEXES)[number];

export const MEMBER_ROLES = ['head', 'spouse', 'child', 'other'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

export interface RegisterIndividual {
	type: 'register-individual';
	givenName: string;
	familyName: string;
	/** One of {@link SEXES}. */
	sex: string;
	/** YYYY-MM-DD. */
	dateOfBirth: string;
	phone?: string;
	nationalId?: string;
	address?: string;
	notes?: string;
	/** A photo: the reference of bytes the worker holds for this command (core/attachments.ts). */
	photo?: unknown;
}

export interface CreateGroup {
	type: 'create-group';
	name: string;
	address?: string;
}

export interface UpdateEntity {
	type: 'update-entity';
	entityGuid: string;
	/** Field name -> new value; `null` or an empty string removes an optional field. */
	changes: Record<string, unknown>;
	reason: string;
}

export interface AddMember {
	type: 'add-member';
	groupGuid: string;
	memberGuid: string;
	/** One of {@link MEMBER_ROLES}. */
	role: string;
}

export interface RemoveMember {
	type: 'remove-member';
	groupGuid: string;
	memberGuid: string;
	reason: string;
}

export interface DeleteEntity {
	type: 'delete-entity';
	entityGuid: string;
	reason: string;
}

export interface AssignCaseWorker {
	type: 'assign-case-worker';
	entityGuid: string;
	caseWorkerId: string;
	/**
	 * When the assignment took effect, an ISO 8601 UTC instant not after now; absent means now. For an
	 * assignment recorded after the fact, from a paper form say.
	 */
	assignedAt?: string;
	reason?: string;
}

export type Command = RegisterIndividual | CreateGroup | UpdateEntity | AddMember | RemoveMember | DeleteEntity | AssignCaseWorker;

/** The current entities, by guid; a Map will do. */
export interface EntityLookup {
	get(guid: string): Entity | undefined;
}

/** What a command needs from outside. */
export interface CommandEnv {
	now(): Date;
	newGuid(): string;
	/** Who is recording the change. */
	userId: string;
	/** Copied into every event: deviceId, appVersion, location, ... */
	metadata?: EventMetadata;
	/** Copied into every event's context (source, sessionId, correlationId); a command's reason joins it. */
	context?: Omit<EventContext, 'reason'>;
}

// ---------------------------------------------------------------------------------------------
// Field rules. A value is text from a form: trimmed, and empty means absent.

/** Says what is wrong with a trimmed, non-empty value, or nothing. */
type Check = (value: string, now: Date) => string | undefined;

interface FieldRule {
	label: string;
	required: boolean;
	max: number;
	check?: Check;
	/** The value is an attachment reference (a photo), not text. */
	attachment?: true;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;
/** The furthest time zone is UTC+14: a birth today there is not "in the future" anywhere. */
const FURTHEST_ZONE_MS = 14 * 3_600_000;
const OLDEST_YEARS = 150;

function utcDay(ms: number): string {
	return new Date(ms).toISOString().slice(0, 10);
}

const checkDateOfBirth: Check = (value, now) => {
	const m = DATE.exec(value);
	const real = m !== null && utcDay(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) === value;
	if (!real) return 'Date of birth must be a real date written YYYY-MM-DD, such as 1988-04-12.';
	if (value > utcDay(now.getTime() + FURTHEST_ZONE_MS)) return 'Date of birth cannot be in the future.';
	if (value < utcDay(now.getTime() - OLDEST_YEARS * 365.25 * DAY_MS)) return `Date of birth cannot be more than ${OLDEST_YEARS} years ago.`;
	return undefined;
};

const checkSex: Check = (value) => ((SEXES as readonly string[]).includes(value) ? undefined : `Sex must be one of ${SEXES.join(', ')}.`);

const checkPhone: Check = (value) => {
	if (!/^\+?[0-9 ]+$/.test(value)) return 'Phone may contain only digits, spaces and a leading +.';
	const digits = value.replace(/\D/g, '').length;
	// E.164 numbers have at most 15 digits; fewer than 6 is no reachable number anywhere.
	if (digits < 6 || digits > 15) return 'Phone must have between 6 and 15 digits.';
	return undefined;
};

const checkNationalId: Check = (value) =>
	/^[A-Za-z0-9][A-Za-z0-9 ./-]*$/.test(value) ? undefined : 'National id may contain only letters, digits, spaces, dots, slashes and hyphens.';

const INDIVIDUAL_FIELDS: Readonly<Record<string, FieldRule>> = {
	givenName: { label: 'Given name', required: true, max: 100 },
	familyName: { label: 'Family name', required: true, max: 100 },
	sex: { label: 'Sex', required: true, max: 20, check: checkSex },
	dateOfBirth: { label: 'Date of birth', required: true, max: 10, check: checkDateOfBirth },
	phone: { label: 'Phone', required: false, max: 30, check: checkPhone },
	nationalId: { label: 'National id', required: false, max: 50, check: checkNationalId },
	address: { label: 'Address', required: false, max: 500 },
	notes: { label: 'Notes', required: false, max: 2000 },
	photo: { label: 'Photo', required: false, max: 0, attachment: true }
};

const GROUP_FIELDS: Readonly<Record<string, FieldRule>> = {
	name: { label: 'Name', required: true, max: 200 },
	address: { label: 'Address', required: false, max: 500 }
};

const FIELDS_BY_TYPE: Readonly<Record<string, { rules: Readonly<Record<string, FieldRule>>; event: string }>> = {
	individual: { rules: INDIVIDUAL_FIELDS, event: 'update-individual' },
	group: { rules: GROUP_FIELDS, event: 'update-group' }
};

const REASON: FieldRule = { label: 'Reason', required: true, max: 1000 };
const GUID: FieldRule = { label: 'Id', required: true, max: 200 };
const CASE_WORKER: FieldRule = { label: 'Case worker', required: true, max: 200 };

const checkAssignedAt: Check = (value, now) => {
	const instant = parseTimestamp(value);
	if (instant === undefined) return 'Assigned at must be an ISO 8601 UTC instant such as 2026-11-23T09:30:00.000Z.';
	if (instant > now.getTime()) return 'Assigned at cannot be in the future.';
	return undefined;
};

const ASSIGNED_AT: FieldRule = { label: 'Assigned at', required: false, max: 40, check: checkAssignedAt };

/** Collects one sentence per bad field, then throws them together. */
class Problems {
	readonly fields: Record<string, string> = {};
	readonly problems: Record<string, FieldProblem> = {};

	/** One problem per field, the first found; `problem` is its code for the page (default: refused). */
	add(field: string, sentence: string, problem: FieldProblem = { code: 'refused' }): void {
		if (field in this.fields) return;
		this.fields[field] = sentence;
		this.problems[field] = problem;
	}

	/** An attachment reference, `null` when absent; records a problem and returns undefined when it is bad. */
	attachment(field: string, rule: FieldRule, raw: unknown): Record<string, unknown> | null | undefined {
		if (raw === undefined || raw === null || raw === '') return this.#absent(field, rule);
		if (!isAttachmentRef(raw)) {
			this.add(field, `${rule.label} must be a JPEG, WebP or PNG image taken or chosen on this device.`, { code: 'invalid' });
			return undefined;
		}
		return { sha256: raw.sha256, mediaType: raw.mediaType, size: raw.size };
	}

	/** The trimmed value, `null` when absent; records a problem and returns undefined when it is bad. */
	read(field: string, rule: FieldRule, raw: unknown, now: Date): string | null | undefined {
		if (raw === undefined || raw === null) return this.#absent(field, rule);
		if (typeof raw !== 'string') {
			this.add(field, `${rule.label} must be text.`, { code: 'not-text' });
			return undefined;
		}
		const value = raw.trim();
		if (value === '') return this.#absent(field, rule);
		if (value.length > rule.max) {
			this.add(field, `${rule.label} must be at most ${rule.max} characters.`, { code: 'too-long', params: { max: rule.max } });
			return undefined;
		}
		const problem = rule.check?.(value, now);
		if (problem !== undefined) {
			this.add(field, problem, { code: 'invalid' });
			return undefined;
		}
		return value;
	}

	/** Like {@link read} for a required field: the value, or undefined after recording the problem. */
	need(field: string, rule: FieldRule, raw: unknown, now: Date): string | undefined {
		return this.read(field, rule, raw, now) ?? undefined;
	}

	#absent(field: string, rule: FieldRule): null | undefined {
		if (!rule.required) return null;
		this.add(field, `${rule.label} is required.`, { code: 'required' });
		return undefined;
	}

	throwIfAny(): void {
		if (Object.keys(this.fields).length > 0) throw this.#error();
	}

	/** Records one problem and throws at once: for problems that make further checks meaningless. */
	fail(field: string, sentence: string): never {
		this.add(field, sentence);
		throw this.#error();
	}

	#error(): CasetrailError {
		return new CasetrailError('validation-failed', Object.values(this.fields).join(' '), { ...this.fields }, { problems: { ...this.problems } });
	}
}

/** Rejects members of the command that no rule knows, so a misspelt field is not silently dropped. */
function unknownFields(problems: Problems, input: object, known: readonly string[], what: string): void {
	for (const key of Object.keys(input)) {
		if (key !== 'type' && !known.includes(key)) problems.add(key, `${key} is not a field of ${what}.`, { code: 'unknown-field' });
	}
}

/** The data of a new entity from its fields; absent optional ones are left out. */
function newEntityData(problems: Problems, input: object, rules: Readonly<Record<string, FieldRule>>, what: string, now: Date): Record<string, unknown> {
	unknownFields(problems, input, Object.keys(rules), what);
	const data: Record<string, unknown> = {};
	for (const [field, rule] of Object.entries(rules)) {
		const raw = (input as Record<string, unknown>)[field];
		const value = rule.attachment ? problems.attachment(field, rule, raw) : problems.read(field, rule, raw, now);
		if (value !== null && value !== undefined) data[field] = value;
	}
	return data;
}

// ---------------------------------------------------------------------------------------------
// Entities a command refers to.

function describeEntity(entity: Entity): string {
	return entity.type === 'individual' ? 'an individual' : entity.type === 'group' ? 'a group' : `a ${entity.type}`;
}

function existing(entities: EntityLookup, guid: string): Entity {
	const entity = entities.get(guid);
	if (!entity) throw new CasetrailError('not-found', `No entity ${guid} exists.`);
	return entity;
}

function live(problems: Problems, field: string, entity: Entity): Entity {
	if (entity.deleted) problems.fail(field, `${entity.guid} is deleted; it cannot be changed.`);
	return entity;
}

function ofType(problems: Problems, field: string, entity: Entity, type: string, article: string): Entity {
	if (entity.type !== type) problems.fail(field, `${entity.guid} is ${describeEntity(entity)}, not ${article} ${type}.`);
	return entity;
}

// ---------------------------------------------------------------------------------------------
// Events.

/** The event of `type` on `entityGuid` recorded now by `env`'s user; form submissions make theirs with it too. */
export function event(env: CommandEnv, now: Date, type: string, entityGuid: string, data: Record<string, unknown>, reason?: string): CasetrailEvent {
	const out: CasetrailEvent = {
		guid: env.newGuid(),
		entityGuid,
		type,
		data,
		timestamp: now.toISOString(),
		userId: env.userId,
		// 1 for every built-in type (they are never upcast); a custom type's latest version.
		version: defaultRegistry.upcasters.currentVersion(type)
	};
	// Copies: the event must share nothing with objects the caller keeps changing.
	if (env.metadata && Object.keys(env.metadata).length > 0) out.metadata = structuredClone(env.metadata);
	const context: EventContext = env.context ? structuredClone(env.context) : {};
	if (reason !== undefined) context.reason = reason;
	if (Object.keys(context).length > 0) out.context = context;
	return validateEvent(out);
}

/**
 * The events that carry out `command` against the current `entities`. Throws
 * CasetrailError('validation-failed') with one sentence per bad field in `fields`,
 * CasetrailError('not-found') when a referenced entity does not exist,
 * CasetrailError('unknown-command') for a command type it does not know, and
 * CasetrailError('invalid-event') when `env` cannot make a valid event (an empty userId).
 * New entities get their guid from `env.newGuid()`, before the event's own.
 */
export function decide(command: Command, entities: EntityLookup, env: CommandEnv): CasetrailEvent[] {
	if (!isPlainObject(command)) throw new CasetrailError('unknown-command', 'A command must be an object with a type.');
	// Annotated so that `problems.fail(...)` narrows like a throw does.
	const problems: Problems = new Problems();
	const now = env.now();
	if (Number.isNaN(now.getTime())) throw new CasetrailError('invalid-event', 'The clock gave no valid time.');
	switch (command.type) {
		case 'register-individual': {
			const data = newEntityData(problems, command, INDIVIDUAL_FIELDS, 'an individual', now);
			problems.throwIfAny();
			return [event(env, now, 'create-individual', env.newGuid(), data)];
		}
		case 'create-group': {
			const data = newEntityData(problems, command, GROUP_FIELDS, 'a group', now);
			problems.throwIfAny();
			return [event(env, now, 'create-group', env.newGuid(), data)];
		}
		case 'update-entity': {
			const guid = problems.need('entityGuid', GUID, command.entityGuid, now);
			const reason = problems.need('reason', REASON, command.reason, now);
			if (!isPlainObject(command.changes)) problems.add('changes', 'Changes must be an object of field names and values.');
			problems.throwIfAny();
			const entity = live(problems, 'entityGuid', existing(entities, guid!));
			const kind = FIELDS_BY_TYPE[entity.type];
			if (!kind) problems.fail('entityGuid', `${entity.guid} is ${describeEntity(entity)}; only individuals and groups can be edited.`);
			const what = describeEntity(entity);
			unknownFields(problems, command.changes, Object.keys(kind.rules), what);
			const data: Record<string, unknown> = {};
			for (const [field, raw] of Object.entries(command.changes)) {
				const rule = kind.rules[field];
				if (!rule) continue;
				if (rule.attachment) {
					const ref = problems.attachment(field, rule, raw);
					if (ref === undefined) continue;
					const current = entity.data[field];
					if (ref === null ? field in entity.data : !isAttachmentRef(current) || current.sha256 !== ref.sha256 || current.mediaType !== ref.mediaType) data[field] = ref;
					continue;
				}
				const value = problems.read(field, rule, raw, now);
				if (value === undefined) continue;
				if (value === null ? field in entity.data : entity.data[field] !== value) data[field] = value;
			}
			problems.throwIfAny();
			if (Object.keys(data).length === 0) problems.fail('changes', 'Nothing to change: every value is the same as now.');
			return [event(env, now, kind.event, entity.guid, data, reason)];
		}
		case 'add-member': {
			const groupGuid = problems.need('groupGuid', GUID, command.groupGuid, now);
			const memberGuid = problems.need('memberGuid', GUID, command.memberGuid, now);
			const role = problems.need('role', { label: 'Role', required: true, max: 20 }, command.role, now);
			if (role !== undefined && !(MEMBER_ROLES as readonly string[]).includes(role)) problems.add('role', `Role must be one of ${MEMBER_ROLES.join(', ')}.`);
			if (groupGuid !== undefined && groupGuid === memberGuid) problems.add('memberGuid', 'A group cannot be a member of itself.');
			problems.throwIfAny();
			const group = live(problems, 'groupGuid', ofType(problems, 'groupGuid', existing(entities, groupGuid!), 'group', 'a'));
			live(problems, 'memberGuid', ofType(problems, 'memberGuid', existing(entities, memberGuid!), 'individual', 'an'));
			const members = group.members ?? [];
			const present = members.find((m) => m.guid === memberGuid);
			if (present?.role === role) problems.fail('memberGuid', `${memberGuid} is already a member of this group as ${role}.`);
			// A bigger group could not be sent: receivers refuse a bundle past it (bundle/limits.ts).
			if (!present && members.length >= BUNDLE_LIMITS.groupMembers) problems.fail('memberGuid', `This group already has ${BUNDLE_LIMITS.groupMembers.toLocaleString('en-US')} members, the most a group may have.`);
			const head = members.find((m) => m.role === 'head' && m.guid !== memberGuid);
			if (role === 'head' && head) problems.fail('role', `The group already has a head (${head.guid}); remove them or change their role first.`);
			return [event(env, now, 'add-member', group.guid, { memberGuid, role })];
		}
		case 'remove-member': {
			const groupGuid = problems.need('groupGuid', GUID, command.groupGuid, now);
			const memberGuid = problems.need('memberGuid', GUID, command.memberGuid, now);
			const reason = problems.need('reason', REASON, command.reason, now);
			problems.throwIfAny();
			const group = live(problems, 'groupGuid', ofType(problems, 'groupGuid', existing(entities, groupGuid!), 'group', 'a'));
			if (!(group.members ?? []).some((m) => m.guid === memberGuid)) problems.fail('memberGuid', `${memberGuid} is not a member of this group.`);
			return [event(env, now, 'remove-member', group.guid, { memberGuid }, reason)];
		}
		case 'delete-entity': {
			const guid = problems.need('entityGuid', GUID, command.entityGuid, now);
			const reason = problems.need('reason', REASON, command.reason, now);
			problems.throwIfAny();
			const entity = existing(entities, guid!);
			if (entity.deleted) problems.fail('entityGuid', `${entity.guid} is already deleted.`);
			return [event(env, now, 'delete-entity', entity.guid, {}, reason)];
		}
		case 'assign-case-worker': {
			const guid = problems.need('entityGuid', GUID, command.entityGuid, now);
			const caseWorkerId = problems.need('caseWorkerId', CASE_WORKER, command.caseWorkerId, now);
			const assignedAt = problems.read('assignedAt', ASSIGNED_AT, command.assignedAt, now);
			const reason = problems.read('reason', { ...REASON, required: false }, command.reason, now);
			unknownFields(problems, command, ['entityGuid', 'caseWorkerId', 'assignedAt', 'reason'], 'a case worker assignment');
			problems.throwIfAny();
			const entity = live(problems, 'entityGuid', existing(entities, guid!));
			if (entity.caseWorker === caseWorkerId) problems.fail('caseWorkerId', `${caseWorkerId} is already the case worker.`);
			// Version 3 of the type (appliers/case-worker.ts): the instant it took effect is explicit.
			return [event(env, now, 'assign-case-worker', entity.guid, { caseWorkerId, assignedAt: assignedAt ?? now.toISOString() }, reason ?? undefined)];
		}
		default: {
			const type: unknown = (command as { type?: unknown }).type;
			throw new CasetrailError('unknown-command', `${typeof type === 'string' ? type : 'A command without a type'} is not a command Casetrail knows.`);
		}
	}
}
