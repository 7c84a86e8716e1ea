/**
 * The texts of the update prompt, the install button, the storage status and the settings page,
 * in the shape of messages.ts (English first; a translation is one more object of this shape).
 * Kept beside messages.ts while that file is being edited by others; they merge as `t.pwa`.
 */
import { localized } from '../i18n/localized';
export const pwaEn = {
	update: {
		available: 'New version available.',
		keepsData: 'Your records stay on this device.',
		reload: 'Reload to update',
		later: 'Later',
		activated: 'A new version was activated in another tab. Reload this page to use it.',
		reloadPage: 'Reload',
		unsaved: 'A form on this page has input that is not saved yet. Reloading now discards it.',
		keepEditing: 'Keep editing',
		discard: 'Discard and reload',
		reloading: 'Updating…'
	},
	install: {
		button: 'Install Casetrail',
		installed: 'Casetrail is installed on this device.',
		dismissed: 'Not installed. You can install it from here at any time.',
		accepted: 'Installing…',
		appleHelp:
			'To install on iPhone or iPad: open Casetrail in Safari, tap Share (the square with an arrow), then “Add to Home Screen”.',
		otherHelp:
			'This browser does not offer an install button here. In Chrome or Edge, open the browser menu and choose “Install Casetrail” (on Android: “Add to Home screen”). In other browsers Casetrail works in a tab just the same.'
	},
	offline: {
		ready: 'Ready to work with no network: the app is stored on this device.',
		preparing: 'Getting ready for offline use…',
		unavailable: 'Offline use is not available in this browser or in a development build.',
		failed: 'Offline use could not be set up:',
		checkUpdates: 'Check for updates',
		found: 'A new version is being downloaded; you will be asked to reload.',
		latest: 'This is the latest version.',
		checkOffline: 'No connection to the server: cannot check for updates now.',
		version: 'Version'
	},
	storage: {
		persisted: 'Protected: the browser will not delete Casetrail’s data to free up space.',
		notPersisted:
			'Not protected: the browser may delete Casetrail’s data when the device runs low on space. Installing the app and exporting regularly keep it safe.',
		unknown: 'This browser cannot say whether it keeps Casetrail’s data.',
		unsupported: 'This browser does not report storage use.',
		ask: 'Ask the browser to keep the data',
		denied: 'The browser declined for now. It usually agrees once the app is installed or used often.',
		usage: (used: string, quota: string, percent: number) => `${used} of ${quota} used (${percent}%)`,
		usageLabel: 'Storage used',
		perEvent: (perEvent: string, times: string, eventBytes: string) =>
			`That is ${perEvent} per stored event: ${times} times the ${eventBytes} the events themselves hold (about the size of an export of them all).`,
		unexported: (n: number) => (n === 1 ? '1 event is not exported yet.' : `${n} events are not exported yet.`),
		lastExport: (days: number) => (days === 0 ? 'Last export: today.' : days === 1 ? 'Last export: yesterday.' : `Last export: ${days} days ago.`),
		neverExported: 'No export has been made on this device yet.',
		quotaNear: (percent: number) =>
			`Storage is ${percent}% full. Export your records now and free space on the device: new records may fail to save when it is full.`,
		quotaNearPhotos: (percent: number, photos: string) =>
			`Storage is ${percent}% full, and photos and signatures take ${photos} of it. Export your records now (the photos travel in the bundle) and free space on the device: new records and photos may fail to save when it is full.`,
		attachments: (count: number, bytes: string) =>
			count === 0 ? 'No photos or signatures are stored on this device.' : `Photos and signatures: ${count.toLocaleString('en')} on this device, ${bytes} (encrypted like the records).`,
		exportOverdue: (days: number | null) =>
			`${days === null ? 'Nothing has been exported yet' : `No export for ${days} days`}. Export now: records that exist only on this device are lost if the device is lost or the browser clears its storage (Safari does after 7 days without use unless Casetrail is on the home screen).`
	},
	settings: {
		title: 'Settings',
		install: 'Install and offline use',
		storage: 'Storage on this device'
	}
};

export type PwaMessages = typeof pwaEn;
export const pt: PwaMessages = localized('pt', pwaEn);
