/**
 * What the entity list searches and sorts on: normalized words of an entity's names and ids, and a
 * sort key from its display name. Kept on the entity row (multi-entry `words` index, `sortName`) so a
 * search as you type is an index range scan, never a load of every entity.
 */
import type { Entity } from '../core/appliers/entity';

/** Data fields that hold a name, in display order. `name` is v1 and groups; the split form is v2+. */
const NAME_FIELDS = ['name', 'givenName', 'middleName', 'familyName'] as const;

/** Data fields that hold an identifier a person may type: `nationalId`, `idNumber`, `phone`, ... */
const ID_FIELD = /(?:^id$|Id$|^id[A-Z]|Number$|^phone|^code$|Code$)/;

/**
 * Letters that search treats as one though Unicode does not decompose them into one another: Latin
 * ligatures and sharp s are spelt out (a name typed "oeuvre" or "strasse" finds "œuvre", "Straße");
 * Arabic is folded as Arabic search commonly does: alef wasla as alef (hamza and madda forms أ إ آ
 * already lose their mark in the decomposition), alef maksura ى as yeh ي, teh marbuta ة as heh ه, and
 * the tatweel ـ (a stretching stroke, not a letter) removed; Arabic-Indic and Persian digits are the
 * digits 0-9, so an id is found however its digits were typed.
 */
const FOLDED: Readonly<Record<string, string>> = {
	'œ': 'oe',
	'æ': 'ae',
	'ß': 'ss',
	'ſ': 's',
	'ı': 'i',
	'ø': 'o',
	'đ': 'd',
	'ł': 'l',
	'ٱ': 'ا',
	'ى': 'ي',
	'ة': 'ه',
	'ـ': ''
};

const FOLDED_CHARS = new RegExp(`[${Object.keys(FOLDED).join('')}\u0660-\u0669\u06f0-\u06f9]`, 'gu');

function foldChar(c: string): string {
	const code = c.charCodeAt(0);
	if (code >= 0x0660 && code <= 0x0669) return String(code - 0x0660);
	if (code >= 0x06f0 && code <= 0x06f9) return String(code - 0x06f0);
	return FOLDED[c] ?? c;
}

/**
 * Lower-case, without diacritics, in every script: "José" is found by "jose", "Ñuñez" by "nunez",
 * "François" by "francois", "Müller" by "muller"; Arabic without its short vowels and marks (tashkeel,
 * shadda, sukun) and with the usual letter folding ({@link FOLDED}): "مُحَمَّد" is found by "محمد",
 * "أحمد" by "احمد", "فاطمة" by "فاطمه", "مصطفى" by "مصطفي". What a person types matches however the
 * name was recorded. Keeps letters and digits of every script.
 */
export function normalizeText(text: string): string {
	// Most names and ids are ASCII, which has no marks to strip: skip the Unicode decomposition.
	if (ASCII.test(text)) return text.toLowerCase();
	return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(FOLDED_CHARS, foldChar);
}

const ASCII = /^[\x00-\x7f]*$/;

/** The searchable words in `text`: runs of letters and digits, normalized. */
export function wordsOf(text: string): string[] {
	// In ASCII the letters and digits are a-z and 0-9 once lower-cased; the Unicode classes cost
	// several times more, and every entity row is worded again by a rebuild.
	if (ASCII.test(text)) return text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
	return normalizeText(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}

function stringField(data: Record<string, unknown>, key: string): string | undefined {
	const value = data[key];
	if (typeof value === 'string') return value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return undefined;
}

/** The name a person reads in a list: `name`, else given, middle and family names joined. */
export function displayName(entity: Entity): string {
	const name = stringField(entity.data, 'name');
	if (name !== undefined && name.trim() !== '') return name.trim();
	return NAME_FIELDS.slice(1)
		.map((key) => stringField(entity.data, key)?.trim())
		.filter((part): part is string => part !== undefined && part !== '')
		.join(' ');
}

/**
 * The distinct words a search matches by prefix: every word of the name fields; for each id field,
 * the id whole with its punctuation removed ("AB-12 34" is found by "ab1234" and "ab-12") and each of
 * its parts that holds a digit (found by "1234"). Kept few on purpose: each word is one more entry
 * in the multi-entry index that every append of the entity rewrites (bench/README.md).
 */
export function searchWords(entity: Entity): string[] {
	const words = new Set<string>(nameWords(entity));
	for (const key of Object.keys(entity.data)) {
		if (!ID_FIELD.test(key)) continue;
		const value = stringField(entity.data, key);
		if (value === undefined) continue;
		const parts = wordsOf(value);
		if (parts.length === 0) continue;
		words.add(parts.join(''));
		if (parts.length > 1) for (const part of parts) if (/\d/.test(part)) words.add(part);
	}
	return [...words];
}

/** The distinct words of the name fields ({@link NAME_FIELDS}): what a search matches names by. */
export function nameWords(entity: Entity): string[] {
	const words = new Set<string>();
	for (const key of NAME_FIELDS) {
		const value = stringField(entity.data, key);
		if (value !== undefined) for (const word of wordsOf(value)) words.add(word);
	}
	return [...words];
}

/**
 * The words of `words` (an entity row's {@link searchWords}) that are not words of its names: its
 * ids and phone. On the encrypted store only these are stored as blind tokens; names are matched on
 * the name order held in memory (store/name-index.ts), which holds every name word.
 */
export function tokenWords(entity: Entity | undefined, words: readonly string[]): string[] {
	if (entity === undefined) return [...words];
	const names = new Set(nameWords(entity));
	return words.filter((word) => !names.has(word));
}

/**
 * The name words of `entity` that its sort name (`sortName`, words joined by one space) does not
 * hold, joined by one space; '' when there are none, as for every record whose display name is its
 * given, middle and family names. A record with both a `name` and split names (or a `name` without
 * a word) has some: the name order in memory keeps them beside the sort name, so that a search finds
 * every name word there.
 */
export function extraNameWords(entity: Entity, sortName: string | undefined): string {
	const shown = new Set(sortName === undefined || sortName === '\uffff' ? [] : sortName.split(' '));
	return nameWords(entity)
		.filter((word) => !shown.has(word))
		.join(' ');
}

/**
 * A test of whether the query word `word` (normalized, as {@link wordsOf} gives it) starts a word of
 * a sort name (words joined by one space) or of an entity's extra name words (the same; see
 * {@link extraNameWords}): a name match, as the store tests `row.words` for it, on the name order in
 * memory without opening the record. Made once per query word: it runs on every entry of the order.
 */
export function nameWordTest(word: string): (sortName: string, extra: string | undefined) => boolean {
	const inner = ` ${word}`;
	return (sortName, extra) => sortName.startsWith(word) || sortName.includes(inner) || (extra !== undefined && (extra.startsWith(word) || extra.includes(inner)));
}

/**
 * The sort key of the name list: the normalized display name, so "émile" sorts with "emile". An
 * entity without a name sorts after every named one (U+FFFF is above any letter), then by guid.
 */
export function sortNameOf(entity: Entity): string {
	const name = wordsOf(displayName(entity)).join(' ');
	return name === '' ? '\uffff' : name;
}
