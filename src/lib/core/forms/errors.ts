/**
 * The errors of forms: importing an XForm, publishing it and submitting data with it. They are
 * CasetrailErrors (the same name and plain-data form across the worker boundary) whose code is one
 * of the form codes, so a caller that handles forms can switch over exactly these.
 */
import { CasetrailError } from '../errors';

export type FormErrorCode =
	/** The file is not well-formed XML, or not an XForm at all. */
	| 'form-malformed'
	/** The XForm uses something Casetrail does not support; `fields` says what, keyed by where. */
	| 'form-unsupported'
	/** A published definition (from an event) does not have the shape of a form definition. */
	| 'form-invalid'
	/** No published form has this id and version on the device. */
	| 'form-not-found'
	/** This form id and version is already published with a different definition. */
	| 'form-version-exists'
	/**
	 * Computing the form's state failed: its expressions needed more work than allowed, built too
	 * long a text, or failed in an unexpected way. The form, not the answers, is at fault.
	 */
	| 'form-evaluation-failed'
	/** Submitted values fail the form: required, type, constraint; `fields` says which and why. */
	| 'submission-invalid';

export class FormError extends CasetrailError {
	declare readonly code: FormErrorCode;

	constructor(code: FormErrorCode, message: string, fields?: Record<string, string>) {
		super(code, message, fields);
	}
}
