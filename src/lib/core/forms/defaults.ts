/**
 * The shipped default forms: the built-in registration of an individual and of a household
 * (commands.ts) written as form definitions, so a device with no published form has forms to
 * register with, and every registration, built-in or published, goes through one kind of thing.
 * Their rules are the command's rules in XPath; tests/unit/core/forms/defaults.test.ts holds the
 * two to the same answers, field by field. They are never published as events: every build ships
 * them, under form ids starting with `casetrail-`, which publishing refuses.
 */
import { SEXES } from '../commands';
import type { FormDefinition, FormField } from './definition';

/** Form ids the app keeps for its own forms. */
export const RESERVED_FORM_PREFIX = 'casetrail-';

const SEX_LABELS: Readonly<Record<(typeof SEXES)[number], string>> = { female: 'Female', male: 'Male', other: 'Other', unknown: 'Unknown' };

function text(name: string, label: string, max: number, required: boolean, extra?: string, message?: string): FormField {
	const field: FormField = { name, path: `/data/${name}`, type: 'text', label: { '': label }, constraint: `string-length(.) <= ${max}${extra ? ` and ${extra}` : ''}` };
	field.constraintMessage = { '': message ?? `${label} must be at most ${max} characters.` };
	if (required) field.required = 'true()';
	return field;
}

/** The furthest time zone is UTC+14 (commands.ts): a birth today there is not "in the future" anywhere. */
const DATE_OF_BIRTH: FormField = {
	name: 'dateOfBirth',
	path: '/data/dateOfBirth',
	type: 'date',
	label: { '': 'Date of birth' },
	required: 'true()',
	constraint: '. <= date(decimal-date-time(now()) + 14 div 24) and . >= date(decimal-date-time(now()) - 150 * 365.25)',
	constraintMessage: { '': 'Date of birth cannot be in the future, or more than 150 years ago.' }
};

const DIGITS = "string-length(translate(., '+ ', ''))";

const INDIVIDUAL_FIELDS: FormField[] = [
	text('givenName', 'Given name', 100, true),
	text('familyName', 'Family name', 100, true),
	{ name: 'sex', path: '/data/sex', type: 'select-one', label: { '': 'Sex' }, required: 'true()', choices: SEXES.map((value) => ({ value, label: { '': SEX_LABELS[value] } })) },
	DATE_OF_BIRTH,
	text('phone', 'Phone', 30, false, `regex(., '^\\+?[0-9 ]+$') and ${DIGITS} >= 6 and ${DIGITS} <= 15`, 'Phone may contain only digits, spaces and a leading +, with 6 to 15 digits.'),
	text('nationalId', 'National id', 50, false, "regex(., '^[A-Za-z0-9][A-Za-z0-9 ./-]*$')", 'National id may contain only letters, digits, spaces, dots, slashes and hyphens.'),
	text('address', 'Village or address', 500, false, undefined, 'Address must be at most 500 characters.'),
	text('notes', 'Notes', 2000, false)
];

// Labels as the app's pages name these fields (ui/messages.ts), messages as the commands word them.
const GROUP_FIELDS: FormField[] = [
	text('name', 'Household name', 200, true, undefined, 'Name must be at most 200 characters.'),
	text('address', 'Village or address', 500, false, undefined, 'Address must be at most 500 characters.')
];

function defaultForm(formId: string, title: string, entityType: 'individual' | 'group', fields: FormField[]): FormDefinition {
	return {
		schema: 1,
		formId,
		version: '1',
		title,
		languages: [{ key: '', rtl: false }],
		defaultLanguage: '',
		purpose: { kind: 'register', entityType },
		fields,
		groups: [],
		body: fields.map((f) => ({ kind: 'field', name: f.name }))
	};
}

export const DEFAULT_INDIVIDUAL_FORM: FormDefinition = defaultForm(`${RESERVED_FORM_PREFIX}individual`, 'Individual', 'individual', INDIVIDUAL_FIELDS);
export const DEFAULT_HOUSEHOLD_FORM: FormDefinition = defaultForm(`${RESERVED_FORM_PREFIX}household`, 'Household', 'group', GROUP_FIELDS);

/** The default forms, individual first. */
export const DEFAULT_FORMS: readonly FormDefinition[] = Object.freeze([DEFAULT_INDIVIDUAL_FORM, DEFAULT_HOUSEHOLD_FORM]);
