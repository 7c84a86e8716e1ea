/**
 * The receiver's bundle limits (docs/decisions/0005-bundle-limits.md, issue 13): a bundle that passes
 * every check of the format but goes past a limit is refused whole with `limit-exceeded`, before
 * anything replays its events; one at a limit is accepted.
 */
import { describe, expect, it } from 'vitest';
import { buildBundle } from '../../../../src/lib/core/bundle/build';
import { BUNDLE_LIMITS, checkBundleLimits, verifyReceivedBundleResult } from '../../../../src/lib/core/bundle/limits';
import { verifyBundleResult } from '../../../../src/lib/core/bundle/verify';
import { canonicalJson } from '../../../../src/lib/core/canonical';
import type { CasetrailEvent } from '../../../../src/lib/core/event';
import { deviceKeys, sampleLog } from './fixtures';

const at = (i: number): string => new Date(Date.UTC(2026, 10, 2, 8) + i * 1000).toISOString();

/** A group and `members` add-member events for it, each naming another member. */
function household(members: number, guid = 'g-1'): CasetrailEvent[] {
	return [
		{ guid: `${guid}-create`, entityGuid: guid, type: 'create-group', data: { name: 'Household' }, timestamp: at(0), userId: 'u-1' },
		...Array.from({ length: members }, (_, i): CasetrailEvent => ({ guid: `${guid}-add-${i}`, entityGuid: guid, type: 'add-member', data: { memberGuid: `p-${i}`, role: 'child' }, timestamp: at(i + 1), userId: 'u-1' }))
	];
}

async function bundleOf(events: CasetrailEvent[]): Promise<string> {
	return JSON.stringify(await buildBundle({ events, from: 0, prefix: [], signer: await deviceKeys(), issuedAt: '2026-11-02T09:00:00.000Z' }));
}

const utf8Length = (event: CasetrailEvent): number => new TextEncoder().encode(canonicalJson(event)).length;

describe('verifyReceivedBundle', () => {
	it('states the limits a person reads in the documentation', () => {
		expect(BUNDLE_LIMITS).toEqual({ events: 250_000, eventBytes: 65_536, groupMembers: 1_000 });
	});

	describe('when the add-member events of a bundle give one group more than 1,000 members', () => {
		it('refuses the bundle with limit-exceeded, naming the group, though the format accepts it', async () => {
			const text = await bundleOf(household(1001));
			expect((await verifyBundleResult(text)).ok).toBe(true);
			const result = await verifyReceivedBundleResult(text);
			expect(result).toEqual({ ok: false, error: { code: 'limit-exceeded', message: expect.stringContaining('"g-1"') } });
		});

		it('accepts 1,000 members, and a member added twice counts once', async () => {
			const events = household(1000);
			events.push({ ...(events[1] as CasetrailEvent), guid: 'again', timestamp: at(2000) });
			expect((await verifyReceivedBundleResult(await bundleOf(events))).ok).toBe(true);
		});
	});

	describe('when an event is longer than 65,536 bytes of canonical JSON', () => {
		it('refuses the bundle with limit-exceeded, naming its log position; one at the limit passes', async () => {
			const base: CasetrailEvent = { guid: 'big', entityGuid: 'p-1', type: 'create-individual', data: { note: '' }, timestamp: at(0), userId: 'u-1' };
			// Multi-byte characters: the limit counts UTF-8 bytes, not characters.
			const room = BUNDLE_LIMITS.eventBytes - utf8Length(base);
			const atLimit = { ...base, data: { note: 'é'.repeat(Math.floor(room / 2)) + 'a'.repeat(room % 2) } };
			expect(utf8Length(atLimit)).toBe(BUNDLE_LIMITS.eventBytes);
			expect((await verifyReceivedBundleResult(await bundleOf([...sampleLog(2), atLimit]))).ok).toBe(true);
			const over = { ...atLimit, data: { note: `${atLimit.data.note}x` } };
			const result = await verifyReceivedBundleResult(await bundleOf([...sampleLog(2), over]));
			expect(result).toEqual({ ok: false, error: { code: 'limit-exceeded', message: expect.stringContaining('log position 2 is 65,537 bytes') } });
		});
	});

	describe('when a bundle holds more events than the limit', () => {
		it('refuses it with limit-exceeded before looking at its events', async () => {
			const text = await bundleOf(sampleLog(6));
			const result = await verifyReceivedBundleResult(text, { ...BUNDLE_LIMITS, events: 5 });
			expect(result).toEqual({ ok: false, error: { code: 'limit-exceeded', message: expect.stringContaining('6 events; this device accepts at most 5') } });
			expect((await verifyReceivedBundleResult(text, { ...BUNDLE_LIMITS, events: 6 })).ok).toBe(true);
		});

		it('checks the number of events first, then their size, then the groups', () => {
			const events = household(3);
			const bundle = { events, eventBytes: events.map(() => 10), from: 0 };
			expect(() => checkBundleLimits(bundle, { events: 3, eventBytes: 5, groupMembers: 2 })).toThrow(/holds 4 events/);
			expect(() => checkBundleLimits(bundle, { events: 4, eventBytes: 5, groupMembers: 2 })).toThrow(/10 bytes/);
			expect(() => checkBundleLimits(bundle, { events: 4, eventBytes: 10, groupMembers: 2 })).toThrow(/more than 2 members/);
			expect(() => checkBundleLimits(bundle, { events: 4, eventBytes: 10, groupMembers: 3 })).not.toThrow();
		});
	});

	it('keeps the code of the format check that fails first', async () => {
		const bundle = JSON.parse(await bundleOf(household(1001))) as { checkpoint: string };
		const result = await verifyReceivedBundleResult({ ...bundle, checkpoint: `${bundle.checkpoint.slice(0, -4)}AAAA` });
		expect(result.ok ? 'ok' : result.error.code).toBe('bad-signature');
	});
});
