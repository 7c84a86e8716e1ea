/**
 * Possible duplicates of an individual about to be registered (or edited): people already on this
 * device with the same or a similar name and the same date of birth, the same national id, or the
 * same phone. Whole normalized values are compared, never substrings, so "female" never matches
 * "male" and "Ann" never matches "Joanna" by containment. The candidates come from the entity
 * words index (an equality lookup per value), so the check costs a few index reads at any size.
 *
 * On the encrypted store a common name word is carried by thousands of records (issue 20: up to
 * 5,000 opened per word, 0.9 to 2.4 s at 100,000 events), and names have no blind tokens: there the
 * names are matched on the name order held in memory, and a record is opened (with WebCrypto) only
 * when its display name can be the same or a similar name ({@link mayBeSameName}), or it carries
 * the id or the phone ({@link duplicateCandidates}).
 */
import type { Entity } from '../core/appliers';
import type { CasetrailDb, EntityRow } from '../store/db';
import { tokenPrefix } from '../crypto/blind-index';
import { nameOrder, nameOrderFromRows } from '../store/name-index';
import { nameWordTest, normalizeText, wordsOf } from '../store/search';
import { openEntityRows, vaultOf, type NameEntry, type Vault } from '../store/vault';
import Dexie from 'dexie';

/** What a registration form holds when the duplicate check runs; every field may still be empty. */
export interface DuplicateQuery {
	givenName?: string;
	familyName?: string;
	dateOfBirth?: string;
	phone?: string;
	nationalId?: string;
	/** The individual being edited, which is never its own duplicate. */
	excludeGuid?: string;
}

/** Why a person already registered may be the same person. */
export type DuplicateReason = 'same-name-and-birth' | 'similar-name-and-birth' | 'national-id' | 'phone';

export interface DuplicateMatch {
	entity: Entity;
	reasons: DuplicateReason[];
}

export interface DuplicateReport {
	/** Matches the signed-in user may open, strongest first. */
	matches: DuplicateMatch[];
	/** Matches on records the user may not see (a case worker's colleagues' records): counted only. */
	hidden: number;
}

/** A name compared as a whole: its words, normalized, joined by one space. */
export function normalizeName(text: string | undefined): string {
	return wordsOf(text ?? '').join(' ');
}

/** An id compared as a whole: letters and digits only, normalized ("AB-12 34" is "ab1234"). */
export function normalizeId(text: string | undefined): string {
	return wordsOf(text ?? '').join('');
}

/** A phone compared as a whole: its digits only ("+256 700 123" is "256700123"). */
export function normalizePhone(text: string | undefined): string {
	return (text ?? '').replace(/\D/g, '');
}

/** Levenshtein distance, stopping early once it exceeds `max` (returns max + 1 then). */
export function editDistance(a: string, b: string, max: number): number {
	if (Math.abs(a.length - b.length) > max) return max + 1;
	let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
	for (let i = 1; i <= a.length; i++) {
		const current = [i];
		let best = i;
		for (let j = 1; j <= b.length; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			const value = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + cost);
			current.push(value);
			if (value < best) best = value;
		}
		if (best > max) return max + 1;
		previous = current;
	}
	return previous[b.length] as number;
}

/**
 * How close two full names are: 'same' when the normalized names are equal, 'similar' when the
 * given and family names were swapped or the whole name is within a small edit distance (one edit
 * for names up to 8 letters, two beyond: a typo or a transliteration variant), else undefined.
 */
export function nameLikeness(given: string, family: string, otherGiven: string, otherFamily: string): 'same' | 'similar' | undefined {
	if (given === '' || family === '' || otherGiven === '' || otherFamily === '') return undefined;
	const full = `${given} ${family}`;
	const other = `${otherGiven} ${otherFamily}`;
	if (full === other) return 'same';
	if (`${family} ${given}` === other) return 'similar';
	const max = full.length <= 8 ? 1 : 2;
	return editDistance(full, other, max) <= max ? 'similar' : undefined;
}

function text(data: Record<string, unknown>, key: string): string | undefined {
	const value = data[key];
	return typeof value === 'string' ? value : undefined;
}

