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
 * Lower-case, without diacritics ("José" is found by "jose"), so what a person types matches however
 * the name was recorded. Keeps letters and digits of every script.
 */
export function normalizeText(text: string): string {
	return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The searchable words in `text`: runs of letters and digits, normalized. */
export function wordsOf(text: string): string[] {
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
 * The distinct words a search matches by prefix: every word of the name fields and of the id fields
 * (an id is also kept whole with its punctuation removed, so "AB-12 34" is found by "ab1234"), and the
 * entity guid.
 */
export function searchWords(entity: Entity): string[] {
	const words = new Set<string>();
	for (const key of NAME_FIELDS) {
		const value = stringField(entity.data, key);
		if (value !== undefined) for (const word of wordsOf(value)) words.add(word);
	}
	for (const key of Object.keys(entity.data)) {
		if (!ID_FIELD.test(key)) continue;
		const value = stringField(entity.data, key);
		if (value === undefined) continue;
		const parts = wordsOf(value);
		for (const word of parts) words.add(word);
		if (parts.length > 1) words.add(parts.join(''));
	}
	words.add(normalizeText(entity.guid));
	return [...words];
}

/**
 * The sort key of the name list: the normalized display name, so "émile" sorts with "emile". An
 * entity without a name sorts after every named one (U+FFFF is above any letter), then by guid.
 */
export function sortNameOf(entity: Entity): string {
	const name = wordsOf(displayName(entity)).join(' ');
	return name === '' ? '\uffff' : name;
}
