/**
 * The one error type of Casetrail. Every failure a program may need to tell apart has a stable
 * `code`; `message` is a sentence a person can act on. Across the worker boundary and out of the
 * command line an error travels as plain data ({@link ErrorData}), because a structured-cloned
 * Error loses its own fields.
 */
import type { FormErrorCode } from './forms/errors';

/** Stable error codes. Programs test these; never rename one. */
export type ErrorCode =
	// events and commands
	| 'invalid-event'
	| 'validation-failed'
	| 'unknown-command'
	// bundles (spec/bundle-format.md, in the order verification checks them)
	| 'malformed'
	| 'unsupported-format'
	| 'bad-signature'
	| 'device-mismatch'
	| 'size-mismatch'
	| 'duplicate-event'
	| 'root-mismatch'
	// bundles, version 2 (docs/bundle-format-v2.md)
	| 'bad-consistency-proof'
	| 'missing-consistency-proof'
	| 'fork-detected'
	/** An event references an attachment the bundle (or the append) does not carry (issue 17). */
	| 'attachment-missing'
	/** A carried attachment's bytes do not hash to, or are not the size of, what its reference says. */
	| 'attachment-mismatch'
	// a receiver's limits on bundles (docs/decisions/0005-bundle-limits.md)
	| 'limit-exceeded'
	/** A `describe-user` event that is not exactly a user's id, name and role (docs/user-profiles.md). */
	| 'profile-invalid'
	// this device's own signed history (its checkpoints against its log), and the log check
	| 'history-inconsistent'
	| 'integrity-failed'
	// store
	| 'event-conflict'
	| 'not-found'
	| 'out-of-range'
	| 'quota-exceeded'
	| 'storage-failed'
	| 'schema-outdated'
	| 'decryption-failed'
	/** A bundle import holds the log (store/import.ts): appends and exports wait until it ends. */
	| 'import-running'
	// users and access
	| 'not-signed-in'
	| 'forbidden'
	| 'wrong-passphrase'
	| 'rate-limited'
	| 'already-set-up'
	/** A user row that is no longer this device's current profile of that user (removed, or an older copy). */
	| 'profile-revoked'
	/** Only the passphrase opens the device now (a PIN is a quick unlock in one tab, for a while). */
	| 'passphrase-required'
	// forms (issue 16)
	| FormErrorCode;

/** Values an error's sentence names (a number, an id, a field), so a page can say it in its language. */
export type ErrorParams = Record<string, string | number>;

/**
 * What is wrong with one field, as a code the page translates: absent though required, not text,
 * longer than `max`, or not in the field's form (its own check: a date, a phone number...).
 */
export interface FieldProblem {
	code: 'required' | 'not-text' | 'too-long' | 'invalid' | 'unknown-field' | 'refused';
	params?: ErrorParams;
}

/** An error as plain data: what crosses the worker boundary and what the command line prints. */
export interface ErrorData {
	code: ErrorCode;
	message: string;
	/** Field-level problems, for `validation-failed` (field name -> sentence). */
	fields?: Record<string, string>;
	/** The same field-level problems as codes, for the page to say in its language. */
	problems?: Record<string, FieldProblem>;
	/** Values the sentence names, for the page to say in its language. */
	params?: ErrorParams;
}

export class CasetrailError extends Error {
	// A literal name: minifiers rename classes, and this survives them.
	override readonly name = 'CasetrailError';
	readonly code: ErrorCode;
	readonly fields: Record<string, string> | undefined;
	readonly problems: Record<string, FieldProblem> | undefined;
	readonly params: ErrorParams | undefined;

	constructor(code: ErrorCode, message: string, fields?: Record<string, string>, detail?: { problems?: Record<string, FieldProblem> | undefined; params?: ErrorParams | undefined }) {
		super(message);
		this.code = code;
		this.fields = fields;
		this.problems = detail?.problems;
		this.params = detail?.params;
	}

	toData(): ErrorData {
		const data: ErrorData = { code: this.code, message: this.message };
		if (this.fields) data.fields = this.fields;
		if (this.problems) data.problems = this.problems;
		if (this.params) data.params = this.params;
		return data;
	}
}

export function isCasetrailError(e: unknown): e is CasetrailError {
	return e instanceof Error && e.name === 'CasetrailError' && typeof (e as CasetrailError).code === 'string';
}

/** The result shape used across the worker boundary and by the command line. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorData };
