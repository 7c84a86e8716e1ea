/**
 * What a failure says, in the language shown. The worker's errors carry a stable code, the values
 * their sentence names (`params`) and, for a form, a code per field (`problems`): English shows the
 * worker's own sentence (the most precise), every other language its catalog's sentence for the code.
 */
import type { CasetrailError, ErrorCode, FieldProblem } from '../core/errors';
import type { IntegrityProblem, IntegrityProblemKind } from '../store/integrity';
import type { SkipReason } from '../core/appliers/entity';
import { localized } from '../i18n/localized';
import { msg, type Message, type Texts } from '../i18n/message';
import { currentLocale } from '../i18n/state.svelte';
import { BASE_LOCALE } from '../i18n/locales';
import { t } from './messages';
import { ut } from './users-messages';

export const errorsEn = {
	codes: {
		'invalid-event': msg('The event is not valid, so it was not recorded.'),
		'validation-failed': msg('Some fields need correcting; nothing was saved.'),
		'unknown-command': msg('This action is not known to this version of Casetrail.'),
		malformed: msg('This file is not a Casetrail bundle, or it is damaged.'),
		'unsupported-format': msg('This bundle was made by a newer version of Casetrail. Update the app, then try again.'),
		'bad-signature': msg('The bundle’s signature does not match its content: it was changed after it was signed. Do not import it.'),
		'device-mismatch': msg('The bundle names another device than the one that signed it. Do not import it.'),
		'size-mismatch': msg('The bundle does not hold the number of events it claims. Do not import it.'),
		'duplicate-event': msg('The bundle holds the same event twice. Do not import it.'),
		'root-mismatch': msg('The bundle’s events do not match its signed root: they were changed. Do not import it.'),
		'bad-consistency-proof': msg('The bundle’s proof that it extends the earlier history of its device is wrong. Do not import it.'),
		'missing-consistency-proof': msg('The bundle does not prove that it extends what its device sent before. Ask that device for a new export.'),
		'attachment-missing': msg('An event names a photo or signature that is neither given nor stored on this device, so nothing was saved.'),
		'import-running': msg('A bundle is being imported on this device (in this tab or another), so nothing was saved. Try again when the import has finished.'),
		'attachment-mismatch': msg('A photo or signature does not match what its record says (its hash or size): it was changed. Nothing was saved.'),
		'fork-detected': msg('The device that signed this bundle rewrote history it had sent before. The bundle is refused and both signed checkpoints are kept as evidence.'),
		'limit-exceeded': msg('The bundle is larger than this device accepts, so nothing was imported.'),
		'profile-invalid': msg('A description of a user in the bundle is not valid.'),
		'history-inconsistent': msg('The log no longer extends the checkpoints this device signed. Run the integrity check.'),
		'integrity-failed': msg('The integrity check found records that no longer match the log.'),
		'event-conflict': msg('Another change was recorded at the same time. Reload the page, then try again.'),
		'not-found': msg('This is not on this device.'),
		'out-of-range': msg('This position is not in the log.'),
		'quota-exceeded': msg('The device has no storage space left, so nothing was saved. Free some space, then try again.'),
		'storage-failed': msg('The device’s storage could not complete the operation. Nothing was changed; try again, and reload the page if it keeps failing.'),
		'schema-outdated': msg('A newer version of Casetrail is open in another tab. Reload this page.'),
		'decryption-failed': msg('What is stored on this device could not be decrypted.'),
		'not-signed-in': msg('Sign in first.'),
		forbidden: msg('Your role does not allow this.'),
		'wrong-passphrase': msg('This passphrase or PIN is not right.'),
		'rate-limited': msg('Too many wrong tries: wait before trying again.'),
		'already-set-up': msg('This device is already set up.'),
		'profile-revoked': msg('This user is no longer on this device.'),
		'passphrase-required': msg('Sign in with your passphrase.'),
		'form-malformed': msg('This file is not an XForm, or it is damaged.'),
		'form-unsupported': msg('This form uses something Casetrail does not support.'),
		'form-invalid': msg('This form definition is not valid.'),
		'form-not-found': msg('This form version is not on this device.'),
		'form-version-exists': msg('This version of the form is already published with other content. Raise the version.'),
		'form-evaluation-failed': msg('This form cannot be computed on this device. Ask whoever published it for a corrected version.'),
		'submission-invalid': msg('Some answers do not pass the form; nothing was saved.')
	} satisfies Record<ErrorCode, Message> as Record<ErrorCode, Message>,
	/** A field's problem, by its code; `field` is the field's label. */
	problems: {
		required: msg('{field} is required.', (field: string) => ({ field })),
		notText: msg('{field} must be text.', (field: string) => ({ field })),
		tooLong: msg('{field} must be at most {max} characters.', (field: string, max: number) => ({ field, max })),
		invalid: msg('{field} is not in the expected form.', (field: string) => ({ field })),
		unknownField: msg('{field} is not a field of this record.', (field: string) => ({ field })),
		refused: msg('{field} cannot be accepted as it is.', (field: string) => ({ field }))
	},
	/** What the integrity check found, by kind (the events concerned are named after it). */
	integrity: {
		'leaf-mismatch': msg('The event no longer hashes to the leaf hash stored with it.'),
		'field-mismatch': msg('A copy kept beside the event differs from the event itself.'),
		unreadable: msg('The event is no longer readable.'),
		missing: msg('The event is missing from the log.'),
		'beyond-head': msg('Events are stored beyond the end of the log.'),
		'node-mismatch': msg('A stored node of the Merkle tree differs from the one computed from the events.'),
		'head-mismatch': msg('The stored head of the log differs from the one computed from the events.'),
		'head-unauthenticated': msg('The stored head of the log was not written with this device’s key.'),
		'checkpoint-missing': msg('Checkpoints this device signed were deleted.'),
		'checkpoint-beyond-log': msg('A checkpoint this device signed is larger than the log: events were removed.'),
		'checkpoint-inconsistent': msg('The log no longer extends a checkpoint this device signed.'),
		'checkpoint-invalid': msg('A stored checkpoint is not one this device signed.'),
		'record-mismatch': msg('A stored record differs from what its events say.'),
		'attachment-mismatch': msg('A stored photo or signature differs from the one its event recorded.'),
		'attachment-missing': msg('A photo or signature an event recorded is missing from the device.')
	} satisfies Record<IntegrityProblemKind, Message> as Record<IntegrityProblemKind, Message>,
	/** Why an event did not change its record, by the reason the replay gives (core/appliers/entity.ts). */
	skips: {
		'invalid-event': msg('The event lacks a required member or has one of the wrong type.'),
		'wrong-entity': msg('The event belongs to another record.'),
		'version-unsupported': msg('The event was written at a schema version this build cannot read.'),
		'no-applier': msg('This build does not know this type of event; the event is kept in the log.'),
		'entity-exists': msg('The event creates a record that already exists.'),
		'entity-missing': msg('The event changes a record that does not exist yet.'),
		'type-mismatch': msg('The event type does not fit the type of the record.'),
		'invalid-data': msg('The event data lacks a field the event needs, or has one of the wrong type.'),
		'not-a-member': msg('The member to remove is not a member of the household.'),
		'already-deleted': msg('The record is already deleted.'),
		'duplicate-event': msg('The same event was already applied.'),
		'applier-failed': msg('Applying the event failed; the record is left as it was.')
	} satisfies Record<SkipReason, Message> as Record<SkipReason, Message>,
	/** What each field of a record expects, said when its value is not in that form. */
	expects: {
		sex: msg('Sex must be one of the choices.'),
		dateOfBirth: msg('Date of birth must be a real date, not in the future, at most 150 years ago.'),
		phone: msg('Phone may contain only digits, spaces and a leading +, between 6 and 15 digits.'),
		nationalId: msg('National id may contain only letters, digits, spaces, dots, slashes and hyphens.'),
		photo: msg('Photo must be a JPEG, WebP or PNG image taken or chosen on this device.'),
		attachment: msg('A photo or signature must be a JPEG, WebP or PNG image taken or chosen on this device.'),
		location: msg('The location must have a latitude between -90 and 90, a longitude between -180 and 180 and an accuracy in metres.')
	} as Record<string, Message>
};

