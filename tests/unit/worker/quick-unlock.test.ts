/**
 * Issue 15 (4): a PIN is only a quick unlock. Every key slot on disk is a passphrase slot; a case
 * worker's PIN, set after a passphrase sign-in, lives only in the tab worker's memory and unlocks
 * that tab after the idle lock for a bounded time; administrators and supervisors cannot have one;
 * wrong PINs are counted before the derivation, in memory, where no clear field can reset them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createGuidGenerator } from '../../../src/lib/core/event';
import { openPrivateKey, unwrapDataKey } from '../../../src/lib/crypto/keys';
import { PIN_DELAYS_SECONDS } from '../../../src/lib/crypto/pin';
import type { CasetrailDb } from '../../../src/lib/store/db';
import { openVaultDb, vaultOf } from '../../../src/lib/store/vault';
import { createWorkerApi, type WorkerApi } from '../../../src/lib/worker/api';
import { IDLE_LOCK_MS, idleLock } from '../../../src/lib/worker/idle';
import { QUICK_UNLOCK_FAILURES, QUICK_UNLOCK_MS, QuickUnlock } from '../../../src/lib/worker/quick-unlock';
import { dropDb, IDBKeyRange, indexedDB } from '../store/helpers';
import { freshVaultDb, rawDump } from '../store/vault-helpers';
import { failure, ok } from './helpers';

const ADMIN = { name: 'Alice Admin', passphrase: 'correct horse battery staple' };
const CARL = 'carl passphrase';
const PIN = '482915';
const MINUTE = 60_000;

const opened: CasetrailDb[] = [];
afterEach(async () => {
	const [first, ...rest] = opened.splice(0);
	for (const db of rest) db.close();
	if (first) await dropDb(first);
});

interface Tab {
	api: WorkerApi;
	db: CasetrailDb;
	lockIfIdle(): void;
}

/** A tab's worker wired as db.worker.ts wires it (idle lock, quick unlock) on `clock`. */
function tab(db: CasetrailDb, clock: { now: number }): Tab {
	opened.push(db);
	const vault = vaultOf(db)!;
	const idle = idleLock(vault, () => clock.now);
	const api = createWorkerApi({
		db,
		now: () => new Date(clock.now),
		newGuid: createGuidGenerator({ now: () => clock.now }),
		appVersion: 'test',
		user: () => idle.user(),
		personActed: () => idle.personActed(),
		quickUnlock: new QuickUnlock(),
		deviceId: async () => undefined,
		announce: () => undefined
	});
	return { api, db, lockIfIdle: () => idle.check() };
}

/** A device with an administrator and case worker Carl, Carl signed in with his passphrase and his PIN set. */
async function carlWithPin(clock: { now: number }): Promise<{ t: Tab; carlId: string; adminId: string }> {
	const t = tab(freshVaultDb().db, clock);
	const admin = (await ok(t.api.setUp(ADMIN))).user;
	const carl = await ok(t.api.addUser({ name: 'Carl', role: 'case-worker', secretKind: 'passphrase', secret: CARL }));
	await ok(t.api.signOut());
	await ok(t.api.signIn(carl.id, CARL));
	await ok(t.api.setQuickUnlockPin(PIN));
	return { t, carlId: carl.id, adminId: admin.id };
}

/** Lets the idle lock fire. */
function idleFor(t: Tab, clock: { now: number }, ms: number = IDLE_LOCK_MS): void {
	clock.now += ms;
	t.lockIfIdle();
}

