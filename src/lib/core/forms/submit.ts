/**
 * Forms as events: the `publish-form` event that carries a definition, reading one back (from this
 * device or from a bundle: its data is attacker-controlled, so every member is checked), and
 * deciding the event a submission makes, after validating it against the form version it names.
 */
import type { Entity } from '../appliers/entity';
import { canonicalJson } from '../canonical';
import { event, type CommandEnv } from '../commands';
import { compareEvents, isPlainObject, type CasetrailEvent } from '../event';
import { MAX_REPEAT, computeForm, cycleMessage, evaluationOrder, entityLabelOf, problemText, repeatCount, submissionData, type Answers } from './engine';
import { FormError } from './errors';
import {
	DOMAIN_EVENTS,
	ENTITY_TYPES,
	FIELD_TYPES,
	FORMS_ENTITY,
	PUBLISH_FORM,
	definitionHash,
	type FormDefinition,
	type FormField,
	type FormPurpose,
	type FormRepeat
} from './definition';
export { formRefOf } from './definition';
import { parseExpression } from './xpath';

/** A published form version as a device holds it. */
export interface PublishedForm {
	definition: FormDefinition;
	hash: string;
	/** The publishing event: who, when. Empty for a default form, which no event publishes. */
	eventGuid: string;
	publishedAt: string;
	publishedBy: string;
	/** True for the shipped default forms (defaults.ts). */
	builtIn?: true;
}

/** The `publish-form` event of `definition`, recorded by `env`'s user. */
export function publishFormEvent(definition: FormDefinition, env: CommandEnv): CasetrailEvent {
	const checked = checkDefinition(structuredClone(definition));
	return event(env, env.now(), PUBLISH_FORM, FORMS_ENTITY, { formId: checked.formId, version: checked.version, hash: definitionHash(checked), definition: checked });
}

function fail(message: string): never {
	throw new FormError('form-invalid', message);
}

function isLocalized(value: unknown): boolean {
	return isPlainObject(value) && Object.values(value).every((v) => typeof v === 'string');
}

function isPurpose(value: unknown): value is FormPurpose {
	if (!isPlainObject(value)) return false;
	if (value.kind === 'register' || value.kind === 'update') return (ENTITY_TYPES as readonly unknown[]).includes(value.entityType);
	return value.kind === 'event' && (DOMAIN_EVENTS as readonly unknown[]).includes(value.eventType);
}

/** An XML name without a leading `__` (which ODK reserves, and which `__proto__` would abuse). */
export function isFieldName(name: string): boolean {
	return /^[A-Za-z_][A-Za-z0-9._-]*$/.test(name) && !name.startsWith('__');
}

/**
 * `value` typed as a definition when it has the shape of one and every expression in it is within
 * the supported subset; throws FormError('form-invalid') saying what is wrong otherwise.
 */
