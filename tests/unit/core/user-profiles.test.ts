import { describe, expect, it } from 'vitest';
import type { CasetrailEvent } from '../../../src/lib/core/event';
import { isCasetrailError } from '../../../src/lib/core/errors';
import { DESCRIBE_USER, USERS_ENTITY, checkDescriptions, describeUserEvent, describedUsers, readDescription } from '../../../src/lib/core/user-profiles';

const env = (at: string, guid: string, deviceId: string) => ({ now: () => new Date(at), newGuid: () => guid, userId: 'admin-1', metadata: { deviceId, appVersion: 'test' } });

describe('describe-user', () => {
	it('carries the id, name and role only, on the users entity, with the describing device', () => {
		const event = describeUserEvent({ id: 'u-1', name: 'Alice Admin', role: 'administrator' }, env('2026-06-01T09:00:00.000Z', 'e-1', 'device-a'));
		expect(event).toMatchObject({ type: DESCRIBE_USER, entityGuid: USERS_ENTITY, data: { userId: 'u-1', name: 'Alice Admin', role: 'administrator' }, userId: 'admin-1', version: 1 });
		expect(Object.keys(event.data).sort()).toEqual(['name', 'role', 'userId']);
		expect(event.metadata?.deviceId).toBe('device-a');
		// What the event says; which device's claim it is comes from the bundle's signer, not from the event.
		expect(readDescription(event)).toEqual({ id: 'u-1', name: 'Alice Admin', role: 'administrator', eventGuid: 'e-1', describedAt: '2026-06-01T09:00:00.000Z' });
	});

	it('when two devices describe the same user differently, the last in event order wins, whatever order they are read in', () => {
		const early = describeUserEvent({ id: 'u-1', name: 'Alice', role: 'case-worker' }, env('2026-06-01T09:00:00.000Z', 'e-1', 'device-a'));
		const late = describeUserEvent({ id: 'u-1', name: 'Alice Admin', role: 'administrator' }, env('2026-06-02T09:00:00.000Z', 'e-2', 'device-b'));
		// Same instant: the guid decides.
		const tie = describeUserEvent({ id: 'u-1', name: 'Alice Tie', role: 'supervisor' }, env('2026-06-02T09:00:00.000Z', 'e-3', 'device-c'));
		const now = Date.parse('2026-07-01T00:00:00.000Z');
		const own = (event: CasetrailEvent) => ({ event, signer: event.metadata?.deviceId });
		expect(describedUsers([late, early].map(own), now).get('u-1')).toMatchObject({ name: 'Alice Admin', deviceId: 'device-b', firstHand: true });
		expect(describedUsers([tie, early, late].map(own), now).get('u-1')).toMatchObject({ name: 'Alice Tie', deviceId: 'device-c', firstHand: true });
	});

	it('attributes a description to its signer, prefers first-hand over relayed, then not future-dated over future-dated', () => {
		const now = Date.parse('2026-07-01T00:00:00.000Z');
		const genuine = describeUserEvent({ id: 'u-1', name: 'Alice Admin', role: 'administrator' }, env('2026-06-01T09:00:00.000Z', 'e-1', 'device-b'));
		// Device X writes one in device B's name, dated far in the future, and relays it.
		const forged = describeUserEvent({ id: 'u-1', name: 'Mallory', role: 'administrator' }, env('2099-01-01T00:00:00.000Z', 'e-2', 'device-b'));
		const recent = describeUserEvent({ id: 'u-1', name: 'Mallory', role: 'administrator' }, env('2026-06-02T09:00:00.000Z', 'e-3', 'device-b'));
		// B's own bundle brought the genuine one: it counts over anything relayed, future-dated or not.
		expect(describedUsers([{ event: genuine, signer: 'device-b' }, { event: forged, signer: 'device-x' }], now).get('u-1')).toEqual({
			id: 'u-1', name: 'Alice Admin', role: 'administrator', deviceId: 'device-b', firstHand: true, eventGuid: 'e-1', describedAt: '2026-06-01T09:00:00.000Z'
		});
		expect(describedUsers([{ event: genuine, signer: 'device-b' }, { event: recent, signer: 'device-x' }], now).get('u-1')?.name).toBe('Alice Admin');
		// Both relayed by X: the future-dated one does not win, and the device shown is X, the signer.
		expect(describedUsers([{ event: genuine, signer: 'device-x' }, { event: forged, signer: 'device-x' }], now).get('u-1')).toMatchObject({ name: 'Alice Admin', deviceId: 'device-x', firstHand: false });
		// A future-dated one counts only when nothing else describes the user; an unknown signer is shown as none.
		expect(describedUsers([{ event: forged, signer: undefined }], now).get('u-1')).toMatchObject({ name: 'Mallory', firstHand: false });
		expect(describedUsers([{ event: forged, signer: undefined }], now).get('u-1')).not.toHaveProperty('deviceId');
		// Asked for the latest regardless of who relayed it (a device checking whether to re-assert).
		expect(describedUsers([{ event: genuine, signer: 'device-b' }, { event: recent, signer: 'device-x' }, { event: forged, signer: 'device-x' }], now, { firstHandFirst: false }).get('u-1')).toMatchObject({ name: 'Mallory', eventGuid: 'e-3' });
	});

	it('refuses bad data with profile-invalid and leaves it out of what the log says', () => {
		const good = describeUserEvent({ id: 'u-1', name: 'Alice', role: 'administrator' }, env('2026-06-01T09:00:00.000Z', 'e-1', 'device-a'));
		const bad: CasetrailEvent = { ...good, guid: 'e-2', timestamp: '2026-06-03T09:00:00.000Z', data: { userId: 'u-1', name: 'x'.repeat(101), role: 'administrator' } };
		expect(() => readDescription(bad)).toThrowError(expect.objectContaining({ code: 'profile-invalid' }) as Error);
		expect(describedUsers([good, bad].map((event) => ({ event, signer: 'device-a' })), Date.parse('2026-07-01T00:00:00.000Z')).get('u-1')?.name).toBe('Alice');
		try {
			checkDescriptions([good, bad], 7);
			throw new Error('accepted');
		} catch (e) {
			expect(isCasetrailError(e) && e.code).toBe('profile-invalid');
			expect((e as Error).message).toContain('log position 8');
		}
		expect(() => describeUserEvent({ id: 'u-1', name: ' ', role: 'administrator' }, env('2026-06-01T09:00:00.000Z', 'e-1', 'd'))).toThrowError(/1 to 100 characters/);
	});
});
