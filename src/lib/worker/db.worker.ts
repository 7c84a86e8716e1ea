/// <reference lib="webworker" />
/**
 * The database worker's entry: opens the database, holds the signed-in session, and exposes the
 * worker API to the page with Comlink. One per tab; tabs learn of each other's appends through a
 * BroadcastChannel, and the store's transactions keep the log consistent between them.
 */
import * as Comlink from 'comlink';
import { openVaultDb } from '../store/vault';
import { revalidateSession } from '../store/users';
import { newGuid } from '../core/event';
import { createWorkerApi } from './api';
import { deviceIdentity } from './device';
import { IDLE_CHECK_MS, idleLock } from './idle';
import { QuickUnlock } from './quick-unlock';
import { APP_VERSION } from '../version';
import { installFastSha256 } from '../crypto/fast-sha256';

const CHANGES_CHANNEL = 'casetrail-changes';
const channel = new BroadcastChannel(CHANGES_CHANNEL);
/** Another tab's worker added, changed or removed a user: this tab's session is checked against the stored profile. */
const USERS_CHANNEL = 'casetrail-users';
const usersChannel = new BroadcastChannel(USERS_CHANNEL);
// The vault encrypts records at rest and holds the signed-in session (store/vault.ts, store/users.ts).
const { db, vault } = openVaultDb();
// Tree hashes use the WebAssembly SHA-256 once it is ready; noble until then, with the same digests.
void installFastSha256();

// Only a person's actions in this tab keep it unlocked (idle.ts); checked on its own every minute too.
const idle = idleLock(vault);
setInterval(() => idle.check(), IDLE_CHECK_MS);

const api = createWorkerApi({
	db,
	now: () => new Date(),
	newGuid,
	appVersion: APP_VERSION,
	user: () => idle.user(),
	personActed: () => idle.personActed(),
	holdIdle: () => idle.hold(),
	quickUnlock: new QuickUnlock(),
	deviceId: async () => (await deviceIdentity(db)).deviceId,
	announce: (change) => channel.postMessage(change),
	announceUsers: () => usersChannel.postMessage({ type: 'users-changed' })
});

// A session whose user was removed or replaced ends here too; a check that cannot read leaves it as it is.
usersChannel.onmessage = () => void revalidateSession(db).catch(() => undefined);

Comlink.expose(api);