export function checkDefinition(value: unknown): FormDefinition {
	if (!isPlainObject(value) || value.schema !== 1) fail('A form definition must be an object of schema 1.');
	for (const key of ['formId', 'version', 'title', 'defaultLanguage'] as const) if (typeof value[key] !== 'string') fail(`A form definition needs ${key} as text.`);
	if (value.formId === '' || value.version === '') fail('A form definition needs a form id and a version.');
	if (!isPurpose(value.purpose)) fail('A form definition must say what its submissions do.');
	if (!Array.isArray(value.languages) || !value.languages.every((l) => isPlainObject(l) && typeof l.key === 'string' && typeof l.rtl === 'boolean')) fail('A form definition lists its languages.');
	if (!Array.isArray(value.fields) || !Array.isArray(value.groups) || !Array.isArray(value.body)) fail('A form definition has fields, groups and a body.');
	const names = new Set<string>();
	const expression = (source: unknown, where: string): void => {
		if (source === undefined) return;
		if (typeof source !== 'string') fail(`${where} must be an expression.`);
		try {
			parseExpression(source);
		} catch (e) {
			fail(`${where}: ${e instanceof Error ? e.message : String(e)}`);
		}
	};
	for (const field of value.fields as unknown[]) {
		if (!isPlainObject(field) || typeof field.name !== 'string' || typeof field.path !== 'string' || !(FIELD_TYPES as readonly unknown[]).includes(field.type)) fail('Every field needs a name, a path and a supported type.');
		if (!isFieldName(field.name)) fail(`${field.name} is not a question name.`);
		if (names.has(field.name)) fail(`Two fields are named ${field.name}.`);
		names.add(field.name);
		for (const key of ['required', 'constraint', 'relevant', 'calculate'] as const) expression(field[key], `${field.name} ${key}`);
		for (const key of ['label', 'hint', 'requiredMessage', 'constraintMessage'] as const) if (field[key] !== undefined && !isLocalized(field[key])) fail(`${field.name} ${key} must be text by language.`);
		if (field.saveTo !== undefined && typeof field.saveTo !== 'string') fail(`${field.name} saveTo must be text.`);
		if (field.default !== undefined && typeof field.default !== 'string') fail(`${field.name} default must be text.`);
		if (field.appearance !== undefined && !(field.appearance === 'signature' && field.type === 'image')) fail(`${field.name} appearance must be signature, on an image question.`);
		if (field.choices !== undefined && !(Array.isArray(field.choices) && field.choices.every((c) => isPlainObject(c) && typeof c.value === 'string' && isLocalized(c.label)))) fail(`${field.name} choices must be values with labels.`);
	}
	expression(value.entityLabel, 'entity label');
	const repeatPaths = new Set<string>();
	if (value.repeats !== undefined) {
		if (!Array.isArray(value.repeats)) fail('The repeats of a form definition are a list.');
		for (const repeat of value.repeats as unknown[]) {
			if (!isPlainObject(repeat) || typeof repeat.path !== 'string' || typeof repeat.name !== 'string' || !isFieldName(repeat.name)) fail('Every repeat needs a path and a name.');
			if (names.has(repeat.name)) fail(`A repeat and a field are both named ${repeat.name}.`);
			if (repeat.label !== undefined && !isLocalized(repeat.label)) fail(`Repeat ${repeat.name} label must be text by language.`);
			repeatPaths.add(repeat.path);
		}
	}
	for (const field of value.fields as Record<string, unknown>[]) {
		if (field.repeat !== undefined && !repeatPaths.has(field.repeat as string)) fail(`${String(field.name)} is in a repeat the form does not declare.`);
	}
	for (const group of value.groups as unknown[]) {
		if (!isPlainObject(group) || typeof group.path !== 'string') fail('Every group needs a path.');
		expression(group.relevant, `group ${group.path} relevant`);
	}
	const body = (items: unknown[]): void => {
		for (const item of items) {
			if (isPlainObject(item) && item.kind === 'field' && typeof item.name === 'string' && names.has(item.name)) continue;
			if (isPlainObject(item) && (item.kind === 'group' || (item.kind === 'repeat' && repeatPaths.has(item.path as string))) && typeof item.path === 'string' && Array.isArray(item.items)) {
				body(item.items);
				continue;
			}
			fail('The body of a form holds fields it defines and groups of them.');
		}
	};
	body(value.body as unknown[]);
	const evaluation = evaluationOrder(value as unknown as FormDefinition);
	if ('cycle' in evaluation) fail(cycleMessage(evaluation.cycle));
	return value as unknown as FormDefinition;
}

/**
 * The published form in a `publish-form` event. Throws FormError('form-invalid') when its data is
 * not a definition, or when the hash it carries is not the hash of that definition.
 */
