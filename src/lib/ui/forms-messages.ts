/**
 * The texts of programme-defined forms (the Forms page, filling a form, follow-ups on a record), in
 * the shape of messages.ts (English first). The questions themselves come from each form, in its
 * own languages.
 */
import { localized } from '../i18n/localized';
import { msg, type Message, type Texts } from '../i18n/message';
import type { FormPurpose } from '../core/forms/definition';

const PURPOSES = {
	'register-individual': msg('Registers an individual'),
	'register-group': msg('Registers a household'),
	'update-individual': msg('Updates an individual'),
	'update-group': msg('Updates a household'),
	'event-visit-recorded': msg('Records a visit'),
	'event-assistance-provided': msg('Records assistance provided')
};

export type PurposeKey = keyof typeof PURPOSES;

export function purposeKey(purpose: FormPurpose): PurposeKey {
	return purpose.kind === 'event' ? `event-${purpose.eventType}` : `${purpose.kind}-${purpose.entityType}`;
}

export function purposeOf(key: string): FormPurpose | undefined {
	switch (key) {
		case 'register-individual':
			return { kind: 'register', entityType: 'individual' };
		case 'register-group':
			return { kind: 'register', entityType: 'group' };
		case 'update-individual':
			return { kind: 'update', entityType: 'individual' };
		case 'update-group':
			return { kind: 'update', entityType: 'group' };
		case 'event-visit-recorded':
			return { kind: 'event', eventType: 'visit-recorded' };
		case 'event-assistance-provided':
			return { kind: 'event', eventType: 'assistance-provided' };
		default:
			return undefined;
	}
}

export const formsEn = {
	nav: msg('Forms'),
	title: msg('Forms'),
	intro: msg('The questionnaires of your programme. Registrations and follow-ups are made with the form versions published here, and each record remembers the version it was recorded with.'),
	purposes: PURPOSES as Record<PurposeKey, Message>,
	list: {
		title: msg('Published forms'),
		none: msg('No form is published on this device yet: registration uses the default forms, built into the app.'),
		builtIn: msg('Built into the app'),
		form: msg('Form'),
		version: msg('Version'),
		does: msg('What it does'),
		published: msg('Published'),
		open: msg('Fill in {title}', (title: string) => ({ title }))
	},
	import: {
		title: msg('Import an XForm'),
		intro: msg('Convert the XLSForm to an XForm (.xml) with ODK Central, KoboToolbox or pyxform, then choose the file here. Nothing is published until you confirm.'),
		file: msg('XForm file (.xml)'),
		reading: msg('Reading the form…'),
		refused: msg('This form cannot be published'),
		where: msg('Where'),
		what: msg('What'),
		understood: msg('Understood: {title}', (title: string) => ({ title })),
		id: msg('Form id'),
		version: msg('Version'),
		languages: msg('Languages'),
		noTranslations: msg('One language (no translations)'),
		questions: msg('Questions'),
		question: msg('Question'),
		name: msg('Name'),
		type: msg('Type'),
		savesTo: msg('Saves to'),
		rules: msg('Rules'),
		required: msg('required'),
		constraint: msg('constraint'),
		relevant: msg('asked when'),
		calculated: msg('calculated'),
		repeated: msg('asked for each instance of a repeat'),
		purpose: msg('What a submission does'),
		purposeFixed: msg('From the entities declaration of the form.'),
		purposeHint: msg('This form has no entities declaration: choose what a submission does.'),
		publish: msg('Publish this version'),
		publishing: msg('Publishing…'),
		published: msg(
			'{title} version {version} is published. It travels to other devices in the next bundle.',
			(title: string, version: string) => ({ title, version })
		),
		cancel: msg('Choose another file')
	},
	fill: {
		language: msg('Language'),
		submit: msg('Save'),
		saving: msg('Saving…'),
		required: msg('required'),
		optional: msg('optional'),
		problems: msg('{n, plural, one {One answer needs attention.} other {# answers need attention.}}', (n: number) => ({ n })),
		cannotCompute: msg('This form cannot be filled in on this device: {why} Ask whoever published it for a corrected version.', (why: string) => ({ why })),
		saved: msg('Saved.'),
		openRecord: msg('Open the record'),
		notFound: msg('This form version is not on this device. Import the bundle that publishes it.'),
		forRecord: msg('For: {name}', (name: string) => ({ name })),
		instance: msg('{title} {n}', (title: string, n: number) => ({ title, n })),
		add: msg('Add to {title}', (title: string) => ({ title })),
		remove: msg('Remove {title} {n}', (title: string, n: number) => ({ title, n })),
		version: msg('Version {v}', (v: string) => ({ v })),
		changedMeanwhile: msg('The answers changed while they were being checked, so nothing was saved. Check them and save again.')
	},
	record: {
		followUps: msg('Follow-up forms'),
		flagged: msg('This record does not pass its form'),
		flaggedIntro: msg(
			'It was recorded on another device; form {form} version {version} does not accept these answers:',
			(form: string, version: string) => ({ form, version })
		)
	},
	history: {
		form: msg('Recorded with {title}, version {version}', (title: string, version: string) => ({ title, version })),
		recorded: msg('Answers recorded'),
		answer: msg('Answer')
	},
	register: {
		title: msg('Register'),
		intro: msg("Your programme's registration forms, the latest version of each. Everything is saved on this device only."),
		choose: msg('Registration form'),
		loading: msg('Reading the registration forms on this device…'),
		form: msg('Form: {title}, version {version}', (title: string, version: string) => ({ title, version }))
	},
	types: {
		text: msg('Text'),
		integer: msg('Whole number'),
		decimal: msg('Number'),
		date: msg('Date'),
		'select-one': msg('One choice'),
		'select-multiple': msg('Several choices'),
		note: msg('Note'),
		calculate: msg('Calculation'),
		image: msg('Photo or signature'),
		geopoint: msg('Location')
	} as Record<string, Message>,
	/** What is wrong with an answer, when the form gives no message of its own: by problem, or by question type. */
	answers: {
		required: msg('This question needs an answer.'),
		choice: msg('Choose from the options given.'),
		constraint: msg('This answer is not accepted by the form.'),
		integer: msg('Write a whole number.'),
		decimal: msg('Write a number.'),
		date: msg('Write a real date, YYYY-MM-DD.'),
		image: msg('Take or choose the image again.'),
		geopoint: msg('Record the location again.'),
		tooLong: msg('This answer is too long.')
	}
};

export type FormsMessages = Texts<typeof formsEn>;
export const ft: FormsMessages = localized('ft', formsEn);
