/**
 * Fuzzing import with malformed and mutated bundles (issue 7): every mutation of a real bundle is
 * refused with a stable code, nothing throws past the Result, and the importing device stores
 * nothing (not even fork evidence: no mutation keeps a valid signature over a different log).
 * Then logs rewritten and re-signed with the device's own key: a rewrite of what was received is
 * refused whatever the bundle's start, before, at or after the end of what was received (issue 14:
 * a start after it used to pass, since its prefix nodes cannot be compared), and a true extension
 * is accepted.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../../src/lib/core/errors';
import type { CasetrailEvent } from '../../../src/lib/core/event';
import type { Harness } from './helpers';
import { BUNDLE_ERROR_CODES } from '../core/bundle/fixtures';
import { device, dropDevices, exportText, forgedBundle, logOf, ok, register, snapshot } from './exchange-helpers';

/** Everything import may refuse a bundle with: the spec's codes, then the device's own checks. */
const REFUSALS: readonly ErrorCode[] = [...BUNDLE_ERROR_CODES, 'fork-detected', 'event-conflict'];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Mutation = (bundle: { [key: string]: Json }) => void;

let a: Harness;
let b: Harness;
let full: string;
let since: string;

beforeAll(async () => {
	a = device();
	b = device();
	await register(a, 6);
	full = (await exportText(a)).text;
	await register(a, 3);
	since = (await exportText(a, { start: 'last-export' })).text;
	// B has the first bundle, so mutations of the second also meet the fork and conflict checks.
	await ok(b.api.importBundle(full));
});
afterAll(dropDevices);

const obj = (v: Json | undefined): { [key: string]: Json } => v as { [key: string]: Json };
const arr = (v: Json | undefined): Json[] => v as Json[];

/** Structural mutations, each of which changes what the bundle says. */
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
	fc.constantFrom<Mutation>(
		(x) => delete x['format'],
		(x) => (x['version'] = 2),
		(x) => (x['version'] = '1'),
		(x) => (x['log'] = null),
		(x) => (obj(x['log'])['from'] = -1),
		(x) => (obj(x['log'])['from'] = 1.5),
		(x) => (obj(x['log'])['prefix'] = 'not a list'),
		(x) => arr(obj(x['log'])['prefix']).pop(),
		(x) => arr(obj(x['log'])['prefix']).push('AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'),
		(x) => (obj(x['log'])['deviceId'] = 'someone-else'),
		(x) => (x['events'] = {}),
		(x) => arr(x['events']).pop(),
		(x) => arr(x['events']).shift(),
		(x) => arr(x['events']).push(arr(x['events'])[0] ?? null),
		(x) => arr(x['events']).reverse(),
		(x) => (x['checkpoint'] = 42),
		(x) => (x['checkpoint'] = String(x['checkpoint']).split('.').reverse().join('.')),
		(x) => (x['checkpoint'] = JSON.parse(full).checkpoint as string),
		(x) => (x['log'] = JSON.parse(full).log as Json)
	),
	// Change one member of one event.
	fc.record({
		at: fc.nat(),
		member: fc.constantFrom('guid', 'entityGuid', 'type', 'data', 'timestamp', 'userId', 'version', 'metadata', 'extra'),
		value: fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 })))
	}).map(({ at, member, value }): Mutation => (x) => {
		const events = arr(x['events']);
		const event = obj(events[at % events.length] ?? {});
		const before = JSON.stringify(event[member]);
		event[member] = value as Json;
		if (JSON.stringify(event[member]) === before) event[member] = `${before}!`;
	}),
	// Remove one member of one event.
	fc.record({ at: fc.nat(), member: fc.constantFrom('guid', 'entityGuid', 'type', 'data', 'timestamp', 'userId') }).map(
		({ at, member }): Mutation =>
			(x) => {
				const events = arr(x['events']);
				delete obj(events[at % events.length] ?? {})[member];
			}
	),
	// Flip one character of one prefix hash or of the signature.
	fc.record({ at: fc.nat(), part: fc.constantFrom('prefix', 'signature') }).map(
		({ at, part }): Mutation =>
			(x) => {
				const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
				if (part === 'prefix') {
					const prefix = arr(obj(x['log'])['prefix']);
					if (prefix.length === 0) prefix.push('not-base64url!');
					else prefix[at % prefix.length] = flip(String(prefix[at % prefix.length]), at % 43);
				} else {
					const [h, p, sig] = String(x['checkpoint']).split('.') as [string, string, string];
					x['checkpoint'] = `${h}.${p}.${flip(sig, at % (sig.length - 1))}`;
				}
			}
	)
);

async function expectRefusedAndNothingStored(text: string): Promise<void> {
	const before = await snapshot(b.ctx.db);
	const result = await b.api.importBundle(text);
	expect(result.ok, 'a mutated bundle was imported').toBe(false);
	if (result.ok) return;
	expect(REFUSALS).toContain(result.error.code);
	expect(result.error.message.length).toBeGreaterThan(0);
	expect(await snapshot(b.ctx.db)).toEqual(before);
	const summary = await ok(b.api.inspectBundle(text));
	expect(summary.valid).toBe(false);
}

