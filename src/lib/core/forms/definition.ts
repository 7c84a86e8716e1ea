/**
 * The normalized form definition: what Casetrail keeps of an ODK XForm once it has been understood,
 * carried in a `publish-form` event (docs/decisions/0006-forms-as-events.md). It is plain JSON, so
 * it hashes canonically and travels in bundles; every device renders and validates submissions
 * from it, never from the XML.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { canonicalJson } from '../canonical';
import { bytesToHex } from '../encoding';
import { isPlainObject, type CasetrailEvent } from '../event';

/** Text in each language of the form, keyed by the language as the XForm names it (`Arabic (ar)`); `''` for a form without translations. */
export type Localized = Record<string, string>;

/**
 * `image`: a photo (an XForm `<upload mediatype="image/*">` bound to `binary`), or a drawn
 * signature with appearance `signature`; answered with an attachment (core/attachments.ts).
 * `geopoint`: the device's position, `latitude longitude altitude accuracy` as XForms write it.
 */
export const FIELD_TYPES = ['text', 'integer', 'decimal', 'date', 'select-one', 'select-multiple', 'note', 'calculate', 'image', 'geopoint'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export interface Choice {
	value: string;
	label: Localized;
}

export interface FormField {
	/** The question's name, unique in the form (the converters enforce it). */
	name: string;
	/** Its absolute path in the instance: `/data/household/size`. */
	path: string;
	type: FieldType;
	label?: Localized;
	hint?: Localized;
	/** XPath expressions, as written in the bind. */
	required?: string;
	requiredMessage?: Localized;
	constraint?: string;
	constraintMessage?: Localized;
	relevant?: string;
	calculate?: string;
	/** The initial value from the primary instance. */
	default?: string;
	choices?: Choice[];
	/** The entity property it saves to (ODK entities `entities:saveto`); absent means its own name. */
	saveTo?: string;
	/** The path of the repeat it is asked in, once per instance; absent outside repeats. */
	repeat?: string;
	/** An image question drawn with the finger instead of photographed (XForm appearance `signature`). */
	appearance?: 'signature';
}

/**
 * A repeat (XLSForm `begin repeat`): its questions are asked once per instance the person adds. Its
 * answers are saved as a list under its name, one object per instance.
 */
export interface FormRepeat {
	path: string;
	name: string;
	label?: Localized;
}

export interface FormGroup {
	path: string;
	label?: Localized;
	relevant?: string;
}

/** The body in order: questions and groups of questions, as the form shows them. */
export type BodyItem = { kind: 'field'; name: string } | { kind: 'group'; path: string; items: BodyItem[] } | { kind: 'repeat'; path: string; items: BodyItem[] };

export const DOMAIN_EVENTS = ['visit-recorded', 'assistance-provided'] as const;
export type DomainEvent = (typeof DOMAIN_EVENTS)[number];

export const ENTITY_TYPES = ['individual', 'group'] as const;
export type FormEntityType = (typeof ENTITY_TYPES)[number];

/**
 * What a submission does: register a new individual or household (ODK entities `create`), update
 * the record it was opened from (`update`), or record a domain event on that record.
 */
export type FormPurpose = { kind: 'register'; entityType: FormEntityType } | { kind: 'update'; entityType: FormEntityType } | { kind: 'event'; eventType: DomainEvent };

export interface Language {
	/** As the XForm names it: `English (en)`, or `''` for a form without translations. */
	key: string;
	/** The BCP 47 code in parentheses, when the name has one (`ar`), for `lang` and direction. */
	code?: string;
	rtl: boolean;
}

export interface FormDefinition {
	/** Version of this normalized shape; a later shape upcasts older ones when read. */
	schema: 1;
	formId: string;
	version: string;
	title: string;
	languages: Language[];
	/** The language shown first: the XForm's default translation, else the first. */
	defaultLanguage: string;
	purpose: FormPurpose;
	/** Every field in document order, calculations included. */
	fields: FormField[];
	groups: FormGroup[];
	/** Absent in a form without repeats, so such a definition (and its hash) is as it always was. */
	repeats?: FormRepeat[];
	/**
	 * A household registration's ODK entity label (`entity_label`), an expression: it becomes the
	 * household's `name` when no question saves one.
	 */
	entityLabel?: string;
	body: BodyItem[];
}

/** A submission names the form version it was made with, in its event's `context.form`. */
export interface FormRef {
	id: string;
	version: string;
}

/** The entity guid every `publish-form` event is recorded on: forms are read by this one index lookup. */
export const FORMS_ENTITY = 'casetrail-forms';
export const PUBLISH_FORM = 'publish-form';

/** Hex SHA-256 of the canonical JSON (RFC 8785) of a definition: the same on every device. */
export function definitionHash(definition: FormDefinition): string {
	return bytesToHex(sha256(new TextEncoder().encode(canonicalJson(definition))));
}

/** Scripts written right to left, by the primary language subtag. */
const RTL = new Set(['ar', 'arc', 'ckb', 'dv', 'fa', 'ha-Arab', 'he', 'iw', 'ku-Arab', 'ps', 'sd', 'ug', 'ur', 'yi']);

/** The language of an XForm translation name: `Arabic (ar)` gives code `ar`, right to left. */
export function languageOf(key: string): Language {
	const code = /\(([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)\)\s*$/.exec(key)?.[1];
	const rtl = code !== undefined && (RTL.has(code) || RTL.has(code.split('-')[0] as string));
	return code === undefined ? { key, rtl: false } : { key, code, rtl };
}

/** The text of `value` in `language`, else in the default language, else any it has. */
export function localize(value: Localized | undefined, language: string, fallback: string): string {
	if (!value) return '';
	return value[language] ?? value[fallback] ?? value[''] ?? Object.values(value)[0] ?? '';
}

/** The form version an event was recorded with, from its `context.form`, when it names one. */
export function formRefOf(recorded: CasetrailEvent): FormRef | undefined {
	const form = recorded.context?.form;
	return isPlainObject(form) && typeof form.id === 'string' && typeof form.version === 'string' ? { id: form.id, version: form.version } : undefined;
}
