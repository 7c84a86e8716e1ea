/**
 * The texts of the update prompt, the install button, the storage status and the settings page,
 * as ICU messages in the shape of messages.ts (English first; a translation is a catalog part of this shape).
 * Kept beside messages.ts while that file is being edited by others; they merge as `t.pwa`.
 */
import { localized } from '../i18n/localized';
import { msg, type Texts } from '../i18n/message';
export const pwaEn = {
	update: {
		available: msg('New version available.'),
		keepsData: msg('Your records stay on this device.'),
		reload: msg('Reload to update'),
		later: msg('Later'),
		activated: msg('A new version was activated in another tab. Reload this page to use it.'),
		reloadPage: msg('Reload'),
		unsaved: msg('A form on this page has input that is not saved yet. Reloading now discards it.'),
		keepEditing: msg('Keep editing'),
		discard: msg('Discard and reload'),
		reloading: msg('Updating…')
	},
	install: {
		button: msg('Install Casetrail'),
		installed: msg('Casetrail is installed on this device.'),
		dismissed: msg('Not installed. You can install it from here at any time.'),
		accepted: msg('Installing…'),
		appleHelp: msg(
			'To install on iPhone or iPad: open Casetrail in Safari, tap Share (the square with an arrow), then “Add to Home Screen”.'
		),
		otherHelp: msg(
			'This browser does not offer an install button here. In Chrome or Edge, open the browser menu and choose “Install Casetrail” (on Android: “Add to Home screen”). In other browsers Casetrail works in a tab just the same.'
		)
	},
	offline: {
		ready: msg('Ready to work with no network: the app is stored on this device.'),
		preparing: msg('Getting ready for offline use…'),
		unavailable: msg('Offline use is not available in this browser or in a development build.'),
		failed: msg('Offline use could not be set up:'),
		checkUpdates: msg('Check for updates'),
		found: msg('A new version is being downloaded; you will be asked to reload.'),
		latest: msg('This is the latest version.'),
		checkOffline: msg('No connection to the server: cannot check for updates now.'),
		version: msg('Version')
	},
	storage: {
		persisted: msg('Protected: the browser will not delete Casetrail’s data to free up space.'),
		notPersisted: msg(
			'Not protected: the browser may delete Casetrail’s data when the device runs low on space. Installing the app and exporting regularly keep it safe.'
		),
		unknown: msg('This browser cannot say whether it keeps Casetrail’s data.'),
		unsupported: msg('This browser does not report storage use.'),
		ask: msg('Ask the browser to keep the data'),
		denied: msg('The browser declined for now. It usually agrees once the app is installed or used often.'),
		usage: msg('{used} of {quota} used ({percent}%)', (used: string, quota: string, percent: number) => ({ used, quota, percent })),
		usageLabel: msg('Storage used'),
		perEvent: msg(
			'That is {perEvent} per stored event: {times} times the {eventBytes} the events themselves hold (about the size of an export of them all).',
			(perEvent: string, times: string, eventBytes: string) => ({ perEvent, times, eventBytes })
		),
		unexported: msg('{n, plural, one {# event is not exported yet.} other {# events are not exported yet.}}', (n: number) => ({ n })),
		lastExport: msg(
			'{days, plural, =0 {Last export: today.} =1 {Last export: yesterday.} one {Last export: # day ago.} other {Last export: # days ago.}}',
			(days: number) => ({ days })
		),
		neverExported: msg('No export has been made on this device yet.'),
		quotaNear: msg(
			'Storage is {percent}% full. Export your records now and free space on the device: new records may fail to save when it is full.',
			(percent: number) => ({ percent })
		),
		quotaNearPhotos: msg(
			'Storage is {percent}% full, and photos and signatures take {photos} of it. Export your records now (the photos travel in the bundle) and free space on the device: new records and photos may fail to save when it is full.',
			(percent: number, photos: string) => ({ percent, photos })
		),
		attachments: msg(
			'{count, plural, =0 {No photos or signatures are stored on this device.} one {Photos and signatures: # on this device, {bytes} (encrypted like the records).} other {Photos and signatures: # on this device, {bytes} (encrypted like the records).}}',
			(count: number, bytes: string) => ({ count, bytes })
		),
		/** `days`: the days since the last export, `none` when there was none. */
		exportOverdue: msg(
			'{days, select, none {Nothing has been exported yet} other {No export for {days} days}}. Export now: records that exist only on this device are lost if the device is lost or the browser clears its storage (Safari does after 7 days without use unless Casetrail is on the home screen).',
			(days: number | null) => ({ days: days ?? 'none' })
		)
	},
	settings: {
		title: msg('Settings'),
		install: msg('Install and offline use'),
		storage: msg('Storage on this device')
	}
};

export type PwaMessages = Texts<typeof pwaEn>;
export const pt: PwaMessages = localized('pt', pwaEn);
