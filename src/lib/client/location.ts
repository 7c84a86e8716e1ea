/**
 * The device's position for the events it records (issue 17), where the programme turns it on: a
 * setting of the device (kept in localStorage: a yes or no, no personal data). The position is asked
 * for only when a form that records one opens, and a refusal or no fix never stops a save: the
 * record is then saved without a location, and the form says so.
 */
import type { GeoLocation } from '../core/location';

const KEY = 'casetrail.recordLocation';

/** Whether this device records the location of registrations and changes. */
export function recordsLocation(): boolean {
	try {
		return localStorage.getItem(KEY) === 'on';
	} catch {
		return false;
	}
}

export function setRecordsLocation(on: boolean): void {
	try {
		if (on) localStorage.setItem(KEY, 'on');
		else localStorage.removeItem(KEY);
	} catch {
		// Storage refused (private mode): the setting simply stays off.
	}
}

/** What asking for the position gave. */
export type PositionState =
	| { state: 'locating' }
	| { state: 'found'; location: GeoLocation }
	/** The person or the browser refused the permission. */
	| { state: 'denied' }
	/** No fix in time, or the position is unavailable (indoors, no GPS). */
	| { state: 'unavailable' }
	/** The browser has no geolocation. */
	| { state: 'unsupported' };

/** How long to wait for a fix; a position up to two minutes old is good enough for a visit. */
const OPTIONS: PositionOptions = { enableHighAccuracy: true, timeout: 20_000, maximumAge: 120_000 };

/** Asks the browser for the position once. Never rejects. */
export function currentPosition(geolocation: Geolocation | undefined = typeof navigator === 'undefined' ? undefined : navigator.geolocation): Promise<PositionState> {
	if (!geolocation) return Promise.resolve({ state: 'unsupported' });
	return new Promise((resolve) => {
		geolocation.getCurrentPosition(
			(position) => {
				const { latitude, longitude, accuracy } = position.coords;
				resolve({ state: 'found', location: { latitude, longitude, accuracy: Math.round(accuracy) } });
			},
			(error) => resolve({ state: error.code === error.PERMISSION_DENIED ? 'denied' : 'unavailable' }),
			OPTIONS
		);
	});
}
