/**
 * Filling in a form: which questions are relevant, what the calculations give, and what is wrong
 * with the answers (required, type, constraint). The page runs it as the person types; the worker
 * runs the same function again on what it is asked to store, so a crafted call that skips the page
 * gets the same answer. Pure: the instant `today()` reads comes in from outside.
 */
import type { FormDefinition, FormField, FormRepeat, Localized } from './definition';
import { answerOfRef, isAttachmentRef, refFromAnswer } from '../attachments';
import { geopointOf, isLocation, locationFromGeopoint } from '../location';
import { FormError } from './errors';
import { evaluate, parseExpression, pathsIn, toBool, toStr, type EvalContext, type Expr } from './xpath';

/** Answers by field name, as the form holds them: text; a select multiple is space-separated values. */
export type Answers = Record<string, string>;

export type ProblemKind = 'required' | 'type' | 'constraint' | 'choice';

export interface FieldProblem {
	kind: ProblemKind;
	/** The form's own message when it has one, in each of its languages. */
	message?: Localized;
}

export interface FormState {
	/** Every field's value after calculations (a field that is not relevant is empty), and each repeat's count. */
	values: Answers;
	/** Names of the fields that are relevant now. */
	relevant: Set<string>;
	problems: Record<string, FieldProblem>;
}

/** Longest answer kept: a questionnaire's free text, not a document. */
export const MAX_ANSWER = 10_000;

const cache = new WeakMap<FormDefinition, Map<string, Expr>>();

function compiled(definition: FormDefinition, source: string): Expr {
	let map = cache.get(definition);
	if (!map) cache.set(definition, (map = new Map()));
	let expr = map.get(source);
	if (!expr) map.set(source, (expr = parseExpression(source)));
	return expr;
}

const INTEGER = /^-?\d+$/;
const DECIMAL = /^-?(\d+\.?\d*|\.\d+)$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function realDate(value: string): boolean {
	const m = DATE.exec(value);
	if (!m) return false;
	const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
	return d.toISOString().slice(0, 10) === value;
}

/** True when `value` has the form of `field`'s type (an empty value always has). */
function typeFits(field: FormField, value: string): boolean {
	switch (field.type) {
		case 'integer':
			return INTEGER.test(value) && Number.isSafeInteger(Number(value));
		case 'decimal':
			return DECIMAL.test(value);
		case 'date':
			return realDate(value);
		case 'image':
			return refFromAnswer(value) !== undefined;
		case 'geopoint':
			return locationFromGeopoint(value) !== undefined;
		default:
			return true;
	}
}

function choicesFit(field: FormField, value: string): boolean {
	const allowed = new Set((field.choices ?? []).map((c) => c.value));
	if (field.type === 'select-one') return allowed.has(value);
	if (field.type === 'select-multiple') {
		const picked = value.split(' ').filter((v) => v !== '');
		return picked.length > 0 && picked.every((v) => allowed.has(v)) && new Set(picked).size === picked.length;
	}
	return true;
}

/** Most instances of one repeat a submission may hold: a household, not a census. */
export const MAX_REPEAT = 200;

/**
 * Where an answer lives in {@link Answers}: a question's own name, or `name[i]` for its i-th
 * instance (from 1, as XPath counts) in a repeat. A repeat's name holds how many instances it has.
 */
export function answerKey(name: string, instance?: number): string {
	return instance === undefined ? name : `${name}[${instance}]`;
}

/** How many instances `repeat` has in `answers`: its count, read defensively (answers are input). */
export function repeatCount(answers: Answers, repeat: FormRepeat): number {
	const raw = answers[repeat.name];
	const n = typeof raw === 'string' && /^\d{1,4}$/.test(raw.trim()) ? Number(raw.trim()) : 0;
	return Math.min(n, MAX_REPEAT);
}

/** One question as asked once: in a repeat, once per instance. */
export interface Slot {
	key: string;
	field: FormField;
	/** Its path with the instance: `/data/members[2]/age`; what `.` means in its expressions. */
	current: string;
	instance?: number;
}

function repeatOf(definition: FormDefinition, field: FormField): FormRepeat | undefined {
	return field.repeat === undefined ? undefined : definition.repeats?.find((r) => r.path === field.repeat);
}

/** The path of `path` inside instance `instance` of the repeat at `repeatPath`. */
function inInstance(path: string, repeatPath: string, instance: number): string {
	return `${repeatPath}[${instance}]${path.slice(repeatPath.length)}`;
}

