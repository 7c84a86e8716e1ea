/**
 * Property tests for verifyBundle on hostile input: random values and random JSON, and mutations of
 * a valid bundle. Every one must be rejected with one of the spec's error codes, and nothing else
 * may ever be thrown.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildBundleFrom } from '../../../../src/lib/core/bundle/build';
import { verifyBundle } from '../../../../src/lib/core/bundle/verify';
import { isCasetrailError } from '../../../../src/lib/core/errors';
import { bytesToBase64url } from '../../../../src/lib/core/encoding';
import type { Bundle } from '../../../../src/lib/core/bundle/types';
import type { CasetrailEvent } from '../../../../src/lib/core/event';
import { BUNDLE_ERROR_CODES, deviceKeys, sampleLog, signPayloadText, viaJson } from './fixtures';
import { parseCheckpoint } from '../../../../src/lib/core/bundle/checkpoint';

/** The code verifyBundle rejects `input` with; fails the property if it accepts or throws anything else. */
async function rejection(input: unknown): Promise<string> {
	try {
		await verifyBundle(input);
	} catch (e) {
		if (!isCasetrailError(e)) throw new Error(`verifyBundle threw a non-Casetrail error: ${String(e)}`);
		if (!BUNDLE_ERROR_CODES.includes(e.code)) throw new Error(`verifyBundle rejected with ${e.code}, not a bundle code`);
		return e.code;
	}
	throw new Error('verifyBundle accepted the input');
}

let full: Bundle;
let since: Bundle;
let earlier: Bundle;
let otherLog: Bundle;
let fullText: string;
let withProofs: Bundle;

beforeAll(async () => {
	const signer = await deviceKeys();
	const log = sampleLog(13);
	// Version 1 here: the text offsets below assume its layout; version 2's list is fuzzed at the end.
	full = viaJson(await buildBundleFrom({ log, from: 0, signer, issuedAt: '2026-11-02T09:00:00.000Z', version: 1 }));
	since = viaJson(await buildBundleFrom({ log, from: 7, signer, issuedAt: '2026-11-02T09:00:00.000Z', version: 1 }));
	earlier = viaJson(await buildBundleFrom({ log: log.slice(0, 7), from: 0, signer, version: 1 }));
	otherLog = viaJson(await buildBundleFrom({ log: sampleLog(13, 1), from: 0, signer, version: 1 }));
	withProofs = viaJson(await buildBundleFrom({ log, from: 7, signer, issuedAt: '2026-11-02T09:00:00.000Z', signedSizes: [1, 4, 7, 12] }));
	fullText = JSON.stringify(full);
	// The fixtures themselves must pass, or every property below would hold for the wrong reason.
	await verifyBundle(full);
	await verifyBundle(since);
	await verifyBundle(withProofs);
});

const RUNS = { numRuns: 200 };

describe('verifyBundle on random input', () => {
	it('rejects any value with a spec code and throws nothing else', async () => {
		await fc.assert(fc.asyncProperty(fc.anything({ withBigInt: true, withDate: true, withMap: true, withNullPrototype: true, withTypedArray: true, withSparseArray: true }), async (v) => {
			await rejection(v);
		}), RUNS);
	});

	it('rejects any JSON text or random string', async () => {
		await fc.assert(fc.asyncProperty(fc.oneof(fc.json(), fc.string(), fc.jsonValue().map((v) => JSON.stringify(v))), async (text) => {
			expect(['malformed', 'unsupported-format']).toContain(await rejection(text));
		}), RUNS);
	});

	it('rejects random objects that claim the format with malformed', async () => {
		const shape = fc.record({
			format: fc.constant('casetrail.bundle'),
			version: fc.constant(1),
			log: fc.oneof(fc.jsonValue(), fc.record({ deviceId: fc.string(), from: fc.oneof(fc.integer(), fc.double()), prefix: fc.array(fc.string()) })),
			events: fc.oneof(fc.jsonValue(), fc.array(fc.jsonValue())),
			checkpoint: fc.oneof(fc.string(), fc.jsonValue(), fc.tuple(fc.base64String(), fc.base64String(), fc.base64String()).map((p) => p.join('.')))
		}, { requiredKeys: ['format', 'version'] });
		await fc.assert(fc.asyncProperty(shape, async (b) => {
			expect(await rejection(b)).toBe('malformed');
		}), RUNS);
	});
});

