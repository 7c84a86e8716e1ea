/**
 * Attachments (issue 17): photos and drawn signatures recorded with an event. The bytes are kept
 * apart from the log, content-addressed by their SHA-256; the event holds a reference to them as a
 * field value, so the leaf hash of the event covers the hash of the bytes and the Merkle tree covers
 * the bytes through it (docs/spec/bundle-format-v2.md, "Attachments").
 *
 * A reference is a JSON object with exactly three members:
 *
 *     { "sha256": "<64 lowercase hex digits>", "mediaType": "image/jpeg", "size": 183211 }
 *
 * anywhere in an event's `data` (a field of an individual, the answer to a form's image question).
 * An object with other members, or with these of the wrong type, is plain data and references
 * nothing: the projection rules (docs/spec/projection.md) treat a reference as any other field value.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from './encoding';
import { CasetrailError } from './errors';
import { isPlainObject, type CasetrailEvent } from './event';

/** What an event records of an attachment. */
export interface AttachmentRef {
	/** SHA-256 of the bytes, 64 lowercase hex digits. */
	sha256: string;
	/** The media type of the bytes: one of {@link ATTACHMENT_MEDIA_TYPES}. */
	mediaType: string;
	/** Length of the bytes. */
	size: number;
}

/** The media types an attachment may have: the images a browser can show and the device can make. */
export const ATTACHMENT_MEDIA_TYPES = ['image/jpeg', 'image/webp', 'image/png'] as const;

/** Largest attachment accepted: a resized photo is a few hundred kilobytes; this leaves room for a large one. */
export const MAX_ATTACHMENT_BYTES = 8 * 1024 * 1024;

/** An image that is not a usable attachment, as the field problem a page says in its language. */
export const INVALID_ATTACHMENT = Object.freeze({ problems: { attachment: { code: 'invalid' as const } } });

const SHA256_HEX = /^[0-9a-f]{64}$/;
const REF_KEYS = ['mediaType', 'sha256', 'size'];

/** True when `value` is an attachment reference (see the module comment). */
export function isAttachmentRef(value: unknown): value is AttachmentRef {
	if (!isPlainObject(value)) return false;
	const keys = Object.keys(value);
	if (keys.length !== 3 || !REF_KEYS.every((k) => keys.includes(k))) return false;
	const { sha256: hash, mediaType, size } = value;
	return (
		typeof hash === 'string' &&
		SHA256_HEX.test(hash) &&
		typeof mediaType === 'string' &&
		(ATTACHMENT_MEDIA_TYPES as readonly string[]).includes(mediaType) &&
		Number.isSafeInteger(size) &&
		(size as number) >= 0 &&
		(size as number) <= MAX_ATTACHMENT_BYTES
	);
}

/** Deepest nesting of event data searched for references: events from bundles are attacker-controlled. */
const MAX_DEPTH = 64;

/**
 * The attachment references in `data`, in the order met (depth first), each once per hash (the first
 * met). Walks objects and arrays without recursion, to at most {@link MAX_DEPTH} levels.
 */
export function referencesIn(data: unknown): AttachmentRef[] {
	const found = new Map<string, AttachmentRef>();
	const stack: { value: unknown; depth: number }[] = [{ value: data, depth: 0 }];
	while (stack.length > 0) {
		const { value, depth } = stack.pop() as { value: unknown; depth: number };
		if (isAttachmentRef(value)) {
			if (!found.has(value.sha256)) found.set(value.sha256, { sha256: value.sha256, mediaType: value.mediaType, size: value.size });
			continue;
		}
		if (depth >= MAX_DEPTH || typeof value !== 'object' || value === null) continue;
		const children = Array.isArray(value) ? value : Object.values(value);
		for (let i = children.length - 1; i >= 0; i--) stack.push({ value: children[i], depth: depth + 1 });
	}
	return [...found.values()];
}

/** The references in the `data` of every event, each hash once. */
export function eventReferences(events: readonly Pick<CasetrailEvent, 'data'>[]): AttachmentRef[] {
	const found = new Map<string, AttachmentRef>();
	for (const event of events) for (const ref of referencesIn(event.data)) if (!found.has(ref.sha256)) found.set(ref.sha256, ref);
	return [...found.values()];
}

/** SHA-256 of `bytes` as 64 lowercase hex digits. Synchronous (usable inside a transaction). */
export function attachmentHash(bytes: Uint8Array): string {
	return bytesToHex(sha256(bytes));
}

/**
 * The reference of `bytes` of `mediaType`. Throws CasetrailError('validation-failed') for a media
 * type that is not one of {@link ATTACHMENT_MEDIA_TYPES}, empty bytes or more than
 * {@link MAX_ATTACHMENT_BYTES}.
 */
export function attachmentRef(bytes: Uint8Array, mediaType: string): AttachmentRef {
	if (!(ATTACHMENT_MEDIA_TYPES as readonly string[]).includes(mediaType)) {
		throw new CasetrailError('validation-failed', `A photo or signature must be a JPEG, WebP or PNG image, not ${mediaType || 'a file of unknown type'}.`, { attachment: 'Not a JPEG, WebP or PNG image.' }, INVALID_ATTACHMENT);
	}
	if (!(bytes instanceof Uint8Array) || bytes.length === 0) {
		throw new CasetrailError('validation-failed', 'The photo or signature is empty.', { attachment: 'The image is empty.' }, INVALID_ATTACHMENT);
	}
	if (bytes.length > MAX_ATTACHMENT_BYTES) {
		throw new CasetrailError('validation-failed', `The image is ${bytes.length} bytes; an attachment may have at most ${MAX_ATTACHMENT_BYTES} bytes. Take it again at a smaller size.`, { attachment: 'The image is too large.' }, { ...INVALID_ATTACHMENT, params: { size: bytes.length, max: MAX_ATTACHMENT_BYTES } });
	}
	return { sha256: attachmentHash(bytes), mediaType, size: bytes.length };
}

/**
 * A reference as a form answer: `<sha256> <mediaType> <size>`, the text a form's image question holds
 * while it is filled in (the form engine computes over text, as XForms do); {@link refFromAnswer}
 * reads it back.
 */
export function answerOfRef(ref: AttachmentRef): string {
	return `${ref.sha256} ${ref.mediaType} ${ref.size}`;
}

/** The reference an image question's answer names, or undefined when the text is not one. */
export function refFromAnswer(answer: string): AttachmentRef | undefined {
	const parts = answer.split(' ');
	if (parts.length !== 3 || !/^(0|[1-9]\d{0,15})$/.test(parts[2] as string)) return undefined;
	const ref = { sha256: parts[0], mediaType: parts[1], size: Number(parts[2]) };
	return isAttachmentRef(ref) ? ref : undefined;
}

/** The first bytes of each accepted media type, to check that bytes are the image their type says. */
export function sniffMediaType(bytes: Uint8Array): string | undefined {
	if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
	if (bytes.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => bytes[i] === b)) return 'image/png';
	if (bytes.length >= 12 && String.fromCharCode(...bytes.subarray(0, 4)) === 'RIFF' && String.fromCharCode(...bytes.subarray(8, 12)) === 'WEBP') return 'image/webp';
	return undefined;
}
