/**
 * Every text the interface shows, in English, as ICU MessageFormat messages (i18n/message.ts: `msg`,
 * and its conventions); a translation is a catalog of the same shape (i18n/<tag>.ts). Through `t`, a
 * text without parameters is a string and one with parameters a function of them.
 */
import { localized } from '../i18n/localized';
import { formatCoordinate } from '../i18n/format';
import { msg, type Message, type Texts } from '../i18n/message';

/**
 * A position's arguments: latitude and longitude formatted for the language shown (format.ts, five
 * decimals), the accuracy in metres or `none` when the device gave none.
 */
const where = (latitude: number, longitude: number, accuracy: number | undefined) => ({
	latitude: formatCoordinate(latitude),
	longitude: formatCoordinate(longitude),
	accuracy: accuracy ?? 'none'
});

export const en = {
	app: {
		name: msg('Casetrail'),
		tagline: msg('Offline case registry with a tamper-evident audit trail'),
		skip: msg('Skip to main content'),
		nav: msg('Main'),
		online: msg('Online'),
		offline: msg('Offline: everything keeps working and is saved on this device'),
		title: msg('{page} – Casetrail', (page: string) => ({ page }))
	},
	nav: {
		home: msg('Home'),
		entities: msg('People & households'),
		register: msg('Register'),
		households: msg('New household'),
		log: msg('Log'),
		integrity: msg('Integrity'),
		metrics: msg('Metrics'),
		settings: msg('Settings')
	},
	language: {
		label: msg('Language'),
		hint: msg('The language of the interface, remembered on this device for you.')
	},
	common: {
		loading: msg('Loading…'),
		saving: msg('Saving…'),
		cancel: msg('Cancel'),
		required: msg('(required)'),
		optional: msg('(optional)'),
		reason: msg('Reason'),
		reasonHint: msg('Why this change is made; it is kept in the history for good.'),
		errorTitle: msg('This did not work'),
		retry: msg('Try again'),
		notFound: msg('This record is not on this device.'),
		cannotOpen: msg('This record cannot be opened'),
		yes: msg('Yes'),
		no: msg('No'),
		none: msg('—'),
		deleted: msg('Deleted'),
		individual: msg('Individual'),
		group: msg('Household'),
		unnamed: msg('(no name)'),
		/** A record the signed-in user may not open: named by this instead of its content. */
		notVisible: msg('Not visible to you'),
		by: msg('by {user}', (user: string) => ({ user })),
		refreshed: msg('Updated with changes from another tab.')
	},
	errors: {
		signIn: msg('Sign in'),
		/**
		 * What to do next, per error code, where the worker's sentence does not say it already
		 * (its sentences for forbidden, quota-exceeded, schema-outdated and storage failures do).
		 */
		action: {
			'not-signed-in': msg('Sign in, then open this page again.'),
			'validation-failed': msg('Correct the fields marked below, then save again.'),
			'not-found': msg('Go back to the list and search again.')
		} as Partial<Record<string, Message>>
	},
	fields: {
		givenName: msg('Given name'),
		familyName: msg('Family name'),
		sex: msg('Sex'),
		dateOfBirth: msg('Date of birth'),
		phone: msg('Phone'),
		nationalId: msg('National id'),
		address: msg('Village or address'),
		notes: msg('Notes'),
		photo: msg('Photo'),
		name: msg('Household name'),
		deleted: msg('Deleted'),
		caseWorker: msg('Case worker'),
		assignmentDate: msg('Assigned on'),
		member: msg('Member: {name}', (name: string) => ({ name }))
	},
	photo: {
		settingTitle: msg('Photos'),
		setting: msg('Longest side of the photos this device saves'),
		side: msg('{pixels} pixels', (pixels: string) => ({ pixels })),
		settingHint: msg('Photos are made smaller on the device before they are saved. A smaller size saves storage and makes bundles lighter; a larger one keeps documents legible. Photos already saved keep their size.'),
		take: msg('Take a photo'),
		choose: msg('Choose a photo'),
		replace: msg('Choose another photo'),
		remove: msg('Remove the photo'),
		current: msg('Current photo'),
		newPhoto: msg('New photo'),
		willRemove: msg('The photo will be removed when you save (it stays in the history).'),
		keep: msg('Keep the photo'),
		preparing: msg('Preparing the photo…'),
		ready: msg('Photo ready: {width} × {height} pixels, {kb, number} KB. It is saved with the record.', (kb: number, width: number, height: number) => ({ kb, width, height })),
		hint: msg('Taken with the camera or chosen from the device, then made smaller here (at most {side, number} pixels on its longer side) before it is saved.', (side: number) => ({ side })),
		previewAlt: msg('The photo that will be saved with the record'),
		alt: msg('Photo of {name}', (name: string) => ({ name })),
		notImage: msg('This file is not a photo this device can read. Choose a JPEG, PNG or WebP image.'),
		unavailable: msg('This photo is not on this device.'),
		/** `imageType`: the image's format as people name it ("JPEG", "PNG", "WEBP"); `kb`: its size in kilobytes, rounded up. */
		described: msg('Photo ({imageType}, {kb, number} KB)', (mediaType: string, size: number) => ({ imageType: `${mediaType}`.replace('image/', '').toUpperCase(), kb: Math.ceil(size / 1024) })),
		quota: msg(
			'There is no storage space left on this device for the photo, so nothing was saved. Everything you entered is still here: free some space on the device (or export and archive older records) and save again, or remove the photo and save without it.'
		)
	},
	location: {
		locating: msg('Location: finding where this device is… You can save meanwhile.'),
		found: msg('Location: {latitude}, {longitude}{accuracy, select, none {} other { (within {accuracy, number} m)}}. It is saved with the record.', where),
		denied: msg('Location: permission refused. The record is saved without a location. To record it, allow location for this site in the browser’s settings, then try again.'),
		unavailable: msg('Location: no position yet (no signal here, or it took too long). The record is saved without a location; you can try again.'),
		unsupported: msg('Location: this browser cannot tell where the device is. The record is saved without a location.'),
		retry: msg('Try to find the location again'),
		setting: msg('Record where each registration and change is made'),
		settingHint: msg('The device’s position (latitude, longitude and accuracy) is asked for when a registration or an edit opens, and saved with it. A refusal or no signal never stops a save.'),
		title: msg('Location')
	},
	signature: {
		hint: msg('Sign in the box with a finger, a stylus or the mouse, or type the name below; then press "Keep this signature".'),
		pad: msg('{label}: signature pad, not signed yet', (label: string) => ({ label })),
		padSigned: msg('{label}: signature pad, signature kept', (label: string) => ({ label })),
		typedLabel: msg('Or type the full name to sign with it'),
		signTyped: msg('Sign with the typed name'),
		typeFirst: msg('Type the name first.'),
		keep: msg('Keep this signature'),
		clear: msg('Clear'),
		empty: msg('Nothing is signed yet: sign in the box or type the name.'),
		kept: msg('Signature kept. It is saved with the form.'),
		failed: msg('The signature could not be kept on this device; try again.')
	},
	geopoint: {
		record: msg('Record the location'),
		again: msg('Record the location again'),
		clear: msg('Remove the location'),
		/** A position: "12.65000, -8.00000 (within 25 m)". */
		value: msg('{latitude}, {longitude}{accuracy, select, none {} other { (within {accuracy, number} m)}}', where),
		none: msg('No location recorded yet.'),
		found: msg('Recorded: {latitude}, {longitude}{accuracy, select, none {} other { (within {accuracy, number} m)}}.', where),
		denied: msg('Location permission refused: allow location for this site in the browser’s settings, then record it again. The form can still be saved if this question is optional.'),
		unavailable: msg('No position yet (no signal here, or it took too long). Try again, outdoors if you can.')
	},
	sexes: { female: msg('Female'), male: msg('Male'), other: msg('Other'), unknown: msg('Unknown') } as Record<string, Message>,
	userRoles: { administrator: msg('Administrator'), supervisor: msg('Supervisor'), 'case-worker': msg('Case worker') } as Record<string, Message>,
	roles: { head: msg('Head'), spouse: msg('Spouse'), child: msg('Child'), other: msg('Other') } as Record<string, Message>,
	eventTypes: {
		'create-individual': msg('Registered'),
		'create-group': msg('Household created'),
		'update-individual': msg('Details changed'),
		'update-group': msg('Household changed'),
		'add-member': msg('Member added'),
		'remove-member': msg('Member removed'),
		'delete-entity': msg('Deleted'),
		'assign-case-worker': msg('Case worker assigned'),
		'describe-user': msg('User described')
	} as Record<string, Message>,
	/** Who recorded an event, when another device described them (docs/user-profiles.md). */
	recorders: {
		roles: { administrator: msg('administrator'), supervisor: msg('supervisor'), 'case-worker': msg('case worker') } as Record<string, Message>,
		claimed: msg('{name} ({role}, {device, select, none {another device} other {device {device}}})', (name: string, role: string, device: string | undefined) => ({ name, role, device: device || 'none' }))
	},
	home: {
		title: msg('Home'),
		welcome: msg('Signed in as {name}.', (name: string) => ({ name })),
		counts: msg('On this device'),
		individuals: msg('Individuals'),
		households: msg('Households'),
		events: msg('Events in the log'),
		integrity: msg('Integrity'),
		treeSize: msg('Log size'),
		root: msg('Current root'),
		lastVerified: msg('Last verified'),
		neverVerified: msg('Not verified on this device yet.'),
		verifiedOk: msg('{when}: all {size, plural, one {# event} other {# events}} matched.', (when: string, size: number) => ({ when, size })),
		verifiedBad: msg('{when}: {count, plural, one {# event} other {# events}} did not match.', (when: string, count: number) => ({ when, count })),
		checkNow: msg('Check integrity now'),
		storage: msg('Storage'),
		connection: msg('Connection'),
		actions: msg('Start'),
		registerAction: msg('Register an individual'),
		householdAction: msg('Create a household'),
		searchAction: msg('Find a person or household')
	},
	register: {
		title: msg('Register an individual'),
		intro: msg('Fields marked required must be filled. Everything is saved on this device only.'),
		sexPlaceholder: msg('Choose…'),
		dobHint: msg('Day, month and year. The age shows below once it is complete.'),
		age: msg('{years, plural, =0 {Age: under 1 year} one {Age: # year} other {Age: # years}}', (years: number) => ({ years })),
		phoneHint: msg('Digits, spaces and a leading +.'),
		submit: msg('Register'),
		saved: msg('{name} is registered.', (name: string) => ({ name })),
		open: msg('Open the record'),
		another: msg('Register another person'),
		invalid: msg('{n, plural, one {# field needs} other {# fields need}} correcting before anything is saved.', (n: number) => ({ n })),
		checking: msg('Checking for people already registered…'),
		duplicatesTitle: msg('This person may already be registered'),
		duplicatesIntro: msg('Compare before saving: registering the same person twice splits their history.'),
		hiddenDuplicates: msg(
			'{n, plural, one {# possible match is} other {# possible matches are}} registered by another case worker. Ask a supervisor before registering.',
			(n: number) => ({ n })
		),
		openMatch: msg('Open {name}', (name: string) => ({ name })),
		registerAnyway: msg('This is a different person: register'),
		reasons: {
			'same-name-and-birth': msg('Same name and date of birth'),
			'similar-name-and-birth': msg('Similar name and same date of birth'),
			'national-id': msg('Same national id'),
			phone: msg('Same phone')
		} as Record<string, Message>
	},
	households: {
		title: msg('Create a household'),
		intro: msg('Create the household first, then add its members.'),
		submit: msg('Create household'),
		created: msg('Household {name} is created. Add its members below.', (name: string) => ({ name })),
		members: msg('Members'),
		memberCount: msg('{n, plural, one {# member} other {# members}}', (n: number) => ({ n })),
		noMembers: msg('No members yet.'),
		role: msg('Role'),
		rolePlaceholder: msg('Choose…'),
		chooseRole: msg('Choose the role of the person in the household first.'),
		remove: msg('Remove'),
		removeNamed: msg('Remove {name}', (name: string) => ({ name })),
		removeTitle: msg('Remove {name} from the household', (name: string) => ({ name })),
		removeConfirm: msg('Remove member'),
		removed: msg('{name} was removed from the household.', (name: string) => ({ name })),
		addExisting: msg('Add a person already registered'),
		searchPeople: msg('Search by name or id'),
		searchHint: msg('Type at least one letter; results appear as you type.'),
		addAs: msg('Add {name}', (name: string) => ({ name })),
		alreadyMember: msg('Already a member'),
		added: msg('{name} was added as {role}.', (name: string, role: string) => ({ name, role })),
		noResults: msg('Nobody found. Register the person below.'),
		registerNew: msg('Register a new member'),
		registerNewIntro: msg('Address and family name are filled in from the household; change them if they differ.'),
		memberOf: msg('Households'),
		notInHousehold: msg('Not a member of any household.'),
		asRole: msg('as {role}', (role: string) => ({ role }))
	},
	list: {
		title: msg('People & households'),
		search: msg('Search by name or id'),
		searchHint: msg('Results update as you type.'),
		type: msg('Type'),
		allTypes: msg('All'),
		deleted: msg('Deleted records'),
		deletedExclude: msg('Hide deleted'),
		deletedInclude: msg('Show deleted too'),
		deletedOnly: msg('Only deleted'),
		sort: msg('Sort by'),
		sortName: msg('Name (A to Z)'),
		sortUpdated: msg('Last change (newest first)'),
		/** `more`: `true` when there are more records than shown, else `false`. */
		results: msg(
			'{more, select, true {Showing the first {n, plural, one {# record} other {# records}}.} other {{n, plural, one {# record} other {# records}} found.}}',
			(n: number, more: boolean) => ({ n, more: more ? 'true' : 'false' })
		),
		none: msg('No record matches. Check the spelling, or change the filters.'),
		loadMore: msg('Load more'),
		lastChange: msg('Last change {when}', (when: string) => ({ when })),
		name: msg('Name'),
		details: msg('Details')
	},
	entity: {
		details: msg('Details'),
		deletedNotice: msg('This record is deleted. It is kept, with its history, and can no longer be changed.'),
		history: msg('History and time travel'),
		edit: msg('Edit'),
		editTitle: msg('Edit details'),
		editIntro: msg('Only the fields you change are recorded, with your reason.'),
		saveChanges: msg('Save changes'),
		nothingChanged: msg('Nothing was changed: every value is the same as now.'),
		updated: msg('The changes are saved.'),
		delete: msg('Delete'),
		deleteTitle: msg('Delete this record?'),
		deleteIntro: msg('The record stays on the device, marked deleted, with its full history. It cannot be changed afterwards.'),
		deleteConfirm: msg('Delete record'),
		deletedDone: msg('The record is marked deleted.'),
		assign: msg('Case worker'),
		assignTo: msg('Assign to'),
		assignHint: msg('The user who will handle this record. Case workers see only the records registered by them or assigned to them.'),
		assignIdHint: msg('The user id of the case worker who will handle this record.'),
		choosePerson: msg('Choose…'),
		userOption: msg('{name} ({role})', (name: string, role: string) => ({ name, role })),
		assignSubmit: msg('Assign'),
		assigned: msg('Assigned to {who}.', (who: string) => ({ who })),
		notAssigned: msg('Not assigned to a case worker.'),
		currentCaseWorker: msg('Assigned to {who} since {when}.', (who: string, when: string) => ({ who, when })),
		created: msg('Registered {when}', (when: string) => ({ when })),
		updatedAt: msg('last change {when}', (when: string) => ({ when })),
		version: msg('{n, plural, one {# event} other {# events}}', (n: number) => ({ n })),
		id: msg('Id')
	},
	history: {
		title: msg('History of {name}', (name: string) => ({ name })),
		back: msg('Back to the record'),
		trail: msg('Audit trail'),
		entry: msg('{type}, {when}', (type: string, when: string) => ({ type, when })),
		who: msg('Recorded by'),
		why: msg('Reason'),
		whoLine: msg('Recorded by: {who}', (who: string) => ({ who })),
		whyLine: msg('Reason: {reason}', (reason: string) => ({ reason })),
		noReason: msg('No reason given.'),
		field: msg('Field'),
		before: msg('Before'),
		after: msg('After'),
		skipped: msg('Not applied: {message}', (message: string) => ({ message })),
		inspect: msg('Inspect event'),
		seeAsOf: msg('See the record as it was after this'),
		travel: msg('Time travel'),
		travelIntro: msg('See the record as it was at any moment. Fields that differ from today are highlighted.'),
		instant: msg('Date and time'),
		instantHint: msg('In your local time.'),
		instantShown: msg('Chosen: {when}, in your local time.', (when: string) => ({ when })),
		instantMissing: msg('Choose a date and time first.'),
		show: msg('Show'),
		asOfEvent: msg('As it was right after the change of {when}', (when: string) => ({ when })),
		asOfInstant: msg('As it was on {when}', (when: string) => ({ when })),
		notYet: msg('The record did not exist yet at that moment.'),
		sameAsToday: msg('Nothing differs from today.'),
		differs: msg('{n, plural, one {# field differs} other {# fields differ}} from today (highlighted).', (n: number) => ({ n })),
		today: msg('Today'),
		then: msg('Then'),
		changedMark: msg('differs'),
		backToToday: msg('Close time travel')
	},
	log: {
		title: msg('Event log'),
		intro: msg('Every change ever recorded on this device, newest first. Open an event to check its proof.'),
		position: msg('Position'),
		event: msg('Event'),
		when: msg('When'),
		who: msg('By'),
		record: msg('Record'),
		/** In place of a record: a describe-user event is about the device's users (docs/user-profiles.md). */
		users: msg('Users of a device'),
		empty: msg('The log is empty.'),
		loadMore: msg('Load older events')
	},
	inspector: {
		title: msg('Event inspector'),
		canonical: msg('Canonical JSON (the exact bytes that are hashed)'),
		leafIndex: msg('Position in the log (leaf index)'),
		leafHash: msg('Leaf hash'),
		treeSize: msg('Log size'),
		root: msg('Current root'),
		proof: msg('Inclusion proof'),
		proofIntro: msg('{n, plural, one {# hash} other {# hashes}} leading from this event to the current root.', (n: number) => ({ n })),
		emptyProof: msg('The log holds only this event: its leaf hash is the root.'),
		verify: msg('Verify in this browser'),
		verifying: msg('Verifying…'),
		verified: msg('Verified: this event is in the log exactly as shown, and the proof leads to the current root. It has not been changed since it was recorded.'),
		leafDiffers: msg('Not verified: the event text no longer hashes to the leaf hash stored with it. It was changed after it was recorded.'),
		notVerified: msg('Not verified: the proof does not lead to the current root. The log was changed after this event was recorded. Run the integrity check.'),
		record: msg('Open the record'),
		sync: msg('Sync status'),
		syncStatus: { local: msg('Recorded here, not exported yet'), exported: msg('Recorded here and exported'), imported: msg('Imported from another device') } as Record<string, Message>
	},
	integrity: {
		title: msg('Integrity check'),
		intro: msg('Recomputes the fingerprint of every recorded event and of the whole log, and compares them with what is stored. Any change made to the records outside Casetrail shows up here.'),
		run: msg('Check the whole log'),
		running: msg('Checking…'),
		progress: msg('Progress of the integrity check'),
		progressText: msg('{done, number} of {total, number} events checked', (done: number, total: number) => ({ done, total })),
		ok: msg('Everything matches: all {size, plural, one {# event} other {# events}} are exactly as they were recorded.', (size: number) => ({ size })),
		bad: msg('{count, plural, one {# event no longer matches} other {# events no longer match}} what was recorded.', (count: number) => ({ count })),
		meaning: msg(
			'This means someone or something changed or removed these records in the device storage, outside Casetrail. Casetrail never changes a recorded event, so these changes did not come from a case worker using the app. Do not rely on these records: keep the device as it is, do not export from it, and tell your supervisor or the data protection officer. The other events still match and can be trusted.'
		),
		empty: msg('The log is empty: there is nothing to check yet.'),
		tamperedTitle: msg('Events that no longer match'),
		more: msg('and {n, plural, one {# more event} other {# more events}}.', (n: number) => ({ n })),
		position: msg('Event at position {seq}', (seq: number) => ({ seq })),
		problems: msg('What was found'),
		storedRoot: msg('Stored root'),
		computedRoot: msg('Root computed from the events'),
		checkedAt: msg('Checked {when}, in {seconds, number, ::.0} s.', (when: string, seconds: number) => ({ when, seconds })),
		inspect: msg('Inspect'),
		record: msg('Record'),
		rebuildTitle: msg('Rebuild records from the log'),
		rebuildIntro: msg(
			'The records you see and search (people, households and their lists) are built from the recorded events. Rebuilding replays every event and rewrites each record that differs from what the events say, for example one lost or edited in the device storage. Recorded events are never changed.'
		),
		rebuild: msg('Rebuild records from the log'),
		rebuilding: msg('Rebuilding…'),
		rebuildProgress: msg('Progress of the rebuild'),
		rebuildProgressText: msg('{done, number} of {total, number} events replayed', (done: number, total: number) => ({ done, total })),
		rebuildOk: msg(
			'Every record already matched the log: {events, plural, one {# event} other {# events}} replayed into {entities, plural, one {# record} other {# records}}, nothing changed.',
			(events: number, entities: number) => ({ events, entities })
		),
		rebuildFixed: msg(
			'{changed, plural, one {# stored row differed from what the events say and was} other {# stored rows differed from what the events say and were}} rebuilt. {events, plural, one {# event} other {# events}} replayed into {entities, plural, one {# record} other {# records}}; every record now matches the log.',
			(changed: number, events: number, entities: number) => ({ changed, events, entities })
		),
		rebuiltAt: msg('Rebuilt {when}, in {seconds} s.', (when: string, seconds: string) => ({ when, seconds }))
	},
	metrics: {
		title: msg('Metrics'),
		totalEvents: msg('Total events'),
		eventsPerSecond: msg('Events per second (store speed, last minute of appends in this tab)'),
		averageSize: msg('Average event size'),
		failedEvents: msg('Failed events (rejected appends)'),
		treeDepth: msg('Merkle tree depth'),
		byType: msg('Events by type'),
		chartLabel: msg('Events by type, as bars; the numbers are beside each bar.'),
		/** `bytes`: `n` rounded to a whole number. */
		bytes: msg('{bytes, number} bytes', (n: number) => ({ bytes: Math.round(n) })),
		none: msg('No events yet.')
	}
};

export type Messages = Texts<typeof en>;
export const t: Messages = localized('t', en);
