/**
 * A small XML parser for XForms: elements, attributes, text, CDATA, comments, processing
 * instructions and the five predefined entities plus character references. Core runs in the worker
 * and the command line, where there is no DOMParser, and an XForm needs nothing more: no DTD, no
 * external entity (a DOCTYPE is refused, so nothing can expand or fetch), no namespace resolution
 * beyond keeping each name's prefix as written. The file is admin-supplied: parse defensively.
 */
import { FormError } from './errors';

export interface XmlElement {
	/** The name as written, prefix included: `h:html`, `bind`, `jr:itext` is an attribute value, not a name. */
	name: string;
	attributes: Record<string, string>;
	children: XmlNode[];
	/** 1-based line of the start tag, for messages that say where. */
	line: number;
}

export type XmlNode = XmlElement | string;

/** Deeper nesting than this is no questionnaire; the bound keeps a crafted file from exhausting the stack. */
const MAX_DEPTH = 200;

const ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

const NAME = /[A-Za-z_:][-A-Za-z0-9_:.\u00B7\u00C0-\uFFFF]*/y;

function decode(text: string, line: number): string {
	if (!text.includes('&')) return text;
	return text.replace(/&(#x[0-9A-Fa-f]+|#[0-9]+|[A-Za-z]+)?(;)?/g, (_, ref: string | undefined, semicolon: string | undefined) => {
		if (ref === undefined || semicolon === undefined) throw new FormError('form-malformed', `Line ${line}: "&" must start an entity such as &amp;.`);
		if (ref.startsWith('#')) {
			const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
			if (!Number.isFinite(code) || code > 0x10ffff || code === 0 || (code >= 0xd800 && code <= 0xdfff)) throw new FormError('form-malformed', `Line ${line}: &${ref}; is not a character.`);
			return String.fromCodePoint(code);
		}
		const value = ENTITIES[ref];
		if (value === undefined) throw new FormError('form-malformed', `Line ${line}: &${ref}; is not an XML entity.`);
		return value;
	});
}

/**
 * The root element of `text`. Throws FormError('form-malformed') with the line for anything that is
 * not well-formed XML, and for a DOCTYPE (an XForm never needs one).
 */
export function parseXml(text: string): XmlElement {
	let at = 0;
	let line = 1;
	const stack: XmlElement[] = [];
	let root: XmlElement | undefined;

	function advance(to: number): void {
		for (let i = at; i < to; i++) if (text.charCodeAt(i) === 10) line++;
		at = to;
	}
	function fail(message: string): never {
		throw new FormError('form-malformed', `Line ${line}: ${message}`);
	}
	function skipTo(marker: string, what: string): string {
		const end = text.indexOf(marker, at);
		if (end === -1) fail(`${what} is not closed.`);
		const body = text.slice(at, end);
		advance(end + marker.length);
		return body;
	}
	function addText(value: string): void {
		const parent = stack[stack.length - 1];
		if (parent) parent.children.push(value);
		else if (value.trim() !== '') fail('Text outside the root element.');
	}
	function readName(): string {
		NAME.lastIndex = at;
		const m = NAME.exec(text);
		if (!m) fail('A name was expected.');
		advance(at + m[0].length);
		return m[0];
	}
	function skipSpace(): void {
		let i = at;
		while (i < text.length && /\s/.test(text[i] as string)) i++;
		advance(i);
	}

	if (text.charCodeAt(0) === 0xfeff) at = 1;
	while (at < text.length) {
		const lt = text.indexOf('<', at);
		if (lt === -1) {
			addText(decode(text.slice(at), line));
			advance(text.length);
			break;
		}
		if (lt > at) {
			const startLine = line;
			const raw = text.slice(at, lt);
			advance(lt);
			addText(decode(raw, startLine));
		}
		if (text.startsWith('<!--', at)) {
			advance(at + 4);
			skipTo('-->', 'A comment');
		} else if (text.startsWith('<![CDATA[', at)) {
			advance(at + 9);
			addText(skipTo(']]>', 'A CDATA section'));
		} else if (text.startsWith('<?', at)) {
			advance(at + 2);
			skipTo('?>', 'A processing instruction');
		} else if (text.startsWith('<!', at)) {
			fail('Declarations such as <!DOCTYPE> are not accepted in a form.');
		} else if (text.startsWith('</', at)) {
			advance(at + 2);
			const name = readName();
			skipSpace();
			if (text[at] !== '>') fail(`</${name} must end with ">".`);
			advance(at + 1);
			const open = stack.pop();
			if (!open || open.name !== name) fail(`</${name}> does not close ${open ? `<${open.name}> (line ${open.line})` : 'any element'}.`);
			if (stack.length === 0) root = open;
		} else {
			advance(at + 1);
			if (root) fail('Only one root element is allowed.');
			const element: XmlElement = { name: readName(), attributes: {}, children: [], line };
			for (;;) {
				skipSpace();
				if (text.startsWith('/>', at)) {
					advance(at + 2);
					closeEmpty(element);
					break;
				}
				if (text[at] === '>') {
					advance(at + 1);
					open(element);
					break;
				}
				if (at >= text.length) fail(`<${element.name}> is not closed.`);
				const attribute = readName();
				skipSpace();
				if (text[at] !== '=') fail(`Attribute ${attribute} of <${element.name}> needs a value.`);
				advance(at + 1);
				skipSpace();
				const quote = text[at];
				if (quote !== '"' && quote !== "'") fail(`The value of ${attribute} must be in quotes.`);
				advance(at + 1);
				const valueLine = line;
				const raw = skipTo(quote, `The value of ${attribute}`);
				if (raw.includes('<')) fail(`The value of ${attribute} contains "<".`);
				if (attribute in element.attributes) fail(`<${element.name}> has ${attribute} twice.`);
				element.attributes[attribute] = decode(raw, valueLine);
			}
		}
	}
	if (stack.length > 0) fail(`<${(stack[stack.length - 1] as XmlElement).name}> is not closed.`);
	if (!root) fail('The file holds no XML element.');
	return root;

	function open(element: XmlElement): void {
		if (stack.length >= MAX_DEPTH) fail(`Elements are nested more than ${MAX_DEPTH} deep.`);
		stack[stack.length - 1]?.children.push(element);
		stack.push(element);
	}
	function closeEmpty(element: XmlElement): void {
		if (stack.length === 0) {
			root = element;
			return;
		}
		(stack[stack.length - 1] as XmlElement).children.push(element);
	}
}

/** The local part of a prefixed name: `h:html` -> `html`. */
export function localName(name: string): string {
	const colon = name.indexOf(':');
	return colon === -1 ? name : name.slice(colon + 1);
}

/** The child elements of `element`, optionally only those whose local name is `name`. */
export function childElements(element: XmlElement, name?: string): XmlElement[] {
	return element.children.filter((c): c is XmlElement => typeof c !== 'string' && (name === undefined || localName(c.name) === name));
}

/** The concatenated text of an element and its descendants. */
export function textOf(element: XmlElement): string {
	return element.children.map((c) => (typeof c === 'string' ? c : textOf(c))).join('');
}
