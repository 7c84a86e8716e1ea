/**
 * RFC 8785 (JSON Canonicalization Scheme) bytes of an event: the Merkle leaf preimage
 * (spec/bundle-format.md, Leaf and tree). Two devices holding the same event object produce the same
 * bytes whatever order its members were written in, so they compute the same leaf hash.
 */
import canonicalize from 'canonicalize';
import { CasetrailError } from './errors';
import type { CasetrailEvent } from './event';

const utf8 = new TextEncoder();

/**
 * The RFC 8785 canonical JSON text of `value` (an event, or any JSON value such as a checkpoint
 * payload). Throws CasetrailError('invalid-event') for what JSON cannot carry: NaN, Infinity, lone
 * surrogates, cycles, or a value with no JSON form at all (undefined, a function).
 */
export function canonicalJson(value: CasetrailEvent | unknown): string {
	let text: string | undefined;
	try {
		text = canonicalize(value);
	} catch (e) {
		throw new CasetrailError('invalid-event', `The value has no canonical JSON form (${e instanceof Error ? e.message : String(e)}).`);
	}
	if (text === undefined) throw new CasetrailError('invalid-event', 'The value has no JSON form.');
	return text;
}

/** UTF-8 of {@link canonicalJson}: the bytes hashed into the Merkle log as a leaf. */
export function canonicalBytes(value: CasetrailEvent | unknown): Uint8Array {
	return utf8.encode(canonicalJson(value));
}
