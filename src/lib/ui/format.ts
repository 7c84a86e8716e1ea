/**
 * How values read on screen: dates and instants in the person's locale, field names and values of
 * the audit trail, ages from dates of birth, names of entities.
 */
import type { Entity } from '../core/appliers';
import { isHidden, type HiddenRecord } from '../core/access';
import { displayName } from '../store/search';
import { t } from './messages';
import { formatDate, formatInstant as formatInstantIn } from '../i18n/format';
import { isAttachmentRef } from '../core/attachments';
import { isLocation } from '../core/location';

/** An ISO instant as local date and time in the language shown, e.g. "23 Nov 2026, 09:30:00" (i18n/format.ts). */
export function formatInstant(iso: string | undefined): string {
	if (!iso) return t.common.none;
	return formatInstantIn(iso);
}

/** Whole years between a YYYY-MM-DD birth date and `now`; undefined for anything else. */
export function ageOf(dateOfBirth: string, now: Date = new Date()): number | undefined {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dateOfBirth);
	if (!m) return undefined;
	const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
	let age = now.getFullYear() - y;
	if (now.getMonth() + 1 < mo || (now.getMonth() + 1 === mo && now.getDate() < d)) age -= 1;
	return age >= 0 && age < 200 ? age : undefined;
}

/** The name to show for an entity; a placeholder when it has none or the user may not see it. */
export function nameOf(entity: Entity | HiddenRecord | undefined): string {
	if (!entity) return t.common.unnamed;
	if (isHidden(entity)) return t.common.notVisible;
	const name = displayName(entity);
	return name === '' ? t.common.unnamed : name;
}

/** The label of an audit-trail field (`data.givenName`, `members.<guid>`, `deleted`, ...). */
export function fieldLabel(field: string, names: ReadonlyMap<string, string> = new Map()): string {
	if (field.startsWith('data.')) {
		const key = field.slice(5);
		const label = (t.fields as Record<string, unknown>)[key];
		return typeof label === 'string' ? label : key;
	}
	if (field.startsWith('members.')) {
		const guid = field.slice(8);
		return t.fields.member(names.get(guid) ?? guid);
	}
	if (field === 'deleted' || field === 'caseWorker' || field === 'assignmentDate') return t.fields[field];
	return field;
}

/** A value of the audit trail as text: absent as a dash, booleans as yes/no, members by role. */
export function formatValue(field: string, value: unknown): string {
	if (value === null || value === undefined) return t.common.none;
	if (typeof value === 'boolean') return value ? t.common.yes : t.common.no;
	if (field === 'data.sex' && typeof value === 'string') return t.sexes[value] ?? value;
	if (field === 'assignmentDate' && typeof value === 'string') return formatInstant(value);
	// A calendar date (a date of birth, a form's date question) as the language writes it.
	if (field.startsWith('data.') && typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return formatDate(value);
	if (field.startsWith('members.') && typeof value === 'object') {
		const role = (value as { role?: unknown }).role;
		return typeof role === 'string' ? (t.roles[role] ?? role) : t.common.none;
	}
	if (typeof value === 'string') return value;
	if (isAttachmentRef(value)) return t.photo.described(value.mediaType, value.size);
	if (isLocation(value)) return t.geopoint.value(value.latitude, value.longitude, value.accuracy);
	return JSON.stringify(value);
}

/** The label of an event type; its own name for a type this build does not describe. */
export function eventTypeLabel(type: string): string {
	return t.eventTypes[type] ?? type;
}

/** The first characters of a long hex hash, for places where the whole does not fit. */
export function shortHash(hex: string, length = 12): string {
	return hex.length > length ? `${hex.slice(0, length)}…` : hex;
}