describe('verifyBundle on mutations of a valid bundle', () => {
	it('rejects any one-character change inside the events', async () => {
		const start = fullText.indexOf('"events":[') + '"events":['.length;
		const end = fullText.indexOf('],"checkpoint"');
		await fc.assert(fc.asyncProperty(fc.integer({ min: start, max: end - 1 }), fc.integer({ min: 0x20, max: 0x7e }), async (at, code) => {
			const ch = String.fromCharCode(code);
			fc.pre(fullText[at] !== ch);
			// Compact JSON has no insignificant whitespace, so any change alters an event or breaks the text.
			expect(['malformed', 'size-mismatch', 'invalid-event', 'duplicate-event', 'root-mismatch']).toContain(await rejection(fullText.slice(0, at) + ch + fullText.slice(at + 1)));
		}), { numRuns: 300 });
	});

	it('rejects any one-character change inside the checkpoint', async () => {
		const start = fullText.indexOf('"checkpoint":"') + '"checkpoint":"'.length;
		const end = fullText.lastIndexOf('"');
		const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ ';
		await fc.assert(fc.asyncProperty(fc.integer({ min: start, max: end - 1 }), fc.constantFrom(...alphabet), async (at, ch) => {
			fc.pre(fullText[at] !== ch);
			expect(['malformed', 'bad-signature', 'device-mismatch']).toContain(await rejection(fullText.slice(0, at) + ch + fullText.slice(at + 1)));
		}), { numRuns: 300 });
	});

	it('rejects dropping or duplicating events with size-mismatch', async () => {
		await fc.assert(fc.asyncProperty(fc.integer({ min: 0, max: full.events.length - 1 }), fc.boolean(), fc.integer({ min: 0, max: full.events.length }), async (i, drop, at) => {
			const events = [...full.events];
			if (drop) events.splice(i, 1);
			else events.splice(at, 0, events[i]!);
			expect(await rejection({ ...full, events })).toBe('size-mismatch');
		}), RUNS);
	});

	it('rejects any reordering of the events with root-mismatch', async () => {
		const order = fc.shuffledSubarray([...full.events.keys()], { minLength: full.events.length, maxLength: full.events.length });
		await fc.assert(fc.asyncProperty(order, async (perm) => {
			fc.pre(perm.some((p, i) => p !== i));
			expect(await rejection({ ...full, events: perm.map((p) => full.events[p]!) })).toBe('root-mismatch');
		}), RUNS);
	});

	it('rejects replacing an event member value with another JSON value', async () => {
		const members = ['guid', 'entityGuid', 'type', 'data', 'timestamp', 'userId', 'version', 'context', 'extra'];
		await fc.assert(fc.asyncProperty(fc.integer({ min: 0, max: full.events.length - 1 }), fc.constantFrom(...members), fc.jsonValue(), async (i, key, value) => {
			const event = full.events[i]! as Record<string, unknown>;
			fc.pre(JSON.stringify(event[key]) !== JSON.stringify(value));
			const events = full.events.map((e, j) => (j === i ? ({ ...e, [key]: value } as CasetrailEvent) : e));
			expect(['invalid-event', 'duplicate-event', 'root-mismatch']).toContain(await rejection(viaJson({ ...full, events })));
		}), RUNS);
	});

	it('rejects any other from with malformed or size-mismatch', async () => {
		await fc.assert(fc.asyncProperty(fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(null)), async (from) => {
			fc.pre(from !== since.log.from);
			expect(['malformed', 'size-mismatch']).toContain(await rejection({ ...since, log: { ...since.log, from } }));
		}), RUNS);
	});

	it('rejects any change to the prefix', async () => {
		const hash = fc.uint8Array({ minLength: 32, maxLength: 32 }).map(bytesToBase64url);
		const prefix = fc.oneof(fc.array(hash, { maxLength: 6 }), fc.array(fc.string(), { minLength: 1, maxLength: 3 }));
		await fc.assert(fc.asyncProperty(prefix, async (p) => {
			fc.pre(JSON.stringify(p) !== JSON.stringify(since.log.prefix));
			expect(['malformed', 'size-mismatch', 'root-mismatch']).toContain(await rejection({ ...since, log: { ...since.log, prefix: p } }));
		}), RUNS);
	});

	// Issue 13: JSON.parse keeps the last of two members, another verifier may keep the first.
	it('rejects any object of the bundle naming one of its members twice with malformed', async () => {
		// Every object of the text with its first member's name (the sample's strings hold no '{"').
		const objects = [...fullText.matchAll(/\{"([^"\\]+)":/g)].map((m) => ({ at: m.index, name: m[1]! }));
		expect(objects.length).toBeGreaterThan(30);
		await fc.assert(fc.asyncProperty(fc.constantFrom(...objects), fc.jsonValue(), fc.boolean(), async ({ at, name }, value, escaped) => {
			// The added member comes first, so the honest value is the one JSON.parse keeps.
			const spelled = escaped ? `\\u${name.charCodeAt(0).toString(16).padStart(4, '0')}${JSON.stringify(name).slice(2, -1)}` : JSON.stringify(name).slice(1, -1);
			const text = `${fullText.slice(0, at + 1)}"${spelled}":${JSON.stringify(value)},${fullText.slice(at + 1)}`;
			expect(await rejection(text)).toBe('malformed');
		}), RUNS);
	});

	it('rejects a signed checkpoint whose issuedAt names no real instant with malformed', async () => {
		const { payload } = parseCheckpoint(full.checkpoint);
		const pad = (n: number, width = 2) => String(n).padStart(width, '0');
		const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
		const impossible = fc.oneof(
			// A day past the end of its month: 30 February, 31 April, 29 February of a common year.
			fc.record({ y: fc.integer({ min: 1970, max: 2200 }), m: fc.integer({ min: 1, max: 12 }) })
				.filter(({ y, m }) => daysIn(y, m) < 31)
				.chain(({ y, m }) => fc.integer({ min: daysIn(y, m) + 1, max: 31 }).map((d) => `${y}-${pad(m)}-${pad(d)}T08:00:00Z`)),
			fc.integer({ min: 1970, max: 2200 }).map((y) => `${y}-11-02T24:00:00Z`),
			fc.integer({ min: 0, max: 999 }).map((ms) => `2026-12-31T23:59:60.${pad(ms, 3)}Z`),
			fc.integer({ min: 60, max: 99 }).map((mm) => `2026-11-02T08:${mm}:00Z`),
			fc.integer({ min: 13, max: 99 }).map((m) => `2026-${pad(m)}-02T08:00:00Z`)
		);
		const signer = await deviceKeys();
		await fc.assert(fc.asyncProperty(impossible, async (issuedAt) => {
			const checkpoint = await signPayloadText(JSON.stringify({ ...payload, issuedAt }), signer);
			expect(await rejection({ ...full, checkpoint })).toBe('malformed');
		}), { numRuns: 100 });
		// The same checkpoint with a real instant passes, so only issuedAt decides.
		await verifyBundle({ ...full, checkpoint: await signPayloadText(JSON.stringify({ ...payload, issuedAt: '2026-02-28T23:59:59.999Z' }), signer) });
	});

	it('rejects the checkpoint of one bundle on the events of another', async () => {
		// A checkpoint of an earlier, smaller tree of the same device.
		expect(await rejection({ ...since, checkpoint: earlier.checkpoint })).toBe('size-mismatch');
		expect(await rejection({ ...full, checkpoint: earlier.checkpoint })).toBe('size-mismatch');
		// Same device, same size, another log.
		expect(await rejection({ ...full, checkpoint: otherLog.checkpoint })).toBe('root-mismatch');
		// The since-bundle and the full export sign the same tree, so their checkpoints are interchangeable.
		await expect(verifyBundle({ ...since, checkpoint: full.checkpoint })).resolves.toMatchObject({ treeSize: 13, from: 7 });
	});
});

