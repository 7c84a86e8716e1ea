/**
 * Reading an ODK XForm (as pyxform, KoboToolbox and ODK Central write it from an XLSForm) into the
 * normalized {@link FormDefinition}. Everything the form uses is checked here, once, at import:
 * every expression parses within the supported subset, every type and control is one Casetrail
 * renders. What does not fit is collected (what, and where) and the whole form is refused, so a
 * device never meets a question it cannot ask or a rule it cannot check.
 */
import { FormError } from './errors';
import {
	DOMAIN_EVENTS,
	languageOf,
	type BodyItem,
	type Choice,
	type DomainEvent,
	type FieldType,
	type FormDefinition,
	type FormEntityType,
	type FormField,
	type FormGroup,
	type FormPurpose,
	type FormRepeat,
	type Language,
	type Localized
} from './definition';
import { cycleMessage, evaluationOrder } from './engine';
import { parseExpression } from './xpath';
import { childElements, localName, parseXml, textOf, type XmlElement } from './xml';

/** What the import understood, before anyone decides what a submission does. */
export interface ParsedForm {
	definition: Omit<FormDefinition, 'purpose'>;
	/** What the XForm's entity declaration says, when it has one; otherwise the publisher chooses. */
	purpose: FormPurpose | undefined;
}

/**
 * Bind types and what they are here; anything else (time, geotrace, ...) is refused. `binary` is an
 * image only on an `<upload mediatype="image/*">` control (checked in readField).
 */
const BIND_TYPES: Readonly<Record<string, FieldType>> = {
	binary: 'image',
	geopoint: 'geopoint',
	string: 'text',
	int: 'integer',
	integer: 'integer',
	decimal: 'decimal',
	date: 'date',
	select1: 'select-one',
	select: 'select-multiple'
};

/** Bind attributes that change nothing Casetrail does, and are written by the converters. */
const HARMLESS_BIND_ATTRIBUTES = new Set(['nodeset', 'type', 'required', 'constraint', 'constraintMsg', 'requiredMsg', 'relevant', 'calculate', 'readonly', 'saveto', 'preload', 'preloadParams']);

/** ODK entities `dataset` names and the record type they mean here. */
const DATASETS: Readonly<Record<string, FormEntityType>> = {
	individuals: 'individual',
	individual: 'individual',
	people: 'individual',
	persons: 'individual',
	households: 'group',
	household: 'group',
	groups: 'group'
};

const META = 'meta';

class Collector {
	readonly problems: Record<string, string> = {};
	add(where: string, what: string): void {
		let key = where;
		for (let n = 2; key in this.problems; n++) key = `${where} (${n})`;
		this.problems[key] = what;
	}
}

/**
 * Reads the XForm in `xml`. Throws FormError('form-malformed') when it is not well-formed XML or not
 * an XForm, and FormError('form-unsupported') listing, in `fields` (where -> what), everything it
 * uses that Casetrail does not support.
 */
