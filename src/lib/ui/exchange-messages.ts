/**
 * The texts of bundle exchange (the exchange page, the device section of settings), as ICU messages
 * in the shape of messages.ts (English first; a translation is a catalog part of this shape). Kept
 * beside messages.ts while that file is being edited by others.
 */
import { localized } from '../i18n/localized';
import { msg, type Message, type Texts } from '../i18n/message';
import type { ErrorCode } from '../core/errors';

/**
 * A range of log positions [begin, end) as people count them, from 1: `count` events, the first at
 * `first` (begin + 1), the last at `end`.
 */
const range = (begin: number, end: number) => ({ count: end - begin, first: begin + 1, end });

export const exchangeEn = {
	nav: msg('Exchange'),
	title: msg('Exchange'),
	intro: msg(
		'Send this device’s records to a supervisor or a colleague as a signed bundle file, and check and import the bundles you receive. Anyone can verify that a bundle is complete and has not been changed since it was signed.'
	),
	/** "event 3" or "events 4 to 7" (`range`). */
	positions: msg('{count, plural, one {event {first}} other {events {first} to {end}}}', range),
	export: {
		title: msg('Export'),
		thisDevice: msg('This device'),
		size: msg('{n, plural, one {# event} other {# events}} on this device.', (n: number) => ({ n })),
		never: msg('Nothing has been exported from this device yet.'),
		last: msg(
			'Last export: {days, plural, =0 {today} =1 {yesterday} one {# day ago} other {# days ago}}, up to event {size, number}.',
			(days: number, size: number) => ({ days, size })
		),
		unexported: msg(
			'{n, plural, =0 {Every event on this device is in an export.} one {# event is not in any export yet.} other {# events are not in any export yet.}}',
			(n: number) => ({ n })
		),
		what: msg('What to export'),
		whole: msg('Whole log'),
		wholeHint: msg('Every event on this device. Use it for a backup, or the first time you send to someone.'),
		since: msg('Since the last export'),
		sinceHint: msg(
			'{n, plural, =0 {Nothing was added since the last export: the bundle holds no events, only a new signed checkpoint.} one {The # event added since the last export. The bundle still proves that the earlier events were not changed.} other {The # events added since the last export. The bundle still proves that the earlier events were not changed.}}',
			(n: number) => ({ n })
		),
		create: msg('Create bundle'),
		creating: msg('Creating bundle…'),
		progress: msg('Export progress'),
		progressText: msg('{done, number} of {total, plural, one {# event} other {# events}} read', (done: number, total: number) => ({ done, total })),
		ready: msg('Bundle ready: {n, plural, one {# event} other {# events}} in {fileName}.', (n: number, fileName: string) => ({ n, fileName })),
		partial: msg(
			'The bundle reached the largest size a bundle may have, so {remaining, plural, one {# event} other {# events}} are not in it. Export again with “Since the last export” to carry on.',
			(remaining: number) => ({ remaining })
		),
		download: msg('Download the file'),
		share: msg('Share the file…'),
		shareHint: msg('Sends the file with another app on this device (messaging, email, Bluetooth).'),
		shareFailed: msg('The file could not be shared. Download it instead and send it as you usually do.')
	},
	verify: {
		title: msg('Verify & import'),
		intro: msg('Choose a bundle file. It is checked first; nothing is imported until you press Import.'),
		file: msg('Bundle file'),
		fileHint: msg('A .json file made by Casetrail.'),
		checking: msg('Checking the bundle…'),
		valid: msg('Valid: this bundle is complete and has not been changed since it was signed.'),
		invalid: msg('This bundle cannot be trusted and cannot be imported.'),
		code: msg('Error code'),
		device: msg('Signed by device'),
		relation: { own: msg('This device (one of its own exports)'), new: msg('A device not seen before'), known: msg('A device seen before') },
		events: msg('Events'),
		entities: msg('People and households it creates'),
		touched: msg('Records it changes'),
		range: msg('Positions in that device’s log'),
		/** As `positions`, and none when the range is empty. */
		rangeValue: msg('{count, plural, =0 {none (a signed checkpoint only)} one {event {first}} other {events {first} to {end}}}', range),
		signedAt: msg('Signed'),
		root: msg('Root hash'),
		format: msg('Bundle format'),
		formatValue: msg('{version, select, 1 {version 1 (no consistency proofs)} other {version {version}}}', (version: number) => ({ version })),
		missingProof: msg(
			'This bundle does not prove that it extends the checkpoint of {size, plural, one {# event} other {# events}} the same device signed {issuedAt}. Importing it will be refused; ask that device for a new export.',
			(size: number, issuedAt: string) => ({ size, issuedAt })
		),
		gap: msg('Not received yet from that device: {list}. That is not a problem: this bundle can be imported now and the others later.', (list: string) => ({ list })),
		fork: msg(
			'This bundle contradicts what the same device sent before ({list}). Importing it will be refused, and both signed checkpoints kept as evidence.',
			(list: string) => ({ list })
		),
		import: msg('Import'),
		importing: msg('Importing…'),
		phases: {
			reading: msg('Reading the file…'),
			verifying: msg('Verifying the signature and the hashes…'),
			checking: msg('Comparing with what that device sent before…'),
			importing: msg('Adding the events to this device…')
		},
		/** Label of the import's progress bar. */
		progress: msg('Import progress'),
		progressSteps: {
			nodes: msg('Recording the sending device’s history: {done, number} of {total, number} hashes', (done: number, total: number) => ({ done, total })),
			events: msg('{done, number} of {total, plural, one {# event} other {# events}} added', (done: number, total: number) => ({ done, total })),
			publishing: msg('Finishing: {total, plural, one {# event} other {# events}} added, making them final', (_done: number, total: number) => ({ total }))
		},
		imported: msg(
			'Imported: {appended, plural, one {# event} other {# events}} added{skipped, plural, =0 {} one {, # event already on this device skipped} other {, # events already on this device skipped}}.',
			(appended: number, skipped: number) => ({ appended, skipped })
		),
		notApplied: msg('{n, plural, one {# event} other {# events}} did not change a record (they are kept in the log); see the record histories.', (n: number) => ({ n })),
		refused: msg('Not imported. Nothing on this device was changed.')
	},
	tables: {
		title: msg('Tables for a data team'),
		intro: msg(
			'The people, households, members and record histories you may see, as flat tables with one column per form field: CSV files (UTF-8), or one Excel workbook with a sheet per table. The same columns as the programme registry’s export.'
		),
		prepare: msg('Prepare tables'),
		preparing: msg('Preparing tables…'),
		file: msg('{name} ({rows, plural, one {# row} other {# rows}})', (name: string, rows: number) => ({ name, rows })),
		workbook: msg('Make an Excel workbook'),
		writingWorkbook: msg('Writing the workbook…')
	},
	devices: {
		title: msg('Devices seen'),
		none: msg('No bundle has been imported yet.'),
		device: msg('Device {shortId}', (shortId: string) => ({ shortId })),
		id: msg('Device id'),
		firstSeen: msg('First bundle imported'),
		lastSeen: msg('Last bundle imported'),
		latest: msg('Latest checkpoint'),
		latestValue: msg('{size, plural, one {# event} other {# events}}, signed {issuedAt}', (size: number, issuedAt: string) => ({ size, issuedAt })),
		received: msg('Received'),
		missing: msg('Not received yet'),
		nothing: msg('nothing'),
		forks: msg('Fork evidence'),
		forkFound: msg('Refused on {when}: this device signed two histories that cannot both be true.', (when: string) => ({ when })),
		seen: msg('Checkpoint imported earlier'),
		offered: msg('Checkpoint of the refused bundle'),
		checkpoint: msg('{size, plural, one {# event} other {# events}}, signed {issuedAt}', (size: number, issuedAt: string) => ({ size, issuedAt })),
		jws: msg('Signed checkpoint (JWS)')
	},
	settings: {
		title: msg('This device'),
		intro: msg('Every event recorded here and every bundle exported from here carries this id. Its key never leaves the device.'),
		id: msg('Device id'),
		short: msg('Short id (in file names)'),
		created: msg('Key made'),
		loading: msg('Loading…')
	},
	/** What went wrong, in a sentence, per code; the worker's own message follows with the details. */
	reasons: {
		malformed: msg('The file is not a readable Casetrail bundle.'),
		'unsupported-format': msg('The file is a bundle of a kind this version of Casetrail cannot read.'),
		'bad-signature': msg('The signature does not match: the bundle was changed after it was signed, or it was not signed by a Casetrail device.'),
		'device-mismatch': msg('The bundle claims to come from a device that did not sign it.'),
		'size-mismatch': msg('Events were added to or removed from the bundle after it was signed.'),
		'invalid-event': msg('An event in the bundle is not a valid Casetrail event.'),
		'duplicate-event': msg('The same event appears twice in the bundle.'),
		'root-mismatch': msg('The events were changed after the bundle was signed.'),
		'fork-detected': msg('The sending device changed or removed events it had sent before.'),
		'limit-exceeded': msg('The bundle is larger than this device accepts (events per bundle, bytes per event or members per group).'),
		'profile-invalid': msg('The bundle describes a user with something other than a name and a role, or with a name this device does not accept.'),
		'bad-consistency-proof': msg('A proof that the bundle extends its device’s earlier checkpoints does not hold: the bundle was damaged or altered.'),
		'missing-consistency-proof': msg('The bundle does not prove that it extends what the same device sent before.'),
		'history-inconsistent': msg('This device’s log no longer extends a checkpoint it signed: its storage was edited.'),
		'event-conflict': msg('An event in this bundle is already on this device with different content.'),
		'attachment-mismatch': msg('A photo or signature in the bundle is not the one its record names: it was changed after it was recorded.'),
		'attachment-missing': msg('A record in the bundle has a photo or signature that the bundle does not carry.'),
		'import-running': msg('Another bundle is being imported on this device (in this tab or another).')
	} as Partial<Record<ErrorCode, Message>>
};

export type ExchangeMessages = Texts<typeof exchangeEn>;
export const xt: ExchangeMessages = localized('xt', exchangeEn);
