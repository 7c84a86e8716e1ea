/**
 * Every text the interface shows, in one place per language (English first), so a translation is
 * one new object of the same shape.
 */
export const en = {
	app: {
		name: 'Casetrail',
		tagline: 'Offline case registry with a tamper-evident audit trail',
		skip: 'Skip to main content',
		nav: 'Main',
		online: 'Online',
		offline: 'Offline: everything keeps working and is saved on this device'
	},
	nav: {
		home: 'Home',
		entities: 'People & households',
		register: 'Register',
		integrity: 'Integrity',
		settings: 'Settings'
	}
} as const;

export type Messages = typeof en;
export const t: Messages = en;