/** Every question as asked, in order, with the instance counts of `answers`. */
export function slotsOf(definition: FormDefinition, answers: Answers): Slot[] {
	const slots: Slot[] = [];
	for (const field of definition.fields) {
		const repeat = repeatOf(definition, field);
		if (!repeat) {
			slots.push({ key: field.name, field, current: field.path });
			continue;
		}
		const count = repeatCount(answers, repeat);
		for (let i = 1; i <= count; i++) slots.push({ key: answerKey(field.name, i), field, current: inInstance(field.path, repeat.path, i), instance: i });
	}
	return slots;
}

/** The values to start a form with: each field's default, over which `initial` is laid; one instance of each repeat. */
export function initialAnswers(definition: FormDefinition, initial: Answers = {}): Answers {
	const answers: Answers = {};
	for (const repeat of definition.repeats ?? []) answers[repeat.name] = initial[repeat.name] ?? '1';
	for (const slot of slotsOf(definition, answers)) {
		const { field } = slot;
		if (field.type === 'calculate' || field.type === 'note') continue;
		answers[slot.key] = initial[slot.key] ?? field.default ?? '';
	}
	return answers;
}

/**
 * The values at a path seen from `current`, over `values` keyed as {@link answerKey} (ODK XForms:
 * inside a repeat instance, a path into the same repeat means that instance; from outside, every
 * instance). `counts` holds each repeat's number of instances by its path.
 */
function lookupIn(definition: FormDefinition, values: Answers, counts: ReadonlyMap<string, number>): (path: string, current: string) => string[] {
	const byPath = new Map(definition.fields.map((f) => [f.path, f]));
	const repeats = definition.repeats ?? [];
	return (path, current) => {
		for (const repeat of repeats) {
			const count = counts.get(repeat.path) ?? 0;
			let instances: number[];
			let rest: string;
			if (path === repeat.path || path.startsWith(`${repeat.path}/`)) {
				rest = path.slice(repeat.path.length);
				const own = current.startsWith(`${repeat.path}[`) ? /^\[(\d+)\]/.exec(current.slice(repeat.path.length)) : null;
				instances = own ? [Number(own[1])] : Array.from({ length: count }, (_, i) => i + 1);
			} else if (path.startsWith(`${repeat.path}[`)) {
				const m = /^\[(\d+)\](.*)$/.exec(path.slice(repeat.path.length));
				if (!m) return [];
				instances = Number(m[1]) <= count ? [Number(m[1])] : [];
				rest = m[2] as string;
			} else continue;
			if (rest === '') return instances.map(() => '');
			const field = byPath.get(repeat.path + rest);
			return field ? instances.map((i) => values[answerKey(field.name, i)] ?? '') : [];
		}
		const field = byPath.get(path);
		return field && field.repeat === undefined ? [values[field.name] ?? ''] : [];
	};
}

/** Functions that read the field being evaluated (`.`) when given no argument. */
const READS_CURRENT = new Set(['string', 'number', 'string-length', 'normalize-space']);

function readsCurrent(expr: Expr): boolean {
	const pending = [expr];
	while (pending.length > 0) {
		const e = pending.pop() as Expr;
		if (e.k === 'call') {
			if (e.args.length === 0 && READS_CURRENT.has(e.name)) return true;
			pending.push(...e.args);
		} else if (e.k === 'bin') pending.push(e.l, e.r);
		else if (e.k === 'neg') pending.push(e.e);
	}
	return false;
}

/** The names of the fields a field's value depends on: its calculation, its relevance and its groups' relevance. */
function dependenciesOf(definition: FormDefinition, field: FormField, byPath: ReadonlyMap<string, FormField>): Set<string> {
	const found = new Set<string>();
	const read = (source: string | undefined, current: string): void => {
		if (source === undefined) return;
		const expr = compiled(definition, source);
		for (const path of pathsIn(expr, current)) {
			const other = byPath.get(path);
			if (other) found.add(other.name);
		}
		if (readsCurrent(expr)) {
			const own = byPath.get(current);
			if (own) found.add(own.name);
		}
	};
	for (const group of definition.groups) if (field.path.startsWith(`${group.path}/`)) read(group.relevant, group.path);
	read(field.relevant, field.path);
	read(field.calculate, field.path);
	return found;
}

const orders = new WeakMap<FormDefinition, { order: FormField[] } | { cycle: string[] }>();

/**
 * The fields of `definition` so that every field comes after those its calculation and relevance
 * read (a topological order, ties in document order), or the names around a cycle when there is
 * one: calculations and relevance that depend on themselves, directly or through others. ODK refuses
 * such a form too ("cycle detected"); here parseXForm and checkDefinition do. Throws the FormError
 * of an expression that does not parse.
 */