export function readPublishedForm(published: CasetrailEvent): PublishedForm {
	if (published.type !== PUBLISH_FORM) fail(`${published.type} does not publish a form.`);
	const definition = checkDefinition(published.data.definition);
	const hash = definitionHash(definition);
	if (published.data.hash !== hash || published.data.formId !== definition.formId || published.data.version !== definition.version) {
		fail(`The form ${definition.formId} ${definition.version} does not match the hash and names it was published with.`);
	}
	return { definition, hash, eventGuid: published.guid, publishedAt: published.timestamp, publishedBy: published.userId };
}

/**
 * Every published form version among `events`, in publishing order. A version published again with
 * another definition (possible only between devices that had not exchanged yet) keeps the first, in
 * (timestamp, guid) order, so every device holding both picks the same one. A publish-form event
 * whose data is not a valid definition is left out.
 */
export function publishedForms(events: readonly CasetrailEvent[]): PublishedForm[] {
	const byKey = new Map<string, PublishedForm>();
	for (const event of [...events].sort(compareEvents)) {
		let form: PublishedForm;
		try {
			form = readPublishedForm(event);
		} catch {
			continue;
		}
		const key = JSON.stringify([form.definition.formId, form.definition.version]);
		if (!byKey.has(key)) byKey.set(key, form);
	}
	return [...byKey.values()];
}

/** A `publish-form` event that publishes nothing, and why (for a reader listing a bundle). */
export interface IgnoredForm {
	guid: string;
	/** `invalid-data`: its definition fails the checks, or another definition has its id and version. */
	reason: 'invalid-data';
	message: string;
}

/**
 * The forms `events` publish, as {@link publishedForms} reads them (what every device uses), and
 * each `publish-form` event among them that publishes nothing, with why: a definition that fails
 * its checks or its hash, or a version published first with another definition. Other events are
 * left out; `publish-form` events have no applier, so a projection reports them as not applied.
 */
export function formsIn(events: readonly CasetrailEvent[]): { forms: PublishedForm[]; ignored: IgnoredForm[] } {
	// Devices read forms from the one entity they are recorded on (worker/forms.ts).
	const published = events.filter((e) => e.type === PUBLISH_FORM && e.entityGuid === FORMS_ENTITY);
	const forms = publishedForms(published);
	const used = new Set(forms.map((f) => f.eventGuid));
	const ignored: IgnoredForm[] = [];
	for (const event of [...published].sort(compareEvents)) {
		if (used.has(event.guid)) continue;
		let message: string;
		try {
			const form = readPublishedForm(event);
			const first = forms.find((f) => f.definition.formId === form.definition.formId && f.definition.version === form.definition.version);
			message = `Form ${form.definition.formId} version ${form.definition.version} was published before with another definition (event ${first?.eventGuid ?? '?'}); the first in event order counts on every device.`;
		} catch (e) {
			message = e instanceof Error ? e.message : String(e);
		}
		ignored.push({ guid: typeof event.guid === 'string' ? event.guid : '', reason: 'invalid-data', message });
	}
	return { forms, ignored };
}

/** What a person submits with a form. */
export interface Submission {
	formId: string;
	version: string;
	/** Answers by field name; a select multiple's values separated by spaces. */
	answers: Answers;
	/** The record a follow-up form was opened from. */
	entityGuid?: string;
}

/**
 * The one event `submission` makes with `definition` (the version it names): a create, an update of
 * `entity`, or a domain event on it, with `context.form` naming the version. Throws
 * FormError('submission-invalid') with one sentence per bad answer in `fields` (unknown names,
 * text that is not text, required, type, choice, constraint), and when an update changes nothing
 * or the record does not fit the form.
 */
