/**
 * The texts of the people who use the device: first setup, sign-in, the session bar in the header,
 * user management and one's own passphrase. In the shape of messages.ts (English first; a
 * translation is one more object of this shape), kept beside it while others edit that file.
 */
import { localized } from '../i18n/localized';
import type { Role } from '../core/access';
import type { SecretKind } from '../crypto/keys';
import type { Strength } from '../client/passphrase';

function seconds(n: number): string {
	return n === 1 ? '1 second' : `${n.toLocaleString('en')} seconds`;
}

export const usersEn = {
	nav: { users: 'Users' },
	invalid: (n: number) => (n === 1 ? 'One field needs a change: see the message beside it.' : `${n} fields need a change: see the messages beside them.`),
	nameMissing: 'Type a name.',
	roleMissing: 'Choose a role.',
	roles: { administrator: 'Administrator', supervisor: 'Supervisor', 'case-worker': 'Case worker' } satisfies Record<Role, string>,
	/** The role inside a sentence: "is now a case worker". */
	rolePhrases: { administrator: 'an administrator', supervisor: 'a supervisor', 'case-worker': 'a case worker' } satisfies Record<Role, string>,
	roleHints: {
		administrator: 'Sees and changes every record, exports and imports, and manages users.',
		supervisor: 'Sees and changes every record, assigns them, exports and imports.',
		'case-worker': 'Registers people and sees only the records they registered or are assigned to.'
	} satisfies Record<Role, string>,
	kinds: { passphrase: 'Passphrase', pin: 'PIN' } satisfies Record<SecretKind, string>,
	secret: {
		repeat: (kind: SecretKind): string => (kind === 'pin' ? 'PIN again' : 'Passphrase again'),
		passphraseHint: (min: number) => `At least ${min} characters. Several unrelated words are easy to remember and hard to guess.`,
		pinHint: (min: number) => `Digits only, at least ${min} of them.`,
		mismatch: 'The two entries are not the same. Type them again.',
		strengthLabel: 'Strength:',
		strength: {
			'too-short': (missing: number) => `too short: ${missing} more character${missing === 1 ? '' : 's'} needed.`,
			weak: () => 'weak: easy to guess. Use several unrelated words.',
			fair: () => 'fair. A few more words make it much stronger.',
			strong: () => 'strong.'
		} satisfies Record<Strength, (missing: number) => string>
	},
	session: {
		label: 'Signed in',
		who: (name: string, role: string) => `${name} · ${role}`,
		signOut: 'Sign out',
		signingOut: 'Signing out…',
		signOutHint: 'Locks the records on this device until someone signs in again.'
	},
	setup: {
		title: 'Set up this device',
		intro: 'Casetrail keeps its records on this device only. First, create the administrator: the person who adds the other users.',
		name: 'Your name',
		nameHint: 'Shown on the sign-in screen and on every record you change.',
		passphrase: 'Passphrase',
		lossTitle: 'Before you start: a lost passphrase cannot be recovered',
		loss:
			'Everything on this device is encrypted with your passphrase and with those of the users you add. Nobody, not even an administrator or the makers of Casetrail, can open the records if every passphrase and PIN is lost, or if the device is lost or broken.',
		backup: 'The backup is an export: once you are set up, export a bundle regularly from the Exchange page and keep it somewhere safe.',
		understand: 'I understand that the records cannot be recovered without a passphrase, and that exports are the backup.',
		understandMissing: 'Tick this box to confirm that you have read the warning above.',
		submit: 'Set up this device',
		working: 'Setting up… (this takes a few seconds)',
		done: 'This device is set up. You are signed in.'
	},
	signIn: {
		title: 'Sign in',
		intro: 'Choose who you are, then type your passphrase or PIN.',
		who: 'Who are you?',
		none: 'Nobody can sign in on this device yet.',
		chooseMissing: 'Choose who you are.',
		secretMissing: (kind: SecretKind): string => (kind === 'pin' ? 'Type your PIN.' : 'Type your passphrase.'),
		submit: 'Sign in',
		working: 'Signing in… (this takes a few seconds)',
		wrong: (kind: SecretKind): string =>
			kind === 'pin'
				? 'That PIN is not right. After a few wrong PINs, you have to wait before the next try.'
				: 'That passphrase is not right. Check caps lock and the keyboard language, then try again.',
		wait: (n: number) => `Too many wrong PINs. Try again in ${seconds(n)}.`,
		waitLeft: (n: number) => `Seconds left: ${n.toLocaleString('en')}`,
		waitOver: 'You can try again now.',
		locked: 'Locked after 15 minutes without use. Sign in again to continue.',
		forgot: 'Forgot it? An administrator can set a new passphrase or PIN for you on the Users page.'
	},
	users: {
		title: 'Users',
		intro: 'The people who use this device, and what each may do. Every change to a record names the person who made it.',
		forbidden: 'Only an administrator manages users. You can change your own passphrase.',
		listTitle: 'People on this device',
		name: 'Name',
		role: 'Role',
		signsInWith: 'Signs in with',
		actions: 'Actions',
		you: '(you)',
		/** A row's button as a screen reader names it: the visible words first, then whose row. */
		forUser: (action: string, name: string) => `${action}: ${name}`,
		changeRole: 'Change role',
		changeRoleOf: (name: string) => `Change the role of ${name}`,
		saveRole: 'Save role',
		roleSaved: (name: string, role: string) => `${name} is now ${role}.`,
		reset: 'New passphrase',
		resetOf: (name: string) => `New passphrase for ${name}`,
		resetIntro: (name: string) => `${name} signs in with this from now on; the old one stops working. Tell them in person.`,
		resetSave: 'Save new secret',
		resetDone: (name: string) => `${name} has a new passphrase.`,
		remove: 'Remove',
		removeOf: (name: string) => `Remove ${name}`,
		removeIntro: (name: string) =>
			`${name} will no longer be able to sign in on this device. The records they changed keep their name in the history. One administrator always stays.`,
		removeConfirm: 'Remove user',
		removed: (name: string) => `${name} was removed from this device.`,
		roleSavedRotated: (name: string, role: string, rows: number) => `${name} is now ${role}. The device key was changed: ${rows.toLocaleString('en')} stored items were encrypted again.`,
		removedRotated: (name: string, rows: number) =>
			`${name} was removed from this device. The device key was changed: ${rows.toLocaleString('en')} stored items were encrypted again, so a copy of ${name}’s passphrase no longer opens what is stored here.`,
		rotationWaits: (names: string[]) =>
			`The device key is not changed yet: it waits until ${names.join(', ')} ${names.length === 1 ? 'has' : 'have'} signed in once since the update, or you set ${names.length === 1 ? 'them' : 'each of them'} a new passphrase. Until then, someone who kept a copy of this device and the removed passphrase could still read it outside Casetrail.`,
		rotationLabel: 'Changing the device key',
		rotationCount: (done: number, total: number) => `${done.toLocaleString('en')} of ${total.toLocaleString('en')} stored items encrypted again.`,
		ownRow: 'Change yours on the Your passphrase page.',
		addTitle: 'Add a user',
		addName: 'Name',
		addNameHint: 'As it should appear on the sign-in screen.',
		addRole: 'Role',
		rolePlaceholder: 'Choose a role',
		addSecret: (kind: SecretKind): string => (kind === 'pin' ? 'PIN' : 'Passphrase'),
		addSubmit: 'Add user',
		adding: 'Adding… (this takes a few seconds)',
		added: (name: string, role: string) => `${name} was added as ${role}. They can sign in now.`,
		cancel: 'Cancel',
		saving: 'Saving… (this takes a few seconds)'
	},
	me: {
		title: 'Your passphrase',
		intro: (name: string, role: string) => `You are signed in as ${name}, ${role}.`,
		current: 'Current passphrase',
		currentMissing: 'Type your current passphrase.',
		wrongCurrent: 'That is not your current passphrase.',
		newSecret: (kind: SecretKind): string => (kind === 'pin' ? 'New PIN' : 'New passphrase'),
		submit: 'Change',
		done: 'Changed. Use the new one the next time you sign in.',
		manage: 'Manage users',
		quickTitle: 'Quick unlock with a PIN',
		quickIntro: (hours: number) =>
			`When this tab locks after 15 minutes unused, your PIN unlocks it again, for up to ${hours} hours after you signed in with your passphrase. The PIN is kept only in this tab's memory, never stored: reloading, another tab or signing out asks for your passphrase.`,
		quickPin: 'PIN',
		quickSubmit: 'Set PIN',
		quickDone: 'PIN set. It unlocks this tab until you sign out or the time is over.'
	},
	settings: {
		title: 'Your profile',
		signedOut: 'Sign in to see this device’s identity and to change your passphrase.',
		change: 'Change your passphrase or set a PIN'
	}
};

export type UsersMessages = typeof usersEn;
export const ut: UsersMessages = localized('ut', usersEn);
