/**
 * The worker API for forms (issue 16): publish a form version, list what is published, and submit
 * answers with a named version. Every submission is validated again here against that version,
 * whatever the page checked, so a crafted call is refused with submission-invalid and stores nothing.
 */
import { assertCan, type Action } from '../core/access';
import type { Entity } from '../core/appliers';
import { bytesToHex } from '../core/encoding';
import type { CasetrailEvent } from '../core/event';
import type { Result } from '../core/errors';
import { computeForm, answersFromData, problemText } from '../core/forms/engine';
import { FormError } from '../core/forms/errors';
import { FORMS_ENTITY, definitionHash, type FormDefinition, type FormRef } from '../core/forms/definition';
import { DEFAULT_FORMS, DEFAULT_HOUSEHOLD_FORM, DEFAULT_INDIVIDUAL_FORM, RESERVED_FORM_PREFIX } from '../core/forms/defaults';
import { checkDefinition, decideSubmission, formRefOf, publishedForms, publishFormEvent, readPublishedForm, type PublishedForm, type Submission } from '../core/forms/submit';
import { appendEvents } from '../store/append';
import { releaseStaged, stagedFor } from './attachments';
import { getEntity, getEntityEvents } from '../store/read';
import { commandEnv, result, type WorkerContext } from './context';
import { appendRateOf } from './rate';
import { visibleEntity } from './visibility';

export type { PublishedForm, Submission } from '../core/forms/submit';

export interface SubmitResult {
	event: CasetrailEvent;
	/** The record the submission created or changed, as it is now. */
	entity: Entity | undefined;
	size: number;
	root: string;
}

/** A record's answers that its form version no longer accepts (imported data is not re-validated). */
export interface FormCheck {
	form: FormRef;
	/** Question name -> what is wrong, in the form's default language. */
	problems: Record<string, string>;
}

/** The shipped default forms as the forms list shows them, before any published one. */
const BUILT_IN: readonly PublishedForm[] = DEFAULT_FORMS.map((definition) => ({ definition, hash: definitionHash(definition), eventGuid: '', publishedAt: '', publishedBy: '', builtIn: true }));

export function formsApi(ctx: WorkerContext) {
	const { db } = ctx;

	async function loadForms(): Promise<PublishedForm[]> {
		return [...BUILT_IN, ...publishedForms((await getEntityEvents(db, FORMS_ENTITY)).map((row) => row.event))];
	}

	async function formVersion(ref: FormRef): Promise<FormDefinition> {
		const form = (await loadForms()).find((f) => f.definition.formId === ref.id && f.definition.version === ref.version);
		if (!form) throw new FormError('form-not-found', `No form ${String(ref.id)} version ${String(ref.version)} is published on this device. Import the bundle that publishes it.`);
		return form.definition;
	}

	return {
		/** The published form versions, for everyone signed in: a form is no secret. */
		forms(): Promise<Result<PublishedForm[]>> {
			return result(async () => {
				assertCan(ctx.user(), 'read');
				return loadForms();
			});
		},

		/**
		 * Records a `publish-form` event for `definition`. Publishing a version already published with
		 * the same definition is refused with form-version-exists too: a version is published once.
		 */
		publishForm(definition: FormDefinition): Promise<Result<PublishedForm>> {
			return result(async () => {
				const user = assertCan(ctx.user(), 'publish-form');
				const checked = checkDefinition(definition);
				if (checked.formId.startsWith(RESERVED_FORM_PREFIX)) throw new FormError('form-invalid', `Form ids starting with ${RESERVED_FORM_PREFIX} are the app's own; change form_id in the XLSForm settings.`);
				const existing = (await loadForms()).find((f) => f.definition.formId === checked.formId && f.definition.version === checked.version);
				if (existing) throw new FormError('form-version-exists', `Form ${checked.formId} version ${checked.version} is already published. Raise the version in the XLSForm settings and convert it again.`);
				const event = publishFormEvent(checked, await commandEnv(ctx, user.id));
				const appended = await appendEvents(db, [event], { rate: appendRateOf(ctx) });
				ctx.announce({ size: appended.size });
				return readPublishedForm(event);
			});
		},

		/** Validates `submission` against the version it names and appends its one event. */
		submitForm(submission: Submission): Promise<Result<SubmitResult>> {
			return result(async () => {
				const signedIn = assertCan(ctx.user(), 'read');
				const definition = await formVersion({ id: submission?.formId, version: submission?.version });
				const action: Action = definition.purpose.kind === 'register' ? 'register' : 'update';
				const user = assertCan(signedIn, action);
				const entity = definition.purpose.kind === 'register' || typeof submission.entityGuid !== 'string' ? undefined : await visibleEntity(db, submission.entityGuid, user);
				const event = decideSubmission(definition, submission, entity, await commandEnv(ctx, user.id));
				// The photos and signatures the answers reference, held since the page handed them over.
				const appended = await appendEvents(db, [event], { rate: appendRateOf(ctx), attachments: stagedFor(ctx, [event]) });
				releaseStaged(ctx, [event]);
				ctx.announce({ size: appended.size });
				return { event, entity: await getEntity(db, event.entityGuid), size: appended.size, root: bytesToHex(appended.root) };
			});
		},

		/**
		 * Whether a record's data still passes the form version that last recorded it (the default form
		 * of its type when the built-in registration made it): events that came in a bundle were not
		 * validated here, so a record can hold answers its form refuses. Undefined for a record of
		 * another type, or when its form version is not on this device.
		 */
		formCheck(guid: string): Promise<Result<FormCheck | undefined>> {
			return result(async () => {
				const user = assertCan(ctx.user(), 'read');
				const entity = await visibleEntity(db, guid, user);
				const events = (await getEntityEvents(db, guid)).map((row) => row.event);
				const last = events.filter((e) => (e.type.startsWith('create-') || e.type.startsWith('update-')) && formRefOf(e)).at(-1);
				// A record the built-in registration made is held to the default form of its type.
				const fallback = entity.type === 'individual' ? DEFAULT_INDIVIDUAL_FORM : entity.type === 'group' ? DEFAULT_HOUSEHOLD_FORM : undefined;
				const ref = (last && formRefOf(last)) ?? (fallback && { id: fallback.formId, version: fallback.version });
				if (!ref) return undefined;
				const definition = (await loadForms()).find((f) => f.definition.formId === ref.id && f.definition.version === ref.version)?.definition;
				if (!definition) return undefined;
				const state = computeForm(definition, answersFromData(definition, entity.data), ctx.now());
				const problems: Record<string, string> = {};
				for (const [name, problem] of Object.entries(state.problems)) {
					const field = definition.fields.find((f) => f.name === name);
					if (field) problems[name] = problemText(problem, definition.defaultLanguage, definition.defaultLanguage, field);
				}
				return { form: ref, problems };
			});
		}
	};
}
