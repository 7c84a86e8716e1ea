/**
 * Issue 15 (5): the idle lock counts only a person's actions. Two tabs' workers over one database,
 * wired as db.worker.ts wires them (idle.ts), on a clock the test moves: the tab left alone locks
 * after 15 minutes although the other tab appends every minute and the idle tab's page reloads its
 * status, list and metrics after each of those changes, as its pages do.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createGuidGenerator } from '../../../src/lib/core/event';
import { generateDataKey } from '../../../src/lib/crypto/keys';
import type { CasetrailDb } from '../../../src/lib/store/db';
import { openVaultDb } from '../../../src/lib/store/vault';
import { createWorkerApi, type WorkerApi } from '../../../src/lib/worker/api';
import { IDLE_LOCK_MS, idleLock, type IdleLock } from '../../../src/lib/worker/idle';
import { dropDb, IDBKeyRange, indexedDB } from '../store/helpers';
import { freshVaultDb } from '../store/vault-helpers';
import { failure, ok, user } from './helpers';

const MINUTE = 60_000;
const opened: CasetrailDb[] = [];
afterEach(async () => {
	const [first, ...rest] = opened.splice(0);
	for (const db of rest) db.close();
	if (first) await dropDb(first);
});

interface Tab {
	api: WorkerApi;
	idle: IdleLock;
}

/** Two tabs signed in as the same administrator, each with its own worker, vault and idle lock. */
function twoTabs(clock: { now: number }): [Tab, Tab] {
	const key = generateDataKey();
	const admin = user('admin', 'administrator');
	const first = freshVaultDb();
	const second = openVaultDb(first.db.name, { indexedDB, IDBKeyRange });
	opened.push(first.db, second.db);
	return [first, second].map(({ db, vault }) => {
		vault.unlock(admin, key, clock.now);
		const idle = idleLock(vault, () => clock.now);
		const api = createWorkerApi({
			db,
			now: () => new Date(clock.now),
			newGuid: createGuidGenerator({ now: () => clock.now }),
			appVersion: 'test',
			user: () => idle.user(),
			personActed: () => idle.personActed(),
			holdIdle: () => idle.hold(),
			deviceId: async () => undefined,
			announce: () => undefined
		});
		return { api, idle };
	}) as [Tab, Tab];
}

/** What the idle tab's pages do after any tab's change: reload the status, the list and the metrics. */
async function backgroundRefresh(tab: Tab): Promise<void> {
	await tab.api.status();
	await tab.api.listEntities({});
	await tab.api.metrics();
	await tab.api.session();
}

describe('the idle lock', () => {
	it('locks a tab left alone for 15 minutes while another tab appends every minute and the idle tab keeps refreshing', async () => {
		const clock = { now: Date.UTC(2026, 5, 1, 9, 0, 0) };
		const [idleTab, busyTab] = twoTabs(clock);
		for (let minute = 1; minute <= 15; minute += 1) {
			clock.now += MINUTE;
			await ok(busyTab.api.activity());
			await ok(busyTab.api.execute({ type: 'register-individual', givenName: `Person ${minute}`, familyName: 'Okello', sex: 'female', dateOfBirth: '1990-01-01' }));
			await backgroundRefresh(idleTab);
			idleTab.idle.check();
			if (minute < 15) expect((await ok(idleTab.api.status())).user?.id, `minute ${minute}`).toBe('admin');
		}
		expect(clock.now - Date.UTC(2026, 5, 1, 9, 0, 0)).toBe(IDLE_LOCK_MS);
		expect((await ok(idleTab.api.status())).user).toBeUndefined();
		expect((await failure(idleTab.api.listEntities({}))).code).toBe('not-signed-in');
		// A person's action after the lock does not bring the session back: only signing in does.
		await ok(idleTab.api.activity());
		expect((await ok(idleTab.api.status())).user).toBeUndefined();
		// The tab a person used stays signed in and reads the records.
		expect((await ok(busyTab.api.listEntities({}))).entities).toHaveLength(15);
	});

	it("keeps a tab open for 15 minutes after its person's last action, and no longer", async () => {
		const clock = { now: Date.UTC(2026, 5, 1, 9, 0, 0) };
		const [tab] = twoTabs(clock);
		clock.now += 10 * MINUTE;
		await ok(tab.api.activity());
		clock.now += IDLE_LOCK_MS - 1;
		tab.idle.check();
		expect((await ok(tab.api.status())).user?.id).toBe('admin');
		clock.now += 1;
		tab.idle.check();
		expect((await ok(tab.api.status())).user).toBeUndefined();
	});
});

describe('a long task a person started', () => {
	it('holds the lock off while it runs, however long, and the 15 minutes count from its end', () => {
		const clock = { now: Date.UTC(2026, 5, 1, 9, 0, 0) };
		const { db, vault } = freshVaultDb();
		opened.push(db);
		vault.unlock(user('admin', 'administrator'), generateDataKey(), clock.now);
		const idle = idleLock(vault, () => clock.now);
		const release = idle.hold();
		clock.now += 40 * MINUTE;
		idle.check();
		expect(idle.user()?.id).toBe('admin');
		release();
		clock.now += IDLE_LOCK_MS - 1;
		idle.check();
		expect(idle.user()?.id).toBe('admin');
		clock.now += 1;
		expect(idle.user()).toBeUndefined();
	});

	it('does not start on a session already idle too long: the lock comes first', () => {
		const clock = { now: Date.UTC(2026, 5, 1, 9, 0, 0) };
		const { db, vault } = freshVaultDb();
		opened.push(db);
		vault.unlock(user('admin', 'administrator'), generateDataKey(), clock.now);
		const idle = idleLock(vault, () => clock.now);
		clock.now += IDLE_LOCK_MS;
		idle.hold();
		expect(idle.user()).toBeUndefined();
	});

	it('is never cut midway: an export, an import, the integrity check and a rebuild that outlast the idle lock all finish', async () => {
		const clock = { now: Date.UTC(2026, 5, 1, 9, 0, 0) };
		const [tab] = twoTabs(clock);
		for (let i = 0; i < 3; i++) await ok(tab.api.execute({ type: 'register-individual', givenName: `Person ${i}`, familyName: 'Okello', sex: 'female', dateOfBirth: '1990-01-01' }));
		// Each task hears of its progress once 20 minutes have passed with no action of the person, and
		// the worker's own minute check runs then, as db.worker.ts runs it.
		const outlast = (): void => {
			clock.now += 20 * MINUTE;
			tab.idle.check();
		};
		const exported = await ok(tab.api.exportBundle({}, outlast));
		const text = await exported.blob.text();
		await ok(tab.api.importBundle(text, outlast));
		await ok(tab.api.checkIntegrity(outlast));
		await ok(tab.api.rebuildRecords(outlast));
		expect((await ok(tab.api.status())).user?.id).toBe('admin');
	});
});