export type ErrorMessages = Texts<typeof errorsEn>;
export const et: ErrorMessages = localized('et', errorsEn);

/** A field's label in the language shown: a record's field, or one of the other fields commands take. */
function label(field: string): string {
	const known = (t.fields as Record<string, unknown>)[field];
	if (typeof known === 'string') return known;
	switch (field) {
		case 'reason':
			return t.common.reason;
		case 'caseWorkerId':
			return t.fields.caseWorker;
		case 'role':
			return t.households.role;
		case 'memberGuid':
			return t.households.members;
		case 'entityGuid':
			return t.entity.id;
		case 'secret':
			return ut.kinds.passphrase;
		case 'attachment':
			return t.fields.photo;
		case 'location':
			return t.location.title;
		default:
			return field;
	}
}

function fieldText(field: string, problem: FieldProblem | undefined): string {
	const name = label(field);
	switch (problem?.code) {
		case 'required':
			return et.problems.required(name);
		case 'not-text':
			return et.problems.notText(name);
		case 'too-long':
			return et.problems.tooLong(name, Number(problem.params?.max ?? 0));
		case 'invalid':
			return et.expects[field] ?? et.problems.invalid(name);
		case 'unknown-field':
			return et.problems.unknownField(name);
		default:
			return et.problems.refused(name);
	}
}

/** The sentence of a failure in the language shown. */
export function errorText(error: { code: ErrorCode; message: string }): string {
	if (currentLocale() === BASE_LOCALE) return error.message;
	return et.codes[error.code] ?? et.codes['storage-failed'];
}

/** A failure's field problems (field -> sentence) in the language shown; empty when it has none. */
export function fieldTexts(error: Pick<CasetrailError, 'fields' | 'problems'> | undefined): Record<string, string> {
	if (!error?.fields) return {};
	if (currentLocale() === BASE_LOCALE) return { ...error.fields };
	return Object.fromEntries(Object.keys(error.fields).map((field) => [field, fieldText(field, error.problems?.[field])]));
}

/** A problem the integrity check found, in the language shown, naming the events concerned. */
export function problemText(problem: IntegrityProblem, positions: (begin: number, end: number) => string): string {
	if (currentLocale() === BASE_LOCALE) return problem.message;
	const what = et.integrity[problem.kind] ?? et.codes['integrity-failed'];
	return problem.end > problem.begin ? `${what} (${positions(problem.begin, problem.end)})` : what;
}

/** Why an event did not change its record, in the language shown. */
export function skipText(skip: { reason: SkipReason; message: string }): string {
	if (currentLocale() === BASE_LOCALE) return skip.message;
	return et.skips[skip.reason] ?? skip.message;
}
