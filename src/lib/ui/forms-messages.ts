/**
 * The texts of programme-defined forms (the Forms page, filling a form, follow-ups on a record), in
 * the shape of messages.ts (English first). The questions themselves come from each form, in its
 * own languages.
 */
import { localized } from '../i18n/localized';
import type { FormPurpose } from '../core/forms/definition';

const PURPOSES = {
	'register-individual': 'Registers an individual',
	'register-group': 'Registers a household',
	'update-individual': 'Updates an individual',
	'update-group': 'Updates a household',
	'event-visit-recorded': 'Records a visit',
	'event-assistance-provided': 'Records assistance provided'
} as const;

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
	nav: 'Forms',
	title: 'Forms',
	intro: 'The questionnaires of your programme. Registrations and follow-ups are made with the form versions published here, and each record remembers the version it was recorded with.',
	purposes: PURPOSES as Record<PurposeKey, string>,
	list: {
		title: 'Published forms',
		none: 'No form is published on this device yet: registration uses the default forms, built into the app.',
		builtIn: 'Built into the app',
		form: 'Form',
		version: 'Version',
		does: 'What it does',
		published: 'Published',
		open: (title: string) => `Fill in ${title}`
	},
	import: {
		title: 'Import an XForm',
		intro: 'Convert the XLSForm to an XForm (.xml) with ODK Central, KoboToolbox or pyxform, then choose the file here. Nothing is published until you confirm.',
		file: 'XForm file (.xml)',
		reading: 'Reading the form…',
		refused: 'This form cannot be published',
		where: 'Where',
		what: 'What',
		understood: (title: string) => `Understood: ${title}`,
		id: 'Form id',
		version: 'Version',
		languages: 'Languages',
		noTranslations: 'One language (no translations)',
		questions: 'Questions',
		question: 'Question',
		name: 'Name',
		type: 'Type',
		savesTo: 'Saves to',
		rules: 'Rules',
		required: 'required',
		constraint: 'constraint',
		relevant: 'asked when',
		calculated: 'calculated',
		repeated: 'asked for each instance of a repeat',
		purpose: 'What a submission does',
		purposeFixed: 'From the entities declaration of the form.',
		purposeHint: 'This form has no entities declaration: choose what a submission does.',
		publish: 'Publish this version',
		publishing: 'Publishing…',
		published: (title: string, version: string) => `${title} version ${version} is published. It travels to other devices in the next bundle.`,
		cancel: 'Choose another file'
	},
	fill: {
		language: 'Language',
		submit: 'Save',
		saving: 'Saving…',
		required: 'required',
		optional: 'optional',
		problems: (n: number) => (n === 1 ? 'One answer needs attention.' : `${n} answers need attention.`),
		cannotCompute: (why: string) => `This form cannot be filled in on this device: ${why} Ask whoever published it for a corrected version.`,
		saved: 'Saved.',
		openRecord: 'Open the record',
		notFound: 'This form version is not on this device. Import the bundle that publishes it.',
		forRecord: (name: string) => `For: ${name}`,
		instance: (title: string, n: number) => `${title} ${n}`,
		add: (title: string) => `Add to ${title}`,
		remove: (title: string, n: number) => `Remove ${title} ${n}`,
		version: (v: string) => `Version ${v}`,
		changedMeanwhile: 'The answers changed while they were being checked, so nothing was saved. Check them and save again.'
	},
	record: {
		followUps: 'Follow-up forms',
		flagged: 'This record does not pass its form',
		flaggedIntro: (form: string, version: string) => `It was recorded on another device; form ${form} version ${version} does not accept these answers:`
	},
	history: {
		form: (title: string, version: string) => `Recorded with ${title}, version ${version}`,
		recorded: 'Answers recorded',
		answer: 'Answer'
	},
	register: {
		title: 'Register',
		intro: "Your programme's registration forms, the latest version of each. Everything is saved on this device only.",
		choose: 'Registration form',
		loading: 'Reading the registration forms on this device…',
		form: (title: string, version: string) => `Form: ${title}, version ${version}`
	},
	types: {
		text: 'Text',
		integer: 'Whole number',
		decimal: 'Number',
		date: 'Date',
		'select-one': 'One choice',
		'select-multiple': 'Several choices',
		note: 'Note',
		calculate: 'Calculation',
		image: 'Photo or signature',
		geopoint: 'Location'
	} as Record<string, string>,
	/** What is wrong with an answer, when the form gives no message of its own: by problem, or by question type. */
	answers: {
		required: 'This question needs an answer.',
		choice: 'Choose from the options given.',
		constraint: 'This answer is not accepted by the form.',
		integer: 'Write a whole number.',
		decimal: 'Write a number.',
		date: 'Write a real date, YYYY-MM-DD.',
		image: 'Take or choose the image again.',
		geopoint: 'Record the location again.',
		tooLong: 'This answer is too long.'
	}
};

export type FormsMessages = typeof formsEn;
export const ft: FormsMessages = localized('ft', formsEn);
