/**
 * The worker API for attachments (issue 17): a photo or signature the page has made is handed to
 * the worker first, which checks it and keeps it in memory under its reference until the command or
 * form submission that references it is saved (then it is stored in the same transaction as the
 * event: store/append.ts). The page never touches IndexedDB, and a photo that is never saved is
 * never written.
 */
import { assertCan } from '../core/access';
import { attachmentRef, INVALID_ATTACHMENT, referencesIn, sniffMediaType, type AttachmentRef } from '../core/attachments';
import { CasetrailError, type Result } from '../core/errors';
import type { CasetrailEvent } from '../core/event';
import { getAttachment } from '../store/attachments';
import { getEntityEvents } from '../store/read';
import { vaultOf } from '../store/vault';
import { result, type WorkerContext } from './context';
import { visibleEntity } from './visibility';

/** Most attachments held unsaved at once: a form with a few photos and a signature, several times over. */
export const MAX_STAGED = 24;

/** Attachments handed over and not yet saved, per worker context, oldest first. */
const stages = new WeakMap<WorkerContext, Map<string, Uint8Array>>();

function stageOf(ctx: WorkerContext): Map<string, Uint8Array> {
	let stage = stages.get(ctx);
	if (!stage) {
		const created = new Map<string, Uint8Array>();
		stage = created;
		stages.set(ctx, created);
		// Unsaved photos are forgotten with the session.
		vaultOf(ctx.db)?.onLock(() => created.clear());
	}
	return stage;
}

/**
 * The held bytes of the attachments `events` reference, for appendEvents; references to bytes not
 * held here are left to the store (stored already, or 'attachment-missing').
 */
export function stagedFor(ctx: WorkerContext, events: readonly Pick<CasetrailEvent, 'data'>[]): Uint8Array[] {
	const stage = stageOf(ctx);
	const out: Uint8Array[] = [];
	for (const event of events) {
		for (const ref of referencesIn(event.data)) {
			const bytes = stage.get(ref.sha256);
			if (bytes) out.push(bytes);
		}
	}
	return out;
}

/** Forgets the held bytes of what `events` reference: they are stored now. */
export function releaseStaged(ctx: WorkerContext, events: readonly Pick<CasetrailEvent, 'data'>[]): void {
	const stage = stageOf(ctx);
	for (const event of events) for (const ref of referencesIn(event.data)) stage.delete(ref.sha256);
}

/** A photo or signature, as the page shows it. */
export interface AttachmentView extends AttachmentRef {
	bytes: Uint8Array;
}

export function attachmentsApi(ctx: WorkerContext) {
	const { db } = ctx;
	return {
		/**
		 * Checks an image the page made (its bytes must be the JPEG, WebP or PNG its type says, at most
		 * {@link MAX_ATTACHMENT_BYTES}: else 'validation-failed') and holds it until the record that
		 * references it is saved. Returns its reference, the value of a photo field.
		 */
		stageAttachment(bytes: Uint8Array, mediaType: string): Promise<Result<AttachmentRef>> {
			return result(async () => {
				assertCan(ctx.user(), 'read');
				if (!(bytes instanceof Uint8Array)) throw new CasetrailError('validation-failed', 'The image did not arrive as bytes.', { attachment: 'Not an image.' }, INVALID_ATTACHMENT);
				const ref = attachmentRef(bytes, mediaType);
				if (sniffMediaType(bytes) !== mediaType) {
					throw new CasetrailError('validation-failed', `The file is not the ${mediaType} image it says it is; choose a JPEG, WebP or PNG photo.`, { attachment: 'Not a JPEG, WebP or PNG image.' }, INVALID_ATTACHMENT);
				}
				const stage = stageOf(ctx);
				stage.delete(ref.sha256);
				stage.set(ref.sha256, new Uint8Array(bytes));
				while (stage.size > MAX_STAGED) stage.delete(stage.keys().next().value as string);
				return ref;
			});
		},

		/**
		 * The bytes of a stored photo or signature of record `entityGuid`: 'forbidden' when the user may
		 * not see the record, 'not-found' when no event of the record references it or it is not on
		 * this device. (The page shows a photo not saved yet from its own copy.)
		 */
		attachment(entityGuid: string, sha256: string): Promise<Result<AttachmentView>> {
			return result(async () => {
				const user = assertCan(ctx.user(), 'read');
				await visibleEntity(db, entityGuid, user);
				const events = await getEntityEvents(db, entityGuid);
				const ref = events.flatMap((stored) => referencesIn(stored.event.data)).find((r) => r.sha256 === sha256);
				if (!ref) throw new CasetrailError('not-found', 'This record has no such photo or signature.');
				return { ...ref, bytes: await getAttachment(db, sha256) };
			});
		}
	};
}