export function evaluationOrder(definition: FormDefinition | Omit<FormDefinition, 'purpose'>): { order: FormField[] } | { cycle: string[] } {
	const key = definition as FormDefinition;
	const known = orders.get(key);
	if (known) return known;
	const byPath = new Map(definition.fields.map((f) => [f.path, f]));
	const byName = new Map(definition.fields.map((f) => [f.name, f]));
	const needs = new Map(definition.fields.map((f) => [f.name, dependenciesOf(key, f, byPath)]));
	// Depth-first, without recursion: 0 unseen, 1 on the current path, 2 done.
	const mark = new Map<string, number>();
	const order: FormField[] = [];
	let answer: { order: FormField[] } | { cycle: string[] } = { order };
	outer: for (const root of definition.fields) {
		if (mark.get(root.name)) continue;
		const stack: { name: string; next: Iterator<string> }[] = [{ name: root.name, next: (needs.get(root.name) as Set<string>).values() }];
		mark.set(root.name, 1);
		while (stack.length > 0) {
			const top = stack[stack.length - 1] as { name: string; next: Iterator<string> };
			const step = top.next.next();
			if (step.done) {
				stack.pop();
				mark.set(top.name, 2);
				order.push(byName.get(top.name) as FormField);
				continue;
			}
			const dep = step.value;
			const state = mark.get(dep) ?? 0;
			if (state === 1) {
				const from = stack.findIndex((s) => s.name === dep);
				answer = { cycle: [...stack.slice(from).map((s) => s.name), dep] };
				break outer;
			}
			if (state === 0) {
				mark.set(dep, 1);
				stack.push({ name: dep, next: (needs.get(dep) as Set<string>).values() });
			}
		}
	}
	orders.set(key, answer);
	return answer;
}

/** The sentence saying a form's calculations or relevance form a cycle. */
export function cycleMessage(cycle: readonly string[]): string {
	return `Calculations and relevance depend on each other in a cycle (${cycle.join(' -> ')}); ODK refuses such a form too.`;
}

/**
 * Work one {@link computeForm} may do, in expression nodes evaluated plus values read (and regex()
 * automaton visits / 8): far above a real questionnaire, even one with 200 instances of a repeat,
 * and bounded so that a definition from another device cannot hold the worker or the page for long.
 * Spending it all takes about 0.2 s in Node on a 2-core Xeon (docs/decisions/0006).
 */
export const MAX_EVALUATION_WORK = 1_000_000;

/**
 * The state of `definition` filled in with `answers`: relevance (a field in a group that is not
 * relevant is not relevant), calculations, then the problems of every relevant field a person
 * answers, keyed as {@link answerKey}. Answers to unknown names are ignored here;
 * decideSubmission refuses them.
 */
export function computeForm(definition: FormDefinition, answers: Answers, now: Date): FormState {
	try {
		return computeFormUnchecked(definition, answers, now);
	} catch (e) {
		if (e instanceof FormError) throw e;
		// Nothing else is expected; whatever it is, it is the form's computation that failed, not storage.
		throw new FormError('form-evaluation-failed', `The form ${String(definition.formId)} version ${String(definition.version)} could not be computed: ${e instanceof Error ? e.message : String(e)}.`);
	}
}