export function parseXForm(xml: string): ParsedForm {
	const root = parseXml(xml);
	if (localName(root.name) !== 'html') throw new FormError('form-malformed', 'This is not an XForm: its root element is not <h:html>.');
	const head = childElements(root, 'head')[0];
	const body = childElements(root, 'body')[0];
	const model = head && childElements(head, 'model')[0];
	if (!head || !body || !model) throw new FormError('form-malformed', 'This is not an XForm: it needs <h:head> with a <model>, and <h:body>.');
	const problems = new Collector();
	const title = head ? textOf(childElements(head, 'title')[0] ?? { name: '', attributes: {}, children: [], line: 0 }).trim() : '';

	// Translations: itext id -> language -> text.
	const itext = new Map<string, Localized>();
	const languages: Language[] = [];
	let defaultLanguage = '';
	for (const translation of childElements(childElements(model, 'itext')[0] ?? emptyElement(), 'translation')) {
		const lang = translation.attributes.lang ?? '';
		languages.push(languageOf(lang));
		if (translation.attributes.default === 'true()' && defaultLanguage === '') defaultLanguage = lang;
		for (const text of childElements(translation, 'text')) {
			const id = text.attributes.id ?? '';
			for (const value of childElements(text, 'value')) {
				const form = value.attributes.form;
				if (form === undefined || form === 'long' || form === 'short') {
					if (form === undefined || !(lang in (itext.get(id) ?? {}))) setText(itext, id, lang, inlineText(value, problems, `translation ${lang}, text ${id}`));
				} else if (form !== 'guidance') {
					problems.add(`translation ${lang}, text ${id}`, `Media (${form}) in labels is not supported.`);
				}
			}
		}
	}
	if (languages.length === 0) languages.push({ key: '', rtl: false });
	if (defaultLanguage === '') defaultLanguage = (languages[0] as Language).key;

	// Instances: the primary one holds the data, secondary ones hold choice lists.
	const instances = childElements(model, 'instance');
	const primary = instances.find((i) => i.attributes.id === undefined);
	const dataRoot = primary && childElements(primary)[0];
	if (!dataRoot) throw new FormError('form-malformed', 'This XForm has no primary instance (the <instance> without an id).');
	const formId = dataRoot.attributes.id ?? '';
	const version = dataRoot.attributes.version ?? '';
	if (formId === '') problems.add('form', 'The form has no id (the id attribute of the primary instance; form_id in the XLSForm settings).');
	if (version === '') problems.add('form', 'The form has no version (version in the XLSForm settings); each published version must be told apart.');
	const secondary = new Map(instances.filter((i) => i.attributes.id !== undefined).map((i) => [i.attributes.id as string, i]));

	const rootPath = `/${dataRoot.name}`;
	const leaves = new Map<string, { element: XmlElement; default: string }>();
	const groupPaths = new Set<string>();
	let purpose: FormPurpose | undefined;
	let dataset: string | undefined;
	/** The ODK entity label's calculation: a household's name when no question saves one. */
	let entityLabel: string | undefined;
	const repeatPaths = new Set<string>();
	const walk = (element: XmlElement, path: string, inRepeat: boolean): void => {
		for (const child of childElements(element)) {
			const childPath = `${path}/${child.name}`;
			if (child.name === META && path === rootPath) {
				purpose = entityPurpose(child, problems);
				dataset = childElements(child, 'entity')[0]?.attributes.dataset;
				continue;
			}
			// The template says what an instance holds; instances written beside it add nothing.
			if (repeatPaths.has(childPath)) continue;
			if (child.attributes['jr:template'] !== undefined || child.attributes.template !== undefined) {
				if (inRepeat) {
					problems.add(childPath, 'Repeats inside repeats are not supported.');
					continue;
				}
				repeatPaths.add(childPath);
				walk(child, childPath, true);
				continue;
			}
			if (childElements(child).length > 0) {
				groupPaths.add(childPath);
				walk(child, childPath, inRepeat);
			} else {
				leaves.set(childPath, { element: child, default: textOf(child) });
			}
		}
	};
	walk(dataRoot, rootPath, false);

	// Binds, by path.
	const binds = new Map<string, Record<string, string>>();
	for (const bind of childElements(model, 'bind')) {
		const nodeset = bind.attributes.nodeset ?? '';
		if (nodeset.startsWith(`${rootPath}/${META}/`) || nodeset === `${rootPath}/${META}`) {
			if (nodeset === `${rootPath}/${META}/entity/label` && bind.attributes.calculate !== undefined) entityLabel = bind.attributes.calculate;
			continue;
		}
		const attributes: Record<string, string> = {};
		for (const [name, value] of Object.entries(bind.attributes)) {
			const local = localName(name);
			if (!HARMLESS_BIND_ATTRIBUTES.has(local)) problems.add(nodeset, `The bind attribute ${name} is not supported.`);
			attributes[local] = value;
		}
		binds.set(nodeset, attributes);
	}
	for (const action of [...childElements(model, 'setvalue'), ...childElements(model, 'setgeopoint')]) {
		const ref = action.attributes.ref ?? '';
		if (!ref.startsWith(`${rootPath}/${META}/`)) problems.add(ref, `<${action.name}> actions are not supported.`);
	}

	const translated = (ref: string | undefined, where: string): Localized | undefined => {
		const id = /^jr:itext\('([^']*)'\)$/.exec(ref ?? '')?.[1];
		if (id === undefined) return undefined;
		const text = itext.get(id);
		if (!text) problems.add(where, `The text ${id} is not in the translations.`);
		return text;
	};
	const message = (value: string | undefined, where: string): Localized | undefined => {
		if (value === undefined) return undefined;
		return translated(value, where) ?? { [defaultLanguage]: value };
	};
	const labelOf = (element: XmlElement, name: 'label' | 'hint', where: string): Localized | undefined => {
		const node = childElements(element, name)[0];
		if (!node) return undefined;
		if (node.attributes.ref !== undefined) return translated(node.attributes.ref, where);
		return { '': inlineText(node, problems, where) };
	};

	// Body: controls in order, each bound to a leaf.
	const fields = new Map<string, FormField>();
	const groups: FormGroup[] = [];
	const names = new Set<string>([...repeatPaths].map((r) => r.slice(r.lastIndexOf('/') + 1)));
	const checkExpression = (source: string | undefined, where: string): void => {
		if (source === undefined) return;
		try {
			parseExpression(source);
		} catch (e) {
			problems.add(where, e instanceof Error ? e.message : String(e));
		}
	};

	/**
	 * An update form as pyxform writes it asks which record to update with a select over the entity
	 * list (`instance('people')`, a CSV on the device in ODK Collect). Here the form is opened from
	 * the record, so that question is not asked and its answer is not data.
	 */
	const choosers = new Set<string>();
	const repeatLabels = new Map<string, Localized>();
	const isRecordChooser = (control: XmlElement, kind: string): boolean => {
		if (purpose?.kind !== 'update' || dataset === undefined || kind !== 'select1') return false;
		const nodeset = childElements(control, 'itemset')[0]?.attributes.nodeset ?? '';
		return nodeset === `instance('${dataset}')/root/item`;
	};

	const readControls = (element: XmlElement, items: BodyItem[]): void => {
		for (const control of childElements(element)) {
			const kind = localName(control.name);
			const ref = control.attributes.ref ?? control.attributes.nodeset ?? '';
			if (kind === 'label' || kind === 'hint') continue;
			if (kind === 'group') {
				const groupItems: BodyItem[] = [];
				if (ref === '') {
					readControls(control, items);
					continue;
				}
				const bind = binds.get(ref) ?? {};
				const group: FormGroup = { path: ref };
				const label = labelOf(control, 'label', ref);
				if (label) group.label = label;
				if (label && repeatPaths.has(ref)) repeatLabels.set(ref, label);
				if (bind.relevant !== undefined) {
					group.relevant = bind.relevant;
					checkExpression(bind.relevant, `${ref} (relevant)`);
				}
				groups.push(group);
				items.push({ kind: 'group', path: ref, items: groupItems });
				readControls(control, groupItems);
				continue;
			}
			if (kind === 'repeat') {
				if (!repeatPaths.has(ref)) {
					problems.add(ref || `line ${control.line}`, 'This repeat has no template in the primary instance.');
					continue;
				}
				for (const attribute of Object.keys(control.attributes)) {
					const local = localName(attribute);
					if (local === 'count') problems.add(ref, 'Repeat counts (repeat_count) are not supported: the person adds instances.');
					else if (local !== 'nodeset' && local !== 'appearance') problems.add(ref, `The repeat attribute ${attribute} is not supported.`);
				}
				const repeatItems: BodyItem[] = [];
				items.push({ kind: 'repeat', path: ref, items: repeatItems });
				readControls(control, repeatItems);
				continue;
			}
			if (kind !== 'input' && kind !== 'select1' && kind !== 'select' && kind !== 'upload') {
				problems.add(ref || `line ${control.line}`, `The control <${control.name}> is not supported.`);
				continue;
			}
			if (isRecordChooser(control, kind)) {
				choosers.add(ref);
				continue;
			}
			const field = readField(ref, control, kind);
			if (field) items.push({ kind: 'field', name: field.name });
		}
	};

	const readField = (path: string, control: XmlElement | undefined, kind: string | undefined): FormField | undefined => {
		if (!leaves.has(path)) {
			problems.add(path || `line ${control?.line ?? 0}`, 'This question saves to no field of the primary instance.');
			return undefined;
		}
		const bind = binds.get(path) ?? {};
		const name = path.slice(path.lastIndexOf('/') + 1);
		if (!/^[A-Za-z_][A-Za-z0-9._-]*$/.test(name) || name.startsWith('__')) {
			problems.add(path, `The question name ${name} is not accepted: names starting with __ are reserved.`);
			return undefined;
		}
		if (names.has(name)) {
			problems.add(path, `Two questions are named ${name}.`);
			return undefined;
		}
		names.add(name);
		const bindType = localName(bind.type ?? 'string');
		let type = BIND_TYPES[bindType];
		if (type === undefined) {
			problems.add(path, `The question type ${bindType} is not supported.`);
			return undefined;
		}
		if (kind === 'select1') type = 'select-one';
		if (kind === 'select') type = 'select-multiple';
		// Photos and signatures: an upload of images bound to binary, and nothing else is either.
		if ((type === 'image') !== (kind === 'upload') || (kind === 'upload' && !/^image\/(\*|jpeg|png|webp)$/.test(control?.attributes.mediatype ?? ''))) {
			problems.add(path, kind === 'upload' ? 'Only image uploads (mediatype image/*) bound to type binary are supported.' : `The question type ${bindType} needs an image upload control.`);
			return undefined;
		}
		const appearance = control?.attributes.appearance;
		const signature = type === 'image' && appearance?.trim() === 'signature';
		if (appearance !== undefined && !signature && /\b(map|signature|draw|annotate|printer|ex:)/.test(appearance)) {
			problems.add(path, `The appearance ${appearance} is not supported.`);
		}
		if (bind.preload !== undefined) {
			problems.add(path, `Preloaded values (${bind.preload}) are not supported outside meta.`);
		}
		if (control === undefined) type = 'calculate';
		else if (bind.calculate === undefined && bind.readonly === 'true()' && type === 'text') type = 'note';
		const field: FormField = { name, path, type };
		if (signature) field.appearance = 'signature';
		const repeat = [...repeatPaths].find((r) => path.startsWith(`${r}/`));
		if (repeat !== undefined) field.repeat = repeat;
		if (control) {
			const label = labelOf(control, 'label', path);
			if (label) field.label = label;
			const hint = labelOf(control, 'hint', path);
			if (hint) field.hint = hint;
		}
		for (const key of ['required', 'constraint', 'relevant', 'calculate'] as const) {
			const value = bind[key];
			if (value === undefined || (key === 'required' && value === 'false()')) continue;
			field[key] = value;
			checkExpression(value, `${path} (${key})`);
		}
		const requiredMessage = message(bind.requiredMsg, `${path} (required message)`);
		if (requiredMessage) field.requiredMessage = requiredMessage;
		const constraintMessage = message(bind.constraintMsg, `${path} (constraint message)`);
		if (constraintMessage) field.constraintMessage = constraintMessage;
		if (bind.saveto !== undefined) {
			if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(bind.saveto)) problems.add(path, `saveto ${bind.saveto} is not a property name.`);
			field.saveTo = bind.saveto;
		}
		const initial = (leaves.get(path) as { default: string }).default.trim();
		if (initial !== '') field.default = initial;
		if (control && (type === 'select-one' || type === 'select-multiple')) {
			const choices = readChoices(control, path);
			if (choices) field.choices = choices;
		}
		fields.set(path, field);
		return field;
	};

	const readChoices = (control: XmlElement, path: string): Choice[] | undefined => {
		const items = childElements(control, 'item');
		if (items.length > 0) {
			return items.map((item) => ({ value: textOf(childElements(item, 'value')[0] ?? emptyElement()).trim(), label: labelOf(item, 'label', path) ?? {} }));
		}
		const itemset = childElements(control, 'itemset')[0];
		if (!itemset) {
			problems.add(path, 'This select has no choices.');
			return undefined;
		}
		const nodeset = itemset.attributes.nodeset ?? '';
		const list = /^instance\('([^']+)'\)\/root\/item$/.exec(nodeset)?.[1];
		if (list === undefined) {
			problems.add(path, nodeset.includes('[') ? 'Choice filters (choice_filter) are not supported.' : `The choice list ${nodeset} is not supported.`);
			return undefined;
		}
		const instance = secondary.get(list);
		const listRoot = instance && childElements(instance)[0];
		if (!listRoot) {
			problems.add(path, `The choice list ${list} is not in the form (select_one_from_file and external lists are not supported).`);
			return undefined;
		}
		const valueRef = childElements(itemset, 'value')[0]?.attributes.ref ?? 'name';
		const labelRef = childElements(itemset, 'label')[0]?.attributes.ref ?? 'label';
		const byItext = /^jr:itext\((\w+)\)$/.exec(labelRef)?.[1];
		return childElements(listRoot, 'item').map((item) => {
			const member = (name: string): string => textOf(childElements(item, name)[0] ?? emptyElement()).trim();
			const value = member(valueRef);
			if (byItext !== undefined) {
				const id = member(byItext);
				const label = itext.get(id);
				if (!label) problems.add(path, `The choice text ${id} is not in the translations.`);
				return { value, label: label ?? {} };
			}
			return { value, label: { '': member(labelRef) } };
		});
	};

	const bodyItems: BodyItem[] = [];
	readControls(body, bodyItems);

	// Leaves without a control: calculations (and hidden values) still belong to the data.
	for (const path of leaves.keys()) {
		if (fields.has(path) || choosers.has(path)) continue;
		readField(path, undefined, undefined);
	}
	for (const path of binds.keys()) {
		if (!leaves.has(path) && !groupPaths.has(path)) problems.add(path, 'A bind names no field of the primary instance.');
	}
	if (bodyItems.length === 0) problems.add('body', 'The form asks no question.');
	if (entityLabel !== undefined) checkExpression(entityLabel, 'entity label (entity_label)');

	if (Object.keys(problems.problems).length > 0) {
		const count = Object.keys(problems.problems).length;
		throw new FormError('form-unsupported', `This form uses ${count === 1 ? 'one thing' : `${count} things`} Casetrail does not support; nothing was published.`, problems.problems);
	}
	const ordered = [...leaves.keys()].map((path) => fields.get(path)).filter((f): f is FormField => f !== undefined);
	const definition: ParsedForm['definition'] = { schema: 1, formId, version, title: title || formId, languages, defaultLanguage, fields: ordered, groups, body: bodyItems };
	if (entityLabel !== undefined && purpose?.kind === 'register' && purpose.entityType === 'group') definition.entityLabel = entityLabel;
	if (repeatPaths.size > 0) {
		definition.repeats = [...repeatPaths].map((path) => {
			const label = repeatLabels.get(path);
			const repeat: FormRepeat = { path, name: path.slice(path.lastIndexOf('/') + 1) };
			if (label) repeat.label = label;
			return repeat;
		});
	}
	const evaluation = evaluationOrder(definition);
	if ('cycle' in evaluation) {
		throw new FormError('form-unsupported', 'This form uses one thing Casetrail does not support; nothing was published.', { [ordered.find((f) => f.name === evaluation.cycle[0])?.path ?? 'form']: cycleMessage(evaluation.cycle) });
	}
	return { definition, purpose };
}