/** Why `entity` may be the person `query` describes, strongest reason first; empty when it is not. */
export function duplicateReasons(query: DuplicateQuery, entity: Entity): DuplicateReason[] {
	if (entity.type !== 'individual' || entity.deleted || entity.guid === query.excludeGuid) return [];
	const reasons: DuplicateReason[] = [];
	const id = normalizeId(query.nationalId);
	if (id !== '' && normalizeId(text(entity.data, 'nationalId')) === id) reasons.push('national-id');
	const dob = (query.dateOfBirth ?? '').trim();
	if (dob !== '' && (text(entity.data, 'dateOfBirth') ?? '').trim() === dob) {
		const likeness = nameLikeness(
			normalizeName(query.givenName),
			normalizeName(query.familyName),
			normalizeName(text(entity.data, 'givenName')),
			normalizeName(text(entity.data, 'familyName'))
		);
		if (likeness === 'same') reasons.push('same-name-and-birth');
		if (likeness === 'similar') reasons.push('similar-name-and-birth');
	}
	const phone = normalizePhone(query.phone);
	// Fewer than 6 digits is no phone number (the command rules say so too): never a match.
	if (phone.length >= 6 && normalizePhone(text(entity.data, 'phone')) === phone) reasons.push('phone');
	return reasons;
}

/**
 * The index words to look candidates up by: the whole id, the whole phone, and the longest word of
 * each name (a typo in one name still finds the person through the other).
 */
export function candidateWords(query: DuplicateQuery): string[] {
	const words = new Set<string>();
	const id = normalizeId(query.nationalId);
	if (id !== '') words.add(id);
	const phone = normalizePhone(query.phone);
	if (phone.length >= 6) words.add(phone);
	if ((query.dateOfBirth ?? '').trim() !== '') {
		for (const name of [query.givenName, query.familyName]) {
			const longest = wordsOf(name ?? '').reduce((a, b) => (b.length > a.length ? b : a), '');
			if (longest !== '') words.add(normalizeText(longest));
		}
	}
	return [...words];
}

/**
 * Whether a person whose display name, normalized as the name list sorts it, is `sortName` can have
 * the same or a similar name as `query` ({@link nameLikeness}): the display name is the given,
 * middle and family names in that order, so some cut of its words into given, middle (possibly none)
 * and family names must be alike. A record named by a `name` field instead (no individual the
 * commands record has one) is compared by that name.
 */
export function mayBeSameName(query: DuplicateQuery, sortName: string): boolean {
	return sameNameTest(query)(sortName);
}

/** {@link mayBeSameName} for one query, with its names normalized once: the check runs on thousands of names. */
function sameNameTest(query: DuplicateQuery): (sortName: string) => boolean {
	const given = normalizeName(query.givenName);
	const family = normalizeName(query.familyName);
	if (given === '' || family === '') return () => false;
	// The longest edit distance nameLikeness accepts, so longer or shorter names are skipped at once.
	const full = given.length + 1 + family.length;
	return (sortName) => {
		// Leaving middle words out only shortens a name: one too short cannot be cut into one alike.
		if (sortName.length < full - 2) return false;
		// The cuts by the positions of the spaces between words, measured before any text is cut.
		const spaces: number[] = [];
		for (let k = sortName.indexOf(' '); k !== -1; k = sortName.indexOf(' ', k + 1)) spaces.push(k);
		for (let i = 0; i < spaces.length; i++) {
			const givenEnd = spaces[i] as number;
			for (let j = i; j < spaces.length; j++) {
				const familyStart = (spaces[j] as number) + 1;
				if (Math.abs(givenEnd + 1 + (sortName.length - familyStart) - full) > 2) continue;
				if (nameLikeness(given, family, sortName.slice(0, givenEnd), sortName.slice(familyStart)) !== undefined) return true;
			}
		}
		return false;
	};
}

