import { describe, expect, it } from 'vitest';
import { childElements, parseXml, textOf } from '../../../../src/lib/core/forms/xml';

describe('parseXml', () => {
	it('reads elements, attributes in either quote, text, CDATA, and skips comments and processing instructions', () => {
		const root = parseXml(`<?xml version="1.0"?>\n<!-- a form -->\n<a x="1" y='two'><b>text<![CDATA[<raw> & more]]></b><c/></a>`);
		expect(root.name).toBe('a');
		expect(root.attributes).toEqual({ x: '1', y: 'two' });
		expect(childElements(root).map((e) => e.name)).toEqual(['b', 'c']);
		expect(textOf(childElements(root, 'b')[0]!)).toBe('text<raw> & more');
	});

	it('decodes the predefined entities and character references in text and attributes', () => {
		const root = parseXml('<a v=". &gt;= 1 and . &lt;= 30">&amp;&quot;&apos;&#65;&#x628;</a>');
		expect(root.attributes.v).toBe('. >= 1 and . <= 30');
		expect(textOf(root)).toBe(`&"'Aب`);
	});

	it('keeps prefixes as written and counts lines for messages', () => {
		const root = parseXml('<h:html>\n\n<h:body jr:x="1"/></h:html>');
		expect(childElements(root, 'body')[0]).toMatchObject({ name: 'h:body', attributes: { 'jr:x': '1' }, line: 3 });
	});

	it('skips a byte order mark', () => {
		expect(parseXml('\uFEFF<a/>').name).toBe('a');
	});

	it.each([
		['<a><b></a>', '</a> does not close <b>'],
		['<a>', '<a> is not closed'],
		['<a/><b/>', 'Only one root element'],
		['<a x="1" x="2"/>', 'has x twice'],
		['<a>&nbsp;</a>', '&nbsp; is not an XML entity'],
		['<a>fish & chips</a>', '"&" must start an entity'],
		['<a>&#xD800;</a>', 'is not a character'],
		['<!DOCTYPE a><a/>', 'Declarations'],
		['<a x=1/>', 'must be in quotes'],
		['', 'no XML element'],
		['text<a/>', 'Text outside the root element']
	])('refuses %s with form-malformed (%s)', (xml, why) => {
		expect(() => parseXml(xml)).toThrow(expect.objectContaining({ code: 'form-malformed', message: expect.stringContaining(why) }));
	});

	it('refuses nesting deeper than 200 elements instead of exhausting the stack', () => {
		expect(() => parseXml('<a>'.repeat(201) + '</a>'.repeat(201))).toThrow(expect.objectContaining({ code: 'form-malformed', message: expect.stringContaining('nested more than 200') }));
	});
});
