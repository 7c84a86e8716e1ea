/**
 * Filling in a form: which questions are relevant, what the calculations give, and what is wrong
 * with the answers (required, type, constraint). The page runs it as the person types; the worker
 * runs the same function again on what it is asked to store, so a crafted call that skips the page
 * gets the same answer. Pure: the instant `today()` reads comes in from outside.
 */
import type { FormDefinition, FormField, Localized } from './definition';
import { evaluate, parseExpression, toBool, toStr, type EvalContext, type Expr } from './xpath';

/** Answers by field name, as the form holds them: text; a select multiple is space-separated values. */
export type Answers = Record<string, string>;

export type ProblemKind = 'required' | 'type' | 'constraint' | 'choice';

export interface FieldProblem {
	kind: ProblemKind;
	/** The form's own message when it has one, in each of its languages. */
	message?: Localized;
}

export interface FormState {
	/** Every field's value after calculations; a field that is not relevant is empty. */
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

/** The values to start a form with: each field's default, over which `initial` is laid. */
export function initialAnswers(definition: FormDefinition, initial: Answers = {}): Answers {
	const answers: Answers = {};
	for (const field of definition.fields) {
		if (field.type === 'calculate' || field.type === 'note') continue;
		answers[field.name] = initial[field.name] ?? field.default ?? '';
	}
	return answers;
}

/**
 * The state of `definition` filled in with `answers`: relevance (a field in a group that is not
 * relevant is not relevant), calculations, then the problems of every relevant field a person
 * answers. Answers to unknown names are ignored here; {@link validateSubmission} refuses them.
 */
export function computeForm(definition: FormDefinition, answers: Answers, now: Date): FormState {
	const byPath = new Map(definition.fields.map((f) => [f.path, f]));
	const values: Answers = {};
	for (const field of definition.fields) {
		const given = answers[field.name];
		// What is validated is what would be stored: answers without surrounding spaces.
		values[field.name] = field.type === 'calculate' ? (field.default ?? '') : field.type === 'note' ? '' : typeof given === 'string' ? given.trim() : '';
	}
	const relevant = new Set<string>();
	const ctxFor = (current: string): EvalContext => ({
		current,
		now,
		valuesAt(path) {
			const field = byPath.get(path);
			return field ? [values[field.name] ?? ''] : [];
		}
	});
	const holds = (source: string | undefined, current: string): boolean => source === undefined || toBool(evaluate(compiled(definition, source), ctxFor(current)));
	const groupRelevant = (path: string): boolean =>
		definition.groups.every((g) => !path.startsWith(`${g.path}/`) || holds(g.relevant, g.path));

	// Calculations and relevance can depend on each other in any order: settle them, with a bound
	// (one pass per field is always enough for an acyclic form; a cyclic one stops there).
	for (let pass = 0; pass <= definition.fields.length; pass++) {
		let changed = false;
		for (const field of definition.fields) {
			const isRelevant = groupRelevant(field.path) && holds(field.relevant, field.path);
			let value = values[field.name] ?? '';
			if (!isRelevant) value = '';
			else if (field.calculate !== undefined) value = toStr(evaluate(compiled(definition, field.calculate), ctxFor(field.path)));
			if (value === 'NaN') value = '';
			if (isRelevant !== relevant.has(field.name)) {
				changed = true;
				if (isRelevant) relevant.add(field.name);
				else relevant.delete(field.name);
			}
			if (value !== values[field.name]) {
				changed = true;
				values[field.name] = value;
			}
		}
		if (!changed) break;
	}

	const problems: Record<string, FieldProblem> = {};
	for (const field of definition.fields) {
		if (!relevant.has(field.name) || field.type === 'note' || field.calculate !== undefined) continue;
		const value = values[field.name] ?? '';
		if (value.trim() === '') {
			if (holds(field.required ?? 'false()', field.path)) problems[field.name] = withMessage('required', field.requiredMessage);
			continue;
		}
		if (!typeFits(field, value.trim()) || value.length > MAX_ANSWER) problems[field.name] = { kind: 'type' };
		else if (!choicesFit(field, value)) problems[field.name] = { kind: 'choice' };
		else if (!holds(field.constraint, field.path)) problems[field.name] = withMessage('constraint', field.constraintMessage);
	}
	return { values, relevant, problems };
}

function withMessage(kind: ProblemKind, message: Localized | undefined): FieldProblem {
	return message ? { kind, message } : { kind };
}

/**
 * What a submission stores: each relevant answered field (calculations included, notes not) under
 * the property it saves to, integers and decimals as numbers, the rest as text.
 */
export function submissionData(definition: FormDefinition, state: FormState): Record<string, unknown> {
	const data: Record<string, unknown> = {};
	for (const field of definition.fields) {
		if (!state.relevant.has(field.name) || field.type === 'note') continue;
		const value = (state.values[field.name] ?? '').trim();
		if (value === '') continue;
		const key = field.saveTo ?? field.name;
		data[key] = (field.type === 'integer' || field.type === 'decimal') && DECIMAL.test(value) ? Number(value) : value;
	}
	return data;
}

/** The answers a form starts with when it edits a record: each field's saved property, as text. */
export function answersFromData(definition: FormDefinition, data: Record<string, unknown>): Answers {
	const answers: Answers = {};
	for (const field of definition.fields) {
		const value = data[field.saveTo ?? field.name];
		if (typeof value === 'string') answers[field.name] = value;
		else if (typeof value === 'number' && Number.isFinite(value)) answers[field.name] = String(value);
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
			return field.type === 'integer' ? 'Write a whole number.' : field.type === 'decimal' ? 'Write a number.' : field.type === 'date' ? 'Write a real date, YYYY-MM-DD.' : 'This answer is too long.';
	}
}

/**
 * A label with its `${expression}` outputs (XForm `<output value>`) filled in from the form's
 * current values; an output that cannot be read stays empty.
 */
export function withOutputs(text: string, definition: FormDefinition, state: FormState, now: Date): string {
	if (!text.includes('${')) return text;
	const byPath = new Map(definition.fields.map((f) => [f.path, f]));
	return text.replace(/\$\{([^}]*)\}/g, (_, source: string) => {
		try {
			return toStr(
				evaluate(compiled(definition, source), {
					current: '/',
					now,
					valuesAt: (path) => {
						const field = byPath.get(path);
						return field ? [state.values[field.name] ?? ''] : [];
					}
				})
			);
		} catch {
			return '';
		}
	});
}
