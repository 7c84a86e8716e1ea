import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CasetrailEvent } from '../../../src/lib/core/event';
import { createIndividual, dropDb } from '../store/helpers';
import { device, dropDevices, exportText, failure, forgedBundle, logOf, ok, register, snapshot, user } from './exchange-helpers';
import { ADMIN_SETUP, setUpVaultWorker } from './helpers';

afterEach(async () => {
	vi.restoreAllMocks();
	vi.useRealTimers();
	await dropDevices();
});

/** Signature verifications (the checkpoint's ECDSA) made while `run` runs. */
async function verificationsDuring(run: () => Promise<unknown>): Promise<number> {
	const spy = vi.spyOn(crypto.subtle, 'verify');
	try {
		await run();
		return spy.mock.calls.length;
	} finally {
		spy.mockRestore();
	}
}

describe('a bundle verified before import', () => {
	it('is not verified again when the same bytes are imported next, and imports as a bundle verified then', async () => {
		const [a, b, c] = [device(), device(), device()];
		await register(a, 3);
		const { text } = await exportText(a);
		expect(await verificationsDuring(() => ok(b.api.inspectBundle(new Blob([text]))))).toBe(1);
		let imported: unknown;
		expect(await verificationsDuring(async () => (imported = await ok(b.api.importBundle(new Blob([text])))))).toBe(0);
		expect(imported).toEqual(await ok(c.api.importBundle(text)));
		expect(await logOf(b.ctx.db)).toEqual(await logOf(c.ctx.db));
		// Used once: importing the same bytes again verifies them again.
		expect(await verificationsDuring(() => ok(b.api.importBundle(text)))).toBe(1);
	});

	it('is verified again, and refused, when the bytes imported are not the bytes verified', async () => {
		const [a, b] = [device(), device()];
		await register(a, 2);
		const { text } = await exportText(a);
		await ok(b.api.inspectBundle(text));
		const bundle = JSON.parse(text) as { events: CasetrailEvent[] };
		(bundle.events[1] as CasetrailEvent).data = { givenName: 'Mallory' };
		const before = await snapshot(b.ctx.db, ['keys']);
		expect((await failure(b.api.importBundle(JSON.stringify(bundle)))).code).toBe('root-mismatch');
		expect(await snapshot(b.ctx.db, ['keys'])).toEqual(before);
	});

	it('is verified again when another user imports it, or after the time it is kept', async () => {
		vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
		const [a, b] = [device(), device()];
		await register(a, 2);
		const { text } = await exportText(a);
		await ok(b.api.inspectBundle(text));
		b.signIn(user('supervisor-2', 'supervisor'));
		expect(await verificationsDuring(() => ok(b.api.importBundle(text)))).toBe(1);
		await ok(b.api.inspectBundle(text));
		vi.advanceTimersByTime(10 * 60_000 + 1);
		expect(await verificationsDuring(() => ok(b.api.importBundle(text)))).toBe(1);
	});

	it('is verified again after the session ended: a sign-out forgets it', async () => {
		const a = device();
		await register(a, 2);
		const { text } = await exportText(a);
		const b = await setUpVaultWorker();
		try {
			await ok(b.api.inspectBundle(text));
			await ok(b.api.signOut());
			await ok(b.api.signIn(b.user.id, ADMIN_SETUP.passphrase));
			expect(await verificationsDuring(() => ok(b.api.importBundle(new Blob([text]))))).toBe(1);
		} finally {
			await dropDb(b.db);
		}
	});

	it('keeps nothing of a bundle that does not verify', async () => {
		const [a, b] = [device(), device()];
		await register(a, 2);
		const bundle = JSON.parse((await exportText(a)).text) as { events: CasetrailEvent[] };
		(bundle.events[0] as CasetrailEvent).data = { givenName: 'Mallory' };
		const text = JSON.stringify(bundle);
		expect((await ok(b.api.inspectBundle(text))).valid).toBe(false);
		expect((await failure(b.api.importBundle(text))).code).toBe('root-mismatch');
	});

	it('is verified again for a text that differs only where UTF-8 cannot tell (a lone surrogate where U+FFFD was)', async () => {
		const [a, b] = [device(), device()];
		const text = await forgedBundle(a, [createIndividual('p-1', 'Ama\uFFFDh', 1000)], 0);
		expect((await ok(b.api.inspectBundle(text))).valid).toBe(true);
		const broken = text.replace('\uFFFD', '\uD800');
		expect(new TextEncoder().encode(broken)).toEqual(new TextEncoder().encode(text));
		expect((await failure(b.api.importBundle(broken))).code).toBe('invalid-event');
	});
});