function computeFormUnchecked(definition: FormDefinition, answers: Answers, now: Date): FormState {
	const evaluation = evaluationOrder(definition);
	if ('cycle' in evaluation) throw new FormError('form-invalid', cycleMessage(evaluation.cycle));
	const rank = new Map(evaluation.order.map((f, i) => [f.name, i]));
	const counts = new Map((definition.repeats ?? []).map((r) => [r.path, repeatCount(answers, r)]));
	const slots = slotsOf(definition, answers);
	const values: Answers = {};
	// Each repeat's count too, so what reads the values alone (the entity label) sees its instances.
	for (const repeat of definition.repeats ?? []) values[repeat.name] = String(counts.get(repeat.path) ?? 0);
	for (const { key, field } of slots) {
		const given = answers[key];
		// What is validated is what would be stored: answers without surrounding spaces.
		values[key] = field.type === 'calculate' ? (field.default ?? '') : field.type === 'note' ? '' : typeof given === 'string' ? given.trim() : '';
	}
	const relevant = new Set<string>();

	const lookup = lookupIn(definition, values, counts);
	const budget = { left: MAX_EVALUATION_WORK };
	// Work outside expressions is charged too: a lookup walks the repeats, a slot's relevance its groups.
	const lookupCost = 1 + Math.ceil((definition.repeats ?? []).length / 8);
	const slotCost = 1 + Math.ceil(definition.groups.length / 8);
	const charge = (cost: number): void => {
		if ((budget.left -= cost) < 0) throw new FormError('form-evaluation-failed', 'This form could not be computed: it needs more work than a form is allowed.');
	};
	const ctxFor = (current: string): EvalContext => ({
		current,
		now,
		budget,
		valuesAt: (path) => {
			charge(lookupCost);
			return lookup(path, current);
		}
	});
	const holds = (source: string | undefined, current: string): boolean => source === undefined || toBool(evaluate(compiled(definition, source), ctxFor(current)));
	const groupRelevant = (slot: Slot): boolean =>
		definition.groups.every((g) => {
			if (!slot.field.path.startsWith(`${g.path}/`)) return true;
			const repeat = slot.instance === undefined ? undefined : repeatOf(definition, slot.field);
			const current = repeat && g.path.startsWith(`${repeat.path}/`) ? inInstance(g.path, repeat.path, slot.instance as number) : g.path;
			return holds(g.relevant, current);
		});

	// Calculations and relevance, each field after those it reads (evaluationOrder): one pass
	// settles them, as the fixed point of an acyclic form is unique; the second only confirms it.
	const ordered = [...slots].sort((a, b) => (rank.get(a.field.name) ?? 0) - (rank.get(b.field.name) ?? 0) || (a.instance ?? 0) - (b.instance ?? 0));
	for (let pass = 0; pass < 2; pass++) {
		let changed = false;
		for (const slot of ordered) {
			charge(slotCost);
			const { key, field, current } = slot;
			const isRelevant = groupRelevant(slot) && holds(field.relevant, current);
			let value = values[key] ?? '';
			if (!isRelevant) value = '';
			else if (field.calculate !== undefined) value = toStr(evaluate(compiled(definition, field.calculate), ctxFor(current)));
			if (value === 'NaN') value = '';
			if (isRelevant !== relevant.has(key)) {
				changed = true;
				if (isRelevant) relevant.add(key);
				else relevant.delete(key);
			}
			if (value !== values[key]) {
				changed = true;
				values[key] = value;
			}
		}
		if (!changed) break;
	}

	const problems: Record<string, FieldProblem> = {};
	for (const { key, field, current } of slots) {
		if (!relevant.has(key) || field.type === 'note' || field.calculate !== undefined) continue;
		const value = values[key] ?? '';
		if (value === '') {
			if (holds(field.required ?? 'false()', current)) problems[key] = withMessage('required', field.requiredMessage);
			continue;
		}
		if (!typeFits(field, value) || value.length > MAX_ANSWER) problems[key] = { kind: 'type' };
		else if (!choicesFit(field, value)) problems[key] = { kind: 'choice' };
		else if (!holds(field.constraint, current)) problems[key] = withMessage('constraint', field.constraintMessage);
	}
	return { values, relevant, problems };
}

function withMessage(kind: ProblemKind, message: Localized | undefined): FieldProblem {
	return message ? { kind, message } : { kind };
}

function stored(field: FormField, value: string): unknown {
	// A photo or signature is stored as its attachment reference, a position as a location object.
	if (field.type === 'image') return refFromAnswer(value) ?? value;
	if (field.type === 'geopoint') return locationFromGeopoint(value) ?? value;
	return (field.type === 'integer' || field.type === 'decimal') && DECIMAL.test(value) ? Number(value) : value;
}

/**
 * What a submission stores: each relevant answered field (calculations included, notes not) under
 * the property it saves to, integers and decimals as numbers, the rest as text; a repeat as a list
 * under its name, one object per instance keyed by question name.
 */
export function submissionData(definition: FormDefinition, state: FormState, answers: Answers = state.values): Record<string, unknown> {
	const data: Record<string, unknown> = {};
	for (const field of definition.fields) {
		if (field.repeat !== undefined || !state.relevant.has(field.name) || field.type === 'note') continue;
		const value = (state.values[field.name] ?? '').trim();
		if (value === '') continue;
		data[field.saveTo ?? field.name] = stored(field, value);
	}
	for (const repeat of definition.repeats ?? []) {
		const fields = definition.fields.filter((f) => f.repeat === repeat.path && f.type !== 'note');
		const list: Record<string, unknown>[] = [];
		for (let i = 1; i <= repeatCount(answers, repeat); i++) {
			const instance: Record<string, unknown> = {};
			for (const field of fields) {
				const key = answerKey(field.name, i);
				const value = (state.values[key] ?? '').trim();
				if (state.relevant.has(key) && value !== '') instance[field.name] = stored(field, value);
			}
			list.push(instance);
		}
		if (list.length > 0) data[repeat.name] = list;
	}
	return data;
}