export function decideSubmission(definition: FormDefinition, submission: Submission, entity: Entity | undefined, env: CommandEnv): CasetrailEvent {
	const answers = submission.answers as unknown;
	if (!isPlainObject(answers)) throw new FormError('submission-invalid', 'Answers must be an object of question names and text.');
	// Null prototype: a question name comes from the caller, and `__proto__` must be a key like any other.
	const problems: Record<string, string> = Object.create(null) as Record<string, string>;
	const known = new Map(definition.fields.map((f) => [f.name, f]));
	const repeats = new Map((definition.repeats ?? []).map((r) => [r.name, r]));
	for (const [key, value] of Object.entries(answers)) {
		const repeat = repeats.get(key);
		if (repeat) {
			if (typeof value !== 'string' || !/^\d{1,4}$/.test(value) || Number(value) > MAX_REPEAT) problems[key] = `${key} must say how many times it was filled in, from 0 to ${MAX_REPEAT}.`;
			continue;
		}
		const [, name, instance] = /^(.*?)(?:\[(\d{1,4})\])?$/.exec(key) as RegExpExecArray;
		const field = known.get(name as string);
		const inRepeat = field?.repeat !== undefined;
		const count = field && inRepeat ? repeatCount(answers as Answers, (definition.repeats ?? []).find((r) => r.path === field.repeat) as FormRepeat) : 0;
		if (!field || inRepeat !== (instance !== undefined) || (instance !== undefined && (Number(instance) < 1 || Number(instance) > count))) problems[key] = `${key} is not a question of this form.`;
		else if (typeof value !== 'string') problems[key] = `The answer to ${key} must be text.`;
		else if (field.type === 'calculate' || field.type === 'note') problems[key] = `${key} is not answered by a person; the form computes or shows it.`;
	}
	const now = env.now();
	const state = computeForm(definition, answers as Answers, now);
	for (const [key, problem] of Object.entries(state.problems)) {
		const field = known.get(key.replace(/\[\d+\]$/, '')) as FormField;
		problems[key] ??= problemText(problem, definition.defaultLanguage, definition.defaultLanguage, field);
	}
	if (Object.keys(problems).length > 0) {
		throw new FormError('submission-invalid', `The answers do not pass the form ${definition.formId} version ${definition.version}: ${Object.entries(problems).map(([n, p]) => `${n}: ${p}`).join(' ')}`, problems);
	}
	const data = submissionData(definition, state, answers as Answers);
	const withForm: CommandEnv = { ...env, now: () => now, context: { ...(env.context ?? {}), form: { id: definition.formId, version: definition.version } } };
	const { purpose } = definition;
	if (purpose.kind === 'register') {
		if (purpose.entityType === 'group' && definition.entityLabel !== undefined && typeof data.name !== 'string') {
			const label = entityLabelOf(definition, state, now);
			if (label !== '') data.name = label;
		}
		if (Object.keys(data).length === 0) throw new FormError('submission-invalid', 'The form was submitted without any answer.');
		return event(withForm, now, purpose.entityType === 'group' ? 'create-group' : 'create-individual', env.newGuid(), data);
	}
	if (!entity) throw new FormError('submission-invalid', 'This form is filled in from a record; open the record first.');
	if (entity.deleted) throw new FormError('submission-invalid', `${entity.guid} is deleted; it cannot be changed.`);
	if (purpose.kind === 'event') return event(withForm, now, purpose.eventType, entity.guid, data);
	if (entity.type !== purpose.entityType) throw new FormError('submission-invalid', `This form updates ${purpose.entityType === 'group' ? 'households' : 'individuals'}; ${entity.guid} is not one.`);
	const changes: Record<string, unknown> = {};
	const keys = [...definition.fields.filter((f) => f.type !== 'note' && f.repeat === undefined).map((f) => f.saveTo ?? f.name), ...(definition.repeats ?? []).map((r) => r.name)];
	for (const key of keys) {
		if (key in data) {
			if (canonicalJson(entity.data[key] ?? null) !== canonicalJson(data[key])) changes[key] = data[key];
		} else if (key in entity.data) changes[key] = null;
	}
	if (Object.keys(changes).length === 0) throw new FormError('submission-invalid', 'Nothing to change: every answer is the same as the record now.');
	return event(withForm, now, purpose.entityType === 'group' ? 'update-group' : 'update-individual', entity.guid, changes);
}
