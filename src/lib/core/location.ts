/**
 * Where a change was recorded (issue 17): the `location` of an event's metadata, from the browser's
 * geolocation, and the value of a form's geopoint question. Checked at run time: it arrives from the
 * page through the worker.
 */
import { CasetrailError } from './errors';
import { isPlainObject } from './event';

/** A position: degrees (WGS 84) and, when known, the accuracy radius in metres. */
export interface GeoLocation {
	latitude: number;
	longitude: number;
	accuracy?: number;
}

/**
 * A geopoint answer as XForms write it, `latitude longitude [altitude [accuracy]]` in decimal
 * degrees and metres, read as a location (altitude dropped), or undefined when it is not one.
 */
export function locationFromGeopoint(answer: string): GeoLocation | undefined {
	const parts = answer.trim().split(/\s+/);
	if (parts.length < 2 || parts.length > 4 || !parts.every((p) => p.length <= 25 && /^-?\d+(\.\d+)?$/.test(p))) return undefined;
	const [latitude, longitude, , accuracy] = parts.map(Number) as [number, number, number | undefined, number | undefined];
	try {
		return checkLocation(accuracy === undefined ? { latitude, longitude } : { latitude, longitude, accuracy });
	} catch {
		return undefined;
	}
}

/** A location as a geopoint answer: `latitude longitude 0 accuracy` (altitude unknown). */
export function geopointOf(location: GeoLocation): string {
	return `${location.latitude} ${location.longitude} 0 ${location.accuracy ?? 0}`;
}

/** True for a stored location value: an object of latitude, longitude and optionally accuracy. */
export function isLocation(value: unknown): value is GeoLocation {
	try {
		checkLocation(value);
		return true;
	} catch {
		return false;
	}
}

/** Digits kept: 7 decimals of a degree is about a centimetre, more than any phone's fix. */
const DECIMALS = 1e7;

/**
 * `value` as a location with coordinates rounded to 7 decimals and accuracy to the metre; throws
 * CasetrailError('validation-failed') for anything else (out of range, not numbers, other members).
 */
export function checkLocation(value: unknown): GeoLocation {
	const bad = (why: string): never => {
		throw new CasetrailError('validation-failed', `The location ${why}.`, { location: `The location ${why}.` }, { problems: { location: { code: 'invalid' } } });
	};
	if (!isPlainObject(value)) return bad('is not a position');
	for (const key of Object.keys(value)) if (key !== 'latitude' && key !== 'longitude' && key !== 'accuracy') bad(`has an unknown member ${key.slice(0, 40)}`);
	const { latitude, longitude, accuracy } = value;
	if (typeof latitude !== 'number' || !Number.isFinite(latitude) || latitude < -90 || latitude > 90) return bad('has no latitude between -90 and 90');
	if (typeof longitude !== 'number' || !Number.isFinite(longitude) || longitude < -180 || longitude > 180) return bad('has no longitude between -180 and 180');
	if (accuracy !== undefined && (typeof accuracy !== 'number' || !Number.isFinite(accuracy) || accuracy < 0)) return bad('has an accuracy that is not a number of metres >= 0');
	const out: GeoLocation = { latitude: Math.round(latitude * DECIMALS) / DECIMALS, longitude: Math.round(longitude * DECIMALS) / DECIMALS };
	if (accuracy !== undefined) out.accuracy = Math.round(accuracy);
	return out;
}