function emptyElement(): XmlElement {
	return { name: '', attributes: {}, children: [], line: 0 };
}

function setText(itext: Map<string, Localized>, id: string, lang: string, text: string): void {
	const entry = itext.get(id) ?? {};
	entry[lang] = text;
	itext.set(id, entry);
}

/** Label text with `<output value="..."/>` kept as `${...}`, which the renderer fills in. */
function inlineText(element: XmlElement, problems: Collector, where: string): string {
	return element.children
		.map((c) => {
			if (typeof c === 'string') return c;
			if (localName(c.name) === 'output') {
				const value = c.attributes.value ?? c.attributes.ref ?? '';
				try {
					parseExpression(value);
				} catch (e) {
					problems.add(where, e instanceof Error ? e.message : String(e));
				}
				return `\${${value}}`;
			}
			return textOf(c);
		})
		.join('')
		.trim();
}

/** What an ODK entities declaration (`<meta><entity dataset create|update>`) says the form does. */
function entityPurpose(meta: XmlElement, problems: Collector): FormPurpose | undefined {
	const entity = childElements(meta, 'entity')[0];
	if (!entity) return undefined;
	const dataset = entity.attributes.dataset ?? '';
	const entityType = DATASETS[dataset.toLowerCase()];
	if (!entityType) {
		problems.add('entity', `The entity list ${dataset || '(none)'} is not one Casetrail keeps: use individuals or households.`);
		return undefined;
	}
	const create = entity.attributes.create;
	const update = entity.attributes.update;
	if (update !== undefined && update !== '0' && update !== 'false()') return { kind: 'update', entityType };
	if (create !== undefined && create !== '0' && create !== 'false()') return { kind: 'register', entityType };
	problems.add('entity', 'The entity declaration neither creates nor updates (create="1" or update="1").');
	return undefined;
}

/** True for a domain event type a follow-up form may record. */
export function isDomainEvent(value: unknown): value is DomainEvent {
	return typeof value === 'string' && (DOMAIN_EVENTS as readonly string[]).includes(value);
}
