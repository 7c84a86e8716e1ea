/**
 * The texts of bundle exchange (the exchange page, the device section of settings), in the shape of
 * messages.ts (English first; a translation is one more object of this shape). Kept beside
 * messages.ts while that file is being edited by others.
 */
import { localized } from '../i18n/localized';
import type { ErrorCode } from '../core/errors';

/** "event 3" or "events 4 to 7", counting from 1 as people do, for a range [begin, end). */
function positions(begin: number, end: number): string {
	return end - begin === 1 ? `event ${begin + 1}` : `events ${begin + 1} to ${end}`;
}

function events(n: number): string {
	return n === 1 ? '1 event' : `${n.toLocaleString('en')} events`;
}

export const exchangeEn = {
	nav: 'Exchange',
	title: 'Exchange',
	intro:
		'Send this device’s records to a supervisor or a colleague as a signed bundle file, and check and import the bundles you receive. Anyone can verify that a bundle is complete and has not been changed since it was signed.',
	positions,
	export: {
		title: 'Export',
		thisDevice: 'This device',
		size: (n: number) => `${events(n)} on this device.`,
		never: 'Nothing has been exported from this device yet.',
		last: (days: number, size: number) =>
			`Last export: ${days === 0 ? 'today' : days === 1 ? 'yesterday' : `${days} days ago`}, up to event ${size.toLocaleString('en')}.`,
		unexported: (n: number) => (n === 0 ? 'Every event on this device is in an export.' : `${events(n)} ${n === 1 ? 'is' : 'are'} not in any export yet.`),
		what: 'What to export',
		whole: 'Whole log',
		wholeHint: 'Every event on this device. Use it for a backup, or the first time you send to someone.',
		since: 'Since the last export',
		sinceHint: (n: number) =>
			n === 0
				? 'Nothing was added since the last export: the bundle holds no events, only a new signed checkpoint.'
				: `The ${events(n)} added since the last export. The bundle still proves that the earlier events were not changed.`,
		create: 'Create bundle',
		creating: 'Creating bundle…',
		progress: 'Export progress',
		progressText: (done: number, total: number) => `${done.toLocaleString('en')} of ${events(total)} read`,
		ready: (n: number, fileName: string) => `Bundle ready: ${events(n)} in ${fileName}.`,
		partial: (remaining: number) =>
			`The bundle reached the largest size a bundle may have, so ${events(remaining)} are not in it. Export again with “Since the last export” to carry on.`,
		download: 'Download the file',
		share: 'Share the file…',
		shareHint: 'Sends the file with another app on this device (messaging, email, Bluetooth).',
		shareFailed: 'The file could not be shared. Download it instead and send it as you usually do.'
	},
	verify: {
		title: 'Verify & import',
		intro: 'Choose a bundle file. It is checked first; nothing is imported until you press Import.',
		file: 'Bundle file',
		fileHint: 'A .json file made by Casetrail.',
		checking: 'Checking the bundle…',
		valid: 'Valid: this bundle is complete and has not been changed since it was signed.',
		invalid: 'This bundle cannot be trusted and cannot be imported.',
		code: 'Error code',
		device: 'Signed by device',
		relation: { own: 'This device (one of its own exports)', new: 'A device not seen before', known: 'A device seen before' },
		events: 'Events',
		entities: 'People and households it creates',
		touched: 'Records it changes',
		range: 'Positions in that device’s log',
		rangeValue: (from: number, to: number) => (to === from ? 'none (a signed checkpoint only)' : positions(from, to)),
		signedAt: 'Signed',
		root: 'Root hash',
		format: 'Bundle format',
		formatValue: (version: number) => (version === 1 ? 'version 1 (no consistency proofs)' : `version ${version}`),
		missingProof: (size: number, issuedAt: string) =>
			`This bundle does not prove that it extends the checkpoint of ${events(size)} the same device signed ${issuedAt}. Importing it will be refused; ask that device for a new export.`,
		gap: (list: string) => `Not received yet from that device: ${list}. That is not a problem: this bundle can be imported now and the others later.`,
		fork: (list: string) =>
			`This bundle contradicts what the same device sent before (${list}). Importing it will be refused, and both signed checkpoints kept as evidence.`,
		import: 'Import',
		importing: 'Importing…',
		phases: {
			reading: 'Reading the file…',
			verifying: 'Verifying the signature and the hashes…',
			checking: 'Comparing with what that device sent before…',
			importing: 'Adding the events to this device…'
		},
		/** Label of the import's progress bar. */
		progress: 'Import progress',
		progressSteps: {
			nodes: (done: number, total: number) => `Recording the sending device’s history: ${done.toLocaleString('en')} of ${total.toLocaleString('en')} hashes`,
			events: (done: number, total: number) => `${done.toLocaleString('en')} of ${events(total)} added`,
			publishing: (_done: number, total: number) => `Finishing: ${events(total)} added, making them final`
		},
		imported: (appended: number, skipped: number) =>
			`Imported: ${events(appended)} added${skipped > 0 ? `, ${events(skipped)} already on this device skipped` : ''}.`,
		notApplied: (n: number) => `${events(n)} did not change a record (they are kept in the log); see the record histories.`,
		refused: 'Not imported. Nothing on this device was changed.'
	},
	tables: {
		title: 'Tables for a data team',
		intro:
			'The people, households, members and record histories you may see, as flat tables with one column per form field: CSV files (UTF-8), or one Excel workbook with a sheet per table. The same columns as the programme registry’s export.',
		prepare: 'Prepare tables',
		preparing: 'Preparing tables…',
		file: (name: string, rows: number) => `${name} (${rows.toLocaleString('en')} ${rows === 1 ? 'row' : 'rows'})`,
		workbook: 'Make an Excel workbook',
		writingWorkbook: 'Writing the workbook…'
	},
	devices: {
		title: 'Devices seen',
		none: 'No bundle has been imported yet.',
		device: (shortId: string) => `Device ${shortId}`,
		id: 'Device id',
		firstSeen: 'First bundle imported',
		lastSeen: 'Last bundle imported',
		latest: 'Latest checkpoint',
		latestValue: (size: number, issuedAt: string) => `${events(size)}, signed ${issuedAt}`,
		received: 'Received',
		missing: 'Not received yet',
		nothing: 'nothing',
		forks: 'Fork evidence',
		forkFound: (when: string) => `Refused on ${when}: this device signed two histories that cannot both be true.`,
		seen: 'Checkpoint imported earlier',
		offered: 'Checkpoint of the refused bundle',
		checkpoint: (size: number, issuedAt: string) => `${events(size)}, signed ${issuedAt}`,
		jws: 'Signed checkpoint (JWS)'
	},
	settings: {
		title: 'This device',
		intro: 'Every event recorded here and every bundle exported from here carries this id. Its key never leaves the device.',
		id: 'Device id',
		short: 'Short id (in file names)',
		created: 'Key made',
		loading: 'Loading…'
	},
	/** What went wrong, in a sentence, per code; the worker's own message follows with the details. */
	reasons: {
		malformed: 'The file is not a readable Casetrail bundle.',
		'unsupported-format': 'The file is a bundle of a kind this version of Casetrail cannot read.',
		'bad-signature': 'The signature does not match: the bundle was changed after it was signed, or it was not signed by a Casetrail device.',
		'device-mismatch': 'The bundle claims to come from a device that did not sign it.',
		'size-mismatch': 'Events were added to or removed from the bundle after it was signed.',
		'invalid-event': 'An event in the bundle is not a valid Casetrail event.',
		'duplicate-event': 'The same event appears twice in the bundle.',
		'root-mismatch': 'The events were changed after the bundle was signed.',
		'fork-detected': 'The sending device changed or removed events it had sent before.',
		'limit-exceeded': 'The bundle is larger than this device accepts (events per bundle, bytes per event or members per group).',
		'profile-invalid': 'The bundle describes a user with something other than a name and a role, or with a name this device does not accept.',
		'bad-consistency-proof': 'A proof that the bundle extends its device’s earlier checkpoints does not hold: the bundle was damaged or altered.',
		'missing-consistency-proof': 'The bundle does not prove that it extends what the same device sent before.',
		'history-inconsistent': 'This device’s log no longer extends a checkpoint it signed: its storage was edited.',
		'event-conflict': 'An event in this bundle is already on this device with different content.',
		'attachment-mismatch': 'A photo or signature in the bundle is not the one its record names: it was changed after it was recorded.',
		'attachment-missing': 'A record in the bundle has a photo or signature that the bundle does not carry.',
		'import-running': 'Another bundle is being imported on this device (in this tab or another).'
	} as Partial<Record<ErrorCode, string>>
};

export type ExchangeMessages = typeof exchangeEn;
export const xt: ExchangeMessages = localized('xt', exchangeEn);