/** The answers a form starts with when it edits a record: each field's saved property, as text. */
export function answersFromData(definition: FormDefinition, data: Record<string, unknown>): Answers {
	const answers: Answers = {};
	const text = (value: unknown): string | undefined =>
		typeof value === 'string'
			? value
			: typeof value === 'number' && Number.isFinite(value)
				? String(value)
				: isAttachmentRef(value)
					? answerOfRef(value)
					: isLocation(value)
						? geopointOf(value)
						: undefined;
	for (const field of definition.fields) {
		if (field.repeat !== undefined) continue;
		const value = text(data[field.saveTo ?? field.name]);
		if (value !== undefined) answers[field.name] = value;
	}
	for (const repeat of definition.repeats ?? []) {
		const list = data[repeat.name];
		if (!Array.isArray(list)) continue;
		const instances = list.slice(0, MAX_REPEAT);
		answers[repeat.name] = String(instances.length);
		instances.forEach((instance: unknown, i) => {
			if (typeof instance !== 'object' || instance === null) return;
			for (const field of definition.fields.filter((f) => f.repeat === repeat.path)) {
				const value = text((instance as Record<string, unknown>)[field.name]);
				if (value !== undefined) answers[answerKey(field.name, i + 1)] = value;
			}
		});
	}
	return answers;
}

/** The text of a problem for a person, in `language`, from the form's message or a plain default. */
export function problemText(problem: FieldProblem, language: string, fallback: string, field: FormField): string {
	const own = problem.message && (problem.message[language] ?? problem.message[fallback] ?? Object.values(problem.message)[0]);
	if (own) return own;
	switch (problem.kind) {
		case 'required':
			return 'This question needs an answer.';
		case 'choice':
			return 'Choose from the options given.';
		case 'constraint':
			return 'This answer is not accepted by the form.';
		default:
			return field.type === 'integer'
				? 'Write a whole number.'
				: field.type === 'decimal'
					? 'Write a number.'
					: field.type === 'date'
						? 'Write a real date, YYYY-MM-DD.'
						: field.type === 'image'
							? 'Take or choose the image again.'
							: field.type === 'geopoint'
								? 'Record the location again.'
								: 'This answer is too long.';
	}
}

const outputBudgets = new WeakMap<FormState, { left: number }>();

/**
 * A label with its `${expression}` outputs (XForm `<output value>`) filled in from the form's
 * current values, seen from the question at `current` (its instance, in a repeat); an output that
 * cannot be read stays empty.
 */
export function withOutputs(text: string, definition: FormDefinition, state: FormState, answers: Answers, now: Date, current = '/'): string {
	if (!text.includes('${')) return text;
	// One budget for every output of every label shown with this state: once spent, outputs are empty.
	let budget = outputBudgets.get(state);
	if (!budget) outputBudgets.set(state, (budget = { left: MAX_EVALUATION_WORK }));
	const counts = new Map((definition.repeats ?? []).map((r) => [r.path, repeatCount(answers, r)]));
	const lookup = lookupIn(definition, state.values, counts);
	return text.replace(/\$\{([^}]*)\}/g, (_, source: string) => {
		try {
			return toStr(evaluate(compiled(definition, source), { current, now, budget, valuesAt: (path) => lookup(path, current) }));
		} catch {
			return '';
		}
	});
}

/** The value of a form's entity label expression over a filled-in form, trimmed; empty without one. */
export function entityLabelOf(definition: FormDefinition, state: FormState, now: Date): string {
	if (definition.entityLabel === undefined) return '';
	const counts = new Map((definition.repeats ?? []).map((r) => [r.path, repeatCount(state.values, r)]));
	const lookup = lookupIn(definition, state.values, counts);
	let value: string;
	try {
		value = toStr(evaluate(compiled(definition, definition.entityLabel), { current: '/', now, budget: { left: MAX_EVALUATION_WORK }, valuesAt: (path) => lookup(path, '/') }));
	} catch (e) {
		if (e instanceof FormError) throw e;
		throw new FormError('form-evaluation-failed', `The entity label of form ${String(definition.formId)} could not be computed: ${e instanceof Error ? e.message : String(e)}.`);
	}
	return value === 'NaN' ? '' : value.trim();
}