describe('the PIN quick unlock', () => {
	it('unlocks the tab after the idle lock, and the sign-in screen offers it as a PIN', async () => {
		const clock = { now: Date.UTC(2026, 5, 1, 8, 0, 0) };
		const { t, carlId } = await carlWithPin(clock);
		idleFor(t, clock);
		const session = await ok(t.api.session());
		expect(session.user).toBeUndefined();
		expect(session.profiles.find((p) => p.id === carlId)?.secretKind).toBe('pin');
		expect((await ok(t.api.signIn(carlId, PIN))).id).toBe(carlId);
		expect((await ok(t.api.listEntities({}))).entities).toEqual([]);
	});

	it('cannot by itself unwrap the data key from disk: no stored slot opens with the PIN, and no stored byte holds it', async () => {
		const clock = { now: Date.UTC(2026, 5, 1, 8, 0, 0) };
		const { t } = await carlWithPin(clock);
		const rows = await t.db.users.toArray();
		expect(rows.map((r) => r.secretKind)).toEqual(['passphrase', 'passphrase']);
		for (const row of rows) await expect(row.pair ? openPrivateKey(row.pair, PIN, row.id) : unwrapDataKey(row.key as NonNullable<typeof row.key>, PIN, row.id)).rejects.toMatchObject({ code: 'wrong-passphrase' });
		for (const [store, strings] of await rawDump(t.db.name)) expect(strings.join('\n'), store).not.toContain(PIN);
	});

	it('works only within the bounded time after the passphrase sign-in', async () => {
		const clock = { now: Date.UTC(2026, 5, 1, 8, 0, 0) };
		const { t, carlId } = await carlWithPin(clock);
		idleFor(t, clock, QUICK_UNLOCK_MS);
		// The sign-in screen now asks for the passphrase, and the PIN is no passphrase.
		expect((await ok(t.api.session())).profiles.find((p) => p.id === carlId)?.secretKind).toBe('passphrase');
		expect((await failure(t.api.signIn(carlId, PIN))).code).toBe('wrong-passphrase');
		expect((await ok(t.api.signIn(carlId, CARL))).id).toBe(carlId);
	});

	it('is gone after signing out, and another tab (or a reload) of the same device never had it', async () => {
		const clock = { now: Date.UTC(2026, 5, 1, 8, 0, 0) };
		const { t, carlId } = await carlWithPin(clock);
		const other = tab(openVaultDb(t.db.name, { indexedDB, IDBKeyRange }).db, clock);
		expect((await failure(other.api.signIn(carlId, PIN))).code).toBe('wrong-passphrase');
		await ok(t.api.signOut());
		expect((await failure(t.api.signIn(carlId, PIN))).code).toBe('wrong-passphrase');
	});

	it('cannot be set by administrators and supervisors, who unlock with their passphrase', async () => {
		const clock = { now: Date.UTC(2026, 5, 1, 8, 0, 0) };
		const t = tab(freshVaultDb().db, clock);
		await ok(t.api.setUp(ADMIN));
		expect((await failure(t.api.setQuickUnlockPin(PIN))).code).toBe('forbidden');
		const sup = await ok(t.api.addUser({ name: 'Sue', role: 'supervisor', secretKind: 'passphrase', secret: 'sue passphrase' }));
		await ok(t.api.signOut());
		await ok(t.api.signIn(sup.id, 'sue passphrase'));
		expect((await failure(t.api.setQuickUnlockPin(PIN))).code).toBe('forbidden');
	});

	it('counts every try before the derivation: ten wrong PINs sent at once are not all tried, and the right one then waits', async () => {
		const clock = { now: Date.UTC(2026, 5, 1, 8, 0, 0) };
		const { t, carlId } = await carlWithPin(clock);
		idleFor(t, clock);
		// The tries that cost no wait (crypto/pin.ts); every one after them is refused before deriving.
		const free = PIN_DELAYS_SECONDS.findIndex((seconds) => seconds > 0) + 1;
		const codes = (await Promise.all(Array.from({ length: 10 }, () => failure(t.api.signIn(carlId, '000000'))))).map((f) => f.code);
		expect(codes.filter((c) => c === 'wrong-passphrase')).toHaveLength(free);
		expect(codes.filter((c) => c === 'rate-limited')).toHaveLength(10 - free);
		expect((await failure(t.api.signIn(carlId, PIN))).code).toBe('rate-limited');
		expect((await ok(t.api.session())).profiles.find((p) => p.id === carlId)?.waitSeconds).toBeGreaterThan(0);
	});

	it(`ends after ${QUICK_UNLOCK_FAILURES} wrong PINs: then only the passphrase opens`, async () => {
		const clock = { now: Date.UTC(2026, 5, 1, 8, 0, 0) };
		const { t, carlId } = await carlWithPin(clock);
		idleFor(t, clock);
		for (let i = 0; i < QUICK_UNLOCK_FAILURES; i++) {
			clock.now += 60 * MINUTE;
			expect((await failure(t.api.signIn(carlId, '000000'))).code).toBe('wrong-passphrase');
		}
		clock.now += 60 * MINUTE;
		expect((await ok(t.api.session())).profiles.find((p) => p.id === carlId)?.secretKind).toBe('passphrase');
		expect((await failure(t.api.signIn(carlId, PIN))).code).toBe('wrong-passphrase');
		expect((await ok(t.api.signIn(carlId, CARL))).id).toBe(carlId);
	});

	it('does not open, and ends the quick unlock, for a case worker promoted while the tab was locked: a wider role needs the passphrase', async () => {
		const clock = { now: Date.UTC(2026, 5, 1, 8, 0, 0) };
		const { t, carlId } = await carlWithPin(clock);
		const admin = tab(openVaultDb(t.db.name, { indexedDB, IDBKeyRange }).db, clock);
		idleFor(t, clock);
		await ok(admin.api.signIn((await ok(admin.api.session())).profiles.find((p) => p.role === 'administrator')!.id, ADMIN.passphrase));
		await ok(admin.api.updateUser(carlId, { role: 'supervisor' }));
		expect((await failure(t.api.signIn(carlId, PIN))).code).toBe('passphrase-required');
		expect((await ok(t.api.session())).user).toBeUndefined();
		// The quick unlock is gone: the PIN again is read as a (wrong) passphrase.
		expect((await failure(t.api.signIn(carlId, PIN))).code).toBe('wrong-passphrase');
		expect((await ok(t.api.signIn(carlId, CARL))).role).toBe('supervisor');
	});

	it('does not open for a user removed while the tab was locked', async () => {
		const clock = { now: Date.UTC(2026, 5, 1, 8, 0, 0) };
		const { t, carlId } = await carlWithPin(clock);
		const admin = tab(openVaultDb(t.db.name, { indexedDB, IDBKeyRange }).db, clock);
		idleFor(t, clock);
		await ok(admin.api.signIn((await ok(admin.api.session())).profiles.find((p) => p.role === 'administrator')!.id, ADMIN.passphrase));
		await ok(admin.api.removeUser(carlId));
		expect((await failure(t.api.signIn(carlId, PIN))).code).toBe('profile-revoked');
		expect((await ok(t.api.session())).user).toBeUndefined();
	});
});
