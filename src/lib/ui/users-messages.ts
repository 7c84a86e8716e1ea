/**
 * The texts of the people who use the device: first setup, sign-in, the session bar in the header,
 * user management and one's own passphrase. As ICU messages in the shape of messages.ts (English
 * first; a translation is a catalog part of this shape), kept beside it while others edit that file.
 */
import { joinList } from '../i18n/format';
import { localized } from '../i18n/localized';
import { msg, type Message, type Texts } from '../i18n/message';
import type { Role } from '../core/access';
import type { SecretKind } from '../crypto/keys';
import type { Strength } from '../client/passphrase';

export const usersEn = {
	nav: { users: msg('Users') },
	invalid: msg(
		'{n, plural, one {One field needs a change: see the message beside it.} other {# fields need a change: see the messages beside them.}}',
		(n: number) => ({ n })
	),
	nameMissing: msg('Type a name.'),
	roleMissing: msg('Choose a role.'),
	roles: { administrator: msg('Administrator'), supervisor: msg('Supervisor'), 'case-worker': msg('Case worker') } satisfies Record<Role, Message>,
	/** The role inside a sentence: "is now a case worker". */
	rolePhrases: { administrator: msg('an administrator'), supervisor: msg('a supervisor'), 'case-worker': msg('a case worker') } satisfies Record<Role, Message>,
	roleHints: {
		administrator: msg('Sees and changes every record, exports and imports, and manages users.'),
		supervisor: msg('Sees and changes every record, assigns them, exports and imports.'),
		'case-worker': msg('Registers people and sees only the records they registered or are assigned to.')
	} satisfies Record<Role, Message>,
	kinds: { passphrase: msg('Passphrase'), pin: msg('PIN') } satisfies Record<SecretKind, Message>,
	secret: {
		repeat: msg('{kind, select, pin {PIN again} other {Passphrase again}}', (kind: SecretKind) => ({ kind })),
		passphraseHint: msg('At least {min} characters. Several unrelated words are easy to remember and hard to guess.', (min: number) => ({ min })),
		pinHint: msg('Digits only, at least {min} of them.', (min: number) => ({ min })),
		mismatch: msg('The two entries are not the same. Type them again.'),
		strengthLabel: msg('Strength:'),
		strength: {
			'too-short': msg('too short: {missing, plural, one {# more character} other {# more characters}} needed.', (missing: number) => ({ missing })),
			weak: msg('weak: easy to guess. Use several unrelated words.', (_missing: number) => ({})),
			fair: msg('fair. A few more words make it much stronger.', (_missing: number) => ({})),
			strong: msg('strong.', (_missing: number) => ({}))
		} satisfies Record<Strength, Message<[missing: number]>>
	},
	session: {
		label: msg('Signed in'),
		who: msg('{name} · {role}', (name: string, role: string) => ({ name, role })),
		signOut: msg('Sign out'),
		signingOut: msg('Signing out…'),
		signOutHint: msg('Locks the records on this device until someone signs in again.')
	},
	setup: {
		title: msg('Set up this device'),
		intro: msg('Casetrail keeps its records on this device only. First, create the administrator: the person who adds the other users.'),
		name: msg('Your name'),
		nameHint: msg('Shown on the sign-in screen and on every record you change.'),
		passphrase: msg('Passphrase'),
		lossTitle: msg('Before you start: a lost passphrase cannot be recovered'),
		loss: msg(
			'Everything on this device is encrypted with your passphrase and with those of the users you add. Nobody, not even an administrator or the makers of Casetrail, can open the records if every passphrase and PIN is lost, or if the device is lost or broken.'
		),
		backup: msg('The backup is an export: once you are set up, export a bundle regularly from the Exchange page and keep it somewhere safe.'),
		understand: msg('I understand that the records cannot be recovered without a passphrase, and that exports are the backup.'),
		understandMissing: msg('Tick this box to confirm that you have read the warning above.'),
		submit: msg('Set up this device'),
		working: msg('Setting up… (this takes a few seconds)'),
		done: msg('This device is set up. You are signed in.')
	},
	signIn: {
		title: msg('Sign in'),
		intro: msg('Choose who you are, then type your passphrase or PIN.'),
		who: msg('Who are you?'),
		none: msg('Nobody can sign in on this device yet.'),
		chooseMissing: msg('Choose who you are.'),
		secretMissing: msg('{kind, select, pin {Type your PIN.} other {Type your passphrase.}}', (kind: SecretKind) => ({ kind })),
		submit: msg('Sign in'),
		working: msg('Signing in… (this takes a few seconds)'),
		wrong: msg(
			'{kind, select, pin {That PIN is not right. After a few wrong PINs, you have to wait before the next try.} other {That passphrase is not right. Check caps lock and the keyboard language, then try again.}}',
			(kind: SecretKind) => ({ kind })
		),
		wait: msg('Too many wrong PINs. Try again in {n, plural, one {# second} other {# seconds}}.', (n: number) => ({ n })),
		waitLeft: msg('Seconds left: {n, number}', (n: number) => ({ n })),
		waitOver: msg('You can try again now.'),
		locked: msg('Locked after 15 minutes without use. Sign in again to continue.'),
		forgot: msg('Forgot it? An administrator can set a new passphrase or PIN for you on the Users page.')
	},
	users: {
		title: msg('Users'),
		intro: msg('The people who use this device, and what each may do. Every change to a record names the person who made it.'),
		forbidden: msg('Only an administrator manages users. You can change your own passphrase.'),
		listTitle: msg('People on this device'),
		name: msg('Name'),
		role: msg('Role'),
		signsInWith: msg('Signs in with'),
		actions: msg('Actions'),
		you: msg('(you)'),
		/** A row's button as a screen reader names it: the visible words first, then whose row. */
		forUser: msg('{action}: {name}', (action: string, name: string) => ({ action, name })),
		changeRole: msg('Change role'),
		changeRoleOf: msg('Change the role of {name}', (name: string) => ({ name })),
		saveRole: msg('Save role'),
		roleSaved: msg('{name} is now {role}.', (name: string, role: string) => ({ name, role })),
		reset: msg('New passphrase'),
		resetOf: msg('New passphrase for {name}', (name: string) => ({ name })),
		resetIntro: msg('{name} signs in with this from now on; the old one stops working. Tell them in person.', (name: string) => ({ name })),
		resetSave: msg('Save new secret'),
		resetDone: msg('{name} has a new passphrase.', (name: string) => ({ name })),
		remove: msg('Remove'),
		removeOf: msg('Remove {name}', (name: string) => ({ name })),
		removeIntro: msg(
			'{name} will no longer be able to sign in on this device. The records they changed keep their name in the history. One administrator always stays.',
			(name: string) => ({ name })
		),
		removeConfirm: msg('Remove user'),
		removed: msg('{name} was removed from this device.', (name: string) => ({ name })),
		roleSavedRotated: msg(
			'{name} is now {role}. The device key was changed: {rows, number} stored items were encrypted again.',
			(name: string, role: string, rows: number) => ({ name, role, rows })
		),
		removedRotated: msg(
			'{name} was removed from this device. The device key was changed: {rows, number} stored items were encrypted again, so a copy of {name}’s passphrase no longer opens what is stored here.',
			(name: string, rows: number) => ({ name, rows })
		),
		/** `names`: the names joined by the language's comma (format.ts, joinList); `count`: how many there are. */
		rotationWaits: msg(
			'The device key is not changed yet: it waits until {names} {count, plural, one {has signed in once since the update, or you set them} other {have signed in once since the update, or you set each of them}} a new passphrase. Until then, someone who kept a copy of this device and the removed passphrase could still read it outside Casetrail.',
			(names: string[]) => ({ names: joinList(names), count: names.length })
		),
		rotationLabel: msg('Changing the device key'),
		rotationCount: msg('{done, number} of {total, number} stored items encrypted again.', (done: number, total: number) => ({ done, total })),
		ownRow: msg('Change yours on the Your passphrase page.'),
		addTitle: msg('Add a user'),
		addName: msg('Name'),
		addNameHint: msg('As it should appear on the sign-in screen.'),
		addRole: msg('Role'),
		rolePlaceholder: msg('Choose a role'),
		addSecret: msg('{kind, select, pin {PIN} other {Passphrase}}', (kind: SecretKind) => ({ kind })),
		addSubmit: msg('Add user'),
		adding: msg('Adding… (this takes a few seconds)'),
		added: msg('{name} was added as {role}. They can sign in now.', (name: string, role: string) => ({ name, role })),
		cancel: msg('Cancel'),
		saving: msg('Saving… (this takes a few seconds)')
	},
	me: {
		title: msg('Your passphrase'),
		intro: msg('You are signed in as {name}, {role}.', (name: string, role: string) => ({ name, role })),
		current: msg('Current passphrase'),
		currentMissing: msg('Type your current passphrase.'),
		wrongCurrent: msg('That is not your current passphrase.'),
		newSecret: msg('{kind, select, pin {New PIN} other {New passphrase}}', (kind: SecretKind) => ({ kind })),
		submit: msg('Change'),
		done: msg('Changed. Use the new one the next time you sign in.'),
		manage: msg('Manage users'),
		quickTitle: msg('Quick unlock with a PIN'),
		quickIntro: msg(
			"When this tab locks after 15 minutes unused, your PIN unlocks it again, for up to {hours} hours after you signed in with your passphrase. The PIN is kept only in this tab's memory, never stored: reloading, another tab or signing out asks for your passphrase.",
			(hours: number) => ({ hours })
		),
		quickPin: msg('PIN'),
		quickSubmit: msg('Set PIN'),
		quickDone: msg('PIN set. It unlocks this tab until you sign out or the time is over.')
	},
	settings: {
		title: msg('Your profile'),
		signedOut: msg('Sign in to see this device’s identity and to change your passphrase.'),
		change: msg('Change your passphrase or set a PIN')
	}
};

export type UsersMessages = Texts<typeof usersEn>;
export const ut: UsersMessages = localized('ut', usersEn);