describe('verifyBundle on mutations of a version 2 consistency list', () => {
	it('rejects any change to a proven root, a size or a proof node', async () => {
		if (withProofs.version !== 2) throw new Error('the fixture must be version 2');
		const entries = withProofs.consistency;
		const hash = fc.uint8Array({ minLength: 32, maxLength: 32 }).map(bytesToBase64url);
		const change = fc.record({
			at: fc.nat(),
			node: fc.nat(),
			what: fc.constantFrom('root', 'size', 'node', 'drop-node', 'add-node'),
			size: fc.integer({ min: 1, max: 40 }),
			hash
		});
		await fc.assert(fc.asyncProperty(change, async ({ at, node, what, size, hash: h }) => {
			const i = at % entries.length;
			const entry = { ...entries[i]!, proof: [...entries[i]!.proof] };
			if (what === 'root') entry.rootHash = h;
			else if (what === 'size') entry.treeSize = size;
			else if (what === 'node') entry.proof[node % entry.proof.length] = h;
			else if (what === 'drop-node') entry.proof.splice(node % entry.proof.length, 1);
			else entry.proof.splice(node % (entry.proof.length + 1), 0, h);
			fc.pre(JSON.stringify(entry) !== JSON.stringify(entries[i]));
			const consistency = entries.map((e, j) => (j === i ? entry : e));
			expect(['malformed', 'size-mismatch', 'bad-consistency-proof']).toContain(await rejection({ ...withProofs, consistency }));
		}), RUNS);
	});
});