/**
 * The entity rows worth comparing with `query`: those carrying its id, its phone or the longest word
 * of either name ({@link candidateWords}). Without a vault, up to `limit` rows per word are read.
 *
 * With one, names are not in the index (store/vault.ts stores blind tokens of ids and phones only):
 * a name word finds the records of the name order in memory with a name word starting with the
 * prefix its token lookup used (blind-index.ts `tokenPrefix`, so the same records the lookup found
 * when names had tokens), and of those only the ones whose display name can be the same or a similar
 * name ({@link mayBeSameName}) are opened. The id, the phone and the name words are also looked up by
 * token, keys only: every row found by the id or the phone is opened (up to `limit`), a row found by
 * a name word (a row sealed before, which still has name tokens, or an id starting alike) only when
 * its display name can match or the order does not hold it. The order is checked against the number
 * of records once ({@link countedNameOrder}).
 */
export async function duplicateCandidates(db: CasetrailDb, query: DuplicateQuery, limit: number): Promise<EntityRow[]> {
	const words = candidateWords(query);
	const vault = vaultOf(db);
	let names = vault ? await nameOrder(db) : undefined;
	if (!vault || !names) {
		const rows = new Map<string, EntityRow>();
		for (const word of words) for (const row of await db.entities.where('words').equals(word).limit(limit).toArray()) rows.set(row.guid, row);
		return [...rows.values()];
	}
	const id = normalizeId(query.nationalId);
	const phone = normalizePhone(query.phone);
	const open = new Set<string>();
	const byToken = new Set<string>();
	await db.transaction('r', db.entities, async () => {
		for (const word of words) {
			const keys = await db.entities.where('words').equals(word).primaryKeys();
			if (word === id || word === phone) for (const guid of keys.slice(0, limit)) open.add(guid);
			else for (const guid of keys) byToken.add(guid);
		}
	});
	if (!Dexie.currentTransaction) names = await countedNameOrder(db, vault, (await nameOrder(db)) ?? names);
	const alike = sameNameTest(query);
	const prefixes = words.filter((word) => word !== id && word !== phone).flatMap((word) => tokenPrefix(word) ?? []);
	if (prefixes.length > 0) {
		const extras = vault.extraNames().size > 0;
		const tests = prefixes.map(nameWordTest);
		for (const [sortName, guid] of names) {
			if (open.has(guid)) continue;
			const extra = extras ? vault.extraNamesOf(guid) : undefined;
			// The cheap test first: thousands of records share a name word, a few can be alike.
			if (tests.some((test) => test(sortName, extra)) && alike(sortName)) open.add(guid);
		}
	}
	for (const guid of byToken) {
		if (open.has(guid)) continue;
		// A record the order in memory does not hold yet (written since it was read) is opened: a
		// duplicate check may cost a row more, never miss a match.
		const sortName = vault.sortNameOf(guid);
		if (sortName === undefined || alike(sortName)) open.add(guid);
	}
	const rows = Dexie.currentTransaction ? await db.entities.bulkGet([...open]) : await openEntityRows(db, [...open]);
	return rows.filter((row): row is EntityRow => row !== undefined);
}

/**
 * `names` (the current name order), checked once per order built against the number of records with
 * a projection (each has an `updatedAt`, in that index), and built again from the rows when they
 * differ: a duplicate check must not miss a record that an order short of one would hide. The count
 * reads every key of the index (about 0.2 to 1.4 s at 100,000 events in Chromium on a busy machine),
 * so it is made once: appends keep the order in step record by record afterwards.
 */
async function countedNameOrder(db: CasetrailDb, vault: Vault, names: readonly NameEntry[]): Promise<readonly NameEntry[]> {
	if (vault.namesCounted()) return names;
	const records = await db.entities.orderBy('updatedAt').count();
	let current = (await nameOrder(db)) ?? names;
	if (current.length !== records) current = (await nameOrderFromRows(db)) ?? current;
	vault.setNamesCounted();
	return current;
}

const STRENGTH: Record<DuplicateReason, number> = { 'national-id': 0, 'same-name-and-birth': 1, phone: 2, 'similar-name-and-birth': 3 };

/** Orders matches strongest first: by their strongest reason, then by more reasons. */
export function rankMatches(matches: DuplicateMatch[]): DuplicateMatch[] {
	const strongest = (m: DuplicateMatch) => Math.min(...m.reasons.map((r) => STRENGTH[r]));
	return [...matches].sort((a, b) => strongest(a) - strongest(b) || b.reasons.length - a.reasons.length);
}