describe('importBundle on mutated bundles', () => {
	it('refuses every structural mutation with a code and stores nothing', async () => {
		await fc.assert(
			fc.asyncProperty(fc.boolean(), fc.array(mutation, { minLength: 1, maxLength: 3 }), async (useSince, mutations) => {
				const bundle = JSON.parse(useSince ? since : full) as { [key: string]: Json };
				for (const mutate of mutations) {
					try {
						mutate(bundle);
					} catch {
						// A mutation that no longer fits an earlier one's damage leaves it as it is.
					}
				}
				const text = JSON.stringify(bundle);
				fc.pre(text !== (useSince ? since : full));
				await expectRefusedAndNothingStored(text);
			}),
			{ numRuns: 150 }
		);
	});

	it('refuses every truncation and every one-character replacement of the text', async () => {
		await fc.assert(
			fc.asyncProperty(fc.boolean(), fc.nat(), fc.oneof(fc.constant(null), fc.string({ minLength: 1, maxLength: 1 })), async (useSince, at, char) => {
				const text = useSince ? since : full;
				const i = at % text.length;
				const mutated = char === null ? text.slice(0, i) : text.slice(0, i) + char + text.slice(i + 1);
				fc.pre(mutated !== text);
				await expectRefusedAndNothingStored(mutated);
			}),
			{ numRuns: 150 }
		);
	});

	it('refuses what is not a bundle at all', async () => {
		for (const text of ['', 'null', '[]', '"bundle"', '{}', '{"format":"casetrail.bundle","version":1}', '{'.repeat(100_000)]) {
			await expectRefusedAndNothingStored(text);
		}
	});
});

describe('importBundle on rewritten logs signed by the same device', () => {
	type Edit = (log: CasetrailEvent[]) => void;
	const edit: fc.Arbitrary<Edit> = fc.oneof(
		fc.nat().map((i): Edit => (log) => {
			const at = i % log.length;
			log[at] = { ...(log[at] as CasetrailEvent), data: { givenName: `Rewritten${i}`, familyName: 'Fuzz' } };
		}),
		fc.nat().map((i): Edit => (log) => void log.splice(i % log.length, 1)),
		fc.tuple(fc.nat(), fc.nat()).map(([i, j]): Edit => (log) => {
			const [x, y] = [i % log.length, j % log.length];
			[log[x], log[y]] = [log[y] as CasetrailEvent, log[x] as CasetrailEvent];
		}),
		fc.nat().map((i): Edit => (log) => {
			const template = log[0] as CasetrailEvent;
			log.splice(i % (log.length + 1), 0, { ...template, guid: `inserted-${i}`, entityGuid: `inserted-entity-${i}` });
		})
	);

	it('refuses a rewrite of the received history whatever the bundle starts at, and accepts an extension of it', async () => {
		const real = await logOf(a.ctx.db);
		const received = 6;
		// The sizes device A signed checkpoints for (its two exports): what an honest export proves.
		const signedSizes = [6, 9];
		// `withProofs`: the bundle proves consistency from the sizes A signed, as A's export does;
		// otherwise it is a version 2 bundle without proofs, or a version 1 bundle (which has none).
		const proofs = fc.constantFrom<'with-proofs' | 'v2-without' | 'v1'>('with-proofs', 'v2-without', 'v1');
		await fc.assert(
			fc.asyncProperty(fc.array(edit, { minLength: 0, maxLength: 3 }), fc.nat(), proofs, async (edits, start, kind) => {
				const log = real.slice();
				for (const e of edits) if (log.length > 0) e(log);
				// Every start from 0 to the end of the made-up log, whatever was received.
				const from = start % (log.length + 1);
				const known = Math.min(log.length, received);
				const rewrites = log.slice(0, known).some((e, i) => JSON.stringify(e) !== JSON.stringify(real[i]));
				const c = device();
				await ok(c.api.importBundle(full));
				const before = await snapshot(c.ctx.db, ['forks']);
				const options = kind === 'with-proofs' ? { signedSizes } : kind === 'v1' ? { version: 1 as const } : {};
				const result = await c.api.importBundle(await forgedBundle(a, log, from, options));
				if (!rewrites) {
					if (kind === 'with-proofs') expect(result.ok, 'an extension of the received history was refused').toBe(true);
					// Without proofs an extension that starts past what was received cannot be told from a rewrite.
					else if (!result.ok) expect(result.error.code).toBe('missing-consistency-proof');
					return;
				}
				expect(result.ok, `a rewrite starting at ${from} was imported`).toBe(false);
				if (result.ok) return;
				if (kind === 'with-proofs') expect(result.error.code).toBe('fork-detected');
				else expect(['fork-detected', 'missing-consistency-proof']).toContain(result.error.code);
				expect(await snapshot(c.ctx.db, ['forks'])).toEqual(before);
				expect(await c.ctx.db.forks.count()).toBe(result.error.code === 'fork-detected' ? 1 : 0);
			}),
			{ numRuns: 90 }
		);
	});

	it('refuses a rewrite of events 4 and 5 in a bundle that starts after what was received, with both checkpoints as evidence', async () => {
		const real = await logOf(a.ctx.db);
		const log = real.map((e, i) => (i === 4 || i === 5 ? { ...e, data: { givenName: `Rewritten${i}`, familyName: 'Gap' } } : e));
		const c = device();
		await ok(c.api.importBundle(full));
		const forged = await forgedBundle(a, log, 8, { signedSizes: [6, 8] });
		const summary = await ok(c.api.inspectBundle(forged));
		expect(summary.valid && summary.conflict?.span).toEqual({ begin: 0, end: 6 });
		const result = await c.api.importBundle(forged);
		expect(result.ok ? 'imported' : result.error.code).toBe('fork-detected');
		const [evidence] = await c.ctx.db.forks.toArray();
		expect(evidence?.seen.treeSize).toBe(6);
		expect(evidence?.offered.treeSize).toBe(9);
		expect(evidence?.proof?.treeSize).toBe(6);
		expect(evidence?.proof?.rootHash).not.toBe(evidence?.seen.rootHash);
	});
});
